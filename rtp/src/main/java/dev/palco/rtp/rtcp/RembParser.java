package dev.palco.rtp.rtcp;

/**
 * Static accessors for a receiver estimated maximum bitrate message, PSFB PT=206 FMT=15
 * (draft-alvestrand-rmcat-remb-03 §2.2). Call {@link #validate} once; the accessors assume it
 * returned {@link RtcpDropReason#OK}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| FMT=15  |   PT=206      |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source (always 0)              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Unique identifier 'R' 'E' 'M' 'B'                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Num SSRC     | BR Exp    |  BR Mantissa                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   SSRC feedback                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ...                                                          |
 * </pre>
 *
 * <p>The bitrate is {@code mantissa * 2^exp} bits per second, with an 18-bit mantissa and a 6-bit
 * exponent.
 */
public final class RembParser {
  /** Offset of the "REMB" identifier; also the fixed part before the SSRC list is this plus 8. */
  private static final int IDENTIFIER_OFFSET = RtcpFeedback.FCI_OFFSET_BYTES;
  /** Header, SSRCs, identifier, and the count/bitrate word. */
  public static final int FIXED_SIZE_BYTES = IDENTIFIER_OFFSET + 8;
  /** "REMB" in ASCII, big-endian. */
  static final int IDENTIFIER = ('R' << 24) | ('E' << 16) | ('M' << 8) | 'B';

  private RembParser() {}

  /**
   * Whether an application-layer feedback packet (FMT=15) carries the REMB identifier; other AFB
   * payloads exist, so a dispatcher asks this before treating a drop as malformed REMB.
   */
  public static boolean isRemb(byte[] buf, int off, int len) {
    return len >= FIXED_SIZE_BYTES
        && RtcpHeader.packetType(buf, off) == RtcpHeader.PT_PSFB
        && RtcpHeader.count(buf, off) == RtcpFeedback.FMT_AFB
        && RtcpBytes.i32(buf, off + IDENTIFIER_OFFSET) == IDENTIFIER;
  }

  /** Checks the packet: feedback header, PT=206, FMT=15, the identifier, and the SSRC list. */
  public static RtcpDropReason validate(byte[] buf, int off, int len) {
    RtcpDropReason reason =
        RtcpFeedback.check(buf, off, len, RtcpHeader.PT_PSFB, RtcpFeedback.FMT_AFB);
    if (reason != RtcpDropReason.OK) {
      return reason;
    }
    int body = RtcpFeedback.bodySizeBytes(buf, off, len);
    if (body < FIXED_SIZE_BYTES || RtcpBytes.i32(buf, off + IDENTIFIER_OFFSET) != IDENTIFIER) {
      return RtcpDropReason.BAD_REMB;
    }
    if (body < FIXED_SIZE_BYTES + 4 * ssrcCount(buf, off)) {
      return RtcpDropReason.BAD_REMB;
    }
    return RtcpDropReason.OK;
  }

  /** SSRC of the packet sender. */
  public static int senderSsrc(byte[] buf, int off) {
    return RtcpFeedback.senderSsrc(buf, off);
  }

  /** Number of SSRCs the estimate applies to. */
  public static int ssrcCount(byte[] buf, int off) {
    return buf[off + IDENTIFIER_OFFSET + 4] & 0xFF;
  }

  /** SSRC {@code index} of the feedback list. */
  public static int ssrc(byte[] buf, int off, int index) {
    return RtcpBytes.i32(buf, off + FIXED_SIZE_BYTES + 4 * index);
  }

  /** The estimate in bits per second; {@link Long#MAX_VALUE} if it does not fit a long. */
  public static long bitrateBps(byte[] buf, int off) {
    return decodeBitrate(RtcpBytes.u24(buf, off + IDENTIFIER_OFFSET + 5));
  }

  /**
   * Decodes the 24-bit exponent/mantissa field: {@code mantissa << exp}, saturating at {@link
   * Long#MAX_VALUE} (exponents up to 63 are legal on the wire, a long holds 63 bits).
   */
  public static long decodeBitrate(int expMantissa) {
    int exp = (expMantissa >>> 18) & 0x3F;
    long mantissa = expMantissa & 0x3_FFFF;
    if (mantissa == 0) {
      return 0;
    }
    if (exp > Long.numberOfLeadingZeros(mantissa) - 1) {
      return Long.MAX_VALUE;
    }
    return mantissa << exp;
  }
}
