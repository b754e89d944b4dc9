package dev.palco.turn;

import java.util.List;
import java.util.Objects;

/**
 * Checks for configuration values. Every failure is an {@link IllegalArgumentException} whose
 * message starts with the configuration key (the {@code palco.turn} path an operator edits), so a
 * bad file is fixed from the message alone.
 */
final class ConfigValues {

  /** The configuration block these settings come from. */
  static final String PREFIX = "palco.turn.";

  /** RFC 1035 §2.3.4: a label is at most 63 octets, a name at most 255. */
  private static final int MAX_LABEL_CHARS = 63;

  private static final int MAX_HOST_CHARS = 253;

  /** Shorter shared secrets are guessable offline from one captured credential. */
  static final int MIN_SECRET_CHARS = 16;

  private ConfigValues() {}

  static IllegalArgumentException bad(String key, String problem) {
    return new IllegalArgumentException(PREFIX + key + ": " + problem);
  }

  /**
   * A DNS name (RFC 1123 §2.1 labels) or an IP literal; IPv6 may be written in brackets. Returns
   * the host without brackets.
   */
  static String host(String key, String value) {
    if (value == null || value.isEmpty()) {
      throw bad(key, "must be a host name or an IP address, and is empty");
    }
    String host = value;
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
      if (IpLiterals.parse(host) == null || host.indexOf(':') < 0) {
        throw bad(key, "must be a host name or an IP address (got \"" + value + "\")");
      }
      return host;
    }
    if (IpLiterals.isLiteral(host) || isDnsName(host)) {
      return host;
    }
    throw bad(key, "must be a host name or an IP address (got \"" + printable(value) + "\")");
  }

  /** An IPv4 or IPv6 literal (coturn takes addresses, not names, for peers and listeners). */
  static String ip(String key, String value) {
    if (value == null || IpLiterals.parse(value) == null) {
      throw bad(key, "must be an IPv4 or IPv6 address (got \"" + printable(String.valueOf(value)) + "\")");
    }
    return value;
  }

  /** Each element an IP literal; the list copied. */
  static List<String> ips(String key, List<String> values) {
    Objects.requireNonNull(values, key);
    for (String v : values) {
      ip(key, v);
    }
    return List.copyOf(values);
  }

  /** A TCP or UDP port, 1–65535. */
  static int port(String key, int value) {
    if (value < 1 || value > 65535) {
      throw bad(key, "must be a port number from 1 to 65535 (got " + value + ")");
    }
    return value;
  }

  /** Zero or more. */
  static long notNegative(String key, long value) {
    if (value < 0) {
      throw bad(key, "must not be negative (got " + value + ")");
    }
    return value;
  }

  /**
   * A shared secret that can stand in {@code turnserver.conf} as a bare value: at least {@link
   * #MIN_SECRET_CHARS} printable ASCII characters without blanks, quotes, backslashes or {@code #}
   * (coturn's parser would cut or mangle those).
   */
  static String secret(String key, String value) {
    if (value == null || value.isEmpty()) {
      throw bad(key, "must not be empty");
    }
    if (value.length() < MIN_SECRET_CHARS) {
      throw bad(key, "must be at least " + MIN_SECRET_CHARS + " characters (got " + value.length() + ")");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c > 0x7e || c == '#' || c == '"' || c == '\'' || c == '\\') {
        throw bad(key, "must be printable ASCII without blanks, quotes, backslashes or '#'");
      }
    }
    return value;
  }

  /**
   * A value written after {@code key=} in {@code turnserver.conf}: no control characters (a line
   * break would let a value add options of its own), no blanks, quotes or {@code #}.
   */
  static String confValue(String key, String value) {
    Objects.requireNonNull(value, key);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x21 || c == 0x7f || c == '#' || c == '"' || c == '\'') {
        throw bad(key, "must not contain blanks, control characters, quotes or '#' (got \"" + printable(value) + "\")");
      }
    }
    return value;
  }

  private static boolean isDnsName(String host) {
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (name.isEmpty() || name.length() > MAX_HOST_CHARS) {
      return false;
    }
    boolean allDigitsAndDots = true;
    for (String label : name.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > MAX_LABEL_CHARS || label.startsWith("-") || label.endsWith("-")) {
        return false;
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        boolean digit = c >= '0' && c <= '9';
        if (!letter && !digit && c != '-') {
          return false;
        }
        allDigitsAndDots &= digit;
      }
    }
    // "300.1.2.3" is neither a valid IPv4 literal nor a name anyone meant.
    return !allDigitsAndDots;
  }

  /** The value with control characters shown as '?', for error messages. */
  private static String printable(String value) {
    StringBuilder b = new StringBuilder(value.length());
    for (int i = 0; i < value.length() && i < 80; i++) {
      char c = value.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }
}
