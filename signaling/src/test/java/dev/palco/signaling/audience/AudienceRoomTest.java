package dev.palco.signaling.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palco.signaling.EncodedFrame;
import dev.palco.signaling.ErrorCode;
import dev.palco.signaling.MutableClock;
import dev.palco.signaling.SignalingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The audience rules without sockets: one room, recording links, a clock the test steps, and
 * flushes called by hand (no scheduler), so every fan-out is observed exactly.
 */
class AudienceRoomTest {

  static final byte[] GRANT_KEY = "grant-key-for-tests-0123456789".getBytes(StandardCharsets.UTF_8);

  final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));
  final StageGrants grants = new StageGrants(GRANT_KEY, clock);

  AudienceRoom room(AudienceSettings settings) {
    return new AudienceRoom("room1", "Friday panel", settings, clock, grants,
        AudienceHub.filterFor(settings), null, null);
  }

  AudienceRoom room() {
    return room(AudienceSettings.defaults());
  }

  /** A joined viewer: its link and session. */
  record Joined(RecordingLinks.Viewer link, AudienceRoom.ViewerSession session) {
    String id() {
      return session.viewerId();
    }
  }

  static Joined join(AudienceRoom room, String name) throws SignalingException {
    RecordingLinks.Viewer link = new RecordingLinks.Viewer();
    return new Joined(link, room.join(name, null, null, link, 1L));
  }

  static String askAndGetId(AudienceRoom room, Joined who, String text) throws SignalingException {
    room.ask(who.id(), null, text, 2L);
    return who.link.last("question.asked").at("/question/id").asText();
  }

  @Test
  void oneUpdateIsEncodedOnceAndTheSameFrameGoesToEveryViewer() throws Exception {
    AudienceRoom room = room();
    List<Joined> viewers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      viewers.add(join(room, "Viewer " + i));
    }
    RecordingLinks.Stage moderator = new RecordingLinks.Stage();
    RecordingLinks.Stage presenter = new RecordingLinks.Stage();
    room.attachStage(moderator, true);
    room.attachStage(presenter, false);
    String q = askAndGetId(room, viewers.get(0), "What is next?");
    room.moderateQuestion(q, "approve");
    room.flush();
    for (Joined v : viewers.subList(1, 4)) {
      room.vote(v.id(), q, true, 3L);
    }
    room.moderateQuestion(q, "pin");
    for (Joined v : viewers) {
      v.link.clear();
    }
    moderator.inner.clear();
    presenter.inner.clear();

    long encodedBefore = EncodedFrame.encodedCount();
    long publicBefore = room.publicFramesEncoded();
    room.flush();
    // One public frame and one moderators' frame, for 200 viewers, a presenter and a moderator.
    assertEquals(2, EncodedFrame.encodedCount() - encodedBefore, "frames encoded by one flush");
    assertEquals(1, room.publicFramesEncoded() - publicBefore);
    EncodedFrame shared = viewers.get(0).link.frames("audience.update").get(0);
    for (Joined v : viewers) {
      List<EncodedFrame> got = v.link.frames("audience.update");
      assertEquals(1, got.size());
      assertSame(shared, got.get(0), "every viewer queues the same serialised frame");
    }
    assertSame(shared, presenter.inner.frames("audience.update").get(0), "presenters share it too");
    EncodedFrame forModerator = moderator.inner.frames("audience.update").get(0);
    JsonNode update = viewers.get(7).link.last("audience.update");
    assertEquals(q, update.at("/pinned/id").asText());
    assertEquals(3, update.at("/pinned/votes").asInt());
    assertFalse(update.at("/pinned").has("viewerId"), "the audience does not see who asked");
    assertTrue(forModerator.text().contains("\"viewerId\""), "moderators do");

    // A newcomer's state frame is shared too, until the next change.
    Joined late1 = join(room, "Late one");
    Joined late2 = join(room, "Late two");
    assertSame(late1.link.frames("audience.state").get(0), late2.link.frames("audience.state").get(0));
  }

  /** A viewer whose socket lives on a thread of its own, simulated by a queue the test runs. */
  static final class ThreadedViewer extends RecordingLinks.Viewer {
    final java.util.concurrent.Executor thread;

    ThreadedViewer(java.util.concurrent.Executor thread) {
      this.thread = thread;
    }

    @Override
    public java.util.concurrent.Executor writeThread() {
      return thread;
    }
  }

  @Test
  void fanOutRunsOnEachLinksWriteThreadAndNeverSendsANewcomerAnOlderUpdate() throws Exception {
    AudienceRoom room = room();
    java.util.ArrayDeque<Runnable> ioThreadA = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<Runnable> ioThreadB = new java.util.ArrayDeque<>();
    java.util.concurrent.Executor threadA = ioThreadA::add;
    java.util.concurrent.Executor threadB = ioThreadB::add;
    List<ThreadedViewer> links = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ThreadedViewer link = new ThreadedViewer(i % 2 == 0 ? threadA : threadB);
      room.join("V" + i, null, null, link, 1L);
      links.add(link);
    }
    Joined asker = join(room, "Asker");
    String q = askAndGetId(room, asker, "Ordered?");
    room.moderateQuestion(q, "pin");
    room.flush();
    assertEquals(1, ioThreadA.size(), "one task per write thread, for all of its links");
    assertEquals(1, ioThreadB.size());
    // A newcomer joins while that fan-out still waits on its threads: its snapshot is newer.
    ThreadedViewer late = new ThreadedViewer(threadA);
    room.join("Late", null, null, late, 2L);
    ioThreadA.forEach(Runnable::run);
    ioThreadB.forEach(Runnable::run);
    assertTrue(late.frames("audience.update").isEmpty(), "the newcomer skips the older update");
    assertEquals(q, late.last("audience.state").at("/pinned/id").asText());
    EncodedFrame shared = links.get(0).frames("audience.update").get(0);
    for (ThreadedViewer link : links) {
      assertSame(shared, link.frames("audience.update").get(0));
    }
  }

  @Test
  void aBurstOfVotesIsOneUpdate() throws Exception {
    AudienceRoom room = room();
    Joined asker = join(room, "Asker");
    String q = askAndGetId(room, asker, "Votes?");
    room.moderateQuestion(q, "approve");
    List<Joined> voters = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      voters.add(join(room, null));
    }
    room.flush();
    asker.link.clear();
    for (Joined v : voters) {
      room.vote(v.id(), q, true, 5L);
    }
    room.flush();
    List<JsonNode> updates = asker.link.ofType("audience.update");
    assertEquals(1, updates.size(), "fifty votes, one update");
    assertEquals(50, updates.get(0).at("/questions/0/votes").asInt());
  }

  @Test
  void oneVotePerViewerSessionAndNotForOnesOwnQuestion() throws Exception {
    AudienceRoom room = room();
    Joined asker = join(room, "Asker");
    Joined voter = join(room, "Voter");
    String q = askAndGetId(room, asker, "Is this on?");
    assertEquals(ErrorCode.NOT_FOUND, assertThrows(SignalingException.class, () -> room.vote(voter.id(), q, true, 1L)).code(),
        "a question waiting for approval cannot be voted for");
    room.moderateQuestion(q, "approve");
    room.vote(voter.id(), q, true, 2L);
    assertEquals(1, voter.link.last("question.voted").path("votes").asInt());
    assertEquals(ErrorCode.ALREADY_VOTED,
        assertThrows(SignalingException.class, () -> room.vote(voter.id(), q, true, 3L)).code());
    assertEquals(ErrorCode.FORBIDDEN,
        assertThrows(SignalingException.class, () -> room.vote(asker.id(), q, true, 4L)).code());
    room.vote(voter.id(), q, false, 5L);
    assertEquals(0, voter.link.last("question.voted").path("votes").asInt());
    // The vote survives a reconnect: the resumed session sees it and cannot vote twice.
    room.vote(voter.id(), q, true, 6L);
    RecordingLinks.Viewer again = new RecordingLinks.Viewer();
    room.linkLost(voter.id(), voter.link);
    AudienceRoom.ViewerSession resumed = room.join(null, voter.id(), voter.session.secret(), again, 7L);
    assertTrue(resumed.resumed());
    assertEquals(q, again.last("audience.joined").at("/you/votes/0").asText());
    assertThrows(SignalingException.class, () -> room.vote(voter.id(), q, true, 8L));
    room.moderateQuestion(q, "answered");
    assertEquals(ErrorCode.FORBIDDEN,
        assertThrows(SignalingException.class, () -> room.vote(voter.id(), q, false, 9L)).code(), "voting is closed");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "blank question         | '   '                        | empty",
        "only control chars     | '\u0000\u0007\u202e'          | empty",
        "a character too many   | LONG281                      | too-long",
        "far too long           | HUGE                         | too-long",
        "blocked word           | 'buy cheap SPAM now'         | blocked-content",
        "blocked, spaced out    | 'buy s.p.a.m now'            | blocked-content",
        "blocked, accented      | 'buy spåm now'               | blocked-content",
      })
  void badQuestionsAreRefusedWithAClearCode(String label, String text, String code) throws Exception {
    AudienceRoom room = room(AudienceSettings.defaults().withBlocklist(List.of("spam", "rude phrase")));
    Joined v = join(room, "Viewer");
    String actual = text.equals("LONG281") ? "x".repeat(281) : text.equals("HUGE") ? "y".repeat(100_000) : text;
    SignalingException e = assertThrows(SignalingException.class, () -> room.ask(v.id(), null, actual, 1L));
    assertEquals(code, e.code().wireName(), e.getMessage());
    assertFalse(e.getMessage().isBlank());
  }

  @Test
  void textIsKeptAsTextWithControlAndBidiCharactersDropped() throws Exception {
    AudienceRoom room = room();
    Joined v = join(room, "<img src=x onerror=alert(1)>");
    room.ask(v.id(), null, "  <script>alert('x')</script>\n\tand \u202eevil ", 1L);
    JsonNode q = v.link.last("question.asked").path("question");
    assertEquals("<script>alert('x')</script> and evil", q.path("text").asText(), "kept verbatim, as text");
    assertEquals("<img src=x onerror=alert(1)>", q.path("name").asText());
    room.ask(v.id(), null, "x".repeat(280), 2L);
    assertEquals(280, v.link.last("question.asked").at("/question/text").asText().length(), "exactly the limit is fine");
    assertEquals(ErrorCode.TOO_LONG,
        assertThrows(SignalingException.class, () -> room.ask(v.id(), "n".repeat(41), "fine", 3L)).code(),
        "names have their own limit");
  }

  @Test
  void aQuestionFloodGetsSlowDownAndTheRateComesBack() throws Exception {
    AudienceRoom room = room(AudienceSettings.defaults().withRates(
        new AudienceSettings.RateRule(3, Duration.ofSeconds(20)), new AudienceSettings.RateRule(5, Duration.ofSeconds(1))));
    Joined flooder = join(room, "Flooder");
    Joined other = join(room, "Other");
    for (int i = 0; i < 3; i++) {
      String q = askAndGetId(room, flooder, "Question " + i);
      room.moderateQuestion(q, "answered");
    }
    SignalingException e = assertThrows(SignalingException.class, () -> room.ask(flooder.id(), null, "One more", 4L));
    assertEquals(ErrorCode.SLOW_DOWN, e.code());
    assertTrue(e.getMessage().contains("20 s"), e.getMessage());
    askAndGetId(room, other, "Someone else is not affected");
    clock.advance(Duration.ofSeconds(20));
    askAndGetId(room, flooder, "Back after the wait");
  }

  @Test
  void aViewerMayHaveOnlyAFewQuestionsWaiting() throws Exception {
    AudienceRoom room = room();
    Joined v = join(room, "Eager");
    for (int i = 0; i < 3; i++) {
      askAndGetId(room, v, "Waiting " + i);
    }
    clock.advance(Duration.ofMinutes(5));
    assertEquals(ErrorCode.LIMIT_REACHED,
        assertThrows(SignalingException.class, () -> room.ask(v.id(), null, "Fourth", 1L)).code());
  }

  @Test
  void questionsAndChatStayWithinTheirBounds() throws Exception {
    AudienceRoom room = room(AudienceSettings.defaults().withCaps(5, 3, 2, 100, 1000)
        .withRates(new AudienceSettings.RateRule(100, Duration.ofSeconds(1)), new AudienceSettings.RateRule(100, Duration.ofSeconds(1))));
    Joined v = join(room, "Viewer");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String q = askAndGetId(room, v, "Q" + i);
      ids.add(q);
      room.moderateQuestion(q, i < 2 ? "answered" : "approve");
    }
    askAndGetId(room, v, "Sixth");
    room.flush();
    JsonNode update = v.link.last("audience.update");
    assertEquals(ids.get(0), update.at("/removedQuestions/0").asText(), "the oldest answered question made room");
    for (String q : ids.subList(2, 5)) {
      room.moderateQuestion(q, "pin");
    }
    askAndGetId(room, v, "Seventh");
    // Five kept: Q2..Q4 approved, Sixth and Seventh; nothing left to drop.
    assertEquals(ErrorCode.LIMIT_REACHED,
        assertThrows(SignalingException.class, () -> room.ask(v.id(), null, "Eighth", 1L)).code());

    for (int i = 0; i < 10; i++) {
      room.chat(v.id(), null, "line " + i, 1L);
    }
    Joined late = join(room, "Late");
    JsonNode state = late.link.last("audience.state");
    assertEquals(3, state.path("chat").size(), "chat history is bounded");
    assertEquals("line 9", state.at("/chat/2/text").asText());

    Joined h1 = join(room, "H1");
    Joined h2 = join(room, "H2");
    Joined h3 = join(room, "H3");
    room.raiseHand(h1.id(), true, null, 1L);
    room.raiseHand(h2.id(), true, null, 1L);
    assertEquals(ErrorCode.LIMIT_REACHED,
        assertThrows(SignalingException.class, () -> room.raiseHand(h3.id(), true, null, 1L)).code());
  }

  @Test
  void viewersAreCountedAndTheCapHolds() throws Exception {
    AudienceRoom room = room(AudienceSettings.defaults().withCaps(10, 10, 10, 3, 4));
    RecordingLinks.Stage moderator = new RecordingLinks.Stage();
    room.attachStage(moderator, true);
    Joined a = join(room, "A");
    Joined b = join(room, "B");
    join(room, "C");
    assertEquals(3, room.viewerCount());
    assertEquals(ErrorCode.ROOM_FULL, assertThrows(SignalingException.class, () -> join(room, "D")).code());
    room.linkLost(a.id(), a.link);
    assertEquals(2, room.viewerCount());
    room.sweep();
    room.flush();
    assertEquals(2, moderator.inner.last("audience.update").path("viewers").asInt(), "moderators see the count");
    // Sessions are bounded too: the longest-gone one is forgotten, so its resume starts afresh.
    room.linkLost(b.id(), b.link);
    join(room, "E");
    Joined f = join(room, "F");
    room.linkLost(f.id(), f.link);
    AudienceRoom.ViewerSession again = room.join(null, a.id(), a.session.secret(), new RecordingLinks.Viewer(), 1L);
    assertFalse(again.resumed());
  }

  @Test
  void chatFollowsTheSwitchAndTheLimits() throws Exception {
    AudienceRoom room = room();
    Joined v = join(room, "Chatty");
    room.chat(v.id(), "Chatty", "Hello", 1L);
    assertEquals("Hello", v.link.last("chat.sent").at("/message/text").asText());
    room.setChatEnabled(false);
    assertEquals(ErrorCode.CHAT_OFF, assertThrows(SignalingException.class, () -> room.chat(v.id(), null, "hi", 2L)).code());
    room.flush();
    assertFalse(v.link.last("audience.update").path("chatEnabled").asBoolean(true));
    room.setChatEnabled(true);
    assertEquals(ErrorCode.TOO_LONG,
        assertThrows(SignalingException.class, () -> room.chat(v.id(), null, "z".repeat(301), 3L)).code());
    for (int i = 0; i < 4; i++) {
      room.chat(v.id(), null, "burst " + i, 4L);
    }
    assertEquals(ErrorCode.SLOW_DOWN, assertThrows(SignalingException.class, () -> room.chat(v.id(), null, "more", 5L)).code());
    clock.advance(Duration.ofSeconds(1));
    room.chat(v.id(), null, "after a second", 6L);
    String id = v.link.last("chat.sent").at("/message/id").asText();
    room.flush();
    room.removeChat(id);
    room.flush();
    assertEquals(id, v.link.last("audience.update").at("/removedChat/0").asText());
  }

  @Test
  void aBanClosesTheViewerHidesItsPostsAndSurvivesItsReconnect() throws Exception {
    AudienceRoom room = room();
    Joined troll = join(room, "Troll");
    Joined other = join(room, "Other");
    String q = askAndGetId(room, troll, "Rude question");
    room.moderateQuestion(q, "approve");
    room.chat(troll.id(), null, "rude chat", 1L);
    String chatId = troll.link.last("chat.sent").at("/message/id").asText();
    room.raiseHand(troll.id(), true, null, 1L);
    room.flush();
    room.ban(troll.id(), "Spam");
    assertEquals("Spam", troll.link.last("banned").path("reason").asText());
    assertEquals(4003, troll.link.closeCode);
    room.flush();
    JsonNode update = other.link.last("audience.update");
    assertEquals(q, update.at("/removedQuestions/0").asText(), "its question leaves the public list");
    assertEquals(chatId, update.at("/removedChat/0").asText());
    room.linkLost(troll.id(), troll.link);
    SignalingException e = assertThrows(SignalingException.class,
        () -> room.join(null, troll.id(), troll.session.secret(), new RecordingLinks.Viewer(), 2L));
    assertEquals(ErrorCode.BANNED, e.code());
    assertTrue(room.isBanned(troll.id()));
    // The other viewer carries on.
    room.chat(other.id(), null, "still here", 3L);
  }

  @Test
  void aStageGrantIsForOneViewerOnceAndNotForever() throws Exception {
    AudienceRoom room = room();
    Joined guest = join(room, "Guest");
    Joined other = join(room, "Other");
    String secret = guest.session.secret();
    assertEquals(ErrorCode.FORBIDDEN, assertThrows(SignalingException.class, () -> room.invite(guest.id(), "Mia")).code(),
        "no invitation without a raised hand");
    room.raiseHand(guest.id(), true, null, 1L);
    room.invite(guest.id(), "Mia");
    String grant = guest.link.last("stage.invite").path("grant").asText();
    assertNotNull(grant);

    // Forged: the payload changed, or signed with another key.
    String[] parts = grant.split("\\.");
    String otherViewer = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace(guest.id(), other.id()).getBytes(StandardCharsets.UTF_8));
    assertEquals(ErrorCode.GRANT_BAD_SIGNATURE, code(() -> room.admitToStage(other.id(), other.session.secret(),
        parts[0] + "." + otherViewer + "." + parts[2])));
    StageGrants otherServer = new StageGrants("another-servers-grant-key-000".getBytes(StandardCharsets.UTF_8), clock);
    String foreign = otherServer.issue(new StageGrants.Grant("room1", guest.id(), "abc", clock.millis() + 60_000));
    assertEquals(ErrorCode.GRANT_BAD_SIGNATURE, code(() -> room.admitToStage(guest.id(), secret, foreign)));
    assertEquals(ErrorCode.GRANT_MALFORMED, code(() -> room.admitToStage(guest.id(), secret, "g1.nope")));
    // Someone else presenting the guest's grant, or the guest without its session secret.
    assertEquals(ErrorCode.GRANT_WRONG_VIEWER, code(() -> room.admitToStage(other.id(), other.session.secret(), grant)));
    assertEquals(ErrorCode.GRANT_WRONG_VIEWER, code(() -> room.admitToStage(guest.id(), "wrong-secret", grant)));

    AudienceRoom.StageGuest admitted = room.admitToStage(guest.id(), secret, grant);
    assertEquals("Guest", admitted.name());
    assertEquals("on-stage", guest.link.last("hand.state").path("state").asText());
    assertEquals(ErrorCode.GRANT_USED, code(() -> room.admitToStage(guest.id(), secret, grant)), "a replay");

    room.leftStage(guest.id(), "sent-back");
    assertEquals("down", guest.link.last("hand.state").path("state").asText());
    assertEquals("sent-back", guest.link.last("hand.state").path("reason").asText());

    // A newer invitation withdraws the older one; an invitation expires.
    room.raiseHand(guest.id(), true, null, 1L);
    room.invite(guest.id(), "Mia");
    String first = guest.link.last("stage.invite").path("grant").asText();
    room.invite(guest.id(), "Mia");
    assertEquals(ErrorCode.GRANT_REVOKED, code(() -> room.admitToStage(guest.id(), secret, first)));
    String second = guest.link.last("stage.invite").path("grant").asText();
    clock.advance(Duration.ofSeconds(61));
    assertEquals(ErrorCode.GRANT_EXPIRED, code(() -> room.admitToStage(guest.id(), secret, second)));
    room.sweep();
    assertEquals("raised", guest.link.last("hand.state").path("state").asText());
    assertEquals("invite-expired", guest.link.last("hand.state").path("reason").asText());
  }

  @Test
  void questionsAreModeratedAndTheirAuthorIsTold() throws Exception {
    AudienceRoom room = room();
    Joined asker = join(room, "Asker");
    Joined watcher = join(room, "Watcher");
    String q = askAndGetId(room, asker, "Pending first");
    room.flush();
    assertTrue(watcher.link.ofType("audience.update").isEmpty(), "a pending question is not public");
    room.moderateQuestion(q, "pin");
    room.flush();
    JsonNode update = watcher.link.last("audience.update");
    assertEquals(q, update.at("/pinned/id").asText());
    assertEquals("approved", update.at("/questions/0/state").asText(), "pinning approves");
    assertEquals("approved", asker.link.last("question.status").at("/question/state").asText());
    room.moderateQuestion(q, "answered");
    room.flush();
    update = watcher.link.last("audience.update");
    assertTrue(update.path("pinned").isNull(), "answering unpins");
    assertEquals("answered", update.at("/questions/0/state").asText());
    room.moderateQuestion(q, "hide");
    room.flush();
    assertEquals(q, watcher.link.last("audience.update").at("/removedQuestions/0").asText());
    assertEquals(ErrorCode.BAD_MESSAGE, code(() -> room.moderateQuestion(q, "delete")));
    assertEquals(ErrorCode.NOT_FOUND, code(() -> room.moderateQuestion("q-999", "approve")));
  }

  interface Action {
    void run() throws SignalingException;
  }

  static ErrorCode code(Action action) {
    return assertThrows(SignalingException.class, action::run).code();
  }

  @Test
  void theBroadcastsCaptionFollowsThePinnedQuestionFromTheMomentItIsObserved() throws Exception {
    AudienceRoom room = room();
    Joined ann = join(room, "Ann");
    room.ask(ann.id(), "Ann Attendee", "Where do the parts go?", 2L);
    String first = ann.link.last("question.asked").at("/question/id").asText();
    Joined anonymous = join(room, null);
    String second = askAndGetId(room, anonymous, "And the segments?");
    room.moderateQuestion(first, "pin");
    room.flush();

    List<AudienceRoom.Pinned> seen = new ArrayList<>();
    room.observePinned(seen::add);
    assertEquals(List.of(new AudienceRoom.Pinned("Ann Attendee", "Where do the parts go?")), seen,
        "the question pinned before the broadcast started, at once");

    room.moderateQuestion(second, "pin");
    assertEquals(1, seen.size(), "told with the audience's next update, not before");
    room.flush();
    assertEquals(new AudienceRoom.Pinned("Anonymous", "And the segments?"), seen.get(1), "as the audience sees it");
    room.moderateQuestion(second, "answered");
    room.flush();
    assertEquals(3, seen.size());
    assertEquals(null, seen.get(2), "answered: no caption");
    room.moderateQuestion(first, "approve");
    room.flush();
    assertEquals(3, seen.size(), "other changes say nothing");

    room.observePinned(null);
    room.moderateQuestion(first, "pin");
    room.flush();
    assertEquals(3, seen.size(), "stopped telling");
  }
}
