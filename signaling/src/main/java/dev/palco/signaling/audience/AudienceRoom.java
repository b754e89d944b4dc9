package dev.palco.signaling.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.EncodedFrame;
import dev.palco.signaling.ErrorCode;
import dev.palco.signaling.Json;
import dev.palco.signaling.SignalingException;
import dev.palco.signaling.audience.AudienceJournal.RoomJournal;
import dev.palco.signaling.room.ParticipantLink;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One room's audience: viewer sessions, questions and votes, raised hands and stage invitations,
 * chat, bans, and the fan-out that keeps every viewer and everyone on stage up to date.
 *
 * <h2>Fan-out</h2>
 *
 * Changes do not go out one by one. Each change marks what it touched; after {@link
 * AudienceSettings#coalesce()} one {@code audience.update} is built with everything that changed,
 * serialised <em>once</em> into an {@link EncodedFrame}, and the same frame is queued to every
 * viewer and presenter (moderators get a second frame, also built once, that adds what only they
 * see). A burst of votes thus costs one encode and one small frame per viewer, whatever its size.
 * A viewer that joins gets its own small {@code audience.joined} and then the room's {@code
 * audience.state}, which is also shared: it is encoded once and reused until the next change.
 *
 * <h2>Locks</h2>
 *
 * {@code lock} guards the state and is held only for bookkeeping. {@code fanoutLock} orders what
 * goes out: a flush and a join's snapshot take it first (then {@code lock} briefly), so a viewer
 * never receives an update older than its snapshot. Sending only queues (links never block), so
 * holding it across a fan-out to thousands of links costs a loop, not a wait. Nothing here calls
 * into a {@link dev.palco.signaling.room.Room} with either lock held.
 *
 * <h2>Bounds</h2>
 *
 * Every collection is capped by {@link AudienceSettings}; see there.
 */
public final class AudienceRoom {

  /** A viewer admitted to the stage with a grant. */
  public record StageGuest(String viewerId, String name, String grantId) {}

  /** What a viewer's join gave back. */
  public record ViewerSession(String viewerId, String secret, boolean resumed) {}

  private static final int SECRET_BYTES = 18;
  private static final int USED_GRANTS_KEPT = 1024;

  private final String roomId;
  private final String roomName;
  /** When the room was created (kept in the journal's first line). */
  private Instant createdAt;
  private final AudienceSettings settings;
  private final Clock clock;
  private final StageGrants grants;
  private final ContentFilter filter;
  private final RoomJournal journal;
  private final ScheduledExecutorService scheduler;
  private final SecureRandom random = new SecureRandom();

  private final Object lock = new Object();
  private final Object fanoutLock = new Object();

  // ---- state (lock) ----
  private final LinkedHashMap<String, Viewer> viewers = new LinkedHashMap<>();
  private final LinkedHashMap<String, Question> questions = new LinkedHashMap<>();
  private final ArrayDeque<ChatMessage> chat = new ArrayDeque<>();
  private final LinkedHashMap<String, Viewer> hands = new LinkedHashMap<>();
  private final LinkedHashSet<String> bans = new LinkedHashSet<>();
  private final LinkedHashSet<String> usedGrants = new LinkedHashSet<>();
  private String pinnedId;
  private boolean chatEnabled = true;
  private String streamUrl;
  private int nextViewer = 1;
  private int nextQuestion = 1;
  private int nextChat = 1;
  private boolean ended;
  /** True while journal events are replayed: they are not journaled again. */
  private boolean restoring;
  private long journalLines;

  // ---- fan-out ----
  /** Viewer links, each with the number of fan-outs prepared before it joined. */
  private final Map<ViewerLink, Long> viewerLinks = new ConcurrentHashMap<>();
  /** Fan-outs prepared so far (fanoutLock). */
  private long flushSeq;
  /** Links of stage participants; true for moderators. */
  private final Map<ParticipantLink, Boolean> stageLinks = new ConcurrentHashMap<>();
  private final AtomicInteger connected = new AtomicInteger();
  // Dirty marks (lock).
  private final LinkedHashSet<String> dirtyQuestions = new LinkedHashSet<>();
  private final LinkedHashSet<String> droppedQuestions = new LinkedHashSet<>();
  private final List<ChatMessage> newChat = new ArrayList<>();
  private final List<String> removedChat = new ArrayList<>();
  private final LinkedHashSet<String> dirtyHands = new LinkedHashSet<>();
  private boolean pinnedDirty;
  private boolean chatEnabledDirty;
  private boolean streamDirty;
  private int viewersSent = -1;
  private boolean flushScheduled;
  /** When the pending flush runs (System.nanoTime), while one is scheduled. */
  private long flushAtNanos;
  /** When the last fan-out ended and how long it took (System.nanoTime), for pacing. */
  private long lastFlushEndNanos;
  private long lastFlushCostNanos;
  /** The shared {@code audience.state} frame; null after any change (lock). */
  private EncodedFrame publicStateFrame;

  /** Told how long each fan-out took (nanoseconds, queueing to every link). */
  private volatile java.util.function.LongConsumer fanoutObserver = ns -> { };
  private java.util.function.Consumer<Pinned> pinnedObserver;
  private final AtomicLong publicFramesEncoded = new AtomicLong();
  private final AtomicLong moderatorFramesEncoded = new AtomicLong();

  AudienceRoom(
      String roomId,
      String roomName,
      AudienceSettings settings,
      Clock clock,
      StageGrants grants,
      ContentFilter filter,
      RoomJournal journal,
      ScheduledExecutorService scheduler) {
    this.roomId = roomId;
    this.roomName = roomName;
    this.settings = settings;
    this.clock = clock;
    this.grants = grants;
    this.filter = filter;
    this.journal = journal;
    this.scheduler = scheduler;
  }

  /** Sets who is told the duration of each fan-out (the meters). */
  void observeFanout(java.util.function.LongConsumer observer) {
    fanoutObserver = observer;
  }

  /** The question being answered, as the broadcast's caption shows it. */
  public record Pinned(String askerName, String text) {}

  /**
   * Tells {@code observer} the pinned question now and after every change (null when none is
   * pinned), on the thread that sends the audience its updates; null stops telling. The bridge
   * captions the broadcast with it.
   */
  public void observePinned(java.util.function.Consumer<Pinned> observer) {
    Pinned now;
    synchronized (lock) {
      pinnedObserver = observer;
      now = pinnedLocked();
    }
    if (observer != null) {
      observer.accept(now);
    }
  }

  private Pinned pinnedLocked() {
    Question q = pinnedId == null ? null : questions.get(pinnedId);
    return q == null ? null : new Pinned(q.name, q.text);
  }

