package dev.palco.signaling.room;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.ErrorCode;
import dev.palco.signaling.Json;
import dev.palco.signaling.Role;
import dev.palco.signaling.SignalingException;
import dev.palco.signaling.media.IceCandidate;
import dev.palco.signaling.media.MediaEvents;
import dev.palco.signaling.media.MediaKind;
import dev.palco.signaling.media.MediaSession;
import dev.palco.signaling.media.MediaUnavailableException;
import dev.palco.signaling.media.PublishedTrack;
import dev.palco.signaling.media.ReceivePause;
import dev.palco.signaling.media.SdpRejectedException;
import dev.palco.signaling.media.SessionMode;
import dev.palco.signaling.media.SubscribeOffer;
import dev.palco.signaling.media.TrackLayout;
import dev.palco.signaling.media.TrackSourceHint;
import dev.palco.signaling.token.JoinToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One room: its seats in join order, the links its moderators revoked, and the protocol rules
 * that turn client requests and media events into room events.
 *
 * <p>All state is guarded by one lock per room, held only for bookkeeping and queueing messages
 * (links never block). {@link MediaSession} calls happen outside it, so a slow media plane never
 * holds up another participant's events, and media events may arrive on any thread.
 */
public final class Room {

  private static final Logger LOG = LoggerFactory.getLogger(Room.class);

  private final String id;
  private final String name;
  private final Instant createdAt;
  private final RoomRegistry registry;

  private final Object lock = new Object();
  private final Map<String, Participant> participants = new LinkedHashMap<>();
  private final Set<String> revokedTokens = new HashSet<>();
  private int nextParticipantNumber = 1;
  private boolean ended;
  /** When the room last became empty (clock millis); 0 while someone sits in it. */
  private long emptySinceMillis;
  /** The last {@code speaker.changed}, for seats that join later (guarded by the lock). */
  private ObjectNode lastSpeaker;
  /** The last {@code broadcast.state}, for seats that join later (guarded by the lock). */
  private ObjectNode broadcastState;

  Room(String id, String name, Instant createdAt, RoomRegistry registry) {
    this.id = id;
    this.name = name;
    this.createdAt = createdAt;
    this.registry = registry;
    this.emptySinceMillis = createdAt.toEpochMilli();
  }

  /** The room id (short, random, URL-safe). */
  public String id() {
    return id;
  }

  /** The display name. */
  public String name() {
    return name;
  }

  /** When the room was created. */
  public Instant createdAt() {
    return createdAt;
  }

  /** Seats taken, including those waiting for a resume. */
  public int participantCount() {
    synchronized (lock) {
      return participants.size();
    }
  }

  /** True once the room has ended. */
  public boolean isEnded() {
    synchronized (lock) {
      return ended;
    }
  }

  /** Whether a moderator revoked this exact link by removing someone who joined with it. */
  public boolean isRevoked(JoinToken token) {
    synchronized (lock) {
      return revokedTokens.contains(token.text());
    }
  }

  /**
   * Seats a participant (or gives back its seat on a valid resume), opens its media session,
   * and announces it: {@code joined} to it, {@code participant.joined} to the others (not on a
   * resume).
   *
   * @param token the verified token, for this room
   * @param name the display name
   * @param resumeId the participant id of a {@code resume}, or {@code null}
   * @param resumeSecret the secret of a {@code resume}, or {@code null}
   * @param link where the participant's messages go
   * @param mode {@link SessionMode#PARTICIPANT} for the WebSocket, {@link
   *     SessionMode#PUBLISH_ONLY} for WHIP
   * @param re the {@code id} of the {@code join}, echoed in {@code joined}
   * @return the seat
   * @throws SignalingException {@code room-not-found}, {@code forbidden} (revoked link), {@code
   *     room-full}, or {@code internal} when the media plane refuses
   */
  public Participant join(
      JoinToken token,
      String name,
      String resumeId,
      String resumeSecret,
      ParticipantLink link,
      SessionMode mode,
      Long re)
      throws SignalingException {
    return join(token, name, resumeId, resumeSecret, link, mode, re, null);
  }

