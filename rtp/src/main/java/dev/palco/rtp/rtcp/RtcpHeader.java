package dev.palco.rtp.rtcp;

/**
 * Static accessors for the common header that starts every RTCP packet (RFC 3550 §6.4.1), plus the
 * single-packet checks every type parser runs first.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  RC/FMT |      PT       |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The length field counts 32-bit words minus one, header and padding included, so a packet
 * always spans {@code 4 * (length + 1)} bytes. The five-bit count field is the report count (SR,
 * RR), the source count (SDES, BYE) or the feedback message type (RFC 4585 §6.1).
 */
public final class RtcpHeader {
  /** Size of the common header. */
  public static final int HEADER_SIZE_BYTES = 4;
  /** The only RTP/RTCP version in use (RFC 3550 §5.1). */
  public static final int VERSION = 2;
  /** The largest value the five-bit count field holds. */
  public static final int MAX_COUNT = 31;
  /** The largest packet the 16-bit length field can describe. */
  public static final int MAX_PACKET_SIZE_BYTES = (0xFFFF + 1) * 4;

  /** Sender report (RFC 3550 §6.4.1). */
  public static final int PT_SR = 200;
  /** Receiver report (RFC 3550 §6.4.2). */
  public static final int PT_RR = 201;
  /** Source description (RFC 3550 §6.5). */
  public static final int PT_SDES = 202;
  /** Goodbye (RFC 3550 §6.6). */
  public static final int PT_BYE = 203;
  /** Application-defined (RFC 3550 §6.7). */
  public static final int PT_APP = 204;
  /** Transport-layer feedback (RFC 4585 §6.2). */
  public static final int PT_RTPFB = 205;
  /** Payload-specific feedback (RFC 4585 §6.3). */
  public static final int PT_PSFB = 206;

  private RtcpHeader() {}

  /** The two-bit version field. */
  public static int version(byte[] buf, int off) {
    return (buf[off] & 0xFF) >>> 6;
  }

  /** Whether the padding bit is set. */
  public static boolean hasPadding(byte[] buf, int off) {
    return (buf[off] & 0x20) != 0;
  }

  /** The five-bit count field: RC, SC or FMT depending on the packet type. */
  public static int count(byte[] buf, int off) {
    return buf[off] & 0x1F;
  }

  /** The packet type (200 to 206 for the types in this package). */
  public static int packetType(byte[] buf, int off) {
    return buf[off + 1] & 0xFF;
  }

  /** The raw length field: 32-bit words minus one. */
  public static int lengthWords(byte[] buf, int off) {
    return RtcpBytes.u16(buf, off + 2);
  }

  /** The packet size the length field announces, header and padding included. */
  public static int packetSizeBytes(byte[] buf, int off) {
    return (lengthWords(buf, off) + 1) * 4;
  }

  /**
   * Writes a common header with the padding bit clear.
   *
   * @param packetSizeBytes the whole packet size; must be a positive multiple of four
   * @return {@link #HEADER_SIZE_BYTES}
   */
  public static int write(byte[] buf, int off, int count, int packetType, int packetSizeBytes) {
    buf[off] = (byte) ((VERSION << 6) | (count & 0x1F));
    buf[off + 1] = (byte) packetType;
    RtcpBytes.put16(buf, off + 2, packetSizeBytes / 4 - 1);
    return HEADER_SIZE_BYTES;
  }

  /**
   * Checks that {@code (buf, off, len)} is exactly one RTCP packet: version 2, a length field that
   * matches {@code len}, and, when the padding bit is set, a padding count that fits the body.
   * Type parsers call this first, so it is also safe on views that did not come from {@link
   * RtcpCompoundIterator}.
   */
  public static RtcpDropReason checkPacket(byte[] buf, int off, int len) {
    if (len < HEADER_SIZE_BYTES) {
      return RtcpDropReason.TRUNCATED_HEADER;
    }
    if (version(buf, off) != VERSION) {
      return RtcpDropReason.BAD_VERSION;
    }
    if (packetSizeBytes(buf, off) != len) {
      return RtcpDropReason.LENGTH_MISMATCH;
    }
    if (hasPadding(buf, off)) {
      int padding = buf[off + len - 1] & 0xFF;
      if (padding == 0 || padding > len - HEADER_SIZE_BYTES) {
        return RtcpDropReason.BAD_PADDING;
      }
    }
    return RtcpDropReason.OK;
  }

  /**
   * The number of padding bytes at the end of a packet that passed {@link #checkPacket}: the last
   * octet when the padding bit is set (RFC 3550 §6.4.1), otherwise zero.
   */
  public static int paddingSizeBytes(byte[] buf, int off, int len) {
    return hasPadding(buf, off) ? buf[off + len - 1] & 0xFF : 0;
  }

  /**
   * Runs {@link #checkPacket} and also requires the given packet type, and, unless {@code count} is
   * negative, the given count/FMT value. Shared by the type parsers.
   */
  static RtcpDropReason checkType(byte[] buf, int off, int len, int packetType, int count) {
    RtcpDropReason reason = checkPacket(buf, off, len);
    if (reason != RtcpDropReason.OK) {
      return reason;
    }
    if (packetType(buf, off) != packetType || (count >= 0 && count(buf, off) != count)) {
      return RtcpDropReason.WRONG_PACKET_TYPE;
    }
    return RtcpDropReason.OK;
  }
}
