package dev.palco.signaling.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.IceServers;
import dev.palco.signaling.Json;
import dev.palco.signaling.MutableClock;
import dev.palco.signaling.SignalingServer;
import dev.palco.signaling.TestServer;
import dev.palco.signaling.TestServer.CreatedRoom;
import dev.palco.signaling.WsClient;
import dev.palco.turn.IceServerList;
import dev.palco.turn.IceServerSettings;
import dev.palco.turn.TurnCredentials;
import dev.palco.turn.TurnCredentials.Verdict;
import dev.palco.turn.TurnSecrets;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With TURN configured, {@code joined} and WHEP {@code Link} headers carry the fixed ice-servers,
 * then coturn's STUN URL and a TURN entry with a credential issued for that participant at that
 * moment: its expiry is now + TTL and its password checks out with the shared secret.
 */
class TurnIceServersTest {

  private static final TurnSecrets SECRETS = TurnSecrets.of("signaling-turn-secret-0001");
  private static final Duration TTL = Duration.ofHours(2);
  private static final MutableClock TURN_CLOCK = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));
  private static final String PLAYER_OFFER =
      "v=0\r\no=- 2 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-ufrag:ply1\r\na=ice-pwd:playerpassword0000000000\r\n"
          + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=recvonly\r\n"
          + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=recvonly\r\n";

  private static TestServer server;

  @BeforeAll
  static void start() {
    IceServerList turn = new IceServerList(IceServerSettings.defaults("turn.palco.test", TTL), SECRETS);
    server =
        TestServer.start(
            s ->
                new SignalingServer.Settings(
                    s.bindAddress(), s.httpPort(), s.tls(), s.publicUrl(),
                    s.rooms().withIceServers(IceServers.withTurn(s.rooms().iceServers().fixedEntries(), turn, TURN_CLOCK)),
                    s.limits(), s.tokenTtl(), s.maxPlayersPerRoom(), s.webFolder(), s.version(), s.audience()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonNode join(WsClient c, String token, String name) {
    ObjectNode m = c.message("join");
    m.put("protocol", 1);
    m.put("token", token);
    m.put("name", name);
    c.send(m);
    return c.awaitReply("joined", m.get("id").asLong());
  }

  @Test
  void joinedCarriesTheFixedEntriesThenStunThenAFreshTurnCredential() {
    CreatedRoom room = server.createRoom("Relayed");
    try (WsClient ada = WsClient.connect(server.ws())) {
      JsonNode joined = join(ada, room.moderatorToken(), "Ada");
      ArrayNode ice = (ArrayNode) joined.get("iceServers");

      assertEquals(3, ice.size(), ice.toString());
      assertEquals("stun:127.0.0.1:3478", ice.at("/0/urls/0").asText(), "the fixed ice-servers come first");
      assertEquals(Json.MAPPER.valueToTree(List.of("stun:turn.palco.test:3478")), ice.at("/1/urls"));
      assertFalse(ice.get(1).has("username"));
      JsonNode turn = ice.get(2);
      assertEquals(
          Json.MAPPER.valueToTree(
              List.of(
                  "turn:turn.palco.test:3478?transport=udp",
                  "turn:turn.palco.test:3478?transport=tcp",
                  "turns:turn.palco.test:443?transport=tcp")),
          turn.get("urls"));
      String username = turn.get("username").asText();
      String credential = turn.get("credential").asText();
      long expiry = TURN_CLOCK.instant().plus(TTL).getEpochSecond();
      assertEquals(expiry + ":" + room.id() + "/" + joined.get("participantId").asText(), username);
      assertEquals(Verdict.VALID, TurnCredentials.verify(SECRETS, username, credential, TURN_CLOCK.instant()));
      assertEquals(
          Verdict.EXPIRED, TurnCredentials.verify(SECRETS, username, credential, TURN_CLOCK.instant().plus(TTL).plusSeconds(1)));
      assertEquals(
          Verdict.FORGED,
          TurnCredentials.verify(TurnSecrets.of("some-other-secret-00000"), username, credential, TURN_CLOCK.instant()));
    }
  }

  @Test
  void everyJoinGetsItsOwnCredentialTimedAtThatJoin() {
    CreatedRoom room = server.createRoom("Relayed twice");
    try (WsClient ada = WsClient.connect(server.ws());
        WsClient bob = WsClient.connect(server.ws())) {
      JsonNode adaTurn = join(ada, room.moderatorToken(), "Ada").at("/iceServers/2");
      TURN_CLOCK.advance(Duration.ofMinutes(5));
      JsonNode bobJoined = join(bob, room.presenterToken(), "Bob");
      JsonNode bobTurn = bobJoined.at("/iceServers/2");

      assertNotEquals(adaTurn.get("username").asText(), bobTurn.get("username").asText());
      assertNotEquals(adaTurn.get("credential").asText(), bobTurn.get("credential").asText());
      long bobExpiry = TURN_CLOCK.instant().plus(TTL).getEpochSecond();
      assertEquals(bobExpiry + ":" + room.id() + "/" + bobJoined.get("participantId").asText(),
          bobTurn.get("username").asText());
    }
  }

  @Test
  void whepLinkHeadersCarryTheSessionsOwnTurnCredential() {
    CreatedRoom room = server.createRoom("Watched");
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri("/whep/" + room.id()))
                .header("Authorization", "Bearer " + room.presenterToken())
                .header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(PLAYER_OFFER))
                .build());

    assertEquals(201, r.statusCode(), r.body());
    List<String> links = r.headers().allValues("Link");
    assertEquals(5, links.size(), links.toString());
    assertEquals("<stun:127.0.0.1:3478>; rel=\"ice-server\"", links.get(0));
    assertEquals("<stun:turn.palco.test:3478>; rel=\"ice-server\"", links.get(1));
    String udp = links.get(2);
    assertTrue(udp.startsWith("<turn:turn.palco.test:3478?transport=udp>; rel=\"ice-server\"; username=\""), udp);
    String username = between(udp, "username=\"", "\"");
    String credential = between(udp, "credential=\"", "\"");
    assertTrue(username.endsWith(":" + room.id() + "/" + between(r.headers().firstValue("Location").orElseThrow() + "|", room.id() + "/", "|")),
        username);
    assertEquals(Verdict.VALID, TurnCredentials.verify(SECRETS, username, credential, TURN_CLOCK.instant()));
    assertTrue(links.get(4).startsWith("<turns:turn.palco.test:443?transport=tcp>"), links.get(4));
    assertTrue(links.get(4).contains("credential-type=\"password\""), links.get(4));
  }

  private static String between(String s, String start, String end) {
    int from = s.indexOf(start) + start.length();
    return s.substring(from, s.indexOf(end, from));
  }
}
