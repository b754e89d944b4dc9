package dev.palco.rtp.rtcp;

/**
 * Static accessors for a sender report, PT=200 (RFC 3550 §6.4.1). Call {@link #validate} once;
 * the accessors assume it returned {@link RtcpDropReason#OK}.
 *
 * <pre>
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    RC   |   PT=SR=200   |             length            |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                         SSRC of sender                        |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * sender |              NTP timestamp, most significant word             |
 * info   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |             NTP timestamp, least significant word             |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                         RTP timestamp                         |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                     sender's packet count                     |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                      sender's octet count                     |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * report |                 report block 1 ({@link ReportBlock})          |
 * blocks |                              ...                              |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *        |                  profile-specific extensions                  |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class SenderReportParser {
  /** Header, sender SSRC and the 20-byte sender info. */
  public static final int FIXED_SIZE_BYTES = 28;

  private SenderReportParser() {}

  /**
   * Checks the packet: common header, PT=200, and room for the sender info and the RC report
   * blocks. Bytes after the blocks are profile-specific extensions and are allowed.
   */
  public static RtcpDropReason validate(byte[] buf, int off, int len) {
    RtcpDropReason reason = RtcpHeader.checkType(buf, off, len, RtcpHeader.PT_SR, -1);
    if (reason != RtcpDropReason.OK) {
      return reason;
    }
    int body = len - RtcpHeader.paddingSizeBytes(buf, off, len);
    if (body < FIXED_SIZE_BYTES + RtcpHeader.count(buf, off) * ReportBlock.SIZE_BYTES) {
      return RtcpDropReason.TRUNCATED_BODY;
    }
    return RtcpDropReason.OK;
  }

  /** SSRC of the sender. */
  public static int senderSsrc(byte[] buf, int off) {
    return RtcpBytes.i32(buf, off + 4);
  }

  /** The full 64-bit NTP timestamp (32.32 fixed point seconds since 1900). */
  public static long ntpTimestamp(byte[] buf, int off) {
    return ((long) RtcpBytes.i32(buf, off + 8) << 32) | RtcpBytes.u32(buf, off + 12);
  }

  /** The RTP timestamp matching the NTP timestamp. */
  public static int rtpTimestamp(byte[] buf, int off) {
    return RtcpBytes.i32(buf, off + 16);
  }

  /** Sender's packet count (wraps at 2^32). */
  public static long packetCount(byte[] buf, int off) {
    return RtcpBytes.u32(buf, off + 20);
  }

  /** Sender's octet count (wraps at 2^32). */
  public static long octetCount(byte[] buf, int off) {
    return RtcpBytes.u32(buf, off + 24);
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
