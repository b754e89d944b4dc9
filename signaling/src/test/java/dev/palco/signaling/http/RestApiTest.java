package dev.palco.signaling.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palco.signaling.Json;
import dev.palco.signaling.Role;
import dev.palco.signaling.TestServer;
import dev.palco.signaling.TestServer.CreatedRoom;
import dev.palco.signaling.WsClient;
import dev.palco.signaling.token.JoinTokens;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RestApiTest {

  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void createReturnsIdNameLinksAndExpiry() throws Exception {
    HttpResponse<String> r = post("/api/rooms", "{\"name\": \"Friday panel\"}");

    assertEquals(201, r.statusCode());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
    JsonNode body = Json.MAPPER.readTree(r.body());
    String id = body.get("id").asText();
    assertTrue(id.matches("[a-z0-9]{6}"), id);
    assertEquals("/api/rooms/" + id, r.headers().firstValue("Location").orElseThrow());
    assertEquals("Friday panel", body.get("name").asText());
    String base = "http://127.0.0.1:" + server.server.address().getPort() + "/r/" + id + "?t=";
    String moderator = body.at("/links/moderator").asText();
    String presenter = body.at("/links/presenter").asText();
    assertTrue(moderator.startsWith(base), moderator);
    assertTrue(presenter.startsWith(base), presenter);
    assertEquals(Role.MODERATOR, server.tokens.verify(moderator.substring(base.length()), id).role());
    assertEquals(Role.PRESENTER, server.tokens.verify(presenter.substring(base.length()), id).role());
    assertEquals("2026-05-02T10:00:00Z", body.get("expiresAt").asText());
  }

  @Test
  void createWithoutBodyGetsADefaultName() throws Exception {
    HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/api/rooms")).POST(HttpRequest.BodyPublishers.noBody()).build());
    assertEquals(201, r.statusCode());
    assertEquals("Untitled room", Json.MAPPER.readTree(r.body()).get("name").asText());
  }

  /** A client that asks for h2c (RFC 7540 §3.2 upgrade) gets HTTP/2 in cleartext; one that does not, HTTP/1.1. */
  @Test
  void cleartextClientsGetHttp2ByUpgradeOrStayOnHttp11() throws Exception {
    for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1)) {
      HttpClient client = HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build();
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri("/healthz")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(version, r.version());
      }
    }
  }

  @Test
  void roomIdsAreDistinct() {
    assertNotEquals(server.createRoom("a").id(), server.createRoom("b").id());
  }

  @Test
  void createRefusesBadBodies() throws Exception {
    assertError(post("/api/rooms", "not json"), 400, "bad-json");
    assertError(post("/api/rooms", "[1]"), 400, "bad-json");
    assertError(post("/api/rooms", "{\"name\": 5}"), 400, "bad-message");
    assertError(post("/api/rooms", "{\"name\": \"" + "x".repeat(101) + "\"}"), 400, "bad-message");
  }

  @Test
  void getNeedsTheModeratorBearer() throws Exception {
    CreatedRoom room = server.createRoom("Panel");

    assertError(get("/api/rooms/" + room.id(), null), 401, "token-malformed");
    assertError(get("/api/rooms/" + room.id(), "garbage"), 401, "token-malformed");
    assertError(get("/api/rooms/" + room.id(), room.presenterToken()), 403, "forbidden");
    CreatedRoom other = server.createRoom("Other");
    assertError(get("/api/rooms/" + room.id(), other.moderatorToken()), 401, "token-wrong-room");
    JoinTokens foreign = new JoinTokens("some-other-server-secret".getBytes(StandardCharsets.UTF_8), server.clock);
    assertError(
        get("/api/rooms/" + room.id(), foreign.issue(room.id(), Role.MODERATOR, server.clock.instant().plusSeconds(60))),
        401, "token-bad-signature");

    HttpResponse<String> ok = get("/api/rooms/" + room.id(), room.moderatorToken());
    assertEquals(200, ok.statusCode());
    JsonNode body = Json.MAPPER.readTree(ok.body());
    assertEquals(room.id(), body.get("id").asText());
    assertEquals("Panel", body.get("name").asText());
    assertTrue(body.get("participants").isArray());
  }

  @Test
  void unauthorizedAnswersCarryWwwAuthenticate() {
    CreatedRoom room = server.createRoom("Panel");
    HttpResponse<String> r = get("/api/rooms/" + room.id(), null);
    assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElseThrow());
  }

  @Test
  void getShowsParticipantsAndTracks() throws Exception {
    CreatedRoom room = server.createRoom("Panel");
    try (WsClient ada = WsClient.connect(server.ws())) {
      ada.send(join(ada, room.presenterToken(), "Ada"));
      ada.await("joined");
      JsonNode body = Json.MAPPER.readTree(get("/api/rooms/" + room.id(), room.moderatorToken()).body());
      assertEquals("Ada", body.at("/participants/0/name").asText());
      assertEquals("presenter", body.at("/participants/0/role").asText());
      assertTrue(body.at("/participants/0/connected").asBoolean());
    }
  }

  @Test
  void deleteEndsTheRoomForEveryone() {
    CreatedRoom room = server.createRoom("Panel");
    try (WsClient ada = WsClient.connect(server.ws())) {
      ada.send(join(ada, room.presenterToken(), "Ada"));
      ada.await("joined");

      assertError(delete("/api/rooms/" + room.id(), null), 401, "token-malformed");
      assertError(delete("/api/rooms/" + room.id(), room.presenterToken()), 403, "forbidden");
      HttpResponse<String> r = delete("/api/rooms/" + room.id(), room.moderatorToken());
      assertEquals(204, r.statusCode());

      assertEquals("ended by moderator", ada.await("room.ended").get("reason").asText());
      assertEquals(4000, ada.awaitClose());
      assertError(get("/api/rooms/" + room.id(), room.moderatorToken()), 404, "room-not-found");
      assertError(delete("/api/rooms/" + room.id(), room.moderatorToken()), 404, "room-not-found");
    }
  }

  @Test
  void aServerWithoutABridgeRefusesTheBroadcastAndServesNoStream() throws Exception {
    CreatedRoom room = server.createRoom("Panel");
    String path = "/api/rooms/" + room.id() + "/broadcast";

    assertError(get(path, null), 401, "token-malformed");
    assertError(get(path, room.presenterToken()), 403, "forbidden");
    HttpResponse<String> state = get(path, room.moderatorToken());
    assertEquals(200, state.statusCode());
    assertFalse(Json.MAPPER.readTree(state.body()).get("live").asBoolean());

    HttpResponse<String> start = server.send(HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(5))
        .header("Authorization", "Bearer " + room.moderatorToken())
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    assertError(start, 503, "broadcast-unavailable");
    HttpResponse<String> restart = server.send(HttpRequest.newBuilder(server.uri(path + "/restart"))
        .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + room.moderatorToken())
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    assertError(restart, 503, "broadcast-unavailable");
    assertEquals(405, get(path + "/restart", room.moderatorToken()).statusCode());
    assertEquals(204, delete(path, room.moderatorToken()).statusCode());
    assertError(get("/api/rooms/no-such-room/broadcast", room.moderatorToken()), 401, "token-wrong-room");

    assertEquals(404, get("/hls/" + room.id() + "/index.m3u8", null).statusCode());
    assertEquals(404, get("/hls/", null).statusCode());
    assertEquals(404, get("/hls/" + room.id(), null).statusCode());
  }

  @Test
  void corsAllowsAnyOriginAndAnswersPreflight() {
    HttpResponse<String> preflight =
        server.send(
            HttpRequest.newBuilder(server.uri("/api/rooms"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://elsewhere.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .build());
    assertEquals(204, preflight.statusCode());
    assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow().contains("POST"));
    assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().contains("Content-Type"));

    HttpResponse<String> created = post("/api/rooms", "{}");
    assertEquals("*", created.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    assertTrue(created.headers().firstValue("Access-Control-Expose-Headers").orElseThrow().contains("Location"));
  }

  @Test
  void otherMethodsAre405() {
    HttpResponse<String> r =
        server.send(HttpRequest.newBuilder(server.uri("/api/rooms")).PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
    assertEquals(405, r.statusCode());
    assertTrue(r.headers().firstValue("Allow").orElseThrow().contains("POST"));
  }

  @Test
  void healthzSaysOk() throws Exception {
    HttpResponse<String> r = get("/healthz", null);
    assertEquals(200, r.statusCode());
    JsonNode body = Json.MAPPER.readTree(r.body());
    assertEquals("ok", body.get("status").asText());
    assertTrue(body.has("rooms") && body.has("sessions"));
  }

  @Test
  void metricsExposeTheServerSeries() {
    CreatedRoom room = server.createRoom("Metered");
    try (WsClient ada = WsClient.connect(server.ws())) {
      ada.send(join(ada, room.presenterToken(), "Ada"));
      ada.await("joined");
      ada.expectError(ada.message("no.such.type"));

      HttpResponse<String> r = get("/metrics", null);
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
      String text = r.body();
      for (String series :
          new String[] {
            "palco_signaling_sessions ",
            "palco_rooms ",
            "palco_participants ",
            "palco_whip_sessions ",
            "palco_whep_sessions ",
            "palco_signaling_messages_in_total{type=\"join\"}",
            "palco_signaling_messages_in_total{type=\"unknown\"}",
            "palco_signaling_messages_out_total{type=\"joined\"}",
            "palco_signaling_errors_total{code=\"unknown-type\"}",
            "palco_signaling_errors_total{code=\"rate-limited\"}",
            "palco_media_sessions ",
          }) {
        assertTrue(text.contains(series), "missing " + series + " in\n" + text);
      }
    }
  }

  static com.fasterxml.jackson.databind.node.ObjectNode join(WsClient client, String token, String name) {
    com.fasterxml.jackson.databind.node.ObjectNode m = client.message("join");
    m.put("protocol", 1);
    m.put("token", token);
    m.put("name", name);
    return m;
  }

  private static void assertError(HttpResponse<String> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.body());
    try {
      assertEquals(code, Json.MAPPER.readTree(r.body()).at("/error/code").asText(), r.body());
    } catch (java.io.IOException e) {
      throw new AssertionError(r.body(), e);
    }
  }

  private static HttpResponse<String> post(String path, String body) {
    return server.send(
        HttpRequest.newBuilder(server.uri(path))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static HttpResponse<String> get(String path, String bearer) {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(5)).GET();
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return server.send(b.build());
  }

  private static HttpResponse<String> delete(String path, String bearer) {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(5)).DELETE();
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return server.send(b.build());
  }
}