  /**
   * {@link #join(JoinToken, String, String, String, ParticipantLink, SessionMode, Long)}, for a
   * guest from the audience too: with {@code guestViewerId} (an audience token whose stage grant
   * the audience layer has checked and consumed) the seat is a presenter's, marked with the viewer
   * session it came from. An audience token without a guest viewer id may only resume a guest's
   * seat.
   *
   * @throws SignalingException as the other form, and {@code forbidden} for an audience token
   *     that has neither a grant nor a guest seat to resume
   */
  public Participant join(
      JoinToken token,
      String name,
      String resumeId,
      String resumeSecret,
      ParticipantLink link,
      SessionMode mode,
      Long re,
      String guestViewerId)
      throws SignalingException {
    Participant seat;
    boolean resumed = false;
    MediaSession oldMedia = null;
    int generation;
    synchronized (lock) {
      if (ended) {
        throw new SignalingException(ErrorCode.ROOM_NOT_FOUND, "this room has ended");
      }
      seat = resumeId == null ? null : reclaimable(resumeId, resumeSecret);
      if (token.role() == Role.AUDIENCE && guestViewerId == null && (seat == null || seat.viewerId() == null)) {
        throw new SignalingException(
            ErrorCode.FORBIDDEN, "an audience link opens the audience page; the stage needs a moderator's invitation");
      }
      if (seat != null) {
        resumed = true;
        oldMedia = detachForResume(seat, link);
      } else {
        if (revokedTokens.contains(token.text())) {
          throw new SignalingException(
              ErrorCode.FORBIDDEN, "a moderator removed this link's holder; the link no longer works here");
        }
        if (participants.size() >= registry.settings().maxParticipantsPerRoom()) {
          throw new SignalingException(ErrorCode.ROOM_FULL, "this room is full");
        }
        Role role = guestViewerId != null ? Role.PRESENTER : token.role();
        seat =
            new Participant(
                "p-" + nextParticipantNumber++, name, role, token, registry.newSecret(), guestViewerId);
        seat.link = link;
        participants.put(seat.id(), seat);
        emptySinceMillis = 0;
      }
      generation = ++seat.mediaGeneration;
    }
    if (oldMedia != null) {
      oldMedia.close();
    }
    MediaSession media;
    try {
      media = registry.mediaPlane().openSession(id, seat.id(), mode, new SeatEvents(seat, generation));
      // The composite labels each tile with the name the seat joined under.
      registry.mediaPlane().broadcaster().setDisplayName(id, seat.id(), seat.name());
    } catch (MediaUnavailableException | RuntimeException e) {
      LOG.warn("room {}: no media session for {}: {}", id, seat.id(), e.toString());
      leave(seat, "disconnected");
      throw new SignalingException(ErrorCode.INTERNAL, "media unavailable: " + e.getMessage());
    }
    synchronized (lock) {
      if (!ended && participants.get(seat.id()) == seat && seat.mediaGeneration == generation) {
        seat.media = media;
        seat.announced = true;
        seat.everAnnounced = true;
        ArrayNode others = Json.array();
        for (Participant p : participants.values()) {
          if (p != seat && p.announced) {
            others.add(RoomMessages.participant(p));
          }
        }
        seat.link.send(
            RoomMessages.joined(
                re, this, seat, resumed, registry.settings().iceServers().forParticipant(turnUserId(seat)), others));
        if (!resumed) {
          broadcast(RoomMessages.participantJoined(seat), seat);
        }
        if (lastSpeaker != null) {
          // A newcomer learns who is speaking now, not at the next change.
          seat.link.send(lastSpeaker);
        }
        if (broadcastState != null) {
          seat.link.send(broadcastState);
        }
        flushPendingOffer(seat);
        return seat;
      }
    }
    // The room ended, or the seat was removed or taken over, while the session opened.
    media.close();
    throw new SignalingException(ErrorCode.ROOM_NOT_FOUND, "this room has ended");
  }

