package dev.palco.signaling.whip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palco.server.PalcoServer;
import dev.palco.server.ServerConfig;
import dev.palco.sfu.client.ClientSdp;
import dev.palco.sfu.room.Participant;
import dev.palco.sfu.room.Room;
import dev.palco.sfu.room.SfuConfig;
import dev.palco.sfu.room.WebRtcNegotiation;
import dev.palco.sfu.sdp.Direction;
import dev.palco.sfu.sdp.MediaDescription;
import dev.palco.sfu.transport.CandidateDescription;
import dev.palco.sfu.transport.IceConfig;
import dev.palco.sfu.transport.IceCredentials;
import dev.palco.sfu.transport.WebRtcTransport;
import dev.palco.sfu.transport.WebRtcTransportState;
import dev.palco.signaling.Json;
import dev.palco.signaling.media.SfuMediaPlane;
import dev.palco.signaling.whip.LoopbackMedia.Player;
import dev.palco.signaling.whip.LoopbackMedia.Publisher;
import dev.palco.signaling.whip.LoopbackMedia.Received;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WHEP over real HTTP against the real media plane, with no browser: a WHIP publisher and a WHEP
 * player made of the SFU's own client stack ({@link LoopbackMedia}) connect over ICE and
 * DTLS-SRTP on loopback. The player's media is checked packet by packet: SSRCs from the answer,
 * the payload types it offered, a keyframe first, the publisher's own payloads.
 */
class WhepMediaTest {
  private static final String SECRET = "whep-media-test-secret-0123456789";
  private static final int PLAYER_OPUS_PT = 109;
  private static final int PLAYER_VP8_PT = 100;
  private static final int PLAYER_VP8_RTX_PT = 101;
  private static final int MAX_PLAYERS = 2;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final long WAIT_MS = 15_000;

  private static SfuMediaPlane media;
  private static PalcoServer server;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private record CreatedRoom(String id, String moderatorToken, String presenterToken) {}

