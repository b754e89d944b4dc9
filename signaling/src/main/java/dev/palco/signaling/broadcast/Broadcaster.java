package dev.palco.signaling.broadcast;

import dev.palco.bridge.origin.OriginExchange;
import dev.palco.bridge.origin.OriginRequest;

/**
 * Turns a room's stage into the audience's LL-HLS stream: the bridge, as signaling sees it. A
 * moderator starts and stops it (the {@code broadcast.start} and {@code broadcast.stop} messages,
 * and {@code /api/rooms/{id}/broadcast}); the audience plays what {@link #handle} serves under
 * {@code /hls/{roomId}/}.
 *
 * <p>Thread-safe. Calls for one room are made in order by the room; {@link #handle} comes from
 * the HTTP I/O threads at any time and must not block.
 */
public interface Broadcaster extends AutoCloseable {

  /** A broadcaster for a server without a bridge: every start is refused. */
  Broadcaster NONE =
      new Broadcaster() {
        @Override
        public void start(String roomId, Runnable onPlayable) throws BroadcastUnavailableException {
          throw new BroadcastUnavailableException("this server has no bridge to broadcast with");
        }

        @Override
        public void restart(String roomId) throws BroadcastUnavailableException {
          throw new BroadcastUnavailableException("this server has no bridge to broadcast with");
        }

        @Override
        public void stop(String roomId) {}

        @Override
        public boolean isLive(String roomId) {
          return false;
        }

        @Override
        public void setDisplayName(String roomId, String participantId, String name) {}

        @Override
        public void setLowerThird(String roomId, String kicker, String text) {}

        @Override
        public boolean handle(String roomId, OriginRequest request, OriginExchange exchange) {
          return false;
        }

        @Override
        public void close() {}
      };

  /**
   * Starts the room's broadcast: a new presentation on the room's playlists (after a stop, players
   * load it afresh). Starting a live broadcast again does nothing.
   *
   * @param onPlayable run once, on the broadcaster's own thread, when the new presentation can be
   *     played: every playlist lists a whole segment, so a player starts behind the live edge as
   *     it would join a running stream. Not run if the broadcast stops first, nor for a start
   *     that found the room already live.
   * @throws BroadcastUnavailableException when it cannot start (no bridge, no capacity, an
   *     encoder that failed to open); the message says why, for the moderator
   */
  void start(String roomId, Runnable onPlayable) throws BroadcastUnavailableException;

  /**
   * Restarts a live broadcast's encoders (an operator's remedy for a stream that went wrong): the
   * same playlists continue after an {@code EXT-X-DISCONTINUITY}, so players carry on.
   *
   * @throws BroadcastUnavailableException when the room is not on air, or the new encoders could
   *     not be opened (the broadcast then ends)
   */
  void restart(String roomId) throws BroadcastUnavailableException;

  /** Stops the room's broadcast, if live. Its playlists end ({@code EXT-X-ENDLIST}). */
  void stop(String roomId);

  /** Whether the room's broadcast is live. */
  boolean isLive(String roomId);

  /**
   * What the room's broadcast is doing, for {@code GET /api/rooms/{id}/broadcast}: at least
   * {@code live}; a bridge adds its tracks and encoder figures.
   */
  default com.fasterxml.jackson.databind.node.ObjectNode status(String roomId) {
    com.fasterxml.jackson.databind.node.ObjectNode n = dev.palco.signaling.Json.object();
    n.put("live", isLive(roomId));
    return n;
  }

  /** The name the composite's label shows for a participant. */
  void setDisplayName(String roomId, String participantId, String name);

  /**
   * Captions the room's composite with the question being answered, now and in any broadcast
   * started later: a short {@code kicker} line ("Now answering · Ada") over {@code text}; a null
   * {@code text} removes the caption.
   */
  void setLowerThird(String roomId, String kicker, String text);

  /**
   * Answers an LL-HLS request for the room's stream (the path below {@code /hls/{roomId}}).
   *
   * @return false when the room has no stream to serve (the caller answers 404)
   */
  boolean handle(String roomId, OriginRequest request, OriginExchange exchange);

  /** Stops every broadcast and frees the encoders. */
  @Override
  void close();
}
