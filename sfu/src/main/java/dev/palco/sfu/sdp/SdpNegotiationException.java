package dev.palco.sfu.sdp;

/**
 * The SDP is well formed but the SFU cannot agree to it: a mandatory feature is missing (rtcp-mux,
 * BUNDLE, ICE credentials, a DTLS fingerprint), the DTLS role is impossible, or a media section has no
 * codec in common. The message names the media section, e.g.
 * {@code "m=video mid=1: no supported codec (offered: VP9, AV1)"}.
 */
public final class SdpNegotiationException extends SdpException {
  private static final long serialVersionUID = 1L;

  private final String mid;

  /**
   * @param mid the media section's mid, or null for a session-level problem
   * @param message the complete message, already naming the section
   */
  SdpNegotiationException(String mid, String message) {
    super(message);
    this.mid = mid;
  }

  /** A problem with the description as a whole. */
  public static SdpNegotiationException session(String reason) {
    return new SdpNegotiationException(null, reason);
  }

  /**
   * A problem with one media section, named as {@code m=<media> mid=<mid>}, or by its 0-based position
   * ({@code m=<media> #<index>}) when it has no usable mid.
   */
  static SdpNegotiationException media(String media, String mid, int index, String reason) {
    String name = "m=" + media + (mid != null ? " mid=" + mid : " #" + index);
    return new SdpNegotiationException(mid, name + ": " + reason);
  }

  /** @return the mid of the media section at fault, or null for a session-level problem */
  public String mid() {
    return mid;
  }
}