  /** Records when the room was created, for the journal's snapshots. */
  void createdAt(Instant at) {
    synchronized (lock) {
      createdAt = at;
    }
  }

  /** The room id. */
  public String roomId() {
    return roomId;
  }

  /** The room's name. */
  public String roomName() {
    return roomName;
  }

  /** Audience connections open now (a counter, not a scan). */
  public int viewerCount() {
    return connected.get();
  }

  /** {@code audience.update} and {@code audience.state} frames built for viewers and presenters. */
  public long publicFramesEncoded() {
    return publicFramesEncoded.get();
  }

  /** Frames built for moderators. */
  public long moderatorFramesEncoded() {
    return moderatorFramesEncoded.get();
  }

  // =====================================================================================
  // Viewers
  // =====================================================================================

  /**
   * Admits a viewer (a new session, or the same one again with its resume secret) and sends it
   * {@code audience.joined} and then the room's {@code audience.state}.
   *
   * @param name the display name the viewer gave, or {@code null}
   * @param resumeId the viewer id of an earlier session, or {@code null}
   * @param resumeSecret its secret
   * @param re the {@code id} of the join, echoed
   * @throws SignalingException {@code room-not-found}, {@code banned}, {@code room-full}, {@code
   *     too-long}, {@code blocked-content}
   */
  public ViewerSession join(String name, String resumeId, String resumeSecret, ViewerLink link, Long re)
      throws SignalingException {
    String cleanName = cleanName(name);
    long now = clock.millis();
    synchronized (fanoutLock) {
      Viewer viewer;
      String secret = null;
      boolean resumed = false;
      ObjectNode joined;
      EncodedFrame state;
      synchronized (lock) {
        if (ended) {
          throw new SignalingException(ErrorCode.ROOM_NOT_FOUND, "this room has ended");
        }
        viewer = resumeId == null ? null : viewers.get(resumeId);
        if (viewer != null && (resumeSecret == null || !MessageDigest.isEqual(viewer.secretHash, hash(resumeSecret)))) {
          viewer = null;
        }
        if (viewer != null && bans.contains(viewer.id)) {
          throw new SignalingException(ErrorCode.BANNED, "a moderator removed you from this room's audience");
        }
        if ((viewer == null || viewer.link == null) && connected.get() >= settings.maxViewersPerRoom()) {
          throw new SignalingException(ErrorCode.ROOM_FULL, "this room's audience is full");
        }
        if (viewer != null) {
          resumed = true;
          secret = resumeSecret;
          ViewerLink old = viewer.link;
          if (old != null && old != link) {
            viewerLinks.remove(old);
            old.close(1000, "resumed on another connection");
          } else if (old == null) {
            connected.incrementAndGet();
          }
          if (cleanName != null && !cleanName.equals(viewer.name)) {
            viewer.name = cleanName;
          }
          if (viewer.hand != HandState.DOWN) {
            dirtyHands.add(viewer.id);
            markDirty();
          }
        } else {
          evictSessionsIfFull();
          byte[] bytes = new byte[SECRET_BYTES];
          random.nextBytes(bytes);
          secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
          viewer = new Viewer("v-" + nextViewer++, hash(secret), cleanName == null ? "" : cleanName);
          viewers.put(viewer.id, viewer);
          connected.incrementAndGet();
          journal(viewerEvent(viewer));
        }
        viewer.link = link;
        viewer.lastSeenMillis = now;
        joined = joinedMessage(re, viewer, secret, resumed);
        state = publicStateFrameLocked();
      }
      link.send(joined);
      link.sendFrame(state);
      // Fan-outs prepared before now may still be on their way on an I/O thread; they are older
      // than this snapshot, so they skip this link.
      viewerLinks.put(link, flushSeq);
      return new ViewerSession(viewer.id, secret, resumed);
    }
  }

  /** The viewer's link dropped: it stops receiving updates; its session waits for a resume. */
  public void linkLost(String viewerId, ViewerLink link) {
    viewerLinks.remove(link);
    synchronized (lock) {
      Viewer v = viewers.get(viewerId);
      if (v != null && v.link == link) {
        v.link = null;
        v.lastSeenMillis = clock.millis();
        connected.decrementAndGet();
        if (v.hand != HandState.DOWN) {
          dirtyHands.add(v.id);
          markDirty();
        }
      }
    }
  }

  private void evictSessionsIfFull() {
    if (viewers.size() < settings.maxViewerSessionsPerRoom()) {
      return;
    }
    // The longest-known session that is not connected and has nothing pending goes; its votes
    // stay counted in the questions' totals.
    for (Iterator<Viewer> it = viewers.values().iterator(); it.hasNext(); ) {
      Viewer v = it.next();
      if (v.link == null && v.hand == HandState.DOWN && !bans.contains(v.id)) {
        it.remove();
        return;
      }
    }
  }

  // =====================================================================================
  // Questions and votes
  // =====================================================================================

  /**
   * A viewer asks a question; it answers {@code question.asked}.
   *
   * @throws SignalingException {@code empty}, {@code too-long}, {@code blocked-content}, {@code
   *     slow-down}, {@code limit-reached}, {@code banned}
   */
  public void ask(String viewerId, String name, String text, Long re) throws SignalingException {
    String clean = cleanText(text, settings.maxQuestionChars(), "a question");
    String cleanName = cleanName(name);
    checkFilter(clean);
    long now = clock.millis();
    synchronized (lock) {
      Viewer v = requireViewer(viewerId);
      int open = 0;
      for (Question q : questions.values()) {
        if (q.viewerId.equals(v.id) && q.state == QuestionState.PENDING) {
          open++;
        }
      }
      if (open >= settings.maxOpenQuestionsPerViewer()) {
        throw new SignalingException(
            ErrorCode.LIMIT_REACHED,
            "you have " + open + " questions waiting for the moderator; wait until they are answered");
      }
      takeToken(v.questionBucket == null ? v.questionBucket = new RateBucket(settings.questionRate(), now) : v.questionBucket,
          now, "questions");
      if (questions.size() >= settings.maxQuestionsPerRoom() && !dropOneQuestion()) {
        throw new SignalingException(ErrorCode.LIMIT_REACHED, "this room holds no more questions");
      }
      if (cleanName != null) {
        v.name = cleanName;
      }
      Question q =
          new Question(
              "q-" + nextQuestion++, v.id, displayName(v), clean, now,
              settings.questionsNeedApproval() ? QuestionState.PENDING : QuestionState.APPROVED);
      questions.put(q.id, q);
      ObjectNode event = event("ask");
      event.put("q", q.id).put("v", v.id).put("name", q.name).put("text", q.text).put("at", now)
          .put("state", q.state.wireName());
      journal(event);
      dirtyQuestions.add(q.id);
      markDirty();
      ObjectNode reply = AudienceMessages.replyTo("question.asked", re);
      reply.set("question", AudienceMessages.question(q, false));
      v.link.send(reply);
    }
  }

