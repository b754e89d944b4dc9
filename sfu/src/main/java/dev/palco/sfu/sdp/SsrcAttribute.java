package dev.palco.sfu.sdp;

/**
 * A source-specific attribute, {@code a=ssrc}.
 *
 * <pre>
 * RFC 5576 §4.1:
 *   ssrc-attr = "ssrc:" ssrc-id SP attribute     ; attribute = name [":" value]
 *   ssrc-id   = integer                          ; 0 .. 2**32 - 1
 *   e.g. a=ssrc:3461711617 cname:5rDdMQocgcAUbgAO
 * </pre>
 *
 * @param ssrc 0..2^32-1
 * @param name the source attribute name, e.g. {@code cname}, {@code msid}
 * @param value its value, or null
 */
public record SsrcAttribute(long ssrc, String name, String value) {

  /** Parses the value of {@code a=ssrc}. */
  static SsrcAttribute parse(String text) {
    int sp = text.indexOf(' ');
    if (sp <= 0 || sp == text.length() - 1) {
      throw new IllegalArgumentException("ssrc needs '<ssrc-id> <attribute>'");
    }
    long ssrc = SdpTokens.ssrc(text.substring(0, sp));
    String attr = text.substring(sp + 1);
    int colon = attr.indexOf(':');
    String name = SdpTokens.token(colon < 0 ? attr : attr.substring(0, colon), "ssrc attribute name");
    return new SsrcAttribute(ssrc, name, colon < 0 ? null : attr.substring(colon + 1));
  }

  /** @return the value of {@code a=ssrc} */
  public String toValue() {
    return ssrc + " " + name + (value != null ? ":" + value : "");
  }
}
