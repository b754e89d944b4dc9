package dev.palco.signaling.broadcast;

/** A broadcast could not start; the message is shown to the moderator. */
public final class BroadcastUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public BroadcastUnavailableException(String message) {
    super(message);
  }

  public BroadcastUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
