package dev.palco.rtp.rtcp;

/** Big-endian field access shared by the RTCP parsers and encoders (network byte order, RFC 3550 §5). */
final class RtcpBytes {
  private RtcpBytes() {}

  static int u8(byte[] buf, int pos) {
    return buf[pos] & 0xFF;
  }

  static int u16(byte[] buf, int pos) {
    return ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
  }

  static int u24(byte[] buf, int pos) {
    return ((buf[pos] & 0xFF) << 16) | ((buf[pos + 1] & 0xFF) << 8) | (buf[pos + 2] & 0xFF);
  }

  /** A 24-bit two's-complement field, sign-extended to an int. */
  static int s24(byte[] buf, int pos) {
    return (u24(buf, pos) << 8) >> 8;
  }

  static int i32(byte[] buf, int pos) {
    return ((buf[pos] & 0xFF) << 24)
        | ((buf[pos + 1] & 0xFF) << 16)
        | ((buf[pos + 2] & 0xFF) << 8)
        | (buf[pos + 3] & 0xFF);
  }

  static long u32(byte[] buf, int pos) {
    return i32(buf, pos) & 0xFFFF_FFFFL;
  }

  static void put8(byte[] buf, int pos, int value) {
    buf[pos] = (byte) value;
  }

  static void put16(byte[] buf, int pos, int value) {
    buf[pos] = (byte) (value >>> 8);
    buf[pos + 1] = (byte) value;
  }

  static void put24(byte[] buf, int pos, int value) {
    buf[pos] = (byte) (value >>> 16);
    buf[pos + 1] = (byte) (value >>> 8);
    buf[pos + 2] = (byte) value;
  }

  static void put32(byte[] buf, int pos, long value) {
    buf[pos] = (byte) (value >>> 24);
    buf[pos + 1] = (byte) (value >>> 16);
    buf[pos + 2] = (byte) (value >>> 8);
    buf[pos + 3] = (byte) value;
  }
}
