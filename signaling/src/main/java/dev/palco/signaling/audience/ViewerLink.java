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

  /**
   * The thread that writes this link's socket, if it has one: a fan-out hands each such thread
   * one task for all of its links, so the writes happen where the socket lives, in parallel
   * across I/O threads. {@code null}: the fan-out queues to this link itself.
   */
  default java.util.concurrent.Executor writeThread() {
    return null;
  }
}
