package dev.palco.rtp.rtcp;

/**
 * One reception report block of an SR or RR (RFC 3550 §6.4.1): static accessors for code that only
 * peeks, and a reusable mutable holder that encoders read from and {@link #readFrom} fills.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_1 (SSRC of first source)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |       cumulative number of packets lost       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      interarrival jitter                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         last SR (LSR)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   delay since last SR (DLSR)                  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 *
 * <p>SSRCs are raw 32-bit values in an {@code int}; unsigned 32-bit counters are {@code long}.
 */
public final class ReportBlock {
  /** Size of one report block. */
  public static final int SIZE_BYTES = 24;
  /** Smallest cumulative loss the signed 24-bit field holds (RFC 3550 §6.4.1, A.3 clamps to it). */
  public static final int MIN_CUMULATIVE_LOST = -0x80_0000;
  /** Largest cumulative loss the signed 24-bit field holds. */
  public static final int MAX_CUMULATIVE_LOST = 0x7F_FFFF;

  private int ssrc;
  private int fractionLost;
  private int cumulativeLost;
  private long extendedHighestSeq;
  private long jitter;
  private long lastSrNtp;
  private long delaySinceLastSr;

  // ---- static accessors over the block starting at blockOff ----

  /** SSRC of the source this block reports on. */
  public static int ssrc(byte[] buf, int blockOff) {
    return RtcpBytes.i32(buf, blockOff);
  }

  /** Fraction lost since the previous report, as a fixed-point number with the point at the left. */
  public static int fractionLost(byte[] buf, int blockOff) {
    return buf[blockOff + 4] & 0xFF;
  }

  /** Cumulative number of packets lost: a signed 24-bit value (duplicates can make it negative). */
  public static int cumulativeLost(byte[] buf, int blockOff) {
    return RtcpBytes.s24(buf, blockOff + 5);
  }

  /** Extended highest sequence number received: cycles in the upper 16 bits. */
  public static long extendedHighestSeq(byte[] buf, int blockOff) {
    return RtcpBytes.u32(buf, blockOff + 8);
  }

  /** Interarrival jitter in RTP timestamp units. */
  public static long jitter(byte[] buf, int blockOff) {
    return RtcpBytes.u32(buf, blockOff + 12);
  }

  /** Middle 32 bits of the NTP timestamp of the last SR received (LSR). */
  public static long lastSrNtp(byte[] buf, int blockOff) {
    return RtcpBytes.u32(buf, blockOff + 16);
  }

  /** Delay since the last SR (DLSR), in units of 1/65536 s. */
  public static long delaySinceLastSr(byte[] buf, int blockOff) {
    return RtcpBytes.u32(buf, blockOff + 20);
  }

  // ---- reusable holder ----

  /** Fills this holder from the block at {@code blockOff}; returns this. */
  public ReportBlock readFrom(byte[] buf, int blockOff) {
    ssrc = ssrc(buf, blockOff);
    fractionLost = fractionLost(buf, blockOff);
    cumulativeLost = cumulativeLost(buf, blockOff);
    extendedHighestSeq = extendedHighestSeq(buf, blockOff);
    jitter = jitter(buf, blockOff);
    lastSrNtp = lastSrNtp(buf, blockOff);
    delaySinceLastSr = delaySinceLastSr(buf, blockOff);
    return this;
  }

  /**
   * Writes this block at {@code blockOff}. The cumulative loss is clamped to the signed 24-bit
   * range, as RFC 3550 Appendix A.3 asks, rather than wrapping into a nonsense sign.
   *
   * @return {@link #SIZE_BYTES}
   */
  public int writeTo(byte[] buf, int blockOff) {
    RtcpBytes.put32(buf, blockOff, ssrc);
    RtcpBytes.put8(buf, blockOff + 4, fractionLost);
    int lost = Math.max(MIN_CUMULATIVE_LOST, Math.min(MAX_CUMULATIVE_LOST, cumulativeLost));
    RtcpBytes.put24(buf, blockOff + 5, lost);
    RtcpBytes.put32(buf, blockOff + 8, extendedHighestSeq);
    RtcpBytes.put32(buf, blockOff + 12, jitter);
    RtcpBytes.put32(buf, blockOff + 16, lastSrNtp);
    RtcpBytes.put32(buf, blockOff + 20, delaySinceLastSr);
    return SIZE_BYTES;
  }

  /** Sets every field at once; returns this. */
  public ReportBlock set(
      int ssrc,
      int fractionLost,
      int cumulativeLost,
      long extendedHighestSeq,
      long jitter,
      long lastSrNtp,
      long delaySinceLastSr) {
    this.ssrc = ssrc;
    this.fractionLost = fractionLost & 0xFF;
    this.cumulativeLost = cumulativeLost;
    this.extendedHighestSeq = extendedHighestSeq & 0xFFFF_FFFFL;
    this.jitter = jitter & 0xFFFF_FFFFL;
    this.lastSrNtp = lastSrNtp & 0xFFFF_FFFFL;
    this.delaySinceLastSr = delaySinceLastSr & 0xFFFF_FFFFL;
    return this;
  }

  /** SSRC of the reported source. */
  public int ssrc() {
    return ssrc;
  }

  /** Fraction lost (0 to 255, 256ths). */
  public int fractionLost() {
    return fractionLost;
  }

  /** Cumulative packets lost, signed. */
  public int cumulativeLost() {
    return cumulativeLost;
  }

  /** Extended highest sequence number received. */
  public long extendedHighestSeq() {
    return extendedHighestSeq;
  }

  /** Interarrival jitter in RTP timestamp units. */
  public long jitter() {
    return jitter;
  }

  /** LSR: middle 32 bits of the last SR's NTP timestamp. */
  public long lastSrNtp() {
    return lastSrNtp;
  }

  /** DLSR in 1/65536 s. */
  public long delaySinceLastSr() {
    return delaySinceLastSr;
  }
}
