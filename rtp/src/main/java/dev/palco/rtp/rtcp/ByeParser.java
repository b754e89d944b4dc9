package dev.palco.rtp.rtcp;

/**
 * Static accessors for a goodbye packet, PT=203 (RFC 3550 §6.6). Call {@link #validate} once; the
 * accessors assume it returned {@link RtcpDropReason#OK}.
 *
 * <pre>
 *        0                   1                   2                   3
 *        0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       |V=2|P|    SC   |   PT=BYE=203  |             length            |
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       |                           SSRC/CSRC                           |
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       :                              ...                              :
 *       +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * (opt) |     length    |               reason for leaving            ...
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ByeParser {
  private ByeParser() {}

  /** Checks the packet: common header, PT=203, SC SSRCs, and a reason (if any) within the body. */
  public static RtcpDropReason validate(byte[] buf, int off, int len) {
    RtcpDropReason reason = RtcpHeader.checkType(buf, off, len, RtcpHeader.PT_BYE, -1);
    if (reason != RtcpDropReason.OK) {
      return reason;
    }
    int body = len - RtcpHeader.paddingSizeBytes(buf, off, len);
    int reasonPos = RtcpHeader.HEADER_SIZE_BYTES + 4 * RtcpHeader.count(buf, off);
    if (body < reasonPos) {
      return RtcpDropReason.TRUNCATED_BODY;
    }
    if (body > reasonPos && body - reasonPos - 1 < (buf[off + reasonPos] & 0xFF)) {
      return RtcpDropReason.BAD_BYE_REASON;
    }
    return RtcpDropReason.OK;
  }

  /** Number of SSRC/CSRC identifiers (SC). */
  public static int ssrcCount(byte[] buf, int off) {
    return RtcpHeader.count(buf, off);
  }

  /** Identifier {@code index} (0-based). */
  public static int ssrc(byte[] buf, int off, int index) {
    return RtcpBytes.i32(buf, off + RtcpHeader.HEADER_SIZE_BYTES + 4 * index);
  }

  /** Offset of the reason text, or -1 when the packet carries none. */
  public static int reasonOffset(byte[] buf, int off, int len) {
    int reasonPos = RtcpHeader.HEADER_SIZE_BYTES + 4 * RtcpHeader.count(buf, off);
    int body = len - RtcpHeader.paddingSizeBytes(buf, off, len);
    return body > reasonPos ? off + reasonPos + 1 : -1;
  }

  /** Length of the reason text, or 0 when the packet carries none. */
  public static int reasonLength(byte[] buf, int off, int len) {
    int textOff = reasonOffset(buf, off, len);
    return textOff < 0 ? 0 : buf[textOff - 1] & 0xFF;
  }
}
