package dev.palco.signaling.room;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.palco.signaling.IceServers;
import java.time.Duration;
import java.util.Objects;

/**
 * The limits and timings rooms follow.
 *
 * @param maxRooms rooms that may exist at once ({@code server-full} past it)
 * @param maxParticipantsPerRoom seats per room, counting WHIP ingests ({@code room-full} past it)
 * @param emptyRoomTtl how long a room may stay empty (including before anyone joins) before it ends
 * @param resumeWindow how long a seat waits for its participant to come back
 * @param iceServers the {@code iceServers} given to clients in {@code joined} (and WHIP/WHEP
 *     {@code Link} headers), with fresh TURN credentials per participant when TURN is configured
 */
public record RoomSettings(
    int maxRooms,
    int maxParticipantsPerRoom,
    Duration emptyRoomTtl,
    Duration resumeWindow,
    IceServers iceServers) {
  /** Checks the values. */
  public RoomSettings {
    if (maxRooms < 1 || maxParticipantsPerRoom < 1) {
      throw new IllegalArgumentException("room caps must be positive");
    }
    Objects.requireNonNull(emptyRoomTtl, "emptyRoomTtl");
    Objects.requireNonNull(resumeWindow, "resumeWindow");
    Objects.requireNonNull(iceServers, "iceServers");
  }

  /** Settings whose ICE servers are the same fixed entries for everyone (no TURN credentials). */
  public RoomSettings(
      int maxRooms, int maxParticipantsPerRoom, Duration emptyRoomTtl, Duration resumeWindow, ArrayNode iceServers) {
    this(maxRooms, maxParticipantsPerRoom, emptyRoomTtl, resumeWindow, IceServers.fixed(iceServers));
  }

  /** The same settings with other ICE servers. */
  public RoomSettings withIceServers(IceServers servers) {
    return new RoomSettings(maxRooms, maxParticipantsPerRoom, emptyRoomTtl, resumeWindow, servers);
  }
}
