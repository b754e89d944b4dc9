package dev.palco.rtp.rtcp;

/**
 * Writes a REMB message, PSFB FMT=15 (draft-alvestrand-rmcat-remb-03 §2.2; layout on {@link
 * RembParser}).
 */
public final class RembEncoder {
  private static final int MANTISSA_BITS = 18;
  private static final long MAX_MANTISSA = (1L << MANTISSA_BITS) - 1;

  private RembEncoder() {}

  /** The size of a REMB listing {@code ssrcCount} SSRCs. */
  public static int sizeBytes(int ssrcCount) {
    return RembParser.FIXED_SIZE_BYTES + 4 * ssrcCount;
  }

  /**
   * Encodes a bitrate as the 24-bit exponent/mantissa field, choosing the smallest exponent whose
   * mantissa fits 18 bits. Dropped low bits round the estimate down, never up: announcing more
   * than the receiver estimated would invite congestion.
   *
   * @throws IllegalArgumentException if {@code bitrateBps} is negative
   */
  public static int encodeBitrate(long bitrateBps) {
    if (bitrateBps < 0) {
      throw new IllegalArgumentException("bitrate must not be negative");
    }
    int exp = Math.max(0, (64 - Long.numberOfLeadingZeros(bitrateBps)) - MANTISSA_BITS);
    long mantissa = bitrateBps >>> exp;
    assert mantissa <= MAX_MANTISSA;
    return (exp << MANTISSA_BITS) | (int) mantissa;
  }

  /**
   * Writes a REMB announcing {@code bitrateBps} for {@code ssrcs[from .. from + count)}.
   *
   * @return the number of bytes written, {@link #sizeBytes(int)}
   * @throws IllegalArgumentException if {@code count} is outside 0..255 or the bitrate is negative
   */
  public static int write(byte[] buf, int off, int senderSsrc, long bitrateBps, int[] ssrcs, int from, int count) {
    if (count < 0 || count > 255) {
      throw new IllegalArgumentException("a REMB lists 0..255 SSRCs");
    }
    int expMantissa = encodeBitrate(bitrateBps);
    int size = sizeBytes(count);
    // The draft: the media source SSRC is always 0; the SSRC list says what the estimate covers.
    RtcpFeedback.writeHeader(buf, off, RtcpHeader.PT_PSFB, RtcpFeedback.FMT_AFB, size, senderSsrc, 0);
    int pos = off + RtcpFeedback.FCI_OFFSET_BYTES;
    RtcpBytes.put32(buf, pos, RembParser.IDENTIFIER);
    buf[pos + 4] = (byte) count;
    RtcpBytes.put24(buf, pos + 5, expMantissa);
    pos += 8;
    for (int i = 0; i < count; i++) {
      RtcpBytes.put32(buf, pos, ssrcs[from + i]);
      pos += 4;
    }
    return size;
  }
}
