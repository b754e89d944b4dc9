package dev.palco.signaling.media;

import dev.palco.signaling.broadcast.Broadcaster;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The media plane as signaling sees it: a factory of per-participant {@link MediaSession}s grouped
 * by room. The SFU adapter implements it; tests use an in-memory double.
 *
 * <p>Rooms exist on the media plane implicitly: the first session opened with a room id creates
 * it, {@link #closeRoom} releases it. Participant ids are signaling's ({@code p-7}); track ids are
 * the media plane's.
 */
public interface MediaPlane extends AutoCloseable {

  /**
   * Opens a participant's media session in a room.
   *
   * @param roomId the signaling room id
   * @param participantId the signaling participant id, unique in the room
   * @param mode what the session does (stage participant, WHIP ingest, WHEP player)
   * @param events where the session reports back; called on any thread (see the package docs)
   * @return the session, ready for its first offer
   * @throws MediaUnavailableException if no session can be opened now
   */
  MediaSession openSession(String roomId, String participantId, SessionMode mode, MediaEvents events)
      throws MediaUnavailableException;

  /** Releases what the media plane keeps for a room once signaling has closed its last session. */
  void closeRoom(String roomId);

  /**
   * Registers the media plane's own gauges and counters (transports, bitrates, losses) in the
   * server's registry, next to signaling's, so {@code /metrics} shows both. The default registers
   * nothing.
   */
  default void bindTo(MeterRegistry registry) {}

  /**
   * What turns a room's stage into the audience's stream. The default has no bridge and refuses
   * every start.
   */
  default Broadcaster broadcaster() {
    return Broadcaster.NONE;
  }

  /** Stops every session and releases sockets and threads. */
  @Override
  void close();
}
