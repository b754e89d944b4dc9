package dev.palco.signaling.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palco.signaling.ErrorCode;
import dev.palco.signaling.MutableClock;
import dev.palco.signaling.SignalingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The journal on its own: what a room writes, read back into a fresh room, must give the same
 * state; damaged lines are skipped; a compacted journal restores the same as the long one.
 */
class AudienceJournalTest {

  final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));
  final StageGrants grants = new StageGrants(AudienceRoomTest.GRANT_KEY, clock);
  Path dir;
  AudienceJournal journal;

  @BeforeEach
  void open() throws IOException {
    dir = Path.of("target", "audience-journal-test", Long.toString(System.nanoTime()));
    journal = new AudienceJournal(dir);
  }

  @AfterEach
  void close() {
    journal.close();
  }

  AudienceRoom room(AudienceJournal j, boolean fresh) {
    AudienceJournal.RoomJournal rj = j.room("room1");
    if (fresh) {
      rj.append(AudienceRoom.roomEvent("room1", "Friday panel", clock.instant()));
    }
    return new AudienceRoom("room1", "Friday panel", AudienceSettings.defaults(), clock, grants, ContentFilter.NONE, rj, null);
  }

  @Test
  void whatARoomWroteRestoresTheSameState() throws Exception {
    AudienceRoom before = room(journal, true);
    AudienceRoomTest.Joined asker = AudienceRoomTest.join(before, "Ada");
    AudienceRoomTest.Joined voter = AudienceRoomTest.join(before, "Grace");
    AudienceRoomTest.Joined troll = AudienceRoomTest.join(before, "Troll");
    String q1 = AudienceRoomTest.askAndGetId(before, asker, "First question");
    String q2 = AudienceRoomTest.askAndGetId(before, asker, "Second question");
    String hidden = AudienceRoomTest.askAndGetId(before, troll, "Rude");
    before.moderateQuestion(q1, "approve");
    before.moderateQuestion(q2, "pin");
    before.vote(voter.id(), q1, true, 1L);
    before.vote(voter.id(), q2, true, 1L);
    before.vote(voter.id(), q2, false, 1L);
    before.chat(asker.id(), null, "Hello all", 1L);
    before.raiseHand(voter.id(), true, null, 1L);
    before.setChatEnabled(false);
    before.ban(troll.id(), "rude");
    journal.drain();

    List<JsonNode> events = journal.read("room1");
    assertEquals("room", events.get(0).path("t").asText(), "the first line names the room");

    AudienceRoom after = room(journal, false);
    after.restore(events);
    assertSameState(before, after);
    // The voter resumes its session after the restart: same id, its vote, its raised hand.
    RecordingLinks.Viewer link = new RecordingLinks.Viewer();
    AudienceRoom.ViewerSession resumed = after.join(null, voter.id(), voter.session().secret(), link, 1L);
    assertTrue(resumed.resumed());
    JsonNode joined = link.last("audience.joined");
    assertEquals(q1, joined.at("/you/votes/0").asText());
    assertEquals(1, joined.at("/you/votes").size());
    assertEquals("raised", joined.at("/you/hand").asText());
    assertThrows(SignalingException.class, () -> after.vote(voter.id(), q1, true, 2L), "still one vote");
    // The ban holds across the restart.
    SignalingException e = assertThrows(SignalingException.class,
        () -> after.join(null, troll.id(), troll.session().secret(), new RecordingLinks.Viewer(), 3L));
    assertEquals(ErrorCode.BANNED, e.code());
    assertTrue(after.isBanned(troll.id()));
    // New ids continue after the restored ones.
    String q4 = AudienceRoomTest.askAndGetId(after, asker(after), "After the restart");
    assertFalse(List.of(q1, q2, hidden).contains(q4), q4);
  }

  private AudienceRoomTest.Joined asker(AudienceRoom room) throws SignalingException {
    return AudienceRoomTest.join(room, "Newcomer");
  }

  @Test
  void aDamagedLineIsSkippedAndTheRestRestores() throws Exception {
    AudienceRoom before = room(journal, true);
    AudienceRoomTest.Joined v = AudienceRoomTest.join(before, "Ada");
    String q = AudienceRoomTest.askAndGetId(before, v, "Survives");
    before.moderateQuestion(q, "approve");
    journal.drain();
    Path file = journal.directory().resolve("room1.journal");
    // A crash cut the last write short, and something else scribbled a line.
    Files.write(file, "{\"t\":\"chat\",\"m\":\"c-9\",\"v\":\"v-1\",\"te".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    Files.write(file, "\nnot json at all\n[1,2]\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    List<JsonNode> events = journal.read("room1");
    AudienceRoom after = room(journal, false);
    after.restore(events);
    RecordingLinks.Viewer link = new RecordingLinks.Viewer();
    after.join(null, null, null, link, 1L);
    JsonNode state = link.last("audience.state");
    assertEquals("Survives", state.at("/questions/0/text").asText());
    assertEquals(0, state.path("chat").size());
  }

  @Test
  void aCompactedJournalRestoresLikeTheFullOne() throws Exception {
    AudienceRoom before = room(journal, true);
    AudienceRoomTest.Joined asker = AudienceRoomTest.join(before, "Ada");
    String q = AudienceRoomTest.askAndGetId(before, asker, "Popular");
    before.moderateQuestion(q, "approve");
    for (int i = 0; i < 30; i++) {
      AudienceRoomTest.Joined v = AudienceRoomTest.join(before, null);
      before.vote(v.id(), q, true, 1L);
      if (i % 2 == 0) {
        before.vote(v.id(), q, false, 1L);
      }
    }
    journal.drain();
    long fullLines = Files.readAllLines(journal.directory().resolve("room1.journal")).size();
    before.compact();
    journal.drain();
    long compactLines = Files.readAllLines(journal.directory().resolve("room1.journal")).size();
    assertTrue(compactLines < fullLines, compactLines + " < " + fullLines);
    AudienceRoom after = room(journal, false);
    after.restore(journal.read("room1"));
    assertSameState(before, after);
  }

  @Test
  void anEndedRoomLeavesNoJournal() throws Exception {
    AudienceRoom room = room(journal, true);
    AudienceRoomTest.join(room, "Ada");
    room.end("over", 4000, true);
    journal.drain();
    assertFalse(Files.exists(journal.directory().resolve("room1.journal")));
    assertTrue(journal.roomIds().isEmpty());
  }

  /** Compares what a moderator would see on joining each room. */
  static void assertSameState(AudienceRoom expected, AudienceRoom actual) {
    assertEquals(moderatorView(expected), moderatorView(actual));
  }

  static JsonNode moderatorView(AudienceRoom room) {
    RecordingLinks.Stage moderator = new RecordingLinks.Stage();
    room.attachStage(moderator, true);
    room.detachStage(moderator);
    JsonNode state = moderator.inner.last("audience.state").deepCopy();
    // Connections are not state: the count and each hand's connected flag depend on who is online.
    ((com.fasterxml.jackson.databind.node.ObjectNode) state).remove("viewers");
    for (JsonNode hand : state.path("hands")) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) hand).remove("connected");
    }
    return state;
  }
}
