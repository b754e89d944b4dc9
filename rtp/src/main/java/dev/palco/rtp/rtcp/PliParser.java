package dev.palco.rtp.rtcp;

/**
 * Checks a picture loss indication, PSFB PT=206 FMT=1 (RFC 4585 §6.3.1). A PLI has no FCI: the
 * two SSRCs of {@link RtcpFeedback} are all it says.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=1  |    PT=206     |          length=2             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class PliParser {
  private PliParser() {}

  /**
   * Checks the packet: feedback header, PT=206, FMT=1. Trailing FCI bytes, which the RFC says a PLI
   * never has, are tolerated rather than dropped: the request is still unambiguous.
   */
  public static RtcpDropReason validate(byte[] buf, int off, int len) {
    return RtcpFeedback.check(buf, off, len, RtcpHeader.PT_PSFB, RtcpFeedback.FMT_PLI);
  }

  /** SSRC of the packet sender. */
  public static int senderSsrc(byte[] buf, int off) {
    return RtcpFeedback.senderSsrc(buf, off);
  }

  /** SSRC of the stream that needs a key frame. */
  public static int mediaSsrc(byte[] buf, int off) {
    return RtcpFeedback.mediaSsrc(buf, off);
  }
}
