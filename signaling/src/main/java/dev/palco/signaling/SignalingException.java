package dev.palco.signaling;

/**
 * A refusal the client should see as it is: an {@link ErrorCode} and a human-readable message.
 * Each door maps it to its own form (a WebSocket {@code error}, a REST error body, an HTTP status).
 */
public class SignalingException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  /** A refusal with the given code and message. */
  public SignalingException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  /** The protocol error code. */
  public ErrorCode code() {
    return code;
  }
}