  /** Drops the oldest answered or hidden question to make room (lock held). */
  private boolean dropOneQuestion() {
    for (Iterator<Question> it = questions.values().iterator(); it.hasNext(); ) {
      Question q = it.next();
      if ((q.state == QuestionState.ANSWERED || q.state == QuestionState.HIDDEN) && !q.id.equals(pinnedId)) {
        it.remove();
        dirtyQuestions.remove(q.id);
        droppedQuestions.add(q.id);
        journal(event("qdrop").put("q", q.id));
        return true;
      }
    }
    return false;
  }

  /**
   * A viewer votes for a question, or takes the vote back; one vote per viewer session. It
   * answers {@code question.voted}.
   *
   * @throws SignalingException {@code not-found}, {@code already-voted}, {@code forbidden}
   */
  public void vote(String viewerId, String questionId, boolean up, Long re) throws SignalingException {
    synchronized (lock) {
      Viewer v = requireViewer(viewerId);
      Question q = questions.get(questionId);
      if (q == null || !q.state.isPublic()) {
        throw new SignalingException(ErrorCode.NOT_FOUND, "no such question");
      }
      if (q.state != QuestionState.APPROVED) {
        throw new SignalingException(ErrorCode.FORBIDDEN, "this question is answered; voting on it is closed");
      }
      if (q.viewerId.equals(v.id)) {
        throw new SignalingException(ErrorCode.FORBIDDEN, "you cannot vote for your own question");
      }
      boolean has = v.votes.contains(q.id);
      if (up && has) {
        throw new SignalingException(ErrorCode.ALREADY_VOTED, "you already voted for this question");
      }
      if (up != has) {
        if (up) {
          v.votes.add(q.id);
          q.votes++;
        } else {
          v.votes.remove(q.id);
          q.votes--;
        }
        journal(event("vote").put("q", q.id).put("v", v.id).put("up", up));
        dirtyQuestions.add(q.id);
        markVotesDirty();
      }
      ObjectNode reply = AudienceMessages.replyTo("question.voted", re);
      reply.put("questionId", q.id).put("up", up).put("votes", q.votes);
      v.link.send(reply);
    }
  }

  /**
   * A moderator acts on a question: {@code approve}, {@code hide}, {@code pin} (the one now being
   * answered; approves it too), {@code unpin}, or {@code answered}.
   *
   * @throws SignalingException {@code not-found}, {@code bad-message} for an unknown action
   */
  public void moderateQuestion(String questionId, String action) throws SignalingException {
    synchronized (lock) {
      Question q = questions.get(questionId);
      if (q == null) {
        throw new SignalingException(ErrorCode.NOT_FOUND, "no question " + questionId);
      }
      QuestionState before = q.state;
      switch (action) {
        case "approve":
          q.state = QuestionState.APPROVED;
          break;
        case "hide":
          q.state = QuestionState.HIDDEN;
          unpinIf(q.id);
          break;
        case "pin":
          if (!q.state.isPublic() || q.state == QuestionState.ANSWERED) {
            q.state = QuestionState.APPROVED;
          }
          if (!q.id.equals(pinnedId)) {
            pinnedId = q.id;
            pinnedDirty = true;
            journal(event("pin").put("q", q.id));
          }
          break;
        case "unpin":
          unpinIf(q.id);
          break;
        case "answered":
          q.state = QuestionState.ANSWERED;
          unpinIf(q.id);
          break;
        default:
          throw new SignalingException(
              ErrorCode.BAD_MESSAGE, "'action' is approve, hide, pin, unpin or answered");
      }
      if (q.state != before) {
        journal(event("qs").put("q", q.id).put("state", q.state.wireName()));
        Viewer author = viewers.get(q.viewerId);
        if (author != null && author.link != null) {
          ObjectNode status = AudienceMessages.typed("question.status");
          status.set("question", AudienceMessages.question(q, false));
          author.link.send(status);
        }
      }
      dirtyQuestions.add(q.id);
      markDirty();
    }
  }

  private void unpinIf(String questionId) {
    if (questionId.equals(pinnedId)) {
      pinnedId = null;
      pinnedDirty = true;
      journal(event("pin").putNull("q"));
    }
  }

  // =====================================================================================
  // Hands and the stage
  // =====================================================================================

  /** A viewer raises or lowers its hand; it answers {@code hand.state}. */
  public void raiseHand(String viewerId, boolean raised, String name, Long re) throws SignalingException {
    String cleanName = cleanName(name);
    synchronized (lock) {
      Viewer v = requireViewer(viewerId);
      if (cleanName != null) {
        v.name = cleanName;
      }
      if (raised && v.hand == HandState.DOWN) {
        if (hands.size() >= settings.maxHandsPerRoom()) {
          throw new SignalingException(ErrorCode.LIMIT_REACHED, "too many hands are up; try again in a moment");
        }
        setHand(v, HandState.RAISED);
      } else if (!raised && (v.hand == HandState.RAISED || v.hand == HandState.INVITED)) {
        setHand(v, HandState.DOWN);
      }
      v.link.send(AudienceMessages.handState(re, v, null));
    }
  }

  /** The viewer turns an invitation down (it is withdrawn; the hand goes down). */
  public void declineInvite(String viewerId, Long re) throws SignalingException {
    raiseHand(viewerId, false, null, re);
  }

  private void setHand(Viewer v, HandState state) {
    HandState before = v.hand;
    v.hand = state;
    if (state != HandState.INVITED) {
      v.inviteId = null;
    }
    if (state == HandState.DOWN) {
      hands.remove(v.id);
    } else if (before == HandState.DOWN) {
      v.handRaisedAtMillis = clock.millis();
      hands.put(v.id, v);
    }
    if ((before == HandState.DOWN) != (state == HandState.DOWN)) {
      ObjectNode e = event("hand").put("v", v.id).put("raised", state != HandState.DOWN).put("name", v.name)
          .put("at", v.handRaisedAtMillis);
      journal(e);
    }
    dirtyHands.add(v.id);
    markDirty();
  }