  /**
   * Whom a TURN credential is issued to: room and seat, so coturn's per-user quota and log lines
   * name the participant.
   */
  private String turnUserId(Participant seat) {
    return id + "/" + seat.id();
  }

  private Participant reclaimable(String resumeId, String secret) {
    Participant seat = participants.get(resumeId);
    if (seat == null || secret == null) {
      return null;
    }
    boolean match =
        MessageDigest.isEqual(
            seat.resumeSecret().getBytes(StandardCharsets.US_ASCII),
            secret.getBytes(StandardCharsets.US_ASCII));
    return match ? seat : null;
  }

  /**
   * Gives a seat a new link: the old link (if still open) is closed, the old media session is
   * handed back for closing, and its tracks are unpublished, because a resuming client builds a new
   * peer connection.
   */
  private MediaSession detachForResume(Participant seat, ParticipantLink link) {
    ParticipantLink old = seat.link;
    seat.link = link;
    seat.disconnectedAtMillis = 0;
    if (old != null && old != link) {
      old.close(1000, "resumed on another connection");
    }
    for (String trackId : seat.tracks.keySet()) {
      broadcast(RoomMessages.trackUnpublished(seat.id(), trackId), seat);
    }
    seat.tracks.clear();
    MediaSession oldMedia = seat.media;
    seat.media = null;
    seat.announced = false;
    seat.outstandingRevision = Participant.NO_REVISION;
    seat.pendingOffer = null;
    seat.publishInFlight = false;
    return oldMedia;
  }

  /**
   * Answers a {@code publish.offer} and sends {@code publish.answer} (or {@code error} {@code
   * sdp-invalid}) to the participant.
   *
   * @throws SignalingException {@code glare} while a subscribe offer is unanswered
   */
  public void publishOffer(Participant seat, Long re, String sdp, List<TrackSourceHint> sources)
      throws SignalingException {
    MediaSession media = beginPublish(seat);
    String answer = null;
    String rejection = null;
    try {
      answer = media.answerPublishOffer(sdp, sources);
    } catch (SdpRejectedException e) {
      rejection = e.getMessage();
    } finally {
      synchronized (lock) {
        seat.publishInFlight = false;
        if (seat.link != null && seat.media == media) {
          if (answer != null) {
            seat.link.send(RoomMessages.publishAnswer(re, answer));
          } else if (rejection != null) {
            seat.link.send(RoomMessages.error(re, ErrorCode.SDP_INVALID, rejection));
          }
        }
        flushPendingOffer(seat);
      }
    }
  }

  /**
   * Answers a WHIP ingest's offer (RFC 9725 §4.2). An ingest never subscribes, so there is no
   * glare.
   */
  public String answerIngestOffer(Participant seat, String sdp, List<TrackSourceHint> sources)
      throws SignalingException, SdpRejectedException {
    MediaSession media = beginPublish(seat);
    try {
      return media.answerPublishOffer(sdp, sources);
    } finally {
      synchronized (lock) {
        seat.publishInFlight = false;
      }
    }
  }

  private MediaSession beginPublish(Participant seat) throws SignalingException {
    synchronized (lock) {
      MediaSession media = requireMedia(seat);
      if (seat.outstandingRevision != Participant.NO_REVISION) {
        throw new SignalingException(
            ErrorCode.GLARE,
            "subscribe.offer revision " + seat.outstandingRevision + " is unanswered; answer it, then offer again");
      }
      seat.publishInFlight = true;
      return media;
    }
  }

