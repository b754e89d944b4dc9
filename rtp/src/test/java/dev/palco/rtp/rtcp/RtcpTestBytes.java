package dev.palco.rtp.rtcp;

import java.util.Arrays;

/** Small helpers for writing byte fixtures in tests. */
final class RtcpTestBytes {
  private RtcpTestBytes() {}

  /** Bytes from int literals, so fixtures can be written as 0xC8 rather than (byte) 0xC8. */
  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  /** Concatenation of packets into one compound datagram. */
  static byte[] concat(byte[]... parts) {
    int total = 0;
    for (byte[] p : parts) {
      total += p.length;
    }
    byte[] out = new byte[total];
    int pos = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, pos, p.length);
      pos += p.length;
    }
    return out;
  }

  /** The first {@code len} bytes written into a scratch buffer. */
  static byte[] slice(byte[] buf, int off, int len) {
    return Arrays.copyOfRange(buf, off, off + len);
  }

  static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
