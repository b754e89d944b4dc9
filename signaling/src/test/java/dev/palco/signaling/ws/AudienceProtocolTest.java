package dev.palco.signaling.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.Role;
import dev.palco.signaling.TestServer;
import dev.palco.signaling.TestServer.CreatedRoom;
import dev.palco.signaling.WsClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audience door ({@code /ws/audience}) and the audience messages of the stage door, against
 * a real server and real WebSocket clients (docs/protocol.md, "Audience").
 */
class AudienceProtocolTest {

  private static TestServer server;
  private final List<WsClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(WsClient::close);
  }

  private URI audienceWs() {
    return URI.create(server.ws() + "/audience");
  }

  private WsClient connect(URI uri) {
    WsClient c = WsClient.connect(uri);
    clients.add(c);
    return c;
  }

  static String audienceToken(CreatedRoom room) {
    String link = room.body().at("/links/audience").asText();
    return link.substring(link.indexOf("?t=") + 3);
  }

  /** A viewer on the audience door; the reply is {@code audience.joined}, then {@code audience.state}. */
  private WsClient viewer(CreatedRoom room, String name) {
    WsClient c = connect(audienceWs());
    ObjectNode join = c.message("join");
    join.put("protocol", 1);
    join.put("token", audienceToken(room));
    if (name != null) {
      join.put("name", name);
    }
    c.send(join);
    c.awaitReply("audience.joined", join.get("id").asLong());
    c.await("audience.state");
    return c;
  }

  private WsClient stage(String token, String name) {
    WsClient c = connect(server.ws());
    ObjectNode join = c.message("join");
    join.put("protocol", 1);
    join.put("token", token);
    join.put("name", name);
    c.send(join);
    c.awaitReply("joined", join.get("id").asLong());
    return c;
  }

  private static JsonNode request(WsClient c, ObjectNode m, String replyType) {
    c.send(m);
    return c.awaitReply(replyType, m.get("id").asLong());
  }

  private static JsonNode ask(WsClient viewer, String text) {
    ObjectNode ask = viewer.message("question.ask");
    ask.put("text", text);
    return request(viewer, ask, "question.asked").path("question");
  }

  private static void moderate(WsClient moderator, String questionId, String action) {
    ObjectNode m = moderator.message("question.moderate");
    m.put("questionId", questionId);
    m.put("action", action);
    request(moderator, m, "ack");
  }

  private static JsonNode awaitUpdate(WsClient c, java.util.function.Predicate<JsonNode> matches) {
    return c.await("audience.update", matches);
  }

  @Test
  void roomsHandOutAnAudienceLinkThatOpensOnlyTheAudienceDoor() {
    CreatedRoom room = server.createRoom("Links");
    String link = room.body().at("/links/audience").asText();
    assertTrue(link.contains("/a/" + room.id() + "?t="), link);
    assertEquals(Role.AUDIENCE, assertVerifies(audienceToken(room), room.id()));

    WsClient onStage = connect(server.ws());
    ObjectNode join = onStage.message("join");
    join.put("protocol", 1);
    join.put("token", audienceToken(room));
    JsonNode refused = onStage.expectError(join);
    assertEquals("forbidden", refused.path("code").asText());
    assertTrue(refused.path("message").asText().contains("invitation"), refused.toString());
    assertEquals(4003, onStage.awaitClose());

    WsClient wrongDoor = connect(audienceWs());
    ObjectNode asPresenter = wrongDoor.message("join");
    asPresenter.put("protocol", 1);
    asPresenter.put("token", room.presenterToken());
    assertEquals("forbidden", wrongDoor.expectError(asPresenter).path("code").asText());
    assertEquals(4003, wrongDoor.awaitClose());

    int whip = server.send(HttpRequest.newBuilder(server.uri("/whip/" + room.id()))
        .header("Authorization", "Bearer " + audienceToken(room))
        .header("Content-Type", "application/sdp")
        .POST(HttpRequest.BodyPublishers.ofString("v=0\r\n")).build()).statusCode();
    assertEquals(403, whip, "an audience link opens no media session");
  }

  private static Role assertVerifies(String token, String roomId) {
    try {
      return server.tokens.verify(token, roomId).role();
    } catch (dev.palco.signaling.SignalingException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aQuestionIsAskedVotedAndPinnedForEveryone() {
    CreatedRoom room = server.createRoom("Q&A");
    WsClient moderator = stage(room.moderatorToken(), "Mia");
    WsClient presenter = stage(room.presenterToken(), "Ada");
    assertEquals(0, moderator.await("audience.state").path("questions").size());
    presenter.await("audience.state");
    WsClient asker = viewer(room, "Ann");
    WsClient v2 = viewer(room, "Bob");
    WsClient v3 = viewer(room, null);

    JsonNode q = ask(asker, "<b>How</b> does the SFU scale?");
    String qid = q.path("id").asText();
    assertEquals("pending", q.path("state").asText());
    JsonNode pending = awaitUpdate(moderator, u -> u.has("questions"));
    assertEquals(qid, pending.at("/questions/0/id").asText());
    assertEquals("pending", pending.at("/questions/0/state").asText());
    assertTrue(pending.at("/questions/0/viewerId").isTextual(), "moderators see who asked");

    moderate(moderator, qid, "approve");
    JsonNode approved = awaitUpdate(v2, u -> u.has("questions"));
    assertEquals("<b>How</b> does the SFU scale?", approved.at("/questions/0/text").asText());
    assertFalse(approved.at("/questions/0").has("viewerId"), "the audience does not");
    for (WsClient voter : List.of(v2, v3)) {
      ObjectNode vote = voter.message("question.vote");
      vote.put("questionId", qid);
      request(voter, vote, "question.voted");
    }
    ObjectNode again = v2.message("question.vote");
    again.put("questionId", qid);
    assertEquals("already-voted", v2.expectError(again).path("code").asText());

    moderate(moderator, qid, "pin");
    for (WsClient c : List.of(asker, v2, v3, presenter, moderator)) {
      JsonNode update = awaitUpdate(c, u -> u.path("pinned").path("id").asText().equals(qid));
      assertEquals(2, update.at("/pinned/votes").asInt(), "pinned with its two votes: " + update);
    }
    // The asker was told its question is public now.
    assertEquals("approved", asker.await("question.status").at("/question/state").asText());

    ObjectNode notAllowed = presenter.message("question.moderate");
    notAllowed.put("questionId", qid);
    notAllowed.put("action", "hide");
    assertEquals("forbidden", presenter.expectError(notAllowed).path("code").asText(), "presenters do not moderate");
  }

  @Test
  void floodsOversizedAndMalformedInputAreRefusedWithoutHarmingOthers() {
    CreatedRoom room = server.createRoom("Hostile audience");
    WsClient moderator = stage(room.moderatorToken(), "Mia");
    WsClient flooder = viewer(room, "Flooder");
    WsClient calm = viewer(room, "Calm");

    List<String> codes = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ObjectNode ask = flooder.message("question.ask");
      ask.put("text", "Spam question " + i);
      flooder.send(ask);
    }
    for (int i = 0; i < 12; i++) {
      JsonNode reply = flooder.await("error", m -> true);
      codes.add(reply.path("code").asText());
      if (codes.size() >= 9) {
        break;
      }
    }
    assertTrue(codes.contains("slow-down") || codes.contains("limit-reached"), codes.toString());
    assertTrue(codes.stream().allMatch(c -> List.of("slow-down", "limit-reached", "rate-limited").contains(c)), codes.toString());

    ObjectNode tooLong = calm.message("question.ask");
    tooLong.put("text", "x".repeat(281));
    JsonNode error = calm.expectError(tooLong);
    assertEquals("too-long", error.path("code").asText());
    assertTrue(error.path("message").asText().contains("280"), error.toString());
    JsonNode fine = ask(calm, "Still fine for me?");
    assertEquals("pending", fine.path("state").asText());

    calm.sendRaw("{not json");
    assertEquals("bad-json", calm.await("error").path("code").asText());
    ObjectNode unknown = calm.message("moderate.mute");
    assertEquals("unknown-type", calm.expectError(unknown).path("code").asText(), "stage messages are not spoken here");

    WsClient huge = viewer(room, "Huge");
    huge.trySendRaw("{\"type\":\"chat.send\",\"text\":\"" + "y".repeat(8 * 1024) + "\"}");
    assertEquals(1009, huge.awaitClose());

    ObjectNode chat = calm.message("chat.send");
    chat.put("text", "hello after all that");
    assertEquals("hello after all that", request(calm, chat, "chat.sent").at("/message/text").asText());
    awaitUpdate(moderator, u -> u.has("chat"));
  }

  @Test
  void aRaisedHandIsInvitedOnStageAndSentBack() {
    CreatedRoom room = server.createRoom("Hands");
    WsClient moderator = stage(room.moderatorToken(), "Mia");
    WsClient viewer = connect(audienceWs());
    ObjectNode join = viewer.message("join");
    join.put("protocol", 1);
    join.put("token", audienceToken(room));
    join.put("name", "Grace");
    viewer.send(join);
    JsonNode joined = viewer.awaitReply("audience.joined", join.get("id").asLong());
    String viewerId = joined.path("viewerId").asText();
    String secret = joined.at("/resume/secret").asText();

    ObjectNode raise = viewer.message("hand.raise");
    assertEquals("raised", request(viewer, raise, "hand.state").path("state").asText());
    JsonNode hands = awaitUpdate(moderator, u -> u.has("hands"));
    assertEquals(viewerId, hands.at("/hands/0/viewerId").asText());
    assertEquals("Grace", hands.at("/hands/0/name").asText());

    ObjectNode invite = moderator.message("hand.invite");
    invite.put("viewerId", viewerId);
    assertTrue(request(moderator, invite, "ack").path("expiresAt").isTextual());
    String grant = viewer.await("stage.invite").path("grant").asText();

    // A forged grant (its signature changed) is refused with the reason and the socket closes.
    WsClient forger = connect(server.ws());
    String forged = grant.substring(0, grant.length() - 3) + (grant.endsWith("AAA") ? "BBB" : "AAA");
    JsonNode refused = forger.expectError(guestJoin(forger, room, viewerId, secret, forged));
    assertEquals("grant-bad-signature", refused.path("code").asText());
    assertEquals(4001, forger.awaitClose());

    WsClient guest = connect(server.ws());
    ObjectNode guestJoin = guestJoin(guest, room, viewerId, secret, grant);
    guest.send(guestJoin);
    JsonNode onStage = guest.awaitReply("joined", guestJoin.get("id").asLong());
    assertEquals("presenter", onStage.path("role").asText());
    String guestId = onStage.path("participantId").asText();
    JsonNode arrived = moderator.await("participant.joined");
    assertEquals("Grace", arrived.at("/participant/name").asText());
    assertTrue(arrived.at("/participant/fromAudience").asBoolean(), arrived.toString());
    assertEquals("on-stage", viewer.await("hand.state", m -> m.path("state").asText().equals("on-stage")).path("state").asText());

    // The same grant again is a replay.
    WsClient replay = connect(server.ws());
    assertEquals("grant-used", replay.expectError(guestJoin(replay, room, viewerId, secret, grant)).path("code").asText());

    ObjectNode back = moderator.message("stage.sendback");
    back.put("participantId", guestId);
    request(moderator, back, "ack");
    assertEquals(onStage.path("participantId").asText(), moderator.await("participant.left").path("participantId").asText());
    guest.await("sent.back");
    assertEquals(4005, guest.awaitClose());
    JsonNode down = viewer.await("hand.state", m -> "sent-back".equals(m.path("reason").asText()));
    assertEquals("down", down.path("state").asText());
  }

  private static ObjectNode guestJoin(WsClient c, CreatedRoom room, String viewerId, String secret, String grant) {
    ObjectNode join = c.message("join");
    join.put("protocol", 1);
    join.put("token", audienceToken(room));
    ObjectNode stage = join.putObject("stage");
    stage.put("viewerId", viewerId);
    stage.put("secret", secret);
    stage.put("grant", grant);
    return join;
  }

  @Test
  void aBannedViewerIsClosedAndItsResumeRefusedWhileTheChatSwitchReachesEveryone() {
    CreatedRoom room = server.createRoom("Bans");
    WsClient moderator = stage(room.moderatorToken(), "Mia");
    WsClient troll = connect(audienceWs());
    ObjectNode join = troll.message("join");
    join.put("protocol", 1);
    join.put("token", audienceToken(room));
    troll.send(join);
    JsonNode joined = troll.awaitReply("audience.joined", join.get("id").asLong());
    WsClient other = viewer(room, "Other");
    assertEquals(2, awaitUpdate(moderator, u -> u.path("viewers").asInt() == 2).path("viewers").asInt(),
        "the moderator sees the viewer count");

    ObjectNode ban = moderator.message("viewer.ban");
    ban.put("viewerId", joined.path("viewerId").asText());
    ban.put("reason", "Trolling");
    request(moderator, ban, "ack");
    assertEquals("Trolling", troll.await("banned").path("reason").asText());
    assertEquals(4003, troll.awaitClose());

    WsClient back = connect(audienceWs());
    ObjectNode resume = back.message("join");
    resume.put("protocol", 1);
    resume.put("token", audienceToken(room));
    resume.putObject("resume").put("viewerId", joined.path("viewerId").asText())
        .put("secret", joined.at("/resume/secret").asText());
    assertEquals("banned", back.expectError(resume).path("code").asText());
    assertEquals(4003, back.awaitClose());

    ObjectNode off = moderator.message("chat.enable");
    off.put("enabled", false);
    request(moderator, off, "ack");
    awaitUpdate(other, u -> u.has("chatEnabled") && !u.path("chatEnabled").asBoolean());
    ObjectNode chat = other.message("chat.send");
    chat.put("text", "anyone?");
    assertEquals("chat-off", other.expectError(chat).path("code").asText());
  }

  @Test
  void aViewerResumesItsSessionAfterABlip() {
    CreatedRoom room = server.createRoom("Blip");
    WsClient first = connect(audienceWs());
    ObjectNode join = first.message("join");
    join.put("protocol", 1);
    join.put("token", audienceToken(room));
    first.send(join);
    JsonNode joined = first.awaitReply("audience.joined", join.get("id").asLong());
    first.abort();

    WsClient again = connect(audienceWs());
    ObjectNode resume = again.message("join");
    resume.put("protocol", 1);
    resume.put("token", audienceToken(room));
    resume.putObject("resume").put("viewerId", joined.path("viewerId").asText())
        .put("secret", joined.at("/resume/secret").asText());
    again.send(resume);
    JsonNode back = again.awaitReply("audience.joined", resume.get("id").asLong());
    assertTrue(back.path("resumed").asBoolean());
    assertEquals(joined.path("viewerId").asText(), back.path("viewerId").asText());
  }
}
