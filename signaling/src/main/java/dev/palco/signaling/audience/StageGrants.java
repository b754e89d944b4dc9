package dev.palco.signaling.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.ErrorCode;
import dev.palco.signaling.Json;
import dev.palco.signaling.SignalingException;
import dev.palco.signaling.token.SignedTokenCodec;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

/**
 * Signs and checks stage grants: the short-lived pass a moderator's invitation gives one viewer
 * session to take a seat on the stage.
 *
 * <pre>
 *   g1 . base64url(payload JSON) . base64url(HMAC-SHA256(grantKey, "g1." + base64url(payload)))
 *   payload: {"room": "3fk9q2", "viewer": "v-12", "gid": "Zx0…", "exp": 1795392000123}
 * </pre>
 *
 * <p>{@code exp} is in epoch milliseconds (an invitation lasts about a minute). {@code gid} is a
 * random id the room remembers, so a grant is good once: the room consumes it at the stage join,
 * and a moderator's cancel or a newer invitation withdraws it. The key is derived from the token
 * secret under its own label, so neither kind of token verifies as the other. The signature is
 * checked before the payload is parsed, and compared in constant time.
 *
 * <p>Thread-safe.
 */
public final class StageGrants {

  /** The label the grant key is derived under ({@code JoinTokens.deriveKey}). */
  public static final String KEY_LABEL = "palco stage grant v1";

  private static final String VERSION = "g1";
  private static final int GID_BYTES = 12;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /** A verified grant's claims. */
  public record Grant(String roomId, String viewerId, String grantId, long expiresAtMillis) {}

  private final SignedTokenCodec codec;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param key the grant key (at least 16 bytes)
   * @param clock the time expiry is judged by
   */
  public StageGrants(byte[] key, Clock clock) {
    this.codec = new SignedTokenCodec(key, VERSION, "stage grant", ErrorCode.GRANT_MALFORMED,
        ErrorCode.GRANT_BAD_SIGNATURE, "this stage invitation was not issued by this server");
    this.clock = clock;
  }

  /** A new random grant id. */
  String newGrantId() {
    byte[] bytes = new byte[GID_BYTES];
    random.nextBytes(bytes);
    return B64.encodeToString(bytes);
  }

  /** Signs a grant. */
  public String issue(Grant grant) {
    ObjectNode payload = Json.object();
    payload.put("room", grant.roomId());
    payload.put("viewer", grant.viewerId());
    payload.put("gid", grant.grantId());
    payload.put("exp", grant.expiresAtMillis());
    return codec.seal(payload.toString());
  }

  /**
   * Checks a grant's shape, signature and expiry, and that it names this room and viewer. Whether
   * it is still outstanding (not used, not withdrawn) is the room's to say.
   *
   * @throws SignalingException {@code grant-malformed}, {@code grant-bad-signature}, {@code
   *     grant-expired} or {@code grant-wrong-viewer}
   */
  public Grant verify(String grant, String roomId, String viewerId) throws SignalingException {
    if (grant != null && grant.length() > 1024) {
      throw codec.malformed("a stage grant far too long");
    }
    byte[] payload = codec.open(grant);
    JsonNode claims;
    try {
      claims = Json.MAPPER.readTree(payload);
    } catch (IOException e) {
      throw malformed("the grant's payload is not JSON");
    }
    if (claims == null
        || !claims.path("room").isTextual()
        || !claims.path("viewer").isTextual()
        || !claims.path("gid").isTextual()
        || !claims.path("exp").canConvertToLong()) {
      throw malformed("the grant lacks room, viewer, gid or exp");
    }
    Grant parsed =
        new Grant(
            claims.get("room").asText(), claims.get("viewer").asText(), claims.get("gid").asText(),
            claims.get("exp").asLong());
    if (clock.millis() >= parsed.expiresAtMillis()) {
      throw new SignalingException(ErrorCode.GRANT_EXPIRED, "this stage invitation has expired");
    }
    if (!parsed.roomId().equals(roomId) || !parsed.viewerId().equals(viewerId)) {
      throw new SignalingException(
          ErrorCode.GRANT_WRONG_VIEWER, "this stage invitation is for another viewer or room");
    }
    return parsed;
  }

  private SignalingException malformed(String message) {
    return codec.malformed(message);
  }
}
