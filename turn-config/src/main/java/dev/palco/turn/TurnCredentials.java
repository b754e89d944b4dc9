package dev.palco.turn;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks ephemeral TURN credentials, exactly as coturn's {@code use-auth-secret} mode
 * (draft-uberti-behave-turn-rest-00 §2.2) expects them:
 *
 * <pre>
 *   username = expiry ":" userId          expiry in Unix seconds (coturn's rest-api-separator is ':')
 *   password = base64(HMAC-SHA1(secret, username))
 * </pre>
 *
 * <p>coturn then derives the RFC 8489 §9.2.2 long-term key {@code MD5(username ":" realm ":"
 * password)} from that password, and accepts the username while {@code expiry >= now} (in whole
 * seconds, by its own clock). {@link #verify} applies the same rules, for tests and for anyone
 * checking a credential by hand.
 */
public final class TurnCredentials {

  /** Longest user id: RFC 8489 §14.3 caps USERNAME below 509 bytes, and ids are short anyway. */
  public static final int MAX_USER_ID_CHARS = 128;

  private static final String HMAC_SHA1 = "HmacSHA1";

  /** The outcome of {@link #verify}. */
  public enum Verdict {
    /** Signed by an accepted secret and not expired. */
    VALID,
    /** Signed by an accepted secret, but its expiry has passed. */
    EXPIRED,
    /** No accepted secret produces this password (forged, or signed by a rotated-out secret). */
    FORGED,
    /** The username is not {@code <digits>:<userId>}. */
    MALFORMED
  }

  private TurnCredentials() {}

  /**
   * A fresh credential for {@code userId}, signed with the current secret, valid until {@code now
   * + ttl} (truncated to whole seconds, as the username carries seconds).
   *
   * @param userId who the credential is for (coturn counts {@code user-quota} per user id): 1 to
   *     {@link #MAX_USER_ID_CHARS} printable ASCII characters
   * @param ttl how long the credential works; at least one second
   * @throws IllegalArgumentException for a bad user id or TTL
   */
  public static TurnCredential issue(TurnSecrets secrets, String userId, Instant now, Duration ttl) {
    checkUserId(userId);
    checkTtl(ttl);
    long expirySeconds = now.getEpochSecond() + ttl.getSeconds();
    String username = expirySeconds + ":" + userId;
    return new TurnCredential(username, password(secrets.current(), username), Instant.ofEpochSecond(expirySeconds));
  }

  /** {@code base64(HMAC-SHA1(secret, username))}, both taken as UTF-8 bytes (coturn uses the raw strings). */
  public static String password(String secret, String username) {
    try {
      Mac mac = Mac.getInstance(HMAC_SHA1);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC_SHA1));
      return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      // HmacSHA1 is a mandatory JCA algorithm (Java SE "Standard Algorithm Names").
      throw new IllegalStateException("HmacSHA1 is unavailable", e);
    }
  }

  /**
   * Checks a credential as coturn would at {@code now}: the password must come from one of the
   * secrets accepted at {@code now} ({@link TurnSecrets#validAt}), and the username's expiry must
   * not be before {@code now} in whole seconds. Compares in constant time.
   */
  public static Verdict verify(TurnSecrets secrets, String username, String password, Instant now) {
    int colon = username == null ? -1 : username.indexOf(':');
    if (colon < 1 || colon > 19 || password == null) {
      return Verdict.MALFORMED;
    }
    long expirySeconds = 0;
    for (int i = 0; i < colon; i++) {
      char c = username.charAt(i);
      if (c < '0' || c > '9') {
        return Verdict.MALFORMED;
      }
      expirySeconds = expirySeconds * 10 + (c - '0');
      if (expirySeconds < 0) {
        return Verdict.MALFORMED;
      }
    }
    byte[] offered = password.getBytes(StandardCharsets.UTF_8);
    boolean signed = false;
    for (String secret : secrets.validAt(now)) {
      // Keep looking after a match, so the time taken does not tell which secret matched.
      signed |= MessageDigest.isEqual(password(secret, username).getBytes(StandardCharsets.UTF_8), offered);
    }
    if (!signed) {
      return Verdict.FORGED;
    }
    return expirySeconds < now.getEpochSecond() ? Verdict.EXPIRED : Verdict.VALID;
  }

  static void checkUserId(String userId) {
    if (userId == null || userId.isEmpty() || userId.length() > MAX_USER_ID_CHARS) {
      throw new IllegalArgumentException("userId must be 1 to " + MAX_USER_ID_CHARS + " characters");
    }
    for (int i = 0; i < userId.length(); i++) {
      char c = userId.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException("userId must be printable ASCII without blanks");
      }
    }
  }

  static void checkTtl(Duration ttl) {
    if (ttl == null || ttl.getSeconds() < 1) {
      throw ConfigValues.bad("ttl", "must be at least one second (got " + ttl + ")");
    }
  }
}
