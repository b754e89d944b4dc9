package dev.palco.signaling.room;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.util.Objects;

/**
 * The limits and timings rooms follow.
 *
 * @param maxRooms rooms that may exist at once ({@code server-full} past it)
 * @param maxParticipantsPerRoom seats per room, counting WHIP ingests ({@code room-full} past it)
 * @param emptyRoomTtl how long a room may stay empty (including before anyone joins) before it ends
 * @param resumeWindow how long a seat waits for its participant to come back
 * @param iceServers the {@code iceServers} given to clients in {@code joined}
 */
public record RoomSettings(
    int maxRooms,
    int maxParticipantsPerRoom,
    Duration emptyRoomTtl,
    Duration resumeWindow,
    ArrayNode iceServers) {
  /** Checks the values. */
  public RoomSettings {
    if (maxRooms < 1 || maxParticipantsPerRoom < 1) {
      throw new IllegalArgumentException("room caps must be positive");
    }
    Objects.requireNonNull(emptyRoomTtl, "emptyRoomTtl");
    Objects.requireNonNull(resumeWindow, "resumeWindow");
    iceServers = iceServers.deepCopy();
  }
}
