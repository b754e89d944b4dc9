package dev.palco.signaling.token;

import dev.palco.signaling.ErrorCode;
import dev.palco.signaling.SignalingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The envelope of Palco's signed strings (join tokens, stage grants):
 * {@code <version>.<payload>.<signature>}, the payload and the HMAC-SHA256 signature (RFC 2104) of
 * {@code <version>.<payload>} in base64url without padding (RFC 4648 §5: with '=' there would be
 * two spellings of one token). The signature is checked before the payload is looked at, and
 * compared with {@link MessageDigest#isEqual}, whose time does not depend on where the first
 * differing byte is, so it cannot be guessed byte by byte from timing.
 *
 * <p>Thread-safe.
 */
public final class SignedTokenCodec {

  private static final String HMAC = "HmacSHA256";
  /** Signature length of HMAC-SHA256: 32 bytes. */
  private static final int SIGNATURE_BYTES = 32;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;
  private final String version;
  private final ErrorCode malformed;
  private final ErrorCode badSignature;
  private final String badSignatureMessage;
  private final String noun;

  /**
   * @param key the HMAC key (at least 16 bytes)
   * @param version the first part, which names the kind and version of what is signed
   * @param noun what the messages call it ("token", "stage grant")
   * @param malformed the error for anything that is not the envelope
   * @param badSignature the error, and its message, for a signature that does not verify
   */
  public SignedTokenCodec(byte[] key, String version, String noun, ErrorCode malformed, ErrorCode badSignature,
      String badSignatureMessage) {
    if (key.length < 16) {
      throw new IllegalArgumentException(noun + " key must have at least 16 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), HMAC);
    this.version = version;
    this.noun = noun;
    this.malformed = malformed;
    this.badSignature = badSignature;
    this.badSignatureMessage = badSignatureMessage;
  }

  /** Signs a payload (UTF-8 JSON): the whole string to hand out. */
  public String seal(String payload) {
    String signed = version + "." + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    return signed + "." + B64.encodeToString(hmac(signed));
  }

  /**
   * Checks the envelope and its signature; returns the payload's bytes, not yet parsed.
   *
   * @throws SignalingException the codec's malformed or bad-signature error
   */
  public byte[] open(String sealed) throws SignalingException {
    if (sealed == null || sealed.length() > 4096) {
      throw malformed("no " + noun + ", or one far too long");
    }
    int firstDot = sealed.indexOf('.');
    int secondDot = firstDot < 0 ? -1 : sealed.indexOf('.', firstDot + 1);
    if (secondDot < 0 || sealed.indexOf('.', secondDot + 1) >= 0) {
      throw malformed("a " + noun + " has three parts separated by dots");
    }
    if (!version.equals(sealed.substring(0, firstDot))) {
      throw malformed("unknown " + noun + " version");
    }
    byte[] payload = decode(sealed.substring(firstDot + 1, secondDot));
    byte[] signature = decode(sealed.substring(secondDot + 1));
    if (signature.length != SIGNATURE_BYTES || !MessageDigest.isEqual(hmac(sealed.substring(0, secondDot)), signature)) {
      throw new SignalingException(badSignature, badSignatureMessage);
    }
    return payload;
  }

  /** HMAC-SHA256 of {@code text} (UTF-8) under this codec's key. */
  public byte[] hmac(String text) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
    }
  }

  /** The codec's malformed error with {@code message}. */
  public SignalingException malformed(String message) {
    return new SignalingException(malformed, message);
  }

  private byte[] decode(String part) throws SignalingException {
    if (part.isEmpty() || part.indexOf('=') >= 0) {
      throw malformed(noun + " part is not base64url without padding");
    }
    try {
      return B64_DECODER.decode(part);
    } catch (IllegalArgumentException e) {
      throw malformed(noun + " part is not base64url");
    }
  }
}