  /**
   * Applies a {@code subscribe.answer}.
   *
   * @throws SignalingException {@code bad-message} if the revision is not the outstanding one
   */
  public void subscribeAnswer(Participant seat, Long re, long revision, String sdp)
      throws SignalingException {
    MediaSession media;
    synchronized (lock) {
      media = requireMedia(seat);
      if (seat.outstandingRevision != revision) {
        throw new SignalingException(
            ErrorCode.BAD_MESSAGE,
            seat.outstandingRevision == Participant.NO_REVISION
                ? "no subscribe.offer is outstanding"
                : "revision " + revision + " is not the outstanding offer (" + seat.outstandingRevision + ")");
      }
    }
    String rejection = null;
    try {
      media.applySubscribeAnswer(sdp, revision);
    } catch (SdpRejectedException e) {
      rejection = e.getMessage();
    }
    synchronized (lock) {
      if (seat.media != media) {
        return;
      }
      seat.outstandingRevision = Participant.NO_REVISION;
      if (rejection != null && seat.link != null) {
        seat.link.send(RoomMessages.error(re, ErrorCode.SDP_INVALID, rejection));
      }
      flushPendingOffer(seat);
    }
  }

  /**
   * The participant reports how it shows the video tracks it receives (tile size, visibility):
   * passed on to its media session, which sends no layer larger than a tile and pauses hidden
   * tracks.
   *
   * @throws SignalingException {@code unknown-track} naming the tracks the participant does not
   *     receive as video; the other layouts of the message were applied
   */
  public void applyTrackLayouts(Participant seat, List<TrackLayout> layouts) throws SignalingException {
    MediaSession media;
    synchronized (lock) {
      media = requireMedia(seat);
    }
    List<String> unknown = media.applyTrackLayouts(layouts);
    if (!unknown.isEmpty()) {
      throw new SignalingException(ErrorCode.UNKNOWN_TRACK, "you receive no video track "
          + String.join(", ", unknown)
          + (unknown.size() < layouts.size() ? " (the other tracks of this message were applied)" : ""));
    }
  }

  /** Passes a trickled candidate ({@code null}: end of candidates) to the media session. */
  public void trickle(Participant seat, IceCandidate candidate) throws SignalingException {
    MediaSession media;
    synchronized (lock) {
      media = requireMedia(seat);
    }
    if (candidate == null) {
      media.endOfRemoteCandidates();
    } else {
      media.addRemoteCandidate(candidate);
    }
  }

  /** The media session of a seat (for WHIP/WHEP PATCH), or {@code null} if it has none. */
  public MediaSession mediaOf(Participant seat) {
    synchronized (lock) {
      return seat.media;
    }
  }

  /**
   * A participant mutes or unmutes one of its own tracks: forwarding stops or resumes on the
   * server, and everyone gets {@code track.muted}.
   */
  public void muteOwnTrack(Participant seat, String trackId, boolean muted) throws SignalingException {
    MediaSession media;
    synchronized (lock) {
      media = requireMedia(seat);
      TrackState track = seat.tracks.get(trackId);
      if (track == null) {
        throw new SignalingException(ErrorCode.BAD_MESSAGE, "you publish no track " + trackId);
      }
      if (track.muted == muted) {
        return;
      }
      track.muted = muted;
      broadcast(RoomMessages.trackMuted(seat.id(), trackId, muted, seat.id()), null);
    }
    media.setTrackMuted(trackId, muted);
  }

  /**
   * A moderator mutes every track of one kind of a participant: forwarding stops at once,
   * everyone gets {@code track.muted}, the participant gets {@code muted.by.moderator}.
   */
  public void moderateMute(Participant moderator, String targetId, MediaKind kind)
      throws SignalingException {
    List<String> muted = new ArrayList<>();
    MediaSession media;
    synchronized (lock) {
      Participant target = requireTarget(moderator, targetId);
      media = target.media;
      for (TrackState track : target.tracks.values()) {
        if (track.kind == kind && !track.muted) {
          track.muted = true;
          muted.add(track.trackId);
          broadcast(RoomMessages.trackMuted(target.id(), track.trackId, true, moderator.id()), null);
        }
      }
      if (target.link != null) {
        target.link.send(RoomMessages.mutedByModerator(kind.wireName(), moderator.id()));
      }
    }
    if (media != null) {
      for (String trackId : muted) {
        media.setTrackMuted(trackId, true);
      }
    }
  }

