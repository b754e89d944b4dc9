package dev.palco.signaling.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.EncodedFrame;

/**
 * How a room reaches one participant: a WebSocket connection, or a WHIP ingest that has no
 * message channel. Every method is called with the room's lock held, so none may block.
 */
public interface ParticipantLink {

  /** Queues a message for the participant. */
  void send(ObjectNode message);

  /**
   * Queues a message serialised once for many receivers (the audience layer's fan-out). A link
   * without a message channel drops it.
   */
  default void sendFrame(EncodedFrame frame) {}

  /** Closes the link with a WebSocket status after the queued messages. */
  void close(int statusCode, String reason);

  /** The participant's media session failed; tell the client or end the ingest. */
  void mediaFailed(String reason);
}
