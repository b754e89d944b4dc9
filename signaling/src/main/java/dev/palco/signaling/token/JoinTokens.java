package dev.palco.signaling.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.ErrorCode;
import dev.palco.signaling.Role;
import dev.palco.signaling.SignalingException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;

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
 * parser ({@link SignedTokenCodec}, which also compares it in constant time).
 *
 * <p>Thread-safe.
 */
public final class JoinTokens {

  private static final String VERSION = "v1";

  private final SignedTokenCodec codec;
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
    this.codec = new SignedTokenCodec(secret, VERSION, "token", ErrorCode.TOKEN_MALFORMED,
        ErrorCode.TOKEN_BAD_SIGNATURE, "the link's signature does not verify on this server");
    this.clock = clock;
  }

  /** Issues a token for a room and role, valid until {@code expiresAt} (rounded down to seconds). */
  public String issue(String roomId, Role role, Instant expiresAt) {
    ObjectNode payload = json.createObjectNode();
    payload.put("room", roomId);
    payload.put("role", role.wireName());
    payload.put("exp", expiresAt.getEpochSecond());
    return codec.seal(payload.toString());
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
    JoinToken claims = parseClaims(codec.open(token), token);
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
    return codec.hmac(label);
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

  private SignalingException malformed(String message) {
    return codec.malformed(message);
  }
}
