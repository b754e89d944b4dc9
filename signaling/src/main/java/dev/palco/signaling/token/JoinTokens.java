package dev.palco.signaling.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.ErrorCode;
import dev.palco.signaling.Role;
import dev.palco.signaling.SignalingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and verifies join tokens.
 *
 * <pre>
 *   v1 . base64url(payload JSON) . base64url(HMAC-SHA256(secret, "v1." + base64url(payload)))
 *   payload: {"room": "3fk9q2", "role": "presenter", "exp": 1795392000}
 * </pre>
 *
 * <p>Verification checks, in order: the shape (three parts, {@code v1}, base64url without
 * padding), the signature, then the claims (JSON, fields, role), the expiry and the room. The
 * signature is checked before the payload is parsed, so a forged token never reaches the JSON
 * parser; it is compared with {@link MessageDigest#isEqual}, whose time does not depend on where
 * the first differing byte is, so the signature cannot be guessed byte by byte from timing.
 *
 * <p>Thread-safe.
 */
public final class JoinTokens {

  private static final String VERSION = "v1";
  private static final String HMAC = "HmacSHA256";
  /** Signature length of HMAC-SHA256 (RFC 2104 with SHA-256: 32 bytes). */
  private static final int SIGNATURE_BYTES = 32;

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param secret the server's token secret (at least 16 bytes)
   * @param clock the time source for expiry checks
   */
  public JoinTokens(byte[] secret, Clock clock) {
    if (secret.length < 16) {
      throw new IllegalArgumentException("token secret must have at least 16 bytes");
    }
    this.key = new SecretKeySpec(secret.clone(), HMAC);
    this.clock = clock;
  }

  /** Issues a token for a room and role, valid until {@code expiresAt} (rounded down to seconds). */
  public String issue(String roomId, Role role, Instant expiresAt) {
    ObjectNode payload = json.createObjectNode();
    payload.put("room", roomId);
    payload.put("role", role.wireName());
    payload.put("exp", expiresAt.getEpochSecond());
    String signed = VERSION + "." + B64.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
    return signed + "." + B64.encodeToString(sign(signed));
  }

  /**
   * Verifies a token for joining {@code roomId}.
   *
   * @throws SignalingException with {@code token-malformed}, {@code token-bad-signature}, {@code
   *     token-expired} or {@code token-wrong-room}
   */
  public JoinToken verify(String token, String roomId) throws SignalingException {
    JoinToken claims = verify(token);
    if (!claims.roomId().equals(roomId)) {
      throw new SignalingException(ErrorCode.TOKEN_WRONG_ROOM, "this link is for another room");
    }
    return claims;
  }

  /**
   * Verifies a token's shape, signature and expiry, whatever room it names.
   *
   * @throws SignalingException with {@code token-malformed}, {@code token-bad-signature} or
   *     {@code token-expired}
   */
  public JoinToken verify(String token) throws SignalingException {
    if (token == null) {
      throw malformed("no token");
    }
    int firstDot = token.indexOf('.');
    int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
    if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
      throw malformed("a token has three parts separated by dots");
    }
    if (!VERSION.equals(token.substring(0, firstDot))) {
      throw malformed("unknown token version");
    }
    byte[] payload = decode(token.substring(firstDot + 1, secondDot));
    byte[] signature = decode(token.substring(secondDot + 1));
    byte[] expected = sign(token.substring(0, secondDot));
    if (signature.length != SIGNATURE_BYTES || !signaturesMatch(expected, signature)) {
      throw new SignalingException(
          ErrorCode.TOKEN_BAD_SIGNATURE, "the link's signature does not verify on this server");
    }
    JoinToken claims = parseClaims(payload, token);
    if (clock.instant().getEpochSecond() >= claims.expiresAtEpochSeconds()) {
      throw new SignalingException(ErrorCode.TOKEN_EXPIRED, "this link has expired");
    }
    return claims;
  }

  /**
   * A key for another kind of signed grant, derived from the token secret as HMAC-SHA256(secret,
   * label), so one configured secret serves both and a join token never verifies as the other
   * kind (nor the other way round).
   */
  public byte[] deriveKey(String label) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
    }
  }

  /** Constant-time comparison of two signatures (see the class comment). */
  static boolean signaturesMatch(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }

  private JoinToken parseClaims(byte[] payload, String token) throws SignalingException {
    JsonNode node;
    try {
      node = json.readTree(payload);
    } catch (IOException e) {
      throw malformed("the token's payload is not JSON");
    }
    if (node == null || !node.isObject()) {
      throw malformed("the token's payload is not a JSON object");
    }
    JsonNode room = node.get("room");
    JsonNode role = node.get("role");
    JsonNode exp = node.get("exp");
    if (room == null || !room.isTextual() || room.asText().isEmpty()) {
      throw malformed("the token names no room");
    }
    if (role == null || !role.isTextual()) {
      throw malformed("the token names no role");
    }
    Role parsedRole = Role.fromWireName(role.asText());
    if (parsedRole == null) {
      throw malformed("unknown role in token: " + role.asText());
    }
    if (exp == null || !exp.isIntegralNumber() || !exp.canConvertToLong()) {
      throw malformed("the token has no expiry");
    }
    return new JoinToken(room.asText(), parsedRole, exp.asLong(), token);
  }

  private byte[] sign(String signedPart) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return mac.doFinal(signedPart.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
    }
  }

  private static byte[] decode(String part) throws SignalingException {
    // RFC 4648 §5 without padding: '=' would make two spellings of one token.
    if (part.isEmpty() || part.indexOf('=') >= 0) {
      throw malformed("token part is not base64url without padding");
    }
    try {
      return B64_DECODER.decode(part);
    } catch (IllegalArgumentException e) {
      throw malformed("token part is not base64url");
    }
  }

  private static SignalingException malformed(String message) {
    return new SignalingException(ErrorCode.TOKEN_MALFORMED, message);
  }
}