  /**
   * A moderator invites a viewer whose hand is up: a new stage grant, valid for {@link
   * AudienceSettings#inviteTtl()}, goes to the viewer in {@code stage.invite}; an earlier
   * invitation to it is withdrawn.
   *
   * @return the invitation's expiry
   * @throws SignalingException {@code not-found} (no such viewer, or not connected), {@code
   *     forbidden} (hand not raised), {@code banned}
   */
  public Instant invite(String viewerId, String byName) throws SignalingException {
    synchronized (lock) {
      Viewer v = viewers.get(viewerId);
      if (v == null) {
        throw new SignalingException(ErrorCode.NOT_FOUND, "no viewer " + viewerId);
      }
      if (bans.contains(v.id)) {
        throw new SignalingException(ErrorCode.BANNED, "this viewer is banned");
      }
      if (v.hand != HandState.RAISED && v.hand != HandState.INVITED) {
        throw new SignalingException(ErrorCode.FORBIDDEN, "this viewer's hand is not raised");
      }
      if (v.link == null) {
        throw new SignalingException(ErrorCode.NOT_FOUND, "this viewer is not connected right now");
      }
      long expires = clock.millis() + settings.inviteTtl().toMillis();
      String gid = grants.newGrantId();
      setHand(v, HandState.INVITED);
      v.inviteId = gid;
      v.inviteExpiresAtMillis = expires;
      String grant = grants.issue(new StageGrants.Grant(roomId, v.id, gid, expires));
      ObjectNode invite = AudienceMessages.typed("stage.invite");
      invite.put("grant", grant);
      invite.put("expiresAt", Instant.ofEpochMilli(expires).toString());
      if (byName != null) {
        invite.put("by", byName);
      }
      v.link.send(invite);
      return Instant.ofEpochMilli(expires);
    }
  }

  /** A moderator lowers a viewer's hand (withdrawing any invitation). */
  public void lowerHand(String viewerId) throws SignalingException {
    synchronized (lock) {
      Viewer v = viewers.get(viewerId);
      if (v == null) {
        throw new SignalingException(ErrorCode.NOT_FOUND, "no viewer " + viewerId);
      }
      if (v.hand != HandState.DOWN) {
        setHand(v, HandState.DOWN);
        if (v.link != null) {
          v.link.send(AudienceMessages.handState(null, v, "lowered-by-moderator"));
        }
      }
    }
  }

  /**
   * Checks a stage join's grant and consumes it: the viewer's secret proves the session, the
   * grant's signature, expiry, room and viewer are checked, and its id must be the viewer's
   * outstanding invitation. From here the hand shows {@code on-stage}.
   *
   * @throws SignalingException a {@code grant-…} code, or {@code banned}
   */
  public StageGuest admitToStage(String viewerId, String viewerSecret, String grant) throws SignalingException {
    synchronized (lock) {
      Viewer v = viewerId == null ? null : viewers.get(viewerId);
      if (v == null || viewerSecret == null || !MessageDigest.isEqual(v.secretHash, hash(viewerSecret))) {
        throw new SignalingException(
            ErrorCode.GRANT_WRONG_VIEWER, "this stage invitation is not for this viewer session");
      }
    }
    StageGrants.Grant claims = grants.verify(grant, roomId, viewerId);
    synchronized (lock) {
      Viewer v = viewers.get(viewerId);
      if (v == null) {
        throw new SignalingException(ErrorCode.GRANT_WRONG_VIEWER, "this viewer session is gone");
      }
      if (bans.contains(v.id)) {
        throw new SignalingException(ErrorCode.BANNED, "a moderator removed you from this room's audience");
      }
      if (usedGrants.contains(claims.grantId())) {
        throw new SignalingException(ErrorCode.GRANT_USED, "this stage invitation was already used");
      }
      if (v.hand != HandState.INVITED || !claims.grantId().equals(v.inviteId)) {
        throw new SignalingException(ErrorCode.GRANT_REVOKED, "this stage invitation was withdrawn");
      }
      usedGrants.add(claims.grantId());
      if (usedGrants.size() > USED_GRANTS_KEPT) {
        // Older grants have long expired, which the signature check refuses on its own.
        Iterator<String> it = usedGrants.iterator();
        it.next();
        it.remove();
      }
      setHand(v, HandState.ON_STAGE);
      if (v.link != null) {
        v.link.send(AudienceMessages.handState(null, v, null));
      }
      return new StageGuest(v.id, displayName(v), claims.grantId());
    }
  }

  /**
   * The guest left the stage (sent back, left, or the stage join failed after the grant was
   * taken): the hand goes down and the viewer is told why.
   */
  public void leftStage(String viewerId, String reason) {
    synchronized (lock) {
      Viewer v = viewers.get(viewerId);
      if (v != null && v.hand == HandState.ON_STAGE) {
        setHand(v, HandState.DOWN);
        if (v.link != null) {
          v.link.send(AudienceMessages.handState(null, v, reason));
        }
      }
    }
  }

  // =====================================================================================
  // Chat
  // =====================================================================================

  /**
   * A viewer posts to the chat; it answers {@code chat.sent}.
   *
   * @throws SignalingException {@code chat-off}, {@code empty}, {@code too-long}, {@code
   *     blocked-content}, {@code slow-down}, {@code banned}
   */
  public void chat(String viewerId, String name, String text, Long re) throws SignalingException {
    String clean = cleanText(text, settings.maxChatChars(), "a chat message");
    String cleanName = cleanName(name);
    checkFilter(clean);
    long now = clock.millis();
    synchronized (lock) {
      Viewer v = requireViewer(viewerId);
      if (!chatEnabled) {
        throw new SignalingException(ErrorCode.CHAT_OFF, "the moderator has switched the chat off");
      }
      takeToken(v.chatBucket == null ? v.chatBucket = new RateBucket(settings.chatRate(), now) : v.chatBucket,
          now, "chat messages");
      if (cleanName != null) {
        v.name = cleanName;
      }
      ChatMessage m = new ChatMessage("c-" + nextChat++, v.id, displayName(v), clean, now);
      addChat(m);
      journal(event("chat").put("m", m.id()).put("v", v.id).put("name", m.name()).put("text", m.text()).put("at", now));
      newChat.add(m);
      markDirty();
      ObjectNode reply = AudienceMessages.replyTo("chat.sent", re);
      reply.set("message", AudienceMessages.chat(m, false));
      v.link.send(reply);
    }
  }

  private void addChat(ChatMessage m) {
    chat.addLast(m);
    while (chat.size() > settings.maxChatHistory()) {
      chat.removeFirst();
    }
  }

  /** A moderator switches the chat on or off. */
  public void setChatEnabled(boolean enabled) {
    synchronized (lock) {
      if (chatEnabled != enabled) {
        chatEnabled = enabled;
        chatEnabledDirty = true;
        journal(event("chaton").put("on", enabled));
        markDirty();
      }
    }
  }

