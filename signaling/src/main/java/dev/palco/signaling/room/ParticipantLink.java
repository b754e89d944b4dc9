package dev.palco.signaling.room;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How a room reaches one participant: a WebSocket connection, or a WHIP ingest that has no
 * message channel. Every method is called with the room's lock held, so none may block.
 */
public interface ParticipantLink {

  /** Queues a message for the participant. */
  void send(ObjectNode message);

  /** Closes the link with a WebSocket status after the queued messages. */
  void close(int statusCode, String reason);

  /** The participant's media session failed; tell the client or end the ingest. */
  void mediaFailed(String reason);
}
