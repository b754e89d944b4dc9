package dev.palco.rtp.rtcp;

/**
 * A reusable cursor over an RTCP compound packet (RFC 3550 §6.1) that allocates nothing.
 *
 * <p>Each packet of the compound starts with the common header (RFC 3550 §6.4.1):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  RC/FMT |      PT       |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 type-specific body (length * 4 bytes)          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        next packet of the compound, same header ...           |
 * </pre>
 *
 * <p>{@link #reset} walks every header once before anything is yielded, applying the checks of
 * RFC 3550 Appendix A.2: version 2, each length field within the remaining bytes, the lengths
 * adding up to the datagram exactly, and the padding bit only on the last packet. A compound that
 * fails any of them is dropped as a whole (the RFC treats it as one unit), so the caller never
 * acts on half of a malformed datagram. The A.2 rule that the first packet must be SR or RR is
 * deliberately not applied: reduced-size RTCP (RFC 5506), which browsers send for NACK, PLI and
 * TWCC, carries a lone feedback packet.
 *
 * <p>Usage:
 *
 * <pre>{@code
 * if (it.reset(buf, off, len) != RtcpDropReason.OK) { count drop; return; }
 * while (it.next()) { switch (it.packetType()) { ... it.offset(), it.length() ... } }
 * }</pre>
 */
public final class RtcpCompoundIterator {
  private byte[] buf;
  private int end;
  private int nextOffset;
  private int offset;
  private int length;

  /**
   * Validates the compound in {@code (buf, off, len)} and rewinds to its start.
   *
   * @return {@link RtcpDropReason#OK} when packets may be iterated; otherwise the reason, and
   *     {@link #next()} yields nothing
   */
  public RtcpDropReason reset(byte[] buf, int off, int len) {
    this.buf = buf;
    this.offset = off;
    this.length = 0;
    RtcpDropReason reason = validate(buf, off, len);
    if (reason == RtcpDropReason.OK) {
      this.nextOffset = off;
      this.end = off + len;
    } else {
      this.nextOffset = off;
      this.end = off;
    }
    return reason;
  }

  /**
   * Checks a compound packet without iterating it. Runs in time proportional to the number of
   * packets (each step advances by at least four bytes).
   */
  public static RtcpDropReason validate(byte[] buf, int off, int len) {
    if (len < RtcpHeader.HEADER_SIZE_BYTES) {
      return RtcpDropReason.TRUNCATED_HEADER;
    }
    int pos = off;
    int end = off + len;
    while (pos < end) {
      int remaining = end - pos;
      if (remaining < RtcpHeader.HEADER_SIZE_BYTES) {
        return RtcpDropReason.TRUNCATED_HEADER;
      }
      if (RtcpHeader.version(buf, pos) != RtcpHeader.VERSION) {
        return RtcpDropReason.BAD_VERSION;
      }
      int size = RtcpHeader.packetSizeBytes(buf, pos);
      if (size > remaining) {
        return RtcpDropReason.LENGTH_MISMATCH;
      }
      if (RtcpHeader.hasPadding(buf, pos)) {
        // RFC 3550 §6.4.1: only the last packet of a compound may carry padding, because SRTCP
        // encryption pads the compound as a whole.
        if (size != remaining) {
          return RtcpDropReason.PADDING_NOT_LAST;
        }
        int padding = buf[pos + size - 1] & 0xFF;
        if (padding == 0 || padding > size - RtcpHeader.HEADER_SIZE_BYTES) {
          return RtcpDropReason.BAD_PADDING;
        }
      }
      pos += size;
    }
    return RtcpDropReason.OK;
  }

  /** Advances to the next packet; false at the end (or at once after a failed {@link #reset}). */
  public boolean next() {
    if (nextOffset >= end) {
      return false;
    }
    offset = nextOffset;
    length = RtcpHeader.packetSizeBytes(buf, offset);
    nextOffset = offset + length;
    return true;
  }

  /** The current packet's offset in the buffer. */
  public int offset() {
    return offset;
  }

  /** The current packet's size in bytes, header and padding included. */
  public int length() {
    return length;
  }

  /** The current packet's type (PT). */
  public int packetType() {
    return RtcpHeader.packetType(buf, offset);
  }

  /** The current packet's five-bit count field: RC, SC or FMT. */
  public int count() {
    return RtcpHeader.count(buf, offset);
  }

  /** The buffer being iterated. */
  public byte[] buffer() {
    return buf;
  }
}
