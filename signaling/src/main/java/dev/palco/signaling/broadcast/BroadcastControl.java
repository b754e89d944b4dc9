package dev.palco.signaling.broadcast;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.ErrorCode;
import dev.palco.signaling.Json;
import dev.palco.signaling.SignalingException;
import dev.palco.signaling.audience.AudienceHub;
import dev.palco.signaling.audience.AudienceRoom;
import dev.palco.signaling.http.HlsHandler;
import dev.palco.signaling.room.Room;

/**
 * Starts and stops a room's broadcast for a moderator (over the WebSocket or REST) and tells
 * everyone concerned: the stage's seats get {@code broadcast.state}, the audience gets the
 * stream's playlist in its state (or loses it). While on air, the question a moderator pins is
 * burnt into the broadcast as a lower third.
 */
public final class BroadcastControl {
  private final Broadcaster broadcaster;
  private final AudienceHub audience;

  public BroadcastControl(Broadcaster broadcaster, AudienceHub audience) {
    this.broadcaster = broadcaster;
    this.audience = audience;
  }

  /**
   * Puts the room on air (or keeps it there).
   *
   * @throws SignalingException {@code broadcast-unavailable} with the bridge's reason
   */
  public void start(Room room) throws SignalingException {
    String playlist = HlsHandler.playlistPath(room.id());
    AudienceRoom viewers = audience.of(room);
    try {
      // The audience gets the stream once it can be played, a segment after going on air; the
      // stage hears at once that the room is live.
      broadcaster.start(room.id(), () -> viewers.setStream(playlist));
    } catch (BroadcastUnavailableException e) {
      throw new SignalingException(ErrorCode.BROADCAST_UNAVAILABLE, e.getMessage());
    }
    room.announceBroadcast(true, playlist);
    viewers.observePinned(pinned -> broadcaster.setLowerThird(room.id(), kicker(pinned), pinned == null ? null : pinned.text()));
  }

  /** The caption's first line: "Now answering", with the asker's name when they gave one. */
  static String kicker(AudienceRoom.Pinned pinned) {
    if (pinned == null) {
      return null;
    }
    String name = pinned.askerName();
    return name == null || name.isBlank() ? "Now answering" : "Now answering · " + name;
  }

  /**
   * Restarts the room's encoders; the audience's playlists continue after a discontinuity.
   *
   * @throws SignalingException {@code broadcast-unavailable} when off air or the restart failed
   */
  public void restart(Room room) throws SignalingException {
    try {
      broadcaster.restart(room.id());
    } catch (BroadcastUnavailableException e) {
      if (!broadcaster.isLive(room.id())) {
        room.announceBroadcast(false, null);
      }
      throw new SignalingException(ErrorCode.BROADCAST_UNAVAILABLE, e.getMessage());
    }
  }

  /** Takes the room off air, if it was on. */
  public void stop(Room room) {
    broadcaster.stop(room.id());
    room.announceBroadcast(false, null);
    AudienceRoom viewers = audience.get(room.id());
    if (viewers != null) {
      viewers.setStream(null);
      viewers.observePinned(null);
    }
  }

  /** The room's broadcast as {@code GET /api/rooms/{id}/broadcast} shows it. */
  public ObjectNode state(Room room) {
    ObjectNode n = broadcaster.status(room.id());
    if (n.path("live").asBoolean()) {
      n.put("playlist", HlsHandler.playlistPath(room.id()));
    }
    return n;
  }
}
