package dev.palco.sfu.sdp;

import java.util.HexFormat;
import java.util.Locale;

/**
 * A DTLS certificate fingerprint, {@code a=fingerprint}.
 *
 * <pre>
 * RFC 8122 §5:
 *   attribute   = "fingerprint" ":" hash-func SP fingerprint
 *   hash-func   = "sha-1" / "sha-224" / "sha-256" / "sha-384" / "sha-512" / "md5" / "md2" / token
 *   fingerprint = 2UHEX *(":" 2UHEX)     ; upper-case hex pairs
 *   e.g. a=fingerprint:sha-256 8B:51:B8:...:2B   (32 pairs for sha-256)
 * </pre>
 *
 * Hex is accepted in either case and compared by value; the hash name is matched case-insensitively
 * (RFC 8122 §5: "case-insensitive"). For the SHA family the length is checked against the digest size.
 *
 * @param hashFunction lower-case hash name, e.g. {@code sha-256}
 * @param value upper-case colon-separated hex pairs
 */
public record Fingerprint(String hashFunction, String value) {

  /** Parses the value of {@code a=fingerprint}. */
  static Fingerprint parse(String text) {
    int sp = text.indexOf(' ');
    if (sp <= 0 || sp == text.length() - 1) {
      throw new IllegalArgumentException("fingerprint needs '<hash-func> <hex pairs>'");
    }
    String hash = SdpTokens.token(text.substring(0, sp), "hash-func").toLowerCase(Locale.ROOT);
    String hex = text.substring(sp + 1);
    if ((hex.length() + 1) % 3 != 0) {
      throw new IllegalArgumentException("fingerprint is not colon-separated hex pairs");
    }
    int n = (hex.length() + 1) / 3;
    for (int i = 0; i < n; i++) {
      int at = i * 3;
      if (!isHex(hex.charAt(at)) || !isHex(hex.charAt(at + 1))
          || (i < n - 1 && hex.charAt(at + 2) != ':')) {
        throw new IllegalArgumentException("fingerprint is not colon-separated hex pairs");
      }
    }
    int expected = digestBytes(hash);
    if (expected > 0 && expected != n) {
      throw new IllegalArgumentException(hash + " fingerprint must have " + expected + " bytes, has " + n);
    }
    return new Fingerprint(hash, hex.toUpperCase(Locale.ROOT));
  }

  /** Builds a fingerprint from a digest, e.g. the SHA-256 of the DER certificate. */
  public static Fingerprint of(String hashFunction, byte[] digest) {
    return new Fingerprint(hashFunction.toLowerCase(Locale.ROOT), HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest));
  }

  /** @return the digest bytes */
  public byte[] bytes() {
    return HexFormat.ofDelimiter(":").parseHex(value);
  }

  /** @return the value of {@code a=fingerprint} */
  public String toValue() {
    return hashFunction + ' ' + value;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static int digestBytes(String hash) {
    return switch (hash) {
      case "sha-1" -> 20;
      case "sha-224" -> 28;
      case "sha-256" -> 32;
      case "sha-384" -> 48;
      case "sha-512" -> 64;
      case "md5", "md2" -> 16;
      default -> 0;
    };
  }
}