  /** A moderator removes one chat message. */
  public void removeChat(String messageId) throws SignalingException {
    synchronized (lock) {
      if (!chat.removeIf(m -> m.id().equals(messageId))) {
        throw new SignalingException(ErrorCode.NOT_FOUND, "no chat message " + messageId);
      }
      removedChat.add(messageId);
      journal(event("chatrm").put("m", messageId));
      markDirty();
    }
  }

  // =====================================================================================
  // Bans and the stream
  // =====================================================================================

  /**
   * A moderator bans a viewer session: its questions are hidden, its chat removed, its hand
   * lowered; it gets {@code banned} and its connection closes with 4003; a resume of the session
   * is refused with {@code banned} from then on (also after a server restart).
   */
  public void ban(String viewerId, String reason) throws SignalingException {
    synchronized (lock) {
      Viewer v = viewers.get(viewerId);
      if (v == null) {
        throw new SignalingException(ErrorCode.NOT_FOUND, "no viewer " + viewerId);
      }
      banLocked(v);
      journal(event("ban").put("v", v.id));
      if (v.link != null) {
        ObjectNode banned = AudienceMessages.typed("banned");
        banned.put("reason", reason);
        v.link.send(banned);
        v.link.close(4003, "banned");
      }
    }
  }

  private void banLocked(Viewer v) {
    if (bans.add(v.id) && bans.size() > settings.maxBansPerRoom()) {
      Iterator<String> it = bans.iterator();
      it.next();
      it.remove();
    }
    for (Question q : questions.values()) {
      if (q.viewerId.equals(v.id) && q.state != QuestionState.HIDDEN) {
        q.state = QuestionState.HIDDEN;
        unpinIf(q.id);
        dirtyQuestions.add(q.id);
      }
    }
    for (Iterator<ChatMessage> it = chat.iterator(); it.hasNext(); ) {
      ChatMessage m = it.next();
      if (m.viewerId().equals(v.id)) {
        it.remove();
        removedChat.add(m.id());
      }
    }
    if (v.hand != HandState.DOWN) {
      setHand(v, HandState.DOWN);
    }
    markDirty();
  }

  /** Whether a viewer session is banned. */
  public boolean isBanned(String viewerId) {
    synchronized (lock) {
      return bans.contains(viewerId);
    }
  }

  /**
   * Announces the room's stream to everyone ({@code stream} in {@code audience.state} and in an
   * update), or withdraws it with {@code null}. The HLS bridge calls this when it starts or stops.
   */
  public void setStream(String url) {
    synchronized (lock) {
      if (!java.util.Objects.equals(streamUrl, url)) {
        streamUrl = url;
        streamDirty = true;
        markDirty();
      }
    }
  }

  // =====================================================================================
  // Stage participants
  // =====================================================================================

  /**
   * A stage participant's connection starts receiving the audience layer: {@code audience.state}
   * now (the moderators' view for a moderator), {@code audience.update} from then on.
   */
  public void attachStage(ParticipantLink link, boolean moderator) {
    synchronized (fanoutLock) {
      if (moderator) {
        ObjectNode state;
        synchronized (lock) {
          state = stateLocked(true);
        }
        link.send(state);
      } else {
        EncodedFrame state;
        synchronized (lock) {
          state = publicStateFrameLocked();
        }
        link.sendFrame(state);
      }
      stageLinks.put(link, moderator);
    }
  }

  /** A stage participant's connection closed. */
  public void detachStage(ParticipantLink link) {
    stageLinks.remove(link);
  }

  // =====================================================================================
  // Time and the end
  // =====================================================================================

  /**
   * Called every second or so: withdraws expired invitations (the hand stays up) and notices a
   * changed viewer count (moderators see it in the next update).
   */
  public void sweep() {
    long now = clock.millis();
    synchronized (lock) {
      for (Viewer v : hands.values()) {
        if (v.hand == HandState.INVITED && now >= v.inviteExpiresAtMillis) {
          setHand(v, HandState.RAISED);
          if (v.link != null) {
            v.link.send(AudienceMessages.handState(null, v, "invite-expired"));
          }
        }
      }
      if (connected.get() != viewersSent) {
        markDirty();
      }
      if (journal != null && journalLines > 1000 && journalLines > 4L * stateSizeLocked()) {
        compactLocked();
      }
    }
  }

  /**
   * The room ended (or the server is stopping): every viewer gets {@code room.ended} and is
   * closed with {@code statusCode}; the journal is deleted when the room is over for good.
   */
  public void end(String reason, int statusCode, boolean deleteJournal) {
    List<ViewerLink> links;
    synchronized (lock) {
      if (ended) {
        return;
      }
      ended = true;
      links = new ArrayList<>(viewerLinks.keySet());
    }
    ObjectNode message = AudienceMessages.typed("room.ended");
    message.put("reason", reason);
    EncodedFrame frame = EncodedFrame.of(message);
    for (ViewerLink l : links) {
      l.sendFrame(frame);
      l.close(statusCode, "room ended");
    }
    viewerLinks.clear();
    stageLinks.clear();
    if (journal != null && deleteJournal) {
      journal.delete();
    }
  }

  // =====================================================================================
  // Fan-out
  // =====================================================================================

  /** Schedules a flush after the coalescing delay unless one is pending as early (lock held). */
  private void markDirty() {
    markDirty(settings.coalesce().toNanos(), false);
  }

  /**
   * A vote count changed: less urgent than anything else, so it waits longer, and the fan-outs
   * it causes are paced by their own cost (lock held).
   */
  private void markVotesDirty() {
    markDirty(Math.max(settings.coalesce().toNanos(), settings.votesCoalesce().toNanos()), true);
  }

  private void markDirty(long delayNanos, boolean paced) {
    publicStateFrame = null;
    if (ended || scheduler == null) {
      flushScheduled = true;
      return;
    }
    long now = System.nanoTime();
    long at = now + delayNanos;
    if (paced && lastFlushCostNanos > 0) {
      // After a fan-out that took c, the next vote-only one starts no sooner than 2c after it
      // ended, so votes from a large audience cannot keep the write threads busy; anything else
      // (a pin, a new question, chat) goes out after the short delay and takes the votes along.
      long earliest = lastFlushEndNanos + 2 * lastFlushCostNanos;
      if (earliest - at > 0) {
        at = earliest;
      }
    }
    if (flushScheduled && flushAtNanos - at <= 0) {
      return;
    }
    flushScheduled = true;
    flushAtNanos = at;
    scheduler.schedule(this::flush, Math.max(0, at - now), TimeUnit.NANOSECONDS);
  }

