package dev.palco.signaling.whip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.Role;
import dev.palco.signaling.TestServer;
import dev.palco.signaling.TestServer.CreatedRoom;
import dev.palco.signaling.WsClient;
import dev.palco.signaling.media.InMemoryMediaPlane.FakeSession;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** WHIP (RFC 9725) and WHEP over real HTTP: methods, status codes and headers. */
class WhipWhepTest {

  /** What OBS sends: audio and video, sendonly, one ICE ufrag. */
  private static final String OBS_OFFER =
      "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n"
          + "a=ice-ufrag:obs1\r\na=ice-pwd:obspassword0000000000000\r\n"
          + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=sendonly\r\n"
          + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=sendonly\r\n";

  private static final String PLAYER_OFFER =
      "v=0\r\no=- 2 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-ufrag:ply1\r\na=ice-pwd:playerpassword0000000000\r\n"
          + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=recvonly\r\n"
          + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=recvonly\r\n";

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
  void whipPublishCreatesASessionThatJoinsTheRoom() {
    CreatedRoom room = server.createRoom("Ingest");
    try (WsClient mod = WsClient.connect(server.ws())) {
      join(mod, room.moderatorToken());

      HttpResponse<String> r = post("/whip/" + room.id() + "?name=OBS", room.presenterToken(), "application/sdp", OBS_OFFER);

      assertEquals(201, r.statusCode(), r.body());
      assertEquals("application/sdp", r.headers().firstValue("Content-Type").orElseThrow());
      assertTrue(r.body().startsWith("v=0"));
      String location = r.headers().firstValue("Location").orElseThrow();
      assertTrue(location.startsWith("/whip/" + room.id() + "/"), location);
      String etag = r.headers().firstValue("ETag").orElseThrow();
      assertTrue(etag.startsWith("\"") && etag.endsWith("\""), etag);
      assertEquals(List.of("<stun:127.0.0.1:3478>; rel=\"ice-server\""), r.headers().allValues("Link"));
      assertEquals("application/trickle-ice-sdpfrag", r.headers().firstValue("Accept-Patch").orElseThrow());
      assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());

      JsonNode joined = mod.await("participant.joined");
      assertEquals("OBS", joined.at("/participant/name").asText());
      assertEquals("camera", mod.await("track.published", m -> m.at("/track/kind").asText().equals("video")).at("/track/source").asText());
      assertEquals("microphone", mod.await("track.published", m -> m.at("/track/kind").asText().equals("audio")).at("/track/source").asText());

      // DELETE ends it: the room sees the ingest leave.
      HttpResponse<String> deleted = send("DELETE", location, room.presenterToken(), null, null);
      assertEquals(200, deleted.statusCode());
      assertEquals("left", mod.await("participant.left").get("reason").asText());
      assertEquals(404, send("DELETE", location, room.presenterToken(), null, null).statusCode());
    }
  }

  @Test
  void whipPostRefusalsHaveTheRightCodes() {
    CreatedRoom room = server.createRoom("Ingest");
    assertEquals(401, post("/whip/" + room.id(), null, "application/sdp", OBS_OFFER).statusCode());
    HttpResponse<String> forged = post("/whip/" + room.id(), room.presenterToken() + "x", "application/sdp", OBS_OFFER);
    assertEquals(401, forged.statusCode());
    assertEquals("Bearer", forged.headers().firstValue("WWW-Authenticate").orElseThrow());
    String expired = server.tokens.issue(room.id(), Role.PRESENTER, server.clock.instant().minusSeconds(1));
    assertTrue(post("/whip/" + room.id(), expired, "application/sdp", OBS_OFFER).body().contains("token-expired"));
    CreatedRoom other = server.createRoom("Other");
    assertEquals(401, post("/whip/" + room.id(), other.presenterToken(), "application/sdp", OBS_OFFER).statusCode());
    String noRoomToken = server.tokens.issue("nxroom", Role.PRESENTER, server.clock.instant().plusSeconds(60));
    assertEquals(404, post("/whip/nxroom", noRoomToken, "application/sdp", OBS_OFFER).statusCode());
    assertEquals(415, post("/whip/" + room.id(), room.presenterToken(), "application/json", "{}").statusCode());
    assertEquals(415, post("/whip/" + room.id(), room.presenterToken(), "text/plain", OBS_OFFER).statusCode());

    HttpResponse<String> notSdp = post("/whip/" + room.id(), room.presenterToken(), "application/sdp", "hello");
    assertEquals(400, notSdp.statusCode());
    HttpResponse<String> refused =
        post("/whip/" + room.id(), room.presenterToken(), "application/sdp", OBS_OFFER + "a=x-reject:m=video mid=1: no supported codec\r\n");
    assertEquals(400, refused.statusCode());
    assertTrue(refused.body().contains("m=video mid=1: no supported codec"), refused.body());
    assertEquals(0, server.server.rooms().get(room.id()).participantCount(), "a refused offer leaves no seat");

    assertEquals(405, send("GET", "/whip/" + room.id(), room.presenterToken(), null, null).statusCode());
  }

  @Test
  void whipPatchTricklesAndRestartsIce() {
    CreatedRoom room = server.createRoom("Ingest");
    HttpResponse<String> created = post("/whip/" + room.id(), room.presenterToken(), "application/sdp", OBS_OFFER);
    String location = created.headers().firstValue("Location").orElseThrow();
    String etag = created.headers().firstValue("ETag").orElseThrow();
    JsonNode snapshot = snapshot(room);
    String participantId = snapshot.at("/participants/0/id").asText();
    FakeSession media = server.media.session(room.id(), participantId);
    String frag = "a=ice-ufrag:obs1\r\na=ice-pwd:obspassword0000000000000\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
        + "a=candidate:1 1 udp 2122260223 192.0.2.1 61764 typ host\r\na=end-of-candidates\r\n";

    assertEquals(415, send("PATCH", location, room.presenterToken(), "application/sdp", frag).statusCode());
    assertEquals(401, send("PATCH", location, null, "application/trickle-ice-sdpfrag", frag).statusCode());
    assertEquals(404, send("PATCH", "/whip/" + room.id() + "/nosuchsession", room.presenterToken(), "application/trickle-ice-sdpfrag", frag).statusCode());
    assertEquals(412, send("PATCH", location, room.presenterToken(), "application/trickle-ice-sdpfrag", frag, "\"stale\"").statusCode());
    assertEquals(400, send("PATCH", location, room.presenterToken(), "application/trickle-ice-sdpfrag", "garbage line").statusCode());

    HttpResponse<String> trickled = send("PATCH", location, room.presenterToken(), "application/trickle-ice-sdpfrag", frag, etag);
    assertEquals(204, trickled.statusCode());
    awaitTrue(() -> media.remoteCandidates.size() == 1 && media.endOfCandidates);
    assertEquals("0", media.remoteCandidates.get(0).sdpMid());
    assertEquals(0, media.remoteCandidates.get(0).sdpMLineIndex());

    String restart = "a=ice-ufrag:obs2\r\na=ice-pwd:obspassword1111111111111\r\n";
    assertEquals(428, send("PATCH", location, room.presenterToken(), "application/trickle-ice-sdpfrag", restart).statusCode());
    HttpResponse<String> restarted = send("PATCH", location, room.presenterToken(), "application/trickle-ice-sdpfrag", restart, "*");
    assertEquals(200, restarted.statusCode());
    assertEquals("application/trickle-ice-sdpfrag", restarted.headers().firstValue("Content-Type").orElseThrow());
    assertTrue(restarted.body().contains("a=ice-ufrag:srv1") && restarted.body().contains("a=ice-pwd:"), restarted.body());
    String newEtag = restarted.headers().firstValue("ETag").orElseThrow();
    assertNotEquals(etag, newEtag);
    assertEquals("obs2", media.restarts.get(0).ufrag());
    assertEquals(412, send("PATCH", location, room.presenterToken(), "application/trickle-ice-sdpfrag", frag, etag).statusCode());
  }

  @Test
  void whepPlaysTheRoomsTracks() {
    CreatedRoom room = server.createRoom("Playback");
    HttpResponse<String> ingest = post("/whip/" + room.id(), room.presenterToken(), "application/sdp", OBS_OFFER);
    assertEquals(201, ingest.statusCode());

    HttpResponse<String> r = post("/whep/" + room.id(), room.moderatorToken(), "application/sdp", PLAYER_OFFER);

    assertEquals(201, r.statusCode(), r.body());
    String location = r.headers().firstValue("Location").orElseThrow();
    assertTrue(location.startsWith("/whep/" + room.id() + "/"));
    assertNotNull(r.headers().firstValue("ETag").orElse(null));
    assertEquals(2, r.body().split("a=sendonly").length - 1, "both ingest tracks offered to the player:\n" + r.body());
    assertEquals(2, server.media.sessionCount(room.id()));
    assertEquals(0, snapshot(room).at("/participants/1").size(), "a player takes no seat");

    assertEquals(415, post("/whep/" + room.id(), room.moderatorToken(), "text/plain", PLAYER_OFFER).statusCode());
    assertEquals(401, post("/whep/" + room.id(), null, "application/sdp", PLAYER_OFFER).statusCode());
    assertEquals(400, post("/whep/" + room.id(), room.moderatorToken(), "application/sdp", "nope").statusCode());
    // A WHEP session is not reachable under /whip.
    assertEquals(404, send("DELETE", location.replace("/whep/", "/whip/"), room.moderatorToken(), null, null).statusCode());

    assertEquals(200, send("DELETE", location, room.moderatorToken(), null, null).statusCode());
    assertEquals(1, server.media.sessionCount(room.id()));
    assertEquals(404, send("DELETE", location, room.moderatorToken(), null, null).statusCode());
  }

  @Test
  void roomEndClosesWhipAndWhepSessions() {
    CreatedRoom room = server.createRoom("Ending");
    String whip = post("/whip/" + room.id(), room.presenterToken(), "application/sdp", OBS_OFFER).headers().firstValue("Location").orElseThrow();
    String whep = post("/whep/" + room.id(), room.presenterToken(), "application/sdp", PLAYER_OFFER).headers().firstValue("Location").orElseThrow();
    assertEquals(2, server.media.sessionCount(room.id()));

    assertEquals(204, send("DELETE", "/api/rooms/" + room.id(), room.moderatorToken(), null, null).statusCode());

    assertEquals(404, send("DELETE", whip, room.presenterToken(), null, null).statusCode());
    assertEquals(404, send("DELETE", whep, room.presenterToken(), null, null).statusCode());
  }

  @Test
  void optionsIsACorsPreflightExposingTheWhipHeaders() {
    CreatedRoom room = server.createRoom("Cors");
    for (String path : new String[] {"/whip/" + room.id(), "/whep/" + room.id(), "/whip/" + room.id() + "/any"}) {
      HttpResponse<String> r =
          server.send(
              HttpRequest.newBuilder(server.uri(path))
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .header("Origin", "https://player.example")
                  .header("Access-Control-Request-Method", "POST")
                  .header("Access-Control-Request-Headers", "authorization, content-type")
                  .build());
      assertEquals(204, r.statusCode(), path);
      assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
      String exposed = r.headers().firstValue("Access-Control-Expose-Headers").orElseThrow();
      assertTrue(exposed.contains("Location") && exposed.contains("ETag") && exposed.contains("Link"), exposed);
      String allowed = r.headers().firstValue("Access-Control-Allow-Headers").orElseThrow();
      assertTrue(allowed.contains("Authorization") && allowed.contains("Content-Type") && allowed.contains("If-Match"));
      assertFalse(r.headers().firstValue("Access-Control-Allow-Methods").orElseThrow().isEmpty());
    }
  }

  @Test
  void sdpFragmentParsesSectionsCandidatesAndCredentials() {
    SdpFragment f = SdpFragment.parse(
        "a=ice-ufrag:EsAw\na=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1\nm=audio 9 RTP/AVP 0\na=mid:0\n"
            + "a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0\n"
            + "m=video 9 RTP/AVP 96\na=mid:1\na=candidate:2 1 udp 2122194687 198.51.100.2 61765 typ host\n");
    assertEquals("EsAw", f.ufrag());
    assertEquals("P2uYro0UCOQ4zxjKXaWCBui1", f.pwd());
    assertEquals(2, f.candidates().size());
    assertEquals("1", f.candidates().get(1).sdpMid());
    assertEquals(1, f.candidates().get(1).sdpMLineIndex());
    assertFalse(f.endOfCandidates());
    for (String bad : new String[] {"x", "a=ice-ufrag:only", "a=candidate:1 1 udp", "a=ice-ufrag:\na=ice-pwd:p"}) {
      try {
        SdpFragment.parse(bad);
        throw new AssertionError("accepted " + bad);
      } catch (IllegalArgumentException expected) {
        // refused with a reason
      }
    }
  }

  private static void join(WsClient c, String token) {
    ObjectNode m = c.message("join");
    m.put("protocol", 1);
    m.put("token", token);
    m.put("name", "Mod");
    c.send(m);
    c.await("joined");
  }

  private static JsonNode snapshot(CreatedRoom room) {
    try {
      return dev.palco.signaling.Json.MAPPER.readTree(
          send("GET", "/api/rooms/" + room.id(), room.moderatorToken(), null, null).body());
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + WsClient.DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(200_000L);
    }
  }

  private static HttpResponse<String> post(String path, String bearer, String type, String body) {
    return send("POST", path, bearer, type, body);
  }

  private static HttpResponse<String> send(String method, String path, String bearer, String type, String body) {
    return send(method, path, bearer, type, body, null);
  }

  private static HttpResponse<String> send(
      String method, String path, String bearer, String type, String body, String ifMatch) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.uri(path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (type != null) {
      b.header("Content-Type", type);
    }
    if (ifMatch != null) {
      b.header("If-Match", ifMatch);
    }
    return server.send(b.build());
  }
}
