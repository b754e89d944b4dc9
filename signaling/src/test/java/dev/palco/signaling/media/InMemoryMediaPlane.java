package dev.palco.signaling.media;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The media seam's test double: a media plane without media. It reads just enough of an offer
 * (its m-lines, mids and directions) to publish tracks, builds deterministic answers and
 * subscribe offers, follows the seam's subscribe contract (one offer outstanding, later changes
 * folded into the next), and records what signaling asked of it so tests can check.
 *
 * <p>An offer containing {@code a=x-reject:<reason>} is rejected with that reason, and any SDP not
 * starting with {@code v=0} is rejected as unparsable.
 *
 * <p>One lock for everything; events are delivered after it is released, as the seam requires.
 */
public final class InMemoryMediaPlane implements MediaPlane {

  private final Object lock = new Object();
  private final Map<String, List<FakeSession>> rooms = new HashMap<>();
  private final List<String> closedRooms = new CopyOnWriteArrayList<>();
  private int nextTrack = 1;

  @Override
  public MediaSession openSession(String roomId, String participantId, SessionMode mode, MediaEvents events) {
    List<Runnable> deliveries = new ArrayList<>();
    FakeSession session;
    synchronized (lock) {
      session = new FakeSession(roomId, participantId, mode, events);
      rooms.computeIfAbsent(roomId, r -> new ArrayList<>()).add(session);
      if (mode == SessionMode.PARTICIPANT && !roomTracksFor(session).isEmpty()) {
        session.subscriptionsChanged(deliveries);
      }
    }
    deliveries.forEach(Runnable::run);
    return session;
  }

  /** Registers one gauge, so tests can see the media plane's meters in {@code /metrics}. */
  @Override
  public void bindTo(io.micrometer.core.instrument.MeterRegistry registry) {
    io.micrometer.core.instrument.Gauge.builder("palco.media.sessions", this, p -> {
          synchronized (p.lock) {
            return p.rooms.values().stream().mapToInt(List::size).sum();
          }
        })
        .description("media sessions of the in-memory media plane")
        .register(registry);
  }

  @Override
  public void closeRoom(String roomId) {
    synchronized (lock) {
      rooms.remove(roomId);
    }
    closedRooms.add(roomId);
  }

  @Override
  public void close() {
    synchronized (lock) {
      rooms.clear();
    }
  }

  /** Rooms signaling closed. */
  public List<String> closedRooms() {
    return closedRooms;
  }

  /** The open session of a participant, or {@code null}. */
  public FakeSession session(String roomId, String participantId) {
    synchronized (lock) {
      for (FakeSession s : rooms.getOrDefault(roomId, List.of())) {
        if (s.participantId.equals(participantId)) {
          return s;
        }
      }
      return null;
    }
  }

  /** Open sessions in a room. */
  public int sessionCount(String roomId) {
    synchronized (lock) {
      return rooms.getOrDefault(roomId, List.of()).size();
    }
  }

  /** Every track published in the room but by {@code except}, in publishing order. */
  private List<PublishedWithOwner> roomTracksFor(FakeSession except) {
    List<PublishedWithOwner> tracks = new ArrayList<>();
    for (FakeSession s : rooms.getOrDefault(except.roomId, List.of())) {
      if (s != except) {
        for (PublishedTrack t : s.published.values()) {
          tracks.add(new PublishedWithOwner(s.participantId, t));
        }
      }
    }
    return tracks;
  }

  private record PublishedWithOwner(String participantId, PublishedTrack track) {}

  private record MLine(MediaKind kind, String mid, boolean sending) {}

  private static List<MLine> mLines(String sdp) throws SdpRejectedException {
    if (!sdp.startsWith("v=0")) {
      throw new SdpRejectedException("not an SDP: it must start with v=0");
    }
    List<MLine> lines = new ArrayList<>();
    MediaKind kind = null;
    String mid = null;
    boolean sending = true;
    for (String raw : sdp.split("\r?\n")) {
      if (raw.startsWith("a=x-reject:")) {
        throw new SdpRejectedException(raw.substring("a=x-reject:".length()));
      }
      if (raw.startsWith("m=")) {
        if (kind != null) {
          lines.add(new MLine(kind, mid, sending));
        }
        kind = raw.startsWith("m=audio") ? MediaKind.AUDIO : MediaKind.VIDEO;
        mid = String.valueOf(lines.size());
        sending = true;
      } else if (raw.startsWith("a=mid:")) {
        mid = raw.substring("a=mid:".length());
      } else if (raw.equals("a=recvonly") || raw.equals("a=inactive")) {
        sending = false;
      }
    }
    if (kind != null) {
      lines.add(new MLine(kind, mid, sending));
    }
    return lines;
  }

