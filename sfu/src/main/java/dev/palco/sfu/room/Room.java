package dev.palco.sfu.room;

import dev.palco.sfu.speaker.DominantSpeakerDetector;
import dev.palco.sfu.speaker.SpeakerDetectorConfig;
import dev.palco.sfu.transport.MediaTransport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A room: the participants that can see each other's tracks. It owns its participants; signaling
 * decides who subscribes to what, from the {@link RoomListener} events.
 */
public final class Room {
  /** The detector's decision period (its scores use 100 ms bins). */
  static final long SPEAKER_PROCESS_INTERVAL_MS = 100;

  private final Sfu sfu;
  private final String id;
  private final Map<String, Participant> participants = new LinkedHashMap<>();
  private final List<RoomListener> listeners = new CopyOnWriteArrayList<>();
  private boolean closed;

  /**
   * Dominant speaker detection over the publishers' RFC 6464 audio levels. Fed by the media
   * workers (each participant's packets on one worker at a time, several participants at once)
   * and run by the media timer, so every call holds {@link #speakerLock}.
   */
  private final DominantSpeakerDetector speakers;
  private final Object speakerLock = new Object();
  private long lastSpeakerProcessMs;
  private boolean speakersProcessed;

  Room(Sfu sfu, String id) {
    this.sfu = sfu;
    this.id = id;
    // No listener: tickSpeakers tells the room's listeners after it has let go of the lock.
    this.speakers = new DominantSpeakerDetector(SpeakerDetectorConfig.DEFAULT, null);
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
   * Adds a participant with its transport (secured, or still connecting: packets wait for its
   * SRTP session). The participant owns the transport from now on. If the transport also
   * implements {@link TransportNegotiation}, the participant's SDP methods use it.
   *
   * @throws IllegalStateException if the room is closed or the id is taken
   */
  public Participant join(String participantId, MediaTransport transport) {
    return join(participantId, transport,
        transport instanceof TransportNegotiation ? (TransportNegotiation) transport : null);
  }

  /**
   * Adds a participant whose SDP negotiation goes through {@code negotiation} (null: the
   * participant is driven with {@link TrackParameters} only).
   *
   * @throws IllegalStateException if the room is closed or the id is taken
   */
  public Participant join(String participantId, MediaTransport transport, TransportNegotiation negotiation) {
    Participant p;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("room " + id + " is closed");
      }
      if (participants.containsKey(participantId)) {
        throw new IllegalStateException("participant " + participantId + " is already in room " + id);
      }
      p = new Participant(this, sfu, participantId, transport, negotiation);
      participants.put(participantId, p);
    }
    synchronized (speakerLock) {
      p.speakerSlot = speakers.addParticipant(participantId);
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

  /** Every publication in the room now, in the order they were published. */
  public List<TrackPublication> publications() {
    List<TrackPublication> out = new ArrayList<>();
    for (Participant p : participants()) {
      out.addAll(p.publications());
    }
    out.sort(Comparator.comparingLong(TrackPublication::sequence));
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

  void removeParticipant(Participant p) {
    synchronized (this) {
      participants.remove(p.id(), p);
    }
    synchronized (speakerLock) {
      if (p.speakerSlot != DominantSpeakerDetector.NONE) {
        speakers.removeParticipant(p.speakerSlot);
        p.speakerSlot = DominantSpeakerDetector.NONE;
      }
    }
  }

  /** One audio packet's RFC 6464 level from a participant; a media worker calls this. */
  void onAudioLevel(Participant p, int levelMinusDbov, boolean voice, long nowMs) {
    synchronized (speakerLock) {
      speakers.onAudioLevel(p.speakerSlot, levelMinusDbov, voice, nowMs);
    }
  }

  /**
   * Runs speaker detection if {@link #SPEAKER_PROCESS_INTERVAL_MS} has passed; the media timer
   * calls this on every tick. Listeners hear of a change on the timer thread.
   */
  void tickSpeakers(long nowMs) {
    String previous;
    String now;
    synchronized (speakerLock) {
      if (speakersProcessed && nowMs - lastSpeakerProcessMs < SPEAKER_PROCESS_INTERVAL_MS) {
        return;
      }
      speakersProcessed = true;
      lastSpeakerProcessMs = nowMs;
      previous = speakers.dominantSpeakerId();
      if (!speakers.process(nowMs)) {
        return;
      }
      now = speakers.dominantSpeakerId();
    }
    for (RoomListener l : listeners) {
      l.onDominantSpeakerChanged(this, now, previous);
    }
  }

  /** The dominant speaker's participant id, or null before anyone has spoken. */
  public String dominantSpeakerId() {
    synchronized (speakerLock) {
      return speakers.dominantSpeakerId();
    }
  }

  /**
   * The participants by speaking order: the most recent dominant speaker first (what Last-N
   * follows), then those never dominant in the order they joined.
   */
  public List<String> speakingOrder() {
    String[] order = new String[participants().size()];
    int n;
    synchronized (speakerLock) {
      n = speakers.speakingOrder(order);
    }
    return List.of(java.util.Arrays.copyOf(order, n));
  }

  /**
   * The speaking order into {@code out} without allocating (see {@link #speakingOrder()}).
   *
   * @return how many ids were written (at most {@code out.length})
   */
  int speakingOrder(String[] out) {
    synchronized (speakerLock) {
      return speakers.speakingOrder(out);
    }
  }

  /** Changes whenever {@link #speakingOrder(String[])} would; read without the speaker lock. */
  long speakingOrderVersion() {
    return speakers.orderVersion();
  }

  void firePauseChanged(TrackSubscription sub, dev.palco.sfu.alloc.PauseReason reason) {
    for (RoomListener l : listeners) {
      l.onSubscriptionPauseChanged(sub, reason);
    }
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
