package dev.palco.signaling.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.server.PalcoServer;
import dev.palco.server.ServerConfig;
import dev.palco.sfu.room.SfuConfig;
import dev.palco.sfu.transport.IceConfig;
import dev.palco.signaling.Json;
import dev.palco.signaling.WsClient;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * When the audience hears of a broadcast, on a real server with its bridge (FFmpeg encoders, the
 * LL-HLS origin): the stage at once, the audience once the stream can be played, so that no
 * viewer opens playlists that hold less than a segment.
 */
class BroadcastAnnounceTest {
  private static final Duration ON_AIR_DEADLINE = Duration.ofSeconds(20);
  private static final Pattern MEDIA_URI = Pattern.compile("URI=\"([^\"]+\\.m3u8)\"|^([^#\\s][^\\s]*\\.m3u8)$",
      Pattern.MULTILINE);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static SfuMediaPlane media;
  private static PalcoServer server;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("palco.http.port", 0);
    overrides.put("palco.http.bind", "127.0.0.1");
    overrides.put("palco.tokens.secret", "broadcast-announce-test-secret-0123456789");
    overrides.put("palco.shutdown-grace", "1s");
    overrides.put("palco.data-dir", "target/broadcast-announce-data-" + System.nanoTime());
    IceConfig ice = IceConfig.defaults(List.of(InetAddress.getByName("127.0.0.1"))).withPorts(0, false, 0);
    media = SfuMediaPlane.start(ice, SfuConfig.defaults());
    server = PalcoServer.start(ServerConfig.load(null, overrides), media, Clock.systemUTC());
    base = "http://127.0.0.1:" + server.address().getPort();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void theAudienceGetsTheStreamOnceEveryPlaylistListsAWholeSegment() throws Exception {
    JsonNode room = Json.MAPPER.readTree(send("POST", "/api/rooms", "{\"name\":\"On air\"}").body());
    String moderatorToken = tokenOf(room.at("/links/moderator").asText());
    String audienceToken = tokenOf(room.at("/links/audience").asText());
    URI ws = URI.create("ws://127.0.0.1:" + server.address().getPort() + "/ws");
    try (WsClient moderator = WsClient.connect(ws);
        WsClient viewer = WsClient.connect(URI.create(ws + "/audience"))) {
      ObjectNode join = moderator.message("join").put("protocol", 1).put("token", moderatorToken).put("name", "Mia");
      moderator.send(join);
      moderator.awaitReply("joined", join.get("id").asLong());
      viewer.send(viewer.message("join").put("protocol", 1).put("token", audienceToken));
      assertTrue(viewer.await("audience.state").get("stream").isNull(), "off air: no stream");

      for (int presentation = 1; presentation <= 2; presentation++) {
        long started = System.nanoTime();
        moderator.send(moderator.message("broadcast.start"));
        moderator.await("broadcast.state", m -> m.path("live").asBoolean(), ON_AIR_DEADLINE);
        long stageMs = (System.nanoTime() - started) / 1_000_000;
        JsonNode announced = viewer.await("audience.update", m -> m.hasNonNull("stream"), ON_AIR_DEADLINE);
        long audienceMs = (System.nanoTime() - started) / 1_000_000;
        String playlist = announced.get("stream").asText();

        List<String> renditions = mediaPlaylists(playlist);
        assertFalse(renditions.isEmpty(), "the multivariant playlist names its renditions");
        for (String uri : renditions) {
          String text = get(uri);
          assertTrue(text.contains("#EXTINF:"), "announced, so " + uri + " lists a whole segment:\n" + text);
          assertFalse(text.contains("#EXT-X-ENDLIST"), "a live presentation");
        }
        System.out.printf("broadcast %d: the stage heard it was live %d ms after the start, the audience got the"
            + " stream after %d ms; %d media playlists each listed a whole segment%n", presentation, stageMs,
            audienceMs, renditions.size());

        // Off air: the stream is withdrawn, and the next start is announced again.
        moderator.send(moderator.message("broadcast.stop"));
        viewer.await("audience.update", m -> m.has("stream") && m.get("stream").isNull());
        moderator.await("broadcast.state", m -> !m.path("live").asBoolean());
      }
    }
  }

  /** The media playlists the multivariant playlist at {@code path} names, as absolute URLs. */
  private static List<String> mediaPlaylists(String path) throws Exception {
    URI multivariant = URI.create(base).resolve(path);
    String text = get(multivariant.toString());
    assertTrue(text.startsWith("#EXTM3U"), text);
    List<String> out = new ArrayList<>();
    Matcher m = MEDIA_URI.matcher(text);
    while (m.find()) {
      out.add(multivariant.resolve(m.group(1) != null ? m.group(1) : m.group(2)).toString());
    }
    return out;
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base).resolve(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    return r.body();
  }

  private static HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json")
        .build();
    HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    return r;
  }

  private static String tokenOf(String link) {
    return link.substring(link.indexOf("?t=") + 3);
  }
}
