package dev.palco.signaling;

/**
 * The error codes of {@code docs/protocol.md}, shared by the WebSocket {@code error} message and
 * the REST and WHIP/WHEP error bodies.
 */
public enum ErrorCode {
  /** The frame is not a JSON object. */
  BAD_JSON("bad-json", 400),
  /** {@code type} is missing or unknown. */
  UNKNOWN_TYPE("unknown-type", 400),
  /** A field is missing or has the wrong type. */
  BAD_MESSAGE("bad-message", 400),
  /** A message other than {@code join} or {@code ping} before {@code joined}. */
  NOT_JOINED("not-joined", 400),
  /** The protocol version asked for is unknown. */
  UNSUPPORTED_PROTOCOL("unsupported-protocol", 400),
  /** Not three parts, bad base64url, bad JSON, missing field, unknown role. */
  TOKEN_MALFORMED("token-malformed", 401),
  /** The signature does not verify. */
  TOKEN_BAD_SIGNATURE("token-bad-signature", 401),
  /** {@code exp} is in the past. */
  TOKEN_EXPIRED("token-expired", 401),
  /** The token names another room. */
  TOKEN_WRONG_ROOM("token-wrong-room", 401),
  /** The room does not exist or has ended. */
  ROOM_NOT_FOUND("room-not-found", 404),
  /** The room's broadcast could not start (no bridge, an encoder that failed); the message says why. */
  BROADCAST_UNAVAILABLE("broadcast-unavailable", 503),
  /** The room has reached its participant cap. */
  ROOM_FULL("room-full", 503),
  /** The server has reached its room cap, or is shutting down. */
  SERVER_FULL("server-full", 503),
  /** The role may not do this (or the link was revoked by a moderator). */
  FORBIDDEN("forbidden", 403),
  /** The SDP could not be parsed or negotiated. */
  SDP_INVALID("sdp-invalid", 400),
  /** A {@code publish.offer} crossed an unanswered {@code subscribe.offer}. */
  GLARE("glare", 409),
  /** A {@code subscription.layout} names a track the participant does not receive as video. */
  UNKNOWN_TRACK("unknown-track", 404),
  /** Too many messages; this one was dropped. */
  RATE_LIMITED("rate-limited", 429),
  /** The server failed; the connection stays usable. */
  INTERNAL("internal", 500),
  /** A text (question, chat message, name) is longer than the room allows. */
  TOO_LONG("too-long", 400),
  /** A question or chat message has no text once trimmed. */
  EMPTY("empty", 400),
  /** Too many questions or chat messages from one viewer; the message says when to retry. */
  SLOW_DOWN("slow-down", 429),
  /** The text contains a word the room's content filter refuses. */
  BLOCKED_CONTENT("blocked-content", 422),
  /** A moderator banned this viewer session. */
  BANNED("banned", 403),
  /** The moderator switched the audience chat off. */
  CHAT_OFF("chat-off", 409),
  /** The question, message or viewer named does not exist (any more). */
  NOT_FOUND("not-found", 404),
  /** This viewer session already voted for the question. */
  ALREADY_VOTED("already-voted", 409),
  /** A room-wide bound of the audience layer is reached (questions, hands, viewers). */
  LIMIT_REACHED("limit-reached", 429),
  /** A stage grant that is not {@code g1.<payload>.<signature>} with the fields it needs. */
  GRANT_MALFORMED("grant-malformed", 401),
  /** A stage grant whose signature does not verify (forged). */
  GRANT_BAD_SIGNATURE("grant-bad-signature", 401),
  /** A stage grant past its expiry. */
  GRANT_EXPIRED("grant-expired", 401),
  /** A stage grant for another room or another viewer session. */
  GRANT_WRONG_VIEWER("grant-wrong-viewer", 401),
  /** A stage grant that was already used (a replay). */
  GRANT_USED("grant-used", 401),
  /** A stage grant the moderator withdrew, or that a newer invitation replaced. */
  GRANT_REVOKED("grant-revoked", 401);

  private final String wireName;
  private final int httpStatus;

  ErrorCode(String wireName, int httpStatus) {
    this.wireName = wireName;
    this.httpStatus = httpStatus;
  }

  /** The code as it appears on the wire, for example {@code token-expired}. */
  public String wireName() {
    return wireName;
  }

  /** The HTTP status the REST and WHIP/WHEP doors answer this code with. */
  public int httpStatus() {
    return httpStatus;
  }

  /** True for the codes that reject a join token (the WebSocket closes with 4001). */
  public boolean isTokenProblem() {
    return this == TOKEN_MALFORMED
        || this == TOKEN_BAD_SIGNATURE
        || this == TOKEN_EXPIRED
        || this == TOKEN_WRONG_ROOM;
  }

  /** True for the codes that reject a stage grant (the stage join closes with 4001 too). */
  public boolean isGrantProblem() {
    return this == GRANT_MALFORMED
        || this == GRANT_BAD_SIGNATURE
        || this == GRANT_EXPIRED
        || this == GRANT_WRONG_VIEWER
        || this == GRANT_USED
        || this == GRANT_REVOKED;
  }
}
