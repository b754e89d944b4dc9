package dev.palco.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palco.server.PalcoServer;
import dev.palco.server.ServerConfig;
import dev.palco.sfu.room.SendSideConfig;
import dev.palco.sfu.room.SfuConfig;
import dev.palco.sfu.transport.IceConfig;
import dev.palco.signaling.Json;
import dev.palco.signaling.Role;
import dev.palco.signaling.media.SfuMediaPlane;
import dev.palco.signaling.token.JoinTokens;
import java.io.IOException;
import dev.palco.turn.testing.CoturnProcess;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole server as a user runs it, in-process: the web client, REST, /ws and the SFU media
 * plane, all on 127.0.0.1 with ports the system picks.
 */
final class StageServer implements AutoCloseable {

  /** The token secret the server signs with, so tests can forge and expire links on purpose. */
  static final String SECRET = "e2e-token-secret-0123456789abcdef";

  final PalcoServer server;
  final SfuMediaPlane media;
  final JoinTokens tokens = new JoinTokens(SECRET.getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A room made through REST, with its links. */
  record Room(String id, String moderatorLink, String presenterLink, String audienceLink) {}

  private StageServer(PalcoServer server, SfuMediaPlane media) {
    this.server = server;
    this.media = media;
  }

  /**
   * The server, with TURN credentials for {@code coturn} in every {@code joined} when it is given
   * (its TURN over UDP and TCP; no TURNS).
   */
  static StageServer start(CoturnProcess coturn, String turnSecret) throws Exception {
    Map<String, Object> overrides = new HashMap<>();
    if (coturn != null) {
      overrides.put("palco.turn.enabled", true);
      overrides.put("palco.turn.host", "127.0.0.1");
      overrides.put("palco.turn.realm", CoturnProcess.REALM);
      overrides.put("palco.turn.secret", turnSecret);
      overrides.put("palco.turn.port", coturn.address().getPort());
      overrides.put("palco.turn.transports.tls", false);
    }
    overrides.put("palco.http.port", 0);
    overrides.put("palco.http.bind", "127.0.0.1");
    overrides.put("palco.tokens.secret", SECRET);
    overrides.put("palco.shutdown-grace", "1s");
    // A flood is cut off after two seconds instead of ten, to keep the bad-input test short.
    overrides.put("palco.limits.flood-close-after", "2s");
    // Room journals of the browser tests stay in the build tree, one folder per run.
    overrides.put("palco.data-dir", "target/e2e/data-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    // Three browsers and the bridge share two cores: the small ladder at 15 fps.
    overrides.put("palco.broadcast.ladder", "two-rung");
    overrides.put("palco.broadcast.frame-rate", 15);
    ServerConfig config = ServerConfig.load(null, overrides);
    // Loopback only: the tests never send media anywhere else. ICE-TCP is off; UDP works here.
    IceConfig ice = IceConfig.defaults(List.of(InetAddress.getByName("127.0.0.1"))).withPorts(0, false, 0);
    SfuMediaPlane media = SfuMediaPlane.start(ice, SfuConfig.defaults(), config.broadcast(),
        SendSideConfig.DEFAULT.withLastN(config.lastN()), config.opusRed());
    return new StageServer(PalcoServer.start(config, media, Clock.systemUTC()), media);
  }

  String base() {
    return "http://127.0.0.1:" + server.address().getPort();
  }

  Room createRoom(String name) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(base() + "/api/rooms"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException("room creation failed: " + response.statusCode() + " " + response.body());
    }
    JsonNode body = Json.MAPPER.readTree(response.body());
    return new Room(body.get("id").asText(), body.at("/links/moderator").asText(),
        body.at("/links/presenter").asText(), body.at("/links/audience").asText());
  }

  /** A link to the room with a token of the server's own signing. */
  String link(String roomId, Role role, Instant expiresAt) {
    return base() + "/r/" + roomId + "?t=" + tokens.issue(roomId, role, expiresAt);
  }

  /** A join token of the server's own signing, valid for an hour. */
  String token(String roomId, Role role) {
    return tokens.issue(roomId, role, Instant.now().plusSeconds(3600));
  }

  /** The signaling WebSocket. */
  URI ws() {
    return URI.create("ws://127.0.0.1:" + server.address().getPort() + "/ws");
  }

  /** Every subscription's counters and pipeline, for failure messages. */
  String describeMedia() {
    StringBuilder out = new StringBuilder();
    for (dev.palco.sfu.room.Room room : media.sfu().rooms()) {
      for (dev.palco.sfu.room.Participant p : room.participants()) {
        out.append("\n  ").append(p.id()).append(" publishes ").append(p.publications());
        if (p.transport() instanceof dev.palco.sfu.transport.WebRtcTransport t) {
          out.append("\n   transport ").append(t.state()).append(" pair=").append(t.selectedPair())
              .append(" ended=").append(t.terminationReason()).append(" demux=").append(t.demuxCounters())
              .append(" ice=").append(t.iceCounters());
        }
        for (dev.palco.sfu.room.TrackSubscription sub : p.subscriptions()) {
          out.append("\n    ").append(sub).append(' ').append(sub.stats()).append(' ').append(sub.pipelineStats());
        }
      }
    }
    return out.toString();
  }

  HttpClient http() {
    return http;
  }

  @Override
  public void close() {
    server.stop();
  }
}
