package dev.palco.sfu.sdp;

/**
 * An RTP header extension mapping, {@code a=extmap}.
 *
 * <pre>
 * RFC 8285 §7:
 *   extmap = mapentry SP extensionname [SP extensionattributes]
 *   mapentry = "extmap:" 1*5DIGIT ["/" direction]
 *   direction = "sendonly" / "recvonly" / "sendrecv" / "inactive"
 *   extensionname = URI
 *   e.g. a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
 * </pre>
 *
 * Ids 1..14 fit the one-byte header, 1..255 the two-byte header (RFC 8285 §4.2, §4.3); ids
 * 4096..4351 are only for offers that let the answerer choose (§7) and are not accepted here, since
 * browsers never send them.
 *
 * @param id the local identifier, 1..255
 * @param direction the optional direction, or null
 * @param uri the extension's URI
 * @param attributes extension attributes, or null
 */
public record ExtMap(int id, Direction direction, String uri, String attributes) {

  /** Highest id usable in the one-byte header form (RFC 8285 §4.2; 15 is reserved). */
  public static final int MAX_ONE_BYTE_ID = 14;

  /** Parses the value of {@code a=extmap}. */
  static ExtMap parse(String value) {
    int sp = value.indexOf(' ');
    if (sp <= 0) {
      throw new IllegalArgumentException("extmap needs '<id>[/<direction>] <URI>'");
    }
    String entry = value.substring(0, sp);
    Direction direction = null;
    int slash = entry.indexOf('/');
    if (slash >= 0) {
      direction = Direction.fromSdpName(entry.substring(slash + 1));
      if (direction == null) {
        throw new IllegalArgumentException("unknown extmap direction '" + SdpTokens.shorten(entry.substring(slash + 1)) + "'");
      }
      entry = entry.substring(0, slash);
    }
    int id = SdpTokens.intInRange(entry, 1, 255, "extmap id");
    String rest = value.substring(sp + 1);
    int sp2 = rest.indexOf(' ');
    String uri = sp2 < 0 ? rest : rest.substring(0, sp2);
    String attrs = sp2 < 0 ? null : rest.substring(sp2 + 1);
    if (uri.isEmpty() || uri.indexOf(':') < 0) {
      throw new IllegalArgumentException("extmap URI is not a URI: '" + SdpTokens.shorten(uri) + "'");
    }
    return new ExtMap(id, direction, uri, attrs);
  }

  /** @return the value of {@code a=extmap} */
  public String toValue() {
    StringBuilder sb = new StringBuilder().append(id);
    if (direction != null) {
      sb.append('/').append(direction.sdpName());
    }
    sb.append(' ').append(uri);
    if (attributes != null) {
      sb.append(' ').append(attributes);
    }
    return sb.toString();
  }
}
