package dev.palco.turn;

/**
 * Parses IP address literals without touching DNS ({@link java.net.InetAddress#getByName} would
 * resolve anything that is not a literal, and turns IPv4-mapped IPv6 addresses into IPv4 ones).
 */
final class IpLiterals {

  private IpLiterals() {}

  /**
   * The 4 or 16 bytes of an IPv4 dotted quad (RFC 791) or an IPv6 literal in the text forms of
   * RFC 4291 §2.2 (full, "::"-compressed, or ending in a dotted quad), or {@code null}. Brackets and
   * zone ids are not accepted: coturn's configuration takes neither.
   */
  static byte[] parse(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    return s.indexOf(':') >= 0 ? parseIpv6(s) : parseIpv4(s, 0, s.length());
  }

  /** Whether {@code s} is an IPv4 or IPv6 literal. */
  static boolean isLiteral(String s) {
    return parse(s) != null;
  }

  private static byte[] parseIpv4(String s, int from, int to) {
    byte[] out = new byte[4];
    int part = 0;
    int i = from;
    while (part < 4) {
      int start = i;
      int value = 0;
      while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        value = value * 10 + (s.charAt(i) - '0');
        if (value > 255 || i - start >= 3) {
          return null;
        }
        i++;
      }
      if (i == start) {
        return null;
      }
      out[part++] = (byte) value;
      if (part < 4) {
        if (i >= to || s.charAt(i) != '.') {
          return null;
        }
        i++;
      }
    }
    return i == to ? out : null;
  }

  private static byte[] parseIpv6(String s) {
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    int[] head = new int[8];
    int[] tail = new int[8];
    int headWords;
    int tailWords = 0;
    if (gap < 0) {
      headWords = words(s, 0, s.length(), head);
      if (headWords != 8) {
        return null;
      }
    } else {
      headWords = gap == 0 ? 0 : words(s, 0, gap, head);
      tailWords = gap + 2 == s.length() ? 0 : words(s, gap + 2, s.length(), tail);
      // "::" stands for at least one zero word.
      if (headWords < 0 || tailWords < 0 || headWords + tailWords > 7) {
        return null;
      }
      // A dotted quad may only end the address, never the part before "::".
      if (headWords > 0 && s.lastIndexOf('.', gap) >= 0) {
        return null;
      }
    }
    byte[] out = new byte[16];
    for (int w = 0; w < headWords; w++) {
      out[2 * w] = (byte) (head[w] >>> 8);
      out[2 * w + 1] = (byte) head[w];
    }
    int at = 16 - 2 * tailWords;
    for (int w = 0; w < tailWords; w++) {
      out[at++] = (byte) (tail[w] >>> 8);
      out[at++] = (byte) tail[w];
    }
    return out;
  }

  /**
   * Reads colon-separated 1–4 digit hex groups from {@code s[from, to)} into {@code out} as 16-bit
   * words; a final dotted quad counts as two words. Returns the number of words, or -1.
   */
  private static int words(String s, int from, int to, int[] out) {
    int count = 0;
    int i = from;
    while (true) {
      int start = i;
      int value = 0;
      while (i < to && i - start < 5 && Character.digit(s.charAt(i), 16) >= 0) {
        value = (value << 4) | Character.digit(s.charAt(i), 16);
        i++;
      }
      if (i < to && s.charAt(i) == '.') {
        byte[] v4 = count <= 6 ? parseIpv4(s, start, to) : null;
        if (v4 == null) {
          return -1;
        }
        out[count++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
        out[count++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
        return count;
      }
      if (i == start || i - start > 4 || count == 8) {
        return -1;
      }
      out[count++] = value;
      if (i == to) {
        return count;
      }
      if (s.charAt(i) != ':') {
        return -1;
      }
      i++;
      if (i == to) {
        return -1;
      }
    }
  }
}
