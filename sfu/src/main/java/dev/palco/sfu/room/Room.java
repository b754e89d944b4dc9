package dev.palco.sfu.room;

import dev.palco.sfu.transport.MediaTransport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A room: the participants that can see each other's tracks. It owns its participants; signaling
 * decides who subscribes to what, from the {@link RoomListener} events.
 */
public final class Room {
  private final Sfu sfu;
  private final String id;
  private final Map<String, Participant> participants = new LinkedHashMap<>();
  private final List<RoomListener> listeners = new CopyOnWriteArrayList<>();
  private boolean closed;

  Room(Sfu sfu, String id) {
    this.sfu = sfu;
    this.id = id;
  }

  /** The room's id. */
  public String id() {
    return id;
  }

  /** Adds a listener for this room's events. */
  public void addListener(RoomListener listener) {
    listeners.add(listener);
  }

  /** Removes a listener. */
  public void removeListener(RoomListener listener) {
    listeners.remove(listener);
  }

  /**
   * Adds a participant with its secured transport (or one that is still connecting: packets wait
   * for its SRTP session). The participant owns the transport from now on.
   *
   * @throws IllegalStateException if the room is closed or the id is taken
   */
  public Participant join(String participantId, MediaTransport transport) {
    Participant p;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("room " + id + " is closed");
      }
      if (participants.containsKey(participantId)) {
        throw new IllegalStateException("participant " + participantId + " is already in room " + id);
      }
      p = new Participant(this, sfu, participantId, transport);
      participants.put(participantId, p);
    }
    sfu.register(p);
    p.start();
    for (RoomListener l : listeners) {
      l.onParticipantJoined(p);
    }
    return p;
  }

  /** The participant with this id, or null. */
  public synchronized Participant participant(String participantId) {
    return participants.get(participantId);
  }

  /** The participants now. */
  public synchronized List<Participant> participants() {
    return List.copyOf(participants.values());
  }

  /** Every publication in the room now. */
  public List<TrackPublication> publications() {
    List<TrackPublication> out = new ArrayList<>();
    for (Participant p : participants()) {
      out.addAll(p.publications());
    }
    return out;
  }

  /** Whether it was closed. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /** Makes every participant leave and forgets the room. Idempotent. */
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (Participant p : participants()) {
      p.leave("room closed");
    }
    sfu.removeRoom(this);
  }

  synchronized void removeParticipant(Participant p) {
    participants.remove(p.id(), p);
  }

  void firePublished(TrackPublication pub) {
    for (RoomListener l : listeners) {
      l.onTrackPublished(pub);
    }
  }

  void fireUnpublished(TrackPublication pub) {
    for (RoomListener l : listeners) {
      l.onTrackUnpublished(pub);
    }
  }

  void fireUnsubscribed(TrackSubscription sub) {
    for (RoomListener l : listeners) {
      l.onTrackUnsubscribed(sub);
    }
  }

  void fireKeyframeRequested(TrackPublication pub) {
    for (RoomListener l : listeners) {
      l.onKeyframeRequested(pub);
    }
  }

  void fireLeft(Participant p, String reason) {
    for (RoomListener l : listeners) {
      l.onParticipantLeft(p, reason);
    }
  }

  @Override
  public String toString() {
    return "Room[" + id + "]";
  }
}
