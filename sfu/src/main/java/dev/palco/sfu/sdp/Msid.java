package dev.palco.sfu.sdp;

/**
 * A media stream and track id, {@code a=msid}.
 *
 * <pre>
 * RFC 8830 §2:
 *   msid-value = msid-id [ SP msid-appdata ]
 *   msid-id = 1*64token-char       ; the MediaStream id, "-" for none
 *   msid-appdata = 1*64token-char  ; the track id
 *   e.g. a=msid:616592b9-062a-4644-ad4c-75de56a7d771 c2cee32a-7a6e-44ff-8227-0a4681d346a7
 * </pre>
 *
 * @param streamId the MediaStream id, {@code -} when the track has no stream
 * @param trackId the track id, or null
 */
public record Msid(String streamId, String trackId) {

  /** Parses the value of {@code a=msid}. */
  static Msid parse(String value) {
    int sp = value.indexOf(' ');
    String stream = sp < 0 ? value : value.substring(0, sp);
    String track = sp < 0 ? null : value.substring(sp + 1);
    check(stream, "msid-id");
    if (track != null) {
      check(track, "msid-appdata");
    }
    return new Msid(stream, track);
  }

  private static void check(String s, String what) {
    if (s.length() > 64) {
      throw new IllegalArgumentException(what + " longer than 64 characters");
    }
    SdpTokens.token(s, what);
  }

  /** @return the value of {@code a=msid} */
  public String toValue() {
    return trackId == null ? streamId : streamId + ' ' + trackId;
  }
}
