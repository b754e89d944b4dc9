package dev.palco.sfu.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Small lexical checks shared by the attribute parsers. They throw {@link IllegalArgumentException}
 * with a short reason; the caller that knows the line turns it into an {@link SdpParseException}.
 */
final class SdpTokens {
  private SdpTokens() {}

  /**
   * RFC 8866 §9: {@code token-char = %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A /
   * %x5E-7E}.
   */
  static boolean isTokenChar(char c) {
    return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2A || c == 0x2B || c == 0x2D || c == 0x2E
        || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x5E && c <= 0x7E);
  }

  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isTokenChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static String token(String s, String what) {
    if (!isToken(s)) {
      throw new IllegalArgumentException(what + " is not a valid token: '" + shorten(s) + "'");
    }
    return s;
  }

  /**
   * An IPv4 or IPv6 address or a host name (RFC 8866 §9 {@code connection-address}; ICE also allows
   * mDNS {@code .local} names): letters, digits and {@code . : - _ %}.
   */
  static String address(String s, String what) {
    if (s.isEmpty() || s.length() > 255) {
      throw new IllegalArgumentException(what + " must be 1 to 255 characters");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == ':' || c == '-' || c == '_' || c == '%';
      if (!ok) {
        throw new IllegalArgumentException(what + " is not an address: '" + shorten(s) + "'");
      }
    }
    return s;
  }

  /** Splits on single spaces; empty fields (two spaces in a row, leading or trailing space) are errors. */
  static List<String> fields(String s, String what) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || s.charAt(i) == ' ') {
        if (i == start) {
          throw new IllegalArgumentException(what + ": empty field (stray space)");
        }
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    return out;
  }

  /** Parses a non-negative decimal integer of at most {@code maxDigits} digits, no sign. */
  static long digits(String s, int maxDigits, String what) {
    if (s.isEmpty() || s.length() > maxDigits) {
      throw new IllegalArgumentException(what + " must be 1 to " + maxDigits + " digits: '" + shorten(s) + "'");
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException(what + " is not a number: '" + shorten(s) + "'");
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  static int intInRange(String s, int min, int max, String what) {
    long v = digits(s, 10, what);
    if (v < min || v > max) {
      throw new IllegalArgumentException(what + " out of range " + min + ".." + max + ": " + v);
    }
    return (int) v;
  }

  /** An RTP payload type: 0..127 (RFC 3550 §5.1, 7 bits). */
  static int payloadType(String s) {
    return intInRange(s, 0, 127, "payload type");
  }

  /** A 32-bit SSRC in decimal (RFC 5576 §4.1: {@code ssrc-id = integer ; 0 .. 2**32 - 1}). */
  static long ssrc(String s) {
    long v = digits(s, 10, "ssrc");
    if (v > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("ssrc out of range 0..4294967295: " + v);
    }
    return v;
  }

  static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