  /**
   * A moderator removes a participant: it gets {@code removed} and its link closes with 4003, the
   * others get {@code participant.left} ({@code removed}), and its join link stops working here.
   */
  public void remove(Participant moderator, String targetId, String reason) throws SignalingException {
    MediaSession media;
    String guest;
    synchronized (lock) {
      Participant target = requireTarget(moderator, targetId);
      if (target == moderator) {
        throw new SignalingException(ErrorCode.BAD_MESSAGE, "use leave to leave");
      }
      revokedTokens.add(target.token().text());
      participants.remove(target.id());
      if (target.link != null) {
        target.link.send(RoomMessages.removed(reason, moderator.id()));
        target.link.close(4003, "removed");
      }
      broadcast(RoomMessages.participantLeft(target.id(), "removed"), null);
      media = target.media;
      target.media = null;
      target.mediaGeneration++;
      markEmptyIfSo();
      guest = target.viewerId();
    }
    if (media != null) {
      media.close();
    }
    if (guest != null) {
      registry.guestLeft(this, guest, "removed");
    }
  }

  /**
   * A moderator sends a guest from the audience back to it: the guest gets {@code sent.back} and
   * its link closes with 4005, the others get {@code participant.left} ({@code sent-back}). The
   * audience link keeps working: the guest may raise a hand again.
   *
   * @return the guest's viewer id
   * @throws SignalingException {@code forbidden} for a non-moderator, {@code bad-message} for a
   *     participant who did not come from the audience
   */
  public String sendBack(Participant moderator, String targetId) throws SignalingException {
    MediaSession media;
    String viewerId;
    synchronized (lock) {
      Participant target = requireTarget(moderator, targetId);
      if (target.viewerId() == null) {
        throw new SignalingException(
            ErrorCode.BAD_MESSAGE, targetId + " did not come from the audience; use moderate.remove");
      }
      viewerId = target.viewerId();
      participants.remove(target.id());
      if (target.link != null) {
        target.link.send(RoomMessages.sentBack(moderator.id()));
        target.link.close(4005, "sent back to the audience");
      }
      broadcast(RoomMessages.participantLeft(target.id(), "sent-back"), null);
      media = target.media;
      target.media = null;
      target.mediaGeneration++;
      markEmptyIfSo();
    }
    if (media != null) {
      media.close();
    }
    registry.guestLeft(this, viewerId, "sent-back");
    return viewerId;
  }

  /**
   * Tells every seat, and each that joins later, whether the room is on air ({@code
   * broadcast.state}).
   *
   * @param playlist the audience stream's multivariant playlist path, or null when off air
   */
  public void announceBroadcast(boolean live, String playlist) {
    synchronized (lock) {
      if (ended) {
        return;
      }
      broadcastState = RoomMessages.broadcastState(live, playlist);
      broadcast(broadcastState, null);
    }
  }

  /** Counts the room as in use now (an audience is watching), so it does not end for being empty. */
  public void keepAlive() {
    synchronized (lock) {
      if (participants.isEmpty()) {
        emptySinceMillis = registry.clock().millis();
      }
    }
  }

  /** A participant leaves for good ({@code leave}, or its WHIP session was deleted). */
  public void leave(Participant seat, String reason) {
    MediaSession media;
    synchronized (lock) {
      if (participants.get(seat.id()) != seat) {
        return;
      }
      participants.remove(seat.id());
      if (seat.everAnnounced) {
        broadcast(RoomMessages.participantLeft(seat.id(), reason), null);
      }
      media = seat.media;
      seat.media = null;
      seat.mediaGeneration++;
      markEmptyIfSo();
    }
    if (media != null) {
      media.close();
    }
    if (seat.viewerId() != null) {
      registry.guestLeft(this, seat.viewerId(), reason);
    }
  }