  @BeforeAll
  static void start() throws Exception {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("palco.http.port", 0);
    overrides.put("palco.http.bind", "127.0.0.1");
    overrides.put("palco.tokens.secret", SECRET);
    overrides.put("palco.shutdown-grace", "1s");
    overrides.put("palco.rooms.max-players", MAX_PLAYERS);
    // Room journals under target/, not in the working tree.
    overrides.put("palco.data-dir", "target/whep-media-data-" + System.nanoTime());
    // Loopback only, UDP only.
    IceConfig ice = IceConfig.defaults(List.of(InetAddress.getByName("127.0.0.1"))).withPorts(0, false, 0);
    media = SfuMediaPlane.start(ice, SfuConfig.defaults());
    server = PalcoServer.start(ServerConfig.load(null, overrides), media, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void aPlayerGetsTheRoomsMediaThroughTrickleAndIceRestartAndFollowsANewPublisher() throws Exception {
    CreatedRoom room = createRoom("Playback");
    try (Publisher first = new Publisher("whip-1", 0x1000_0000L);
        Publisher second = new Publisher("whip-2", 0x2000_0000L);
        Player player = new Player("whep", PLAYER_OPUS_PT, PLAYER_VP8_PT, PLAYER_VP8_RTX_PT)) {
      String firstLocation = publish(room, first);

      // POST: 201, the answer with sendonly sections in the player's numbers, Location, ETag.
      HttpResponse<String> created = send("POST", "/whep/" + room.id(), room.moderatorToken(), "application/sdp",
          player.offer(), null);
      assertEquals(201, created.statusCode(), created.body());
      assertEquals("application/sdp", created.headers().firstValue("Content-Type").orElseThrow());
      String location = created.headers().firstValue("Location").orElseThrow();
      assertTrue(location.startsWith("/whep/" + room.id() + "/"), location);
      String etag = created.headers().firstValue("ETag").orElseThrow();
      ClientSdp.Answer answer = ClientSdp.readAnswer(created.body());
      MediaDescription audio = answer.description().media().get(0);
      MediaDescription video = answer.description().media().get(1);
      assertEquals(Direction.SENDONLY, audio.direction());
      assertEquals(Direction.SENDONLY, video.direction());
      assertEquals(List.of("109"), audio.mediaLine().formats());
      assertEquals(List.of("100", "101"), video.mediaLine().formats());
      assertTrue(created.body().contains("a=setup:passive"), created.body());
      long audioSsrc = audio.ssrcIds().get(0);
      long videoSsrc = video.ssrcGroups().get(0).ssrcs().get(0);
      Participant sfuPlayer = sfuPlayers(room.id()).get(0);
      assertEquals(1, sfuPlayers(room.id()).size());

      // A player is no stage participant: the room's REST view lists only the WHIP seat.
      JsonNode snapshot = Json.MAPPER.readTree(
          send("GET", "/api/rooms/" + room.id(), room.moderatorToken(), null, null, null).body());
      assertEquals(1, snapshot.get("participants").size(), snapshot.toString());

      player.client.connect(answer.iceUfrag(), answer.icePwd(), answer.fingerprint(), answer.candidates(),
          CONNECT_TIMEOUT);
      await("the first publisher's media at the player",
          () -> player.countFrom(videoSsrc, first.videoSsrc) >= 30 && player.countFrom(audioSsrc, first.audioSsrc) >= 25,
          () -> describe(player, videoSsrc, audioSsrc));
      List<Received> videoPackets = player.stream(videoSsrc);
      assertTrue(videoPackets.get(0).keyframeStart(), "the player's video starts on a keyframe");
      assertTrue(first.keyframeRequests.get() > 0, "the keyframe was asked of the publisher");
      assertPayloadTypes(player.stream(audioSsrc), PLAYER_OPUS_PT);
      assertPayloadTypes(videoPackets, PLAYER_VP8_PT, PLAYER_VP8_RTX_PT);
      assertEquals(0, player.malformed());

      // PATCH with a trickled candidate: 204, the ETag unchanged.
      IceCredentials creds = player.client.localCredentials();
      HttpResponse<String> trickled = send("PATCH", location, room.moderatorToken(), "application/trickle-ice-sdpfrag",
          fragment(creds, player.client.localCandidates()), etag);
      assertEquals(204, trickled.statusCode(), trickled.body());
      assertEquals(etag, trickled.headers().firstValue("ETag").orElseThrow());

      // PATCH with new credentials restarts ICE (If-Match: *); media goes on over the new path.
      IceCredentials restarted = player.client.restartIce();
      HttpResponse<String> restart = send("PATCH", location, room.moderatorToken(), "application/trickle-ice-sdpfrag",
          fragment(restarted, player.client.localCandidates()), "*");
      assertEquals(200, restart.statusCode(), restart.body());
      assertNotEquals(etag, restart.headers().firstValue("ETag").orElseThrow());
      SdpFragment serverSide = SdpFragment.parse(restart.body());
      assertNotEquals(answer.iceUfrag(), serverSide.ufrag());
      int beforeRestart = player.countFrom(videoSsrc, first.videoSsrc);
      player.client.continueIceRestart(serverSide.ufrag(), serverSide.pwd(), answer.candidates());
      await("media after the ICE restart", () -> player.countFrom(videoSsrc, first.videoSsrc) >= beforeRestart + 60,
          () -> describe(player, videoSsrc, audioSsrc));

      // The publisher leaves: the player's sections fall silent, and take up the next publisher's
      // tracks on the SSRCs the player already knows, continuing their sequence numbers.
      first.stopSending();
      assertEquals(0, first.sendFailures.get());
      assertEquals(200, send("DELETE", firstLocation, room.presenterToken(), null, null, null).statusCode());
      await("the player's sections are silent", () -> {
        Map<String, ?> carried = sfuPlayer.playbackTracksByMid();
        return carried.size() == 2 && carried.get("0") == null && carried.get("1") == null;
      }, () -> sfuPlayer.playbackTracksByMid().toString());
      publish(room, second);
      await("the second publisher's media at the player",
          () -> player.countFrom(videoSsrc, second.videoSsrc) >= 20 && player.countFrom(audioSsrc, second.audioSsrc) >= 20,
          () -> describe(player, videoSsrc, audioSsrc));
      // Taken now, not when the sections fell silent: the first publisher's last packets may still
      // have been on their way to the player then.
      Received lastVideo = lastFrom(player.stream(videoSsrc), first.videoSsrc);
      Received lastAudio = lastFrom(player.stream(audioSsrc), first.audioSsrc);
      Received resumedVideo = firstFrom(player.stream(videoSsrc), second.videoSsrc);
      Received resumedAudio = firstFrom(player.stream(audioSsrc), second.audioSsrc);
      assertTrue(resumedVideo.keyframeStart(), "the new track starts on a keyframe");
      assertEquals((lastVideo.sequenceNumber() + 1) & 0xFFFF, resumedVideo.sequenceNumber(),
          "video sequence numbers go on: " + lastVideo + " then " + resumedVideo);
      assertEquals((lastAudio.sequenceNumber() + 1) & 0xFFFF, resumedAudio.sequenceNumber(),
          "audio sequence numbers go on: " + lastAudio + " then " + resumedAudio);
      assertPayloadTypes(player.stream(videoSsrc), PLAYER_VP8_PT, PLAYER_VP8_RTX_PT);
      assertPayloadTypes(player.stream(audioSsrc), PLAYER_OPUS_PT);

      // DELETE: 200, the player's participant and transport are gone, the client is told.
      WebRtcTransport transport = (WebRtcTransport) sfuPlayer.transport();
      int transportsBefore = media.iceServer().openTransports();
      assertEquals(200, send("DELETE", location, room.moderatorToken(), null, null, null).statusCode());
      assertTrue(sfuPlayer.isClosed());
      assertEquals(WebRtcTransportState.CLOSED, transport.state());
      assertEquals(List.of(), sfuPlayers(room.id()));
      await("the ICE transport is released", () -> media.iceServer().openTransports() == transportsBefore - 1,
          () -> media.iceServer().openTransports() + " open");
      await("the player saw close_notify", player.client::isClosedByPeer, player.client::toString);
      assertEquals(404, send("DELETE", location, room.moderatorToken(), null, null, null).statusCode());
      assertEquals(404, send("PATCH", location, room.moderatorToken(), "application/trickle-ice-sdpfrag",
          fragment(restarted, List.of()), null).statusCode());
      assertEquals(0, second.sendFailures.get());
    }
  }

  /** The media plane's series are on /metrics, the shared port's ICE counters included. */
  @Test
  void metricsCarryTheMediaPlanesSeries() throws Exception {
    HttpResponse<String> r = send("GET", "/metrics", null, null, null, null);
    assertEquals(200, r.statusCode());
    for (String series : new String[] {
        "palco_sfu_media_transports ",
        "palco_sfu_players ",
        "palco_sfu_ice_address_handovers_total ",
        "palco_sfu_ice_foreign_checks_dropped_total ",
    }) {
      assertTrue(r.body().contains(series), "missing " + series + " in\n" + r.body());
    }
  }

  @Test
  void playersCountAgainstTheRoomsLimitAndCloseWithTheRoom() throws Exception {
    CreatedRoom room = createRoom("Ending");
    List<String> locations = new ArrayList<>();
    try (Player a = new Player("whep-a", PLAYER_OPUS_PT, PLAYER_VP8_PT, PLAYER_VP8_RTX_PT);
        Player b = new Player("whep-b", PLAYER_OPUS_PT, PLAYER_VP8_PT, PLAYER_VP8_RTX_PT);
        Player c = new Player("whep-c", PLAYER_OPUS_PT, PLAYER_VP8_PT, PLAYER_VP8_RTX_PT)) {
      for (Player p : List.of(a, b)) {
        HttpResponse<String> r = send("POST", "/whep/" + room.id(), room.presenterToken(), "application/sdp",
            p.offer(), null);
        assertEquals(201, r.statusCode(), r.body());
        // Nothing is published yet: both sections inactive, no stream announced.
        for (MediaDescription m : ClientSdp.readAnswer(r.body()).description().media()) {
          assertEquals(Direction.INACTIVE, m.direction());
          assertTrue(m.ssrcs().isEmpty());
        }
        locations.add(r.headers().firstValue("Location").orElseThrow());
      }
      HttpResponse<String> full = send("POST", "/whep/" + room.id(), room.presenterToken(), "application/sdp",
          c.offer(), null);
      assertEquals(503, full.statusCode(), full.body());
      assertTrue(full.body().contains("room-full"), full.body());
      List<Participant> players = sfuPlayers(room.id());
      assertEquals(2, players.size(), "the refused player opened nothing");

      assertEquals(204, send("DELETE", "/api/rooms/" + room.id(), room.moderatorToken(), null, null, null).statusCode());
      for (Participant p : players) {
        assertTrue(p.isClosed());
        assertEquals(WebRtcTransportState.CLOSED, ((WebRtcTransport) p.transport()).state());
      }
      assertNull(media.sfu().room(room.id()));
      for (String location : locations) {
        assertEquals(404, send("DELETE", location, room.moderatorToken(), null, null, null).statusCode());
      }
    }
  }

  /** Publishes over WHIP, connects and starts sending; returns the session's Location. */
  private static String publish(CreatedRoom room, Publisher publisher) throws Exception {
    HttpResponse<String> r = send("POST", "/whip/" + room.id(), room.presenterToken(), "application/sdp",
        publisher.offer(), null);
    assertEquals(201, r.statusCode(), r.body());
    ClientSdp.Answer answer = ClientSdp.readAnswer(r.body());
    publisher.client.connect(answer.iceUfrag(), answer.icePwd(), answer.fingerprint(), answer.candidates(),
        CONNECT_TIMEOUT);
    publisher.start();
    return r.headers().firstValue("Location").orElseThrow();
  }

  /** A trickle fragment (RFC 8840 §9): the credentials, the first section, its candidates. */
  private static String fragment(IceCredentials creds, List<CandidateDescription> candidates) {
    StringBuilder f = new StringBuilder()
        .append("a=ice-ufrag:").append(creds.ufrag()).append("\r\n")
        .append("a=ice-pwd:").append(creds.pwd()).append("\r\n")
        .append("m=audio 9 UDP/TLS/RTP/SAVPF ").append(PLAYER_OPUS_PT).append("\r\n")
        .append("a=mid:0\r\n");
    for (CandidateDescription c : candidates) {
      f.append("a=candidate:").append(WebRtcNegotiation.toSdp(c).toValue()).append("\r\n");
    }
    return f.append("a=end-of-candidates\r\n").toString();
  }

  private static List<Participant> sfuPlayers(String roomId) {
    Room room = media.sfu().room(roomId);
    List<Participant> out = new ArrayList<>();
    if (room != null) {
      for (Participant p : room.participants()) {
        if (p.isPlayer()) {
          out.add(p);
        }
      }
    }
    return out;
  }

  private static void assertPayloadTypes(List<Received> packets, Integer... allowed) {
    List<Integer> ok = List.of(allowed);
    for (Received r : packets) {
      assertTrue(ok.contains(r.payloadType()), "payload type " + r.payloadType() + " not among " + ok);
    }
  }

  private static Received lastFrom(List<Received> packets, long sourceSsrc) {
    for (int i = packets.size() - 1; i >= 0; i--) {
      if (packets.get(i).sourceId() == sourceSsrc) {
        return packets.get(i);
      }
    }
    throw new AssertionError("nothing from " + sourceSsrc);
  }


  private static Received firstFrom(List<Received> packets, long sourceSsrc) {
    for (Received r : packets) {
      if (r.sourceId() == sourceSsrc) {
        return r;
      }
    }
    throw new AssertionError("nothing from " + sourceSsrc);
  }

  private static String describe(Player player, long videoSsrc, long audioSsrc) {
    return "player received " + player.total() + " packets, video " + player.stream(videoSsrc).size()
        + ", audio " + player.stream(audioSsrc).size() + "; " + player.client + " " + player.client.counters()
        + "; SFU: " + describeSfu();
  }

  private static String describeSfu() {
    StringBuilder out = new StringBuilder();
    for (Room room : media.sfu().rooms()) {
      for (Participant p : room.participants()) {
        out.append("\n  ").append(p.id()).append(p.isPlayer() ? " (player)" : "").append(' ')
            .append(p.publications()).append(' ').append(p.stats().drops());
        for (var sub : p.subscriptions()) {
          out.append("\n    ").append(sub).append(' ').append(sub.stats());
        }
      }
    }
    return out.toString();
  }

  /** Polls with a deadline, the only way these tests wait. */
  private static void await(String what, BooleanSupplier condition, Supplier<String> detail) {
    long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + ": " + detail.get());
      }
      Thread.onSpinWait();
      LockSupport.parkNanos(1_000_000L);
    }
  }

  private static CreatedRoom createRoom(String name) throws IOException, InterruptedException {
    HttpResponse<String> r = send("POST", "/api/rooms", null, "application/json", "{\"name\":\"" + name + "\"}", null);
    assertEquals(201, r.statusCode(), r.body());
    JsonNode body = Json.MAPPER.readTree(r.body());
    return new CreatedRoom(body.get("id").asText(), tokenOf(body.at("/links/moderator").asText()),
        tokenOf(body.at("/links/presenter").asText()));
  }

  private static String tokenOf(String link) {
    return link.substring(link.indexOf("?t=") + 3);
  }

  private static HttpResponse<String> send(String method, String path, String bearer, String type, String body,
      String ifMatch) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path))
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
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