  /**
   * Sends everything that changed since the last flush: one public frame to every viewer and
   * presenter, one moderators' frame to each moderator, each serialised once. Runs on the
   * scheduler; tests call it directly.
   */
  public void flush() {
    synchronized (fanoutLock) {
      long startNanos = System.nanoTime();
      ObjectNode pub;
      ObjectNode mod;
      java.util.function.Consumer<Pinned> pinnedTo = null;
      Pinned pinnedNow = null;
      synchronized (lock) {
        flushScheduled = false;
        if (ended) {
          return;
        }
        pub = AudienceMessages.typed("audience.update");
        mod = AudienceMessages.typed("audience.update");
        boolean pubChanged = false;
        boolean modChanged = false;
        if (!dirtyQuestions.isEmpty() || !droppedQuestions.isEmpty()) {
          ArrayNode pq = Json.array();
          ArrayNode mq = Json.array();
          ArrayNode removed = Json.array();
          for (String id : dirtyQuestions) {
            Question q = questions.get(id);
            if (q == null) {
              removed.add(id);
              continue;
            }
            mq.add(AudienceMessages.question(q, true));
            if (q.state.isPublic()) {
              pq.add(AudienceMessages.question(q, false));
              q.shownPublicly = true;
            } else if (q.shownPublicly) {
              removed.add(id);
              q.shownPublicly = false;
            }
          }
          for (String id : droppedQuestions) {
            removed.add(id);
          }
          if (!pq.isEmpty()) {
            pub.set("questions", pq);
            pubChanged = true;
          }
          if (!mq.isEmpty()) {
            mod.set("questions", mq);
            modChanged = true;
          }
          if (!removed.isEmpty()) {
            pub.set("removedQuestions", removed);
            pubChanged = true;
            if (!droppedQuestions.isEmpty()) {
              ArrayNode dropped = mod.putArray("removedQuestions");
              droppedQuestions.forEach(dropped::add);
              modChanged = true;
            }
          }
          dirtyQuestions.clear();
          droppedQuestions.clear();
        }
        if (pinnedDirty) {
          ObjectNode pinned = pinnedLocked(false);
          pub.set("pinned", pinned == null ? Json.MAPPER.nullNode() : pinned);
          ObjectNode mpinned = pinnedLocked(true);
          mod.set("pinned", mpinned == null ? Json.MAPPER.nullNode() : mpinned);
          pinnedDirty = false;
          pubChanged = modChanged = true;
          pinnedTo = pinnedObserver;
          pinnedNow = pinnedLocked();
        }
        if (!newChat.isEmpty()) {
          ArrayNode pc = pub.putArray("chat");
          ArrayNode mc = mod.putArray("chat");
          for (ChatMessage m : newChat) {
            pc.add(AudienceMessages.chat(m, false));
            mc.add(AudienceMessages.chat(m, true));
          }
          newChat.clear();
          pubChanged = modChanged = true;
        }
        if (!removedChat.isEmpty()) {
          ArrayNode pr = pub.putArray("removedChat");
          ArrayNode mr = mod.putArray("removedChat");
          for (String id : removedChat) {
            pr.add(id);
            mr.add(id);
          }
          removedChat.clear();
          pubChanged = modChanged = true;
        }
        if (chatEnabledDirty) {
          pub.put("chatEnabled", chatEnabled);
          mod.put("chatEnabled", chatEnabled);
          chatEnabledDirty = false;
          pubChanged = modChanged = true;
        }
        if (streamDirty) {
          putStream(pub);
          putStream(mod);
          streamDirty = false;
          pubChanged = modChanged = true;
        }
        if (!dirtyHands.isEmpty()) {
          ArrayNode hs = mod.putArray("hands");
          for (String id : dirtyHands) {
            Viewer v = viewers.get(id);
            if (v != null) {
              hs.add(AudienceMessages.hand(v));
            }
          }
          dirtyHands.clear();
          modChanged = true;
        }
        int count = connected.get();
        if (count != viewersSent) {
          mod.put("viewers", count);
          viewersSent = count;
          modChanged = true;
        }
        if (!pubChanged) {
          pub = null;
        }
        if (!modChanged) {
          mod = null;
        }
      }
      if (pinnedTo != null) {
        pinnedTo.accept(pinnedNow);
      }
      EncodedFrame pubFrame = null;
      if (pub != null) {
        pubFrame = EncodedFrame.of(pub);
        publicFramesEncoded.incrementAndGet();
        fanOut(pubFrame, startNanos);
      }
      EncodedFrame modFrame = null;
      if (mod != null) {
        modFrame = EncodedFrame.of(mod);
        moderatorFramesEncoded.incrementAndGet();
      }
      for (Map.Entry<ParticipantLink, Boolean> e : stageLinks.entrySet()) {
        EncodedFrame f = e.getValue() ? modFrame : pubFrame;
        if (f != null) {
          e.getKey().sendFrame(f);
        }
      }
      if (pubFrame == null && modFrame != null) {
        fanOutDone(startNanos);
      }
    }
  }

  /** A fan-out has queued its frame to every link: pacing and the meters learn how long it took. */
  private void fanOutDone(long startNanos) {
    long end = System.nanoTime();
    synchronized (lock) {
      lastFlushEndNanos = end;
      lastFlushCostNanos = end - startNanos;
    }
    fanoutObserver.accept(end - startNanos);
  }

  /**
   * Queues one frame to every viewer that joined before this fan-out: links with a write thread
   * get it from that thread (one task per thread for all of its links), the others here.
   */
  private void fanOut(EncodedFrame frame, long startNanos) {
    long seq = ++flushSeq;
    Map<java.util.concurrent.Executor, List<ViewerLink>> byThread = new java.util.IdentityHashMap<>();
    for (Map.Entry<ViewerLink, Long> e : viewerLinks.entrySet()) {
      if (e.getValue() >= seq) {
        continue;
      }
      ViewerLink link = e.getKey();
      java.util.concurrent.Executor thread = link.writeThread();
      if (thread == null) {
        link.sendFrame(frame);
      } else {
        byThread.computeIfAbsent(thread, t -> new ArrayList<>()).add(link);
      }
    }
    if (byThread.isEmpty()) {
      fanOutDone(startNanos);
      return;
    }
    java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger(byThread.size());
    for (Map.Entry<java.util.concurrent.Executor, List<ViewerLink>> e : byThread.entrySet()) {
      List<ViewerLink> links = e.getValue();
      e.getKey().execute(() -> {
        for (ViewerLink link : links) {
          link.sendFrame(frame);
        }
        if (running.decrementAndGet() == 0) {
          fanOutDone(startNanos);
        }
      });
    }
  }

  private void putStream(ObjectNode m) {
    if (streamUrl == null) {
      m.putNull("stream");
    } else {
      m.put("stream", streamUrl);
    }
  }