  /**
   * A participant's link dropped without {@code leave}: the seat waits for a resume until the
   * window passes (see {@link #reapDisconnected}). Ignored if the seat already has a newer link.
   */
  public void linkLost(Participant seat, ParticipantLink link) {
    synchronized (lock) {
      if (seat.link == link) {
        seat.link = null;
        seat.disconnectedAtMillis = Math.max(1, registry.clock().millis());
      }
    }
  }

  /** Frees the seats whose resume window has passed ({@code participant.left} {@code disconnected}). */
  void reapDisconnected(long nowMillis, long resumeWindowMillis) {
    List<Participant> gone = new ArrayList<>();
    synchronized (lock) {
      for (Participant p : participants.values()) {
        if (p.link == null && p.disconnectedAtMillis != 0
            && nowMillis - p.disconnectedAtMillis >= resumeWindowMillis) {
          gone.add(p);
        }
      }
    }
    for (Participant p : gone) {
      leave(p, "disconnected");
    }
  }

  /** Milliseconds the room has been empty at {@code nowMillis}, or -1 if someone is in it. */
  long emptyForMillis(long nowMillis) {
    synchronized (lock) {
      return participants.isEmpty() ? nowMillis - emptySinceMillis : -1;
    }
  }

  /**
   * Ends the room: everyone gets {@code room.ended} and its link closes with {@code statusCode}.
   * Returns false if it had already ended.
   */
  boolean end(String reason, int statusCode) {
    List<MediaSession> media = new ArrayList<>();
    synchronized (lock) {
      if (ended) {
        return false;
      }
      ended = true;
      ObjectNode message = RoomMessages.roomEnded(reason);
      for (Participant p : participants.values()) {
        if (p.link != null) {
          p.link.send(message);
          p.link.close(statusCode, "room ended");
        }
        if (p.media != null) {
          media.add(p.media);
          p.media = null;
        }
        p.mediaGeneration++;
      }
      participants.clear();
    }
    for (MediaSession m : media) {
      m.close();
    }
    return true;
  }

  /** The room as {@code GET /api/rooms/{id}} shows it. */
  public ObjectNode snapshot() {
    ObjectNode n = Json.object();
    n.put("id", id);
    n.put("name", name);
    n.put("createdAt", createdAt.toString());
    ArrayNode list = n.putArray("participants");
    synchronized (lock) {
      for (Participant p : participants.values()) {
        ObjectNode pn = RoomMessages.participant(p);
        pn.put("connected", p.link != null);
        list.add(pn);
      }
    }
    return n;
  }

  /** The seat with this id, or {@code null}. */
  public Participant participant(String participantId) {
    synchronized (lock) {
      return participants.get(participantId);
    }
  }

  private MediaSession requireMedia(Participant seat) throws SignalingException {
    if (ended || participants.get(seat.id()) != seat) {
      throw new SignalingException(ErrorCode.ROOM_NOT_FOUND, "you are no longer in this room");
    }
    if (seat.media == null) {
      throw new SignalingException(ErrorCode.INTERNAL, "your media session is not ready");
    }
    return seat.media;
  }

  private Participant requireTarget(Participant moderator, String targetId) throws SignalingException {
    if (ended || participants.get(moderator.id()) != moderator) {
      throw new SignalingException(ErrorCode.ROOM_NOT_FOUND, "you are no longer in this room");
    }
    if (moderator.role() != Role.MODERATOR) {
      throw new SignalingException(ErrorCode.FORBIDDEN, "only a moderator may do this");
    }
    Participant target = participants.get(targetId);
    if (target == null) {
      throw new SignalingException(ErrorCode.BAD_MESSAGE, "no participant " + targetId + " in this room");
    }
    return target;
  }

