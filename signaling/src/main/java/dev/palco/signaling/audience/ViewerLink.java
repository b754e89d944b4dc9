package dev.palco.signaling.audience;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.EncodedFrame;

/**
 * How the audience layer reaches one viewer: its audience WebSocket. Every method only queues, so
 * it may be called with a room lock held.
 */
public interface ViewerLink {

  /** Queues a message for this viewer alone (it is serialised for this viewer). */
  void send(ObjectNode message);

  /** Queues a frame serialised once and shared by every viewer. */
  void sendFrame(EncodedFrame frame);

  /** Closes the link with a WebSocket status after the queued messages. */
  void close(int statusCode, String reason);
}
