package dev.palco.rtp.rtcp;

/**
 * Static accessors for the header shared by every feedback message (RFC 4585 §6.1), and the
 * feedback message types (FMT) this package reads.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|   FMT   |       PT      |          length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * :            Feedback Control Information (FCI)                 :
 * :                                                               :
 * </pre>
 */
public final class RtcpFeedback {
  /** Header plus the two SSRCs; the FCI starts here. */
  public static final int FCI_OFFSET_BYTES = 12;
  /** RTPFB FMT: generic NACK (RFC 4585 §6.2.1). */
  public static final int FMT_NACK = 1;
  /** RTPFB FMT: transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1). */
  public static final int FMT_TWCC = 15;
  /** PSFB FMT: picture loss indication (RFC 4585 §6.3.1). */
  public static final int FMT_PLI = 1;
  /** PSFB FMT: full intra request (RFC 5104 §4.3.1). */
  public static final int FMT_FIR = 4;
  /** PSFB FMT: application layer feedback, which carries REMB (RFC 4585 §6.4). */
  public static final int FMT_AFB = 15;

  private RtcpFeedback() {}

  /** SSRC of the packet sender. */
  public static int senderSsrc(byte[] buf, int off) {
    return RtcpBytes.i32(buf, off + 4);
  }

  /** SSRC of the media source the feedback is about. */
  public static int mediaSsrc(byte[] buf, int off) {
    return RtcpBytes.i32(buf, off + 8);
  }

  /** The feedback message type (the header's count field). */
  public static int fmt(byte[] buf, int off) {
    return RtcpHeader.count(buf, off);
  }

  /**
   * Checks the common header, the PT and FMT, and the 12-byte feedback header.
   *
   * @return OK, or the reason
   */
  static RtcpDropReason check(byte[] buf, int off, int len, int packetType, int fmt) {
    RtcpDropReason reason = RtcpHeader.checkType(buf, off, len, packetType, fmt);
    if (reason != RtcpDropReason.OK) {
      return reason;
    }
    if (bodySizeBytes(buf, off, len) < FCI_OFFSET_BYTES) {
      return RtcpDropReason.TRUNCATED_BODY;
    }
    return RtcpDropReason.OK;
  }

  /** The packet size without RTCP padding. */
  static int bodySizeBytes(byte[] buf, int off, int len) {
    return len - RtcpHeader.paddingSizeBytes(buf, off, len);
  }

  /** Writes the common header and both SSRCs; returns {@link #FCI_OFFSET_BYTES}. */
  static int writeHeader(
      byte[] buf, int off, int packetType, int fmt, int packetSizeBytes, int senderSsrc, int mediaSsrc) {
    RtcpHeader.write(buf, off, fmt, packetType, packetSizeBytes);
    RtcpBytes.put32(buf, off + 4, senderSsrc);
    RtcpBytes.put32(buf, off + 8, mediaSsrc);
    return FCI_OFFSET_BYTES;
  }
}
