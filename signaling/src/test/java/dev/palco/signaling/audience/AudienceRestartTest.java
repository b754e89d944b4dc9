package dev.palco.signaling.audience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.TestServer;
import dev.palco.signaling.TestServer.CreatedRoom;
import dev.palco.signaling.WsClient;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A whole server stops and a new one starts on the same data directory and token secret: the
 * room is back with its questions, votes, hands, chat and bans, and viewers resume their
 * sessions with the secrets they kept.
 */
class AudienceRestartTest {

  @Test
  void aRestartedServerRestoresTheRoomAndItsAudience() throws Exception {
    Path data = Path.of("target", "audience-restart-test", Long.toString(System.nanoTime()));
    AudienceSettings audience = AudienceSettings.defaults().withDataDir(data);
    CreatedRoom room;
    String audienceToken;
    String askerId;
    String askerSecret;
    String trollId;
    String trollSecret;
    String questionId;
    try (TestServer first = TestServer.start(s -> s.withAudience(audience))) {
      room = first.createRoom("Survivor");
      String link = room.body().at("/links/audience").asText();
      audienceToken = link.substring(link.indexOf("?t=") + 3);
      try (WsClient moderator = stage(first, room.moderatorToken());
          WsClient asker = viewer(first, audienceToken, null, null);
          WsClient voter = viewer(first, audienceToken, null, null);
          WsClient troll = viewer(first, audienceToken, null, null)) {
        JsonNode askerJoined = asker.await("audience.joined");
        askerId = askerJoined.path("viewerId").asText();
        askerSecret = askerJoined.at("/resume/secret").asText();
        JsonNode trollJoined = troll.await("audience.joined");
        trollId = trollJoined.path("viewerId").asText();
        trollSecret = trollJoined.at("/resume/secret").asText();

        ObjectNode ask = asker.message("question.ask");
        ask.put("text", "Will this survive a restart?");
        asker.send(ask);
        questionId = asker.awaitReply("question.asked", ask.get("id").asLong()).at("/question/id").asText();
        request(moderator, moderator.message("question.moderate").put("questionId", questionId).put("action", "pin"));
        ObjectNode vote = voter.message("question.vote").put("questionId", questionId);
        voter.send(vote);
        voter.awaitReply("question.voted", vote.get("id").asLong());
        ObjectNode chat = asker.message("chat.send").put("text", "see you on the other side");
        asker.send(chat);
        asker.awaitReply("chat.sent", chat.get("id").asLong());
        ObjectNode hand = asker.message("hand.raise");
        asker.send(hand);
        asker.awaitReply("hand.state", hand.get("id").asLong());
        request(moderator, moderator.message("viewer.ban").put("viewerId", trollId));
      }
    }

    try (TestServer second = TestServer.start(s -> s.withAudience(audience))) {
      assertTrue(second.server.rooms().get(room.id()) != null, "the room is back");
      try (WsClient moderator = stage(second, room.moderatorToken());
          WsClient asker = viewer(second, audienceToken, askerId, askerSecret)) {
        JsonNode state = moderator.await("audience.state");
        assertEquals(questionId, state.at("/pinned/id").asText());
        assertEquals(1, state.at("/pinned/votes").asInt());
        assertEquals("see you on the other side", state.at("/chat/0/text").asText());
        assertEquals(askerId, state.at("/hands/0/viewerId").asText());
        JsonNode joined = asker.await("audience.joined");
        assertTrue(joined.path("resumed").asBoolean(), joined.toString());
        assertEquals(questionId, joined.at("/you/questions/0/id").asText());
        assertEquals("raised", joined.at("/you/hand").asText());

        try (WsClient troll = WsClient.connect(audienceWs(second))) {
          ObjectNode join = troll.message("join").put("protocol", 1).put("token", audienceToken);
          join.putObject("resume").put("viewerId", trollId).put("secret", trollSecret);
          assertEquals("banned", troll.expectError(join).path("code").asText(), "the ban survived");
        }
      }
      second.server.audience().journal().drain();
    }
  }

  static URI audienceWs(TestServer server) {
    return URI.create(server.ws() + "/audience");
  }

  static WsClient stage(TestServer server, String token) {
    WsClient c = WsClient.connect(server.ws());
    ObjectNode join = c.message("join").put("protocol", 1).put("token", token).put("name", "Mia");
    c.send(join);
    c.awaitReply("joined", join.get("id").asLong());
    return c;
  }

  static WsClient viewer(TestServer server, String token, String resumeId, String secret) {
    WsClient c = WsClient.connect(audienceWs(server));
    ObjectNode join = c.message("join").put("protocol", 1).put("token", token);
    if (resumeId != null) {
      join.putObject("resume").put("viewerId", resumeId).put("secret", secret);
    }
    c.send(join);
    return c;
  }

  static void request(WsClient c, ObjectNode m) {
    c.send(m);
    c.awaitReply("ack", m.get("id").asLong());
  }
}