  /** Sends the held-back subscribe offer if nothing is in the way (lock held). */
  private void flushPendingOffer(Participant seat) {
    if (seat.pendingOffer == null || !seat.announced || seat.link == null || seat.publishInFlight
        || seat.outstandingRevision != Participant.NO_REVISION) {
      return;
    }
    SubscribeOffer offer = seat.pendingOffer;
    seat.pendingOffer = null;
    seat.outstandingRevision = offer.revision();
    seat.link.send(RoomMessages.subscribeOffer(offer));
  }

  /** Queues a message to every announced, connected seat but {@code except} (lock held). */
  private void broadcast(ObjectNode message, Participant except) {
    for (Participant p : participants.values()) {
      if (p != except && p.announced && p.link != null) {
        p.link.send(message);
      }
    }
  }

  private void markEmptyIfSo() {
    if (participants.isEmpty()) {
      emptySinceMillis = registry.clock().millis();
    }
  }

  /** Media events of one seat's session; stale once the seat's session is replaced or closed. */
  private final class SeatEvents implements MediaEvents {
    private final Participant seat;
    private final int generation;

    SeatEvents(Participant seat, int generation) {
      this.seat = seat;
      this.generation = generation;
    }

    private boolean current() {
      return !ended && seat.mediaGeneration == generation && participants.get(seat.id()) == seat;
    }

    @Override
    public void subscribeOfferReady(SubscribeOffer offer) {
      synchronized (lock) {
        if (current()) {
          seat.pendingOffer = offer;
          flushPendingOffer(seat);
        }
      }
    }

    @Override
    public void trackPublished(PublishedTrack track) {
      synchronized (lock) {
        if (!current() || seat.tracks.containsKey(track.trackId())) {
          return;
        }
        TrackState state = new TrackState(track.trackId(), track.mid(), track.kind(), track.source());
        seat.tracks.put(track.trackId(), state);
        if (seat.link != null && seat.announced) {
          seat.link.send(RoomMessages.trackPublished(seat.id(), state, true));
        }
        broadcast(RoomMessages.trackPublished(seat.id(), state, false), seat);
      }
    }

    @Override
    public void trackUnpublished(String trackId) {
      synchronized (lock) {
        if (current() && seat.tracks.remove(trackId) != null) {
          broadcast(RoomMessages.trackUnpublished(seat.id(), trackId), null);
        }
      }
    }

    @Override
    public void localCandidate(IceCandidate candidate) {
      synchronized (lock) {
        if (current() && seat.announced && seat.link != null) {
          seat.link.send(RoomMessages.trickle(candidate));
        }
      }
    }

    @Override
    public void mediaFailed(String reason) {
      synchronized (lock) {
        if (current() && seat.link != null) {
          seat.link.mediaFailed(reason);
        }
      }
    }

    @Override
    public void subscriptionPaused(String publisherId, String trackId, ReceivePause reason) {
      synchronized (lock) {
        if (current() && seat.announced && seat.link != null) {
          seat.link.send(RoomMessages.trackPaused(publisherId, trackId, reason.wireName()));
        }
      }
    }

    @Override
    public void dominantSpeakerChanged(String participantId, List<String> speakingOrder) {
      synchronized (lock) {
        if (!current()) {
          return;
        }
        List<String> seats = new ArrayList<>(speakingOrder.size());
        for (String pid : speakingOrder) {
          Participant p = participants.get(pid);
          if (p != null && p.announced) {
            seats.add(pid);
          }
        }
        // Every seat's session reports the same change: remember it once, tell this seat.
        lastSpeaker = RoomMessages.speakerChanged(participantId, seats);
        if (seat.announced && seat.link != null) {
          seat.link.send(lastSpeaker);
        }
      }
    }
  }
}
