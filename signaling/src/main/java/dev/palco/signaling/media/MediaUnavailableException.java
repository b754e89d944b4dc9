package dev.palco.signaling.media;

/**
 * The media plane cannot open a session now (out of capacity, shutting down, not wired). Signaling
 * answers {@code internal} on the WebSocket and {@code 503} on WHIP/WHEP.
 */
public class MediaUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A refusal with a reason for the log and the client. */
  public MediaUnavailableException(String message) {
    super(message);
  }
}