  private static String header() {
    return "v=0\r\no=palco-test 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
  }

  /** A session of the double; its recorded calls are public for assertions. */
  public final class FakeSession implements MediaSession {
    final String roomId;
    final String participantId;
    final SessionMode mode;
    final MediaEvents events;
    final Map<String, PublishedTrack> published = new LinkedHashMap<>();
    final Map<String, String> subscribeMids = new HashMap<>();

    /** Candidates signaling passed on, in order. */
    public final List<IceCandidate> remoteCandidates = new CopyOnWriteArrayList<>();
    /** Track mutes signaling asked for, as {@code trackId=true|false}, in order. */
    public final List<String> mutes = new CopyOnWriteArrayList<>();
    /** Subscribe answers applied, by revision, in order. */
    public final List<Long> appliedRevisions = new CopyOnWriteArrayList<>();
    /** Track layouts signaling passed on, in order. */
    public final List<TrackLayout> layouts = new CopyOnWriteArrayList<>();
    /** ICE restarts asked for. */
    public final List<IceParameters> restarts = new CopyOnWriteArrayList<>();
    public volatile boolean endOfCandidates;
    public volatile boolean closed;

    private long revision;
    private long outstanding = -1;
    private boolean dirty;

    FakeSession(String roomId, String participantId, SessionMode mode, MediaEvents events) {
      this.roomId = roomId;
      this.participantId = participantId;
      this.mode = mode;
      this.events = events;
    }

    /** The id of this session's track on an m-line, or {@code null}. */
    public String trackIdOfMid(String mid) {
      synchronized (lock) {
        for (PublishedTrack t : published.values()) {
          if (t.mid().equals(mid)) {
            return t.trackId();
          }
        }
        return null;
      }
    }

    /** Reports a transport failure, as the SFU would on ICE failure. */
    public void fail(String reason) {
      events.mediaFailed(reason);
    }

    /** Reports a change of the room's dominant speaker, as the SFU would to every session. */
    public void emitDominantSpeaker(String participantId, List<String> speakingOrder) {
      events.dominantSpeakerChanged(participantId, speakingOrder);
    }

    /** Reports a subscribed track paused or resumed, as the SFU's allocation would. */
    public void emitPause(String publisherId, String trackId, ReceivePause reason) {
      events.subscriptionPaused(publisherId, trackId, reason);
    }

    /** Trickles a server candidate to the client. */
    public void emitLocalCandidate(IceCandidate candidate) {
      events.localCandidate(candidate);
    }

    @Override
    public String answerPublishOffer(String offerSdp, List<TrackSourceHint> sources) throws SdpRejectedException {
      List<MLine> lines = mLines(offerSdp);
      List<Runnable> deliveries = new ArrayList<>();
      StringBuilder answer = new StringBuilder(header());
      synchronized (lock) {
        if (closed) {
          throw new SdpRejectedException("session closed");
        }
        Map<String, TrackSource> hinted = new HashMap<>();
        for (TrackSourceHint h : sources) {
          hinted.put(h.mid(), h.source());
        }
        List<String> stillSending = new ArrayList<>();
        boolean changed = false;
        for (MLine m : lines) {
          answer.append("m=").append(m.kind().wireName()).append(" 9 UDP/TLS/RTP/SAVPF 96\r\n")
              .append("a=mid:").append(m.mid()).append("\r\n")
              .append(m.sending() ? "a=recvonly\r\n" : "a=inactive\r\n");
          if (!m.sending()) {
            continue;
          }
          stillSending.add(m.mid());
          boolean known = false;
          for (PublishedTrack t : published.values()) {
            known |= t.mid().equals(m.mid());
          }
          if (!known) {
            TrackSource source = hinted.getOrDefault(m.mid(), TrackSource.defaultFor(m.kind()));
            PublishedTrack track = new PublishedTrack("t-" + nextTrack++, m.mid(), m.kind(), source);
            published.put(track.trackId(), track);
            deliveries.add(() -> events.trackPublished(track));
            changed = true;
          }
        }
        for (PublishedTrack t : new ArrayList<>(published.values())) {
          if (!stillSending.contains(t.mid())) {
            published.remove(t.trackId());
            deliveries.add(() -> events.trackUnpublished(t.trackId()));
            changed = true;
          }
        }
        if (changed) {
          for (FakeSession other : rooms.getOrDefault(roomId, List.of())) {
            if (other != this && other.mode == SessionMode.PARTICIPANT) {
              other.subscriptionsChanged(deliveries);
            }
          }
        }
      }
      answer.append("a=ice-ufrag:srv").append(participantId).append("\r\n");
      deliveries.forEach(Runnable::run);
      return answer.toString();
    }

