package dev.palco.rtp.rtcp;

/**
 * Static accessors for a receiver report, PT=201 (RFC 3550 §6.4.2). Call {@link #validate} once;
 * the accessors assume it returned {@link RtcpDropReason#OK}.
 *
 * <pre>
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    RC   |   PT=RR=201   |             length            |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                     SSRC of packet sender                     |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * report |                 report block 1 ({@link ReportBlock})          |
 * blocks |                              ...                              |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *        |                  profile-specific extensions                  |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ReceiverReportParser {
  /** Header and sender SSRC. */
  public static final int FIXED_SIZE_BYTES = 8;

  private ReceiverReportParser() {}

  /** Checks the packet: common header, PT=201, and room for the RC report blocks. */
  public static RtcpDropReason validate(byte[] buf, int off, int len) {
    RtcpDropReason reason = RtcpHeader.checkType(buf, off, len, RtcpHeader.PT_RR, -1);
    if (reason != RtcpDropReason.OK) {
      return reason;
    }
    int body = len - RtcpHeader.paddingSizeBytes(buf, off, len);
    if (body < FIXED_SIZE_BYTES + RtcpHeader.count(buf, off) * ReportBlock.SIZE_BYTES) {
      return RtcpDropReason.TRUNCATED_BODY;
    }
    return RtcpDropReason.OK;
  }

  /** SSRC of the packet sender. */
  public static int senderSsrc(byte[] buf, int off) {
    return RtcpBytes.i32(buf, off + 4);
  }

  /** Number of report blocks (RC). */
  public static int reportCount(byte[] buf, int off) {
    return RtcpHeader.count(buf, off);
  }

  /** Offset of report block {@code index}, for {@link ReportBlock}'s accessors. */
  public static int reportBlockOffset(int off, int index) {
    return off + FIXED_SIZE_BYTES + index * ReportBlock.SIZE_BYTES;
  }
}
