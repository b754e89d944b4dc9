package dev.palco.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.palco.signaling.media.InMemoryMediaPlane;
import dev.palco.signaling.room.RoomSettings;
import dev.palco.signaling.token.JoinTokens;
import dev.palco.signaling.ws.SignalingLimits;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

/** A real signaling server on 127.0.0.1 and an ephemeral port, over the in-memory media plane. */
public final class TestServer implements AutoCloseable {

  /** The secret every test server signs with. */
  public static final byte[] SECRET = "test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

  public final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));
  public final InMemoryMediaPlane media = new InMemoryMediaPlane();
  public final JoinTokens tokens = new JoinTokens(SECRET, clock);
  public final SignalingServer server;
  public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A room made through REST. */
  public record CreatedRoom(String id, String moderatorToken, String presenterToken, JsonNode body) {}

  private TestServer(SignalingServer.Settings settings) {
    server = new SignalingServer(settings, media, tokens, clock, System::nanoTime);
    server.start();
  }

  /** Default settings: the documented limits, a small room cap, one STUN server. */
  public static SignalingServer.Settings defaults() {
    ArrayNode ice = Json.array();
    ice.addObject().putArray("urls").add("stun:127.0.0.1:3478");
    return new SignalingServer.Settings(
        "127.0.0.1",
        0,
        null,
        "",
        new RoomSettings(20, 8, Duration.ofMinutes(15), Duration.ofSeconds(30), ice),
        SignalingLimits.defaults(),
        Duration.ofHours(24),
        4,
        "palco-web-fixture",
        "test",
        dev.palco.signaling.audience.AudienceSettings.defaults());
  }

  public static TestServer start() {
    return new TestServer(defaults());
  }

  public static TestServer start(UnaryOperator<SignalingServer.Settings> customize) {
    return new TestServer(customize.apply(defaults()));
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
  }

  public URI ws() {
    return URI.create("ws://127.0.0.1:" + server.address().getPort() + "/ws");
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Creates a room through {@code POST /api/rooms} and takes the tokens out of its links. */
  public CreatedRoom createRoom(String name) {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(uri("/api/rooms"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
                .build());
    if (r.statusCode() != 201) {
      throw new IllegalStateException("room not created: " + r.statusCode() + " " + r.body());
    }
    try {
      JsonNode body = Json.MAPPER.readTree(r.body());
      return new CreatedRoom(
          body.get("id").asText(),
          tokenOf(body.at("/links/moderator").asText()),
          tokenOf(body.at("/links/presenter").asText()),
          body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String tokenOf(String link) {
    return link.substring(link.indexOf("?t=") + 3);
  }

  @Override
  public void close() {
    server.stop(Duration.ofSeconds(2));
  }
}