  private ObjectNode pinnedLocked(boolean forModerator) {
    Question q = pinnedId == null ? null : questions.get(pinnedId);
    return q == null ? null : AudienceMessages.question(q, forModerator);
  }

  private EncodedFrame publicStateFrameLocked() {
    if (publicStateFrame == null) {
      publicStateFrame = EncodedFrame.of(stateLocked(false));
      publicFramesEncoded.incrementAndGet();
    }
    return publicStateFrame;
  }

  /** {@code audience.state}: everything a newcomer needs (lock held). */
  private ObjectNode stateLocked(boolean forModerator) {
    ObjectNode m = AudienceMessages.typed("audience.state");
    ArrayNode qs = m.putArray("questions");
    for (Question q : questions.values()) {
      if (forModerator || q.state.isPublic()) {
        qs.add(AudienceMessages.question(q, forModerator));
        if (!forModerator) {
          q.shownPublicly = true;
        }
      }
    }
    ObjectNode pinned = pinnedLocked(forModerator);
    m.set("pinned", pinned == null ? Json.MAPPER.nullNode() : pinned);
    ArrayNode cs = m.putArray("chat");
    for (ChatMessage c : chat) {
      cs.add(AudienceMessages.chat(c, forModerator));
    }
    m.put("chatEnabled", chatEnabled);
    putStream(m);
    if (forModerator) {
      ArrayNode hs = m.putArray("hands");
      for (Viewer v : hands.values()) {
        hs.add(AudienceMessages.hand(v));
      }
      m.put("viewers", connected.get());
    }
    return m;
  }

  private ObjectNode joinedMessage(Long re, Viewer v, String secret, boolean resumed) {
    ObjectNode m = AudienceMessages.replyTo("audience.joined", re);
    m.put("protocol", 1);
    ObjectNode room = m.putObject("room");
    room.put("id", roomId);
    room.put("name", roomName);
    m.put("viewerId", v.id);
    m.put("resumed", resumed);
    ObjectNode resume = m.putObject("resume");
    resume.put("viewerId", v.id);
    resume.put("secret", secret);
    ObjectNode you = m.putObject("you");
    you.put("name", v.name);
    ArrayNode votes = you.putArray("votes");
    v.votes.forEach(votes::add);
    ArrayNode mine = you.putArray("questions");
    for (Question q : questions.values()) {
      if (q.viewerId.equals(v.id)) {
        mine.add(AudienceMessages.question(q, false));
      }
    }
    you.put("hand", v.hand.wireName());
    ObjectNode limits = m.putObject("limits");
    limits.put("questionChars", settings.maxQuestionChars());
    limits.put("chatChars", settings.maxChatChars());
    limits.put("nameChars", settings.maxNameChars());
    return m;
  }

  // =====================================================================================
  // Input rules
  // =====================================================================================

  private Viewer requireViewer(String viewerId) throws SignalingException {
    if (ended) {
      throw new SignalingException(ErrorCode.ROOM_NOT_FOUND, "this room has ended");
    }
    Viewer v = viewers.get(viewerId);
    if (v == null || v.link == null) {
      throw new SignalingException(ErrorCode.NOT_FOUND, "your audience session is gone; reload the page");
    }
    if (bans.contains(v.id)) {
      throw new SignalingException(ErrorCode.BANNED, "a moderator removed you from this room's audience");
    }
    return v;
  }

  private static void takeToken(RateBucket bucket, long now, String what) throws SignalingException {
    long waitMs = bucket.take(now);
    if (waitMs > 0) {
      long seconds = Math.max(1, (waitMs + 999) / 1000);
      throw new SignalingException(
          ErrorCode.SLOW_DOWN, "too many " + what + "; try again in " + seconds + " s");
    }
  }

  private void checkFilter(String text) throws SignalingException {
    String refusal = filter.refuse(text);
    if (refusal != null) {
      throw new SignalingException(ErrorCode.BLOCKED_CONTENT, "not posted: " + refusal);
    }
  }

  /**
   * Trims a text, turns line breaks and tabs into spaces, drops other control and bidirectional
   * formatting characters (they could reorder what others read), and checks its length.
   */
  private String cleanText(String text, int maxChars, String what) throws SignalingException {
    if (text == null) {
      throw new SignalingException(ErrorCode.EMPTY, what + " needs some text");
    }
    if (text.length() > 4 * maxChars) {
      throw new SignalingException(
          ErrorCode.TOO_LONG, what + " may have at most " + maxChars + " characters");
    }
    String clean = clean(text);
    if (clean.isEmpty()) {
      throw new SignalingException(ErrorCode.EMPTY, what + " needs some text");
    }
    if (clean.codePointCount(0, clean.length()) > maxChars) {
      throw new SignalingException(
          ErrorCode.TOO_LONG, what + " may have at most " + maxChars + " characters");
    }
    return clean;
  }

  private String cleanName(String name) throws SignalingException {
    if (name == null) {
      return null;
    }
    String clean = clean(name);
    if (clean.codePointCount(0, clean.length()) > settings.maxNameChars()) {
      throw new SignalingException(
          ErrorCode.TOO_LONG, "a name may have at most " + settings.maxNameChars() + " characters");
    }
    if (clean.isEmpty()) {
      return null;
    }
    checkFilter(clean);
    return clean;
  }

