package dev.palco.signaling.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.signaling.SignalingServer;
import dev.palco.signaling.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The web client from the test classpath's {@code palco-web-fixture/} folder (the real client, also on the test classpath as {@code palco-web/}, stays out of the way). */
class StaticWebClientTest {

  private static TestServer server;
  private static TestServer withoutClient;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    withoutClient =
        TestServer.start(
            s -> new SignalingServer.Settings(
                s.bindAddress(), 0, null, "", s.rooms(), s.limits(), s.tokenTtl(), s.maxPlayersPerRoom(),
                "palco-web-not-built", "test", s.audience()));
  }

  @AfterAll
  static void stop() {
    server.close();
    withoutClient.close();
  }

  @Test
  void rootIsTheLandingPageAndNotCached() {
    HttpResponse<String> r = get(server, "/");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("Palco landing"));
    assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElseThrow());
    assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
  }

  @Test
  void roomPathIsTheStagePage() {
    HttpResponse<String> r = get(server, "/r/3fk9q2");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("Palco stage"));
    assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElseThrow());
  }

  @Test
  void hashedAssetsAreImmutable() {
    HttpResponse<String> r = get(server, "/assets/app-3f9a1c2b.js");
    assertEquals(200, r.statusCode());
    assertEquals("public, max-age=31536000, immutable", r.headers().firstValue("Cache-Control").orElseThrow());
    assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"));
  }

  @Test
  void unhashedFilesAreCachedBriefly() {
    HttpResponse<String> r = get(server, "/logo.svg");
    assertEquals(200, r.statusCode());
    assertEquals("public, max-age=3600", r.headers().firstValue("Cache-Control").orElseThrow());
    assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("image/svg+xml"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/nope.js", "/assets/", "/assets", "/r/a/b", "/../palco-web-fixture/index.html", "/assets/%2e%2e/index.html"})
  void otherPathsAre404(String path) {
    assertEquals(404, get(server, path).statusCode(), path);
  }

  @Test
  void missingWebClientIsSaidNotFailed() {
    HttpResponse<String> root = get(withoutClient, "/");
    assertEquals(200, root.statusCode());
    assertTrue(root.body().contains("web client is not built"), root.body());
    assertEquals(200, get(withoutClient, "/r/3fk9q2").statusCode());
    assertEquals(404, get(withoutClient, "/assets/app-3f9a1c2b.js").statusCode());
    assertEquals(200, get(withoutClient, "/healthz").statusCode());
  }

  private static HttpResponse<String> get(TestServer s, String path) {
    return s.send(HttpRequest.newBuilder(s.uri(path)).GET().build());
  }
}