    @Override
    public String answerPlaybackOffer(String offerSdp) throws SdpRejectedException {
      mLines(offerSdp);
      StringBuilder answer = new StringBuilder(header());
      synchronized (lock) {
        int i = 0;
        for (PublishedWithOwner t : roomTracksFor(this)) {
          answer.append("m=").append(t.track().kind().wireName()).append(" 9 UDP/TLS/RTP/SAVPF 96\r\n")
              .append("a=mid:").append(i++).append("\r\n")
              .append("a=sendonly\r\n")
              .append("a=msid:").append(t.participantId()).append(' ').append(t.track().trackId()).append("\r\n");
        }
      }
      return answer.toString();
    }

    @Override
    public void applySubscribeAnswer(String answerSdp, long rev) throws SdpRejectedException {
      List<Runnable> deliveries = new ArrayList<>();
      try {
        synchronized (lock) {
          if (rev != outstanding) {
            throw new SdpRejectedException("answer for revision " + rev + " but " + outstanding + " is outstanding");
          }
          outstanding = -1;
          try {
            mLines(answerSdp);
          } catch (SdpRejectedException e) {
            dirty = true;
            subscriptionsChanged(deliveries);
            throw e;
          }
          appliedRevisions.add(rev);
          if (dirty) {
            subscriptionsChanged(deliveries);
          }
        }
      } finally {
        deliveries.forEach(Runnable::run);
      }
    }

    /** Makes (or folds into a later) subscribe offer; lock held, delivery deferred. */
    void subscriptionsChanged(List<Runnable> deliveries) {
      if (closed) {
        return;
      }
      if (outstanding != -1) {
        dirty = true;
        return;
      }
      dirty = false;
      long rev = ++revision;
      outstanding = rev;
      StringBuilder sdp = new StringBuilder(header());
      List<SubscribedTrack> tracks = new ArrayList<>();
      for (PublishedWithOwner t : roomTracksFor(this)) {
        String mid = subscribeMids.computeIfAbsent(t.track().trackId(), id -> "s" + subscribeMids.size());
        sdp.append("m=").append(t.track().kind().wireName()).append(" 9 UDP/TLS/RTP/SAVPF 96\r\n")
            .append("a=mid:").append(mid).append("\r\na=sendonly\r\n");
        tracks.add(new SubscribedTrack(mid, t.participantId(), t.track().trackId(), t.track().kind(), t.track().source()));
      }
      SubscribeOffer offer = new SubscribeOffer(sdp.toString(), rev, tracks);
      deliveries.add(() -> events.subscribeOfferReady(offer));
    }

    @Override
    public void addRemoteCandidate(IceCandidate candidate) {
      remoteCandidates.add(candidate);
    }

    @Override
    public void endOfRemoteCandidates() {
      endOfCandidates = true;
    }

    @Override
    public IceParameters restartIce(IceParameters remote) throws SdpRejectedException {
      if (remote.ufrag().startsWith("reject")) {
        throw new SdpRejectedException("ICE restart refused for the test");
      }
      restarts.add(remote);
      return new IceParameters("srv" + restarts.size(), "serverpassword0000000" + restarts.size());
    }

    @Override
    public void setTrackMuted(String trackId, boolean muted) {
      mutes.add(trackId + "=" + muted);
    }

    /** Applies the layouts of the video tracks the other sessions of the room publish. */
    @Override
    public List<String> applyTrackLayouts(List<TrackLayout> requested) {
      List<String> unknown = new ArrayList<>();
      synchronized (lock) {
        for (TrackLayout layout : requested) {
          boolean video = false;
          for (PublishedWithOwner t : roomTracksFor(this)) {
            video |= t.track().trackId().equals(layout.trackId()) && t.track().kind() == MediaKind.VIDEO;
          }
          if (video) {
            layouts.add(layout);
          } else {
            unknown.add(layout.trackId());
          }
        }
      }
      return unknown;
    }

    @Override
    public void close() {
      List<Runnable> deliveries = new ArrayList<>();
      synchronized (lock) {
        if (closed) {
          return;
        }
        closed = true;
        List<FakeSession> room = rooms.getOrDefault(roomId, new ArrayList<>());
        room.remove(this);
        if (!published.isEmpty()) {
          for (FakeSession other : room) {
            if (other.mode == SessionMode.PARTICIPANT) {
              other.subscriptionsChanged(deliveries);
            }
          }
        }
        published.clear();
      }
      deliveries.forEach(Runnable::run);
    }
  }
}