  static String clean(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean space = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
        space = out.length() > 0;
        continue;
      }
      int type = Character.getType(cp);
      if (type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
          || type == Character.PRIVATE_USE || type == Character.SURROGATE) {
        continue;
      }
      if (space) {
        out.append(' ');
        space = false;
      }
      out.appendCodePoint(cp);
    }
    return out.toString();
  }

  private static String displayName(Viewer v) {
    return v.name == null || v.name.isEmpty() ? "Anonymous" : v.name;
  }

  static byte[] hash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java 17 runtime", e);
    }
  }

  // =====================================================================================
  // Journal: events, restore, compaction
  // =====================================================================================

  private static ObjectNode event(String type) {
    ObjectNode e = Json.object();
    e.put("t", type);
    return e;
  }

  private void journal(ObjectNode event) {
    if (journal != null && !restoring) {
      journal.append(event);
      journalLines++;
    }
  }

  private static ObjectNode viewerEvent(Viewer v) {
    ObjectNode e = event("viewer");
    e.put("v", v.id);
    e.put("h", Base64.getEncoder().encodeToString(v.secretHash));
    e.put("name", v.name);
    if (!v.votes.isEmpty()) {
      ArrayNode votes = e.putArray("votes");
      v.votes.forEach(votes::add);
    }
    return e;
  }

  private long stateSizeLocked() {
    return viewers.size() + questions.size() + chat.size() + bans.size() + 10;
  }

  /** The room's state as journal events (lock held). */
  private List<ObjectNode> snapshotEventsLocked() {
    List<ObjectNode> events = new ArrayList<>();
    events.add(roomEvent(roomId, roomName, createdAt));
    for (Viewer v : viewers.values()) {
      events.add(viewerEvent(v));
    }
    for (Question q : questions.values()) {
      events.add(event("ask").put("q", q.id).put("v", q.viewerId).put("name", q.name).put("text", q.text)
          .put("at", q.askedAtMillis).put("state", q.state.wireName()).put("votes", q.votes));
    }
    if (pinnedId != null) {
      events.add(event("pin").put("q", pinnedId));
    }
    for (Viewer v : hands.values()) {
      events.add(event("hand").put("v", v.id).put("raised", true).put("name", v.name).put("at", v.handRaisedAtMillis));
    }
    for (ChatMessage m : chat) {
      events.add(event("chat").put("m", m.id()).put("v", m.viewerId()).put("name", m.name()).put("text", m.text())
          .put("at", m.atMillis()));
    }
    if (!chatEnabled) {
      events.add(event("chaton").put("on", false));
    }
    for (String id : bans) {
      events.add(event("ban").put("v", id));
    }
    events.add(event("seq").put("viewer", nextViewer).put("question", nextQuestion).put("chat", nextChat));
    return events;
  }

  private void compactLocked() {
    List<ObjectNode> events = snapshotEventsLocked();
    journal.rewrite(events);
    journalLines = events.size();
  }

  /** Rewrites the journal as a snapshot of the current state (after a restore). */
  void compact() {
    synchronized (lock) {
      if (journal != null) {
        compactLocked();
      }
    }
  }

  /** The first line of a room's journal. */
  static ObjectNode roomEvent(String id, String name, Instant createdAt) {
    ObjectNode e = event("room");
    e.put("id", id);
    e.put("name", name);
    if (createdAt != null) {
      e.put("createdAt", createdAt.toString());
    }
    return e;
  }

  /**
   * Replays journal events into this (new, empty) room without journaling or announcing them.
   * An event that does not fit (an unknown type, a missing field, a reference to something gone)
   * is skipped. Stage seats do not survive a restart: a hand that was invited or on stage comes
   * back raised.
   */
  void restore(List<JsonNode> events) {
    synchronized (lock) {
      restoring = true;
      try {
        for (JsonNode e : events) {
          apply(e);
        }
      } finally {
        restoring = false;
      }
      for (Viewer v : hands.values()) {
        v.hand = HandState.RAISED;
        v.inviteId = null;
      }
      dirtyQuestions.clear();
      dirtyHands.clear();
      removedChat.clear();
    }
  }

  private void apply(JsonNode e) {
    String v = e.path("v").asText(null);
    String q = e.path("q").asText(null);
    switch (e.path("t").asText()) {
      case "viewer": {
        String h = e.path("h").asText(null);
        if (v == null || h == null) {
          return;
        }
        byte[] hash;
        try {
          hash = Base64.getDecoder().decode(h);
        } catch (IllegalArgumentException ex) {
          return;
        }
        Viewer viewer = new Viewer(v, hash, e.path("name").asText(""));
        for (JsonNode id : e.path("votes")) {
          viewer.votes.add(id.asText());
        }
        viewers.put(v, viewer);
        nextViewer = Math.max(nextViewer, seq(v) + 1);
        return;
      }
      case "ask": {
        QuestionState state = QuestionState.fromWireName(e.path("state").asText());
        if (q == null || v == null || state == null || !e.path("text").isTextual()) {
          return;
        }
        Question question =
            new Question(q, v, e.path("name").asText("Anonymous"), e.path("text").asText(), e.path("at").asLong(), state);
        question.votes = e.path("votes").asInt(0);
        questions.put(q, question);
        nextQuestion = Math.max(nextQuestion, seq(q) + 1);
        return;
      }
      case "vote": {
        Question question = q == null ? null : questions.get(q);
        Viewer viewer = v == null ? null : viewers.get(v);
        if (question == null || viewer == null) {
          return;
        }
        boolean up = e.path("up").asBoolean();
        if (up && viewer.votes.add(q)) {
          question.votes++;
        } else if (!up && viewer.votes.remove(q)) {
          question.votes--;
        }
        return;
      }
      case "qs": {
        Question question = q == null ? null : questions.get(q);
        QuestionState state = QuestionState.fromWireName(e.path("state").asText());
        if (question != null && state != null) {
          question.state = state;
        }
        return;
      }
      case "qdrop":
        if (q != null) {
          questions.remove(q);
        }
        return;
      case "pin":
        pinnedId = q;
        return;
      case "hand": {
        Viewer viewer = v == null ? null : viewers.get(v);
        if (viewer == null) {
          return;
        }
        if (e.path("name").isTextual()) {
          viewer.name = e.path("name").asText();
        }
        if (e.path("raised").asBoolean()) {
          viewer.hand = HandState.RAISED;
          viewer.handRaisedAtMillis = e.path("at").asLong();
          hands.put(v, viewer);
        } else {
          viewer.hand = HandState.DOWN;
          hands.remove(v);
        }
        return;
      }
      case "chat": {
        String m = e.path("m").asText(null);
        if (m == null || v == null || !e.path("text").isTextual()) {
          return;
        }
        addChat(new ChatMessage(m, v, e.path("name").asText("Anonymous"), e.path("text").asText(), e.path("at").asLong()));
        nextChat = Math.max(nextChat, seq(m) + 1);
        return;
      }
      case "chatrm": {
        String m = e.path("m").asText("");
        chat.removeIf(c -> c.id().equals(m));
        return;
      }
      case "chaton":
        chatEnabled = e.path("on").asBoolean(true);
        return;
      case "ban": {
        Viewer viewer = v == null ? null : viewers.get(v);
        if (viewer != null) {
          banLocked(viewer);
        } else if (v != null) {
          bans.add(v);
        }
        return;
      }
      case "seq":
        nextViewer = Math.max(nextViewer, e.path("viewer").asInt(1));
        nextQuestion = Math.max(nextQuestion, e.path("question").asInt(1));
        nextChat = Math.max(nextChat, e.path("chat").asInt(1));
        return;
      default:
        // "room" (read by the hub) and types of later versions.
    }
  }

  /** The number after the dash of an id such as {@code q-12}, or 0. */
  private static int seq(String id) {
    int dash = id.indexOf('-');
    try {
      return dash < 0 ? 0 : Integer.parseInt(id.substring(dash + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
