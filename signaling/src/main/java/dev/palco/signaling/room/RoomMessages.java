package dev.palco.signaling.room;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.ErrorCode;
import dev.palco.signaling.Json;
import dev.palco.signaling.media.IceCandidate;
import dev.palco.signaling.media.SubscribeOffer;
import dev.palco.signaling.media.SubscribedTrack;

/** Builders for the server's messages of {@code docs/protocol.md}, one method per message type. */
public final class RoomMessages {

  /** The protocol version this server speaks. */
  public static final int PROTOCOL_VERSION = 1;

  private RoomMessages() {}

  /** {@code error}, with {@code re} when the offending message had an {@code id}. */
  public static ObjectNode error(Long re, ErrorCode code, String message) {
    ObjectNode m = typed("error");
    if (re != null) {
      m.put("re", re);
    }
    m.put("code", code.wireName());
    m.put("message", message);
    return m;
  }

  /** {@code pong}. */
  public static ObjectNode pong(Long re) {
    ObjectNode m = typed("pong");
    if (re != null) {
      m.put("re", re);
    }
    return m;
  }

  /** {@code ack}: a moderator's audience action was applied. */
  public static ObjectNode ack(Long re) {
    ObjectNode m = typed("ack");
    if (re != null) {
      m.put("re", re);
    }
    return m;
  }

  /** {@code publish.answer}. */
  public static ObjectNode publishAnswer(Long re, String sdp) {
    ObjectNode m = typed("publish.answer");
    if (re != null) {
      m.put("re", re);
    }
    m.put("sdp", sdp);
    return m;
  }

  static ObjectNode joined(
      Long re, Room room, Participant self, boolean resumed, ArrayNode iceServers, ArrayNode others) {
    ObjectNode m = typed("joined");
    if (re != null) {
      m.put("re", re);
    }
    m.put("protocol", PROTOCOL_VERSION);
    ObjectNode roomNode = m.putObject("room");
    roomNode.put("id", room.id());
    roomNode.put("name", room.name());
    m.put("participantId", self.id());
    m.put("role", self.role().wireName());
    m.put("resumed", resumed);
    ObjectNode resume = m.putObject("resume");
    resume.put("participantId", self.id());
    resume.put("secret", self.resumeSecret());
    m.set("iceServers", iceServers.deepCopy());
    m.set("participants", others);
    return m;
  }

  static ObjectNode participant(Participant p) {
    ObjectNode n = Json.object();
    n.put("id", p.id());
    n.put("name", p.name());
    n.put("role", p.role().wireName());
    if (p.viewerId() != null) {
      // A guest from the audience: the moderator's panel offers "send back" for it.
      n.put("fromAudience", true);
    }
    ArrayNode tracks = n.putArray("tracks");
    for (TrackState t : p.tracks.values()) {
      tracks.add(track(t, false));
    }
    return n;
  }

  static ObjectNode track(TrackState t, boolean withMid) {
    ObjectNode n = Json.object();
    n.put("trackId", t.trackId);
    n.put("kind", t.kind.wireName());
    n.put("source", t.source.wireName());
    n.put("muted", t.muted);
    if (withMid) {
      // Only the publisher gets the mid: it maps its own m-lines to the server's track ids.
      n.put("mid", t.mid);
    }
    return n;
  }

  static ObjectNode participantJoined(Participant p) {
    ObjectNode m = typed("participant.joined");
    m.set("participant", participant(p));
    return m;
  }

  /**
   * {@code speaker.changed}: the dominant speaker and the speaking order, both limited to the
   * seats the room has announced.
   */
  static ObjectNode speakerChanged(String participantId, java.util.List<String> speakingOrder) {
    ObjectNode m = typed("speaker.changed");
    m.put("participantId", participantId);
    ArrayNode ids = m.putArray("participantIds");
    for (String id : speakingOrder) {
      ids.add(id);
    }
    return m;
  }

  /** {@code broadcast.state}: whether the room is on air, and where the audience plays it. */
  public static ObjectNode broadcastState(boolean live, String playlist) {
    ObjectNode m = typed("broadcast.state");
    m.put("live", live);
    if (playlist != null) {
      m.put("playlist", playlist);
    }
    return m;
  }

  static ObjectNode participantLeft(String participantId, String reason) {
    ObjectNode m = typed("participant.left");
    m.put("participantId", participantId);
    m.put("reason", reason);
    return m;
  }

  static ObjectNode trackPublished(String participantId, TrackState t, boolean withMid) {
    ObjectNode m = typed("track.published");
    m.put("participantId", participantId);
    m.set("track", track(t, withMid));
    return m;
  }

  static ObjectNode trackUnpublished(String participantId, String trackId) {
    ObjectNode m = typed("track.unpublished");
    m.put("participantId", participantId);
    m.put("trackId", trackId);
    return m;
  }

  static ObjectNode trackMuted(String participantId, String trackId, boolean muted, String by) {
    ObjectNode m = typed("track.muted");
    m.put("participantId", participantId);
    m.put("trackId", trackId);
    m.put("muted", muted);
    m.put("by", by);
    return m;
  }

  /**
   * {@code track.paused}: the SFU stopped forwarding a subscribed video track to this
   * participant (with the reason), or forwards it again ({@code paused} false, no reason).
   */
  static ObjectNode trackPaused(String participantId, String trackId, String reason) {
    ObjectNode m = typed("track.paused");
    m.put("participantId", participantId);
    m.put("trackId", trackId);
    m.put("paused", reason != null);
    if (reason != null) {
      m.put("reason", reason);
    }
    return m;
  }

  static ObjectNode mutedByModerator(String kind, String by) {
    ObjectNode m = typed("muted.by.moderator");
    m.put("kind", kind);
    m.put("by", by);
    return m;
  }

  static ObjectNode removed(String reason, String by) {
    ObjectNode m = typed("removed");
    m.put("reason", reason);
    m.put("by", by);
    return m;
  }

  static ObjectNode sentBack(String by) {
    ObjectNode m = typed("sent.back");
    m.put("by", by);
    return m;
  }

  static ObjectNode roomEnded(String reason) {
    ObjectNode m = typed("room.ended");
    m.put("reason", reason);
    return m;
  }

  static ObjectNode subscribeOffer(SubscribeOffer offer) {
    ObjectNode m = typed("subscribe.offer");
    m.put("revision", offer.revision());
    m.put("sdp", offer.sdp());
    ArrayNode tracks = m.putArray("tracks");
    for (SubscribedTrack t : offer.tracks()) {
      ObjectNode n = tracks.addObject();
      n.put("mid", t.mid());
      n.put("participantId", t.participantId());
      n.put("trackId", t.trackId());
      n.put("kind", t.kind().wireName());
      n.put("source", t.source().wireName());
    }
    return m;
  }

  static ObjectNode trickle(IceCandidate candidate) {
    ObjectNode m = typed("trickle");
    if (candidate == null) {
      m.putNull("candidate");
    } else {
      ObjectNode c = m.putObject("candidate");
      c.put("candidate", candidate.candidate());
      if (candidate.sdpMid() == null) {
        c.putNull("sdpMid");
      } else {
        c.put("sdpMid", candidate.sdpMid());
      }
      if (candidate.sdpMLineIndex() == null) {
        c.putNull("sdpMLineIndex");
      } else {
        c.put("sdpMLineIndex", candidate.sdpMLineIndex());
      }
    }
    return m;
  }

  private static ObjectNode typed(String type) {
    ObjectNode m = Json.object();
    m.put("type", type);
    return m;
  }
}
