package dev.palco.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigException;
import dev.palco.signaling.Json;
import dev.palco.signaling.WsClient;
import dev.palco.signaling.media.RefusingMediaPlane;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** Configuration layering, TLS from PEM, and the polite shutdown of the composed server. */
class PalcoServerTest {

  private static final Path WORK = Path.of("target", "palco-server-test");

  @Test
  void referenceDefaultsAreTheDocumentedOnes() {
    ServerConfig c = ServerConfig.load(null, Map.of());
    assertEquals(8080, c.httpPort());
    assertEquals("0.0.0.0", c.bindAddress());
    assertEquals(10000, c.mediaPort());
    assertEquals("", c.tokenSecret());
    assertEquals(65536, c.limits().maxMessageBytes());
    assertEquals(50, c.limits().messagesPerSecond());
    assertEquals(100, c.limits().burstMessages());
    assertEquals(Duration.ofSeconds(10), c.limits().floodCloseAfter());
    assertEquals(Duration.ofSeconds(30), c.rooms().resumeWindow());
    assertEquals("info", c.logLevel());
    assertTrue(!c.tlsEnabled());
  }

  @Test
  void fileOverridesDefaultsAndFlagsOverrideTheFile() throws Exception {
    Files.createDirectories(WORK);
    Path file = WORK.resolve("palco.conf");
    Files.writeString(file,
        "palco { http.port = 9000, media.port = 20000, log-level = debug,"
            + " rooms.max-participants = 4, ice-servers = [{urls = [\"stun:stun.example.org:3478\"]}] }");
    PalcoMain main = new PalcoMain();
    new picocli.CommandLine(main).parseArgs("--config", file.toString(), "--http-port", "9100", "--token-secret", "s3cret-s3cret-s3cret");

    ServerConfig c = ServerConfig.load(main.configFile, main.overrides());

    assertEquals(9100, c.httpPort(), "flag wins over file");
    assertEquals(20000, c.mediaPort(), "file wins over default");
    assertEquals("debug", c.logLevel());
    assertEquals(4, c.rooms().maxParticipantsPerRoom());
    assertEquals("s3cret-s3cret-s3cret", c.tokenSecret());
    assertEquals("stun:stun.example.org:3478", c.rooms().iceServers().fixedEntries().at("/0/urls/0").asText());
  }

  @Test
  void badValuesAreRefused() {
    assertThrows(ConfigException.class, () -> ServerConfig.load(null, Map.of("palco.http.port", 70000)));
    assertThrows(ConfigException.class, () -> ServerConfig.load(null, Map.of("palco.log-level", "loud")));
    assertThrows(ConfigException.class, () -> ServerConfig.load(null, Map.of("palco.limits.burst", 0)));
    assertThrows(ConfigException.class, () -> ServerConfig.load(Path.of("target/no-such.conf"), Map.of()));
    ConfigException ladder = assertThrows(ConfigException.class,
        () -> ServerConfig.load(null, Map.of("palco.broadcast.ladder", "four-rung")));
    assertTrue(ladder.getMessage().contains("three-rung or two-rung"), ladder.getMessage());
    ConfigException fps = assertThrows(ConfigException.class,
        () -> ServerConfig.load(null, Map.of("palco.broadcast.frame-rate", 24)));
    assertTrue(fps.getMessage().contains("whole number of frames in 200 ms"), fps.getMessage());
    assertThrows(ConfigException.class,
        () -> ServerConfig.load(null, Map.of("palco.broadcast.presentation-delay", "3s")));
  }

  @Test
  void lastNIsNoLimitByDefaultAndChecked() {
    assertEquals(ServerConfig.NO_LAST_N, ServerConfig.load(null, Map.of()).lastN());
    assertEquals(3, ServerConfig.load(null, Map.of("palco.media.last-n", 3)).lastN());
    assertEquals(1, ServerConfig.load(null, Map.of("palco.media.last-n", 1)).lastN());
    assertEquals(ServerConfig.MAX_LAST_N,
        ServerConfig.load(null, Map.of("palco.media.last-n", ServerConfig.MAX_LAST_N)).lastN());
    for (Object bad : new Object[] {0, -2, ServerConfig.MAX_LAST_N + 1, "many"}) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> ServerConfig.load(null, Map.of("palco.media.last-n", bad)), "last-n = " + bad);
      assertTrue(e.getMessage().contains("last-n"), e.getMessage());
    }
  }

  @Test
  void opusRedIsOnByDefaultAndCanBeTurnedOff() {
    assertTrue(ServerConfig.load(null, Map.of()).opusRed());
    assertFalse(ServerConfig.load(null, Map.of("palco.media.opus-red", false)).opusRed());
    ConfigException e = assertThrows(ConfigException.class,
        () -> ServerConfig.load(null, Map.of("palco.media.opus-red", "sometimes")));
    assertTrue(e.getMessage().contains("opus-red"), e.getMessage());
  }

  @Test
  void theBroadcastSettingsShapeTheBridge() {
    var standard = ServerConfig.load(null, Map.of()).broadcast();
    assertEquals(1280, standard.compositor().widthPx());
    assertEquals(3, standard.ladder().video().size());
    assertEquals(30, standard.ladder().frameRateFps());
    assertEquals(200, standard.presentationDelayMs());
    var small = ServerConfig.load(null, Map.of("palco.broadcast.ladder", "two-rung",
        "palco.broadcast.frame-rate", 15, "palco.broadcast.presentation-delay", "150ms")).broadcast();
    assertEquals(640, small.compositor().widthPx());
    assertEquals(15, small.compositor().frameRateFps());
    assertEquals(15, small.ladder().frameRateFps());
    assertEquals(2, small.ladder().video().size());
    assertEquals(150, small.presentationDelayMs());
  }

  @Test
  void servesHttpsFromPemFilesAndShutsDownPolitely() throws Exception {
    Files.createDirectories(WORK);
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = gen.generateKeyPair();
    X509Certificate cert =
        new JcaX509CertificateConverter()
            .getCertificate(
                new JcaX509v3CertificateBuilder(
                        new X500Name("CN=127.0.0.1"), BigInteger.ONE,
                        new Date(System.currentTimeMillis() - 60_000), new Date(System.currentTimeMillis() + 3_600_000),
                        new X500Name("CN=127.0.0.1"), keys.getPublic())
                    .addExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                        new org.bouncycastle.asn1.x509.GeneralNames(new org.bouncycastle.asn1.x509.GeneralName(
                            org.bouncycastle.asn1.x509.GeneralName.iPAddress, "127.0.0.1")))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    Path certFile = WORK.resolve("cert.pem");
    Path keyFile = WORK.resolve("key.pem");
    Files.writeString(certFile, pem(cert));
    // PKCS#8, as "openssl genpkey" writes it.
    Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");

    Map<String, Object> overrides = new HashMap<>();
    overrides.put("palco.http.port", 0);
    overrides.put("palco.http.bind", "127.0.0.1");
    overrides.put("palco.tls.cert", certFile.toString());
    overrides.put("palco.tls.key", keyFile.toString());
    overrides.put("palco.tokens.secret", "a-configured-secret-for-tests");
    overrides.put("palco.shutdown-grace", "3s");
    overrides.put("palco.data-dir", "");
    PalcoServer server = PalcoServer.start(ServerConfig.load(null, overrides), new RefusingMediaPlane(), Clock.systemUTC());
    boolean stopped = false;
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("palco", cert);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
      String base = "https://127.0.0.1:" + server.address().getPort();
      HttpResponse<String> health = https.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
      assertEquals(HttpClient.Version.HTTP_2, health.version(), "h2 by ALPN");
      HttpResponse<String> overHttp11 = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
          .build().send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(HttpClient.Version.HTTP_1_1, overHttp11.version(), "a client without h2 keeps HTTP/1.1");
      assertEquals(200, overHttp11.statusCode());

      HttpResponse<String> created = https.send(
          HttpRequest.newBuilder(URI.create(base + "/api/rooms")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode room = Json.MAPPER.readTree(created.body());
      String link = room.at("/links/presenter").asText();
      assertTrue(link.startsWith(base + "/r/"), "links follow the request's scheme: " + link);

      // A participant over wss is told the room ended and closed with 1001 at shutdown.
      WsClientOverTls client = WsClientOverTls.connect(https, URI.create("wss://127.0.0.1:" + server.address().getPort() + "/ws"));
      ObjectNode join = client.ws.message("join");
      join.put("protocol", 1);
      join.put("token", link.substring(link.indexOf("?t=") + 3));
      client.ws.send(join);
      client.ws.await("joined");

      server.stop();
      stopped = true;
      assertTrue(client.ws.await("room.ended").get("reason").asText().contains("shutting down"));
      assertEquals(1001, client.ws.awaitClose());
    } finally {
      if (!stopped) {
        server.stop();
      }
    }
  }

  @Test
  void withTurnEnabledTheComposedServerIssuesACredentialPerJoin() throws Exception {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("palco.http.port", 0);
    overrides.put("palco.http.bind", "127.0.0.1");
    overrides.put("palco.tokens.secret", "a-configured-secret-for-tests");
    overrides.put("palco.turn.enabled", true);
    overrides.put("palco.turn.host", "turn.palco.example");
    overrides.put("palco.turn.secret", "composed-server-turn-secret-01");
    overrides.put("palco.turn.ttl", "30m");
    overrides.put("palco.data-dir", "");
    Clock clock = Clock.fixed(java.time.Instant.parse("2026-05-01T10:00:00Z"), java.time.ZoneOffset.UTC);
    PalcoServer server =
        PalcoServer.start(ServerConfig.load(null, overrides), new dev.palco.signaling.media.InMemoryMediaPlane(), clock);
    try {
      String base = "http://127.0.0.1:" + server.address().getPort();
      HttpResponse<String> created = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(base + "/api/rooms")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
          HttpResponse.BodyHandlers.ofString());
      String link = Json.MAPPER.readTree(created.body()).at("/links/presenter").asText();
      try (WsClient ws = WsClient.connect(URI.create("ws://127.0.0.1:" + server.address().getPort() + "/ws"))) {
        ObjectNode join = ws.message("join");
        join.put("protocol", 1);
        join.put("token", link.substring(link.indexOf("?t=") + 3));
        ws.send(join);
        JsonNode joined = ws.await("joined");
        JsonNode turn = joined.at("/iceServers/1");

        assertEquals("stun:turn.palco.example:3478", joined.at("/iceServers/0/urls/0").asText());
        assertEquals("turns:turn.palco.example:443?transport=tcp", turn.at("/urls/2").asText());
        String username = turn.get("username").asText();
        assertTrue(username.startsWith(clock.instant().plusSeconds(1800).getEpochSecond() + ":"), username);
        assertEquals(dev.palco.turn.TurnCredentials.Verdict.VALID,
            dev.palco.turn.TurnCredentials.verify(dev.palco.turn.TurnSecrets.of("composed-server-turn-secret-01"),
                username, turn.get("credential").asText(), clock.instant()));
      }
    } finally {
      server.stop();
    }
  }

  /** The test WebSocket client over a TLS-configured HttpClient. */
  private static final class WsClientOverTls {
    final WsClient ws;

    private WsClientOverTls(WsClient ws) {
      this.ws = ws;
    }

    static WsClientOverTls connect(HttpClient https, URI uri) {
      return new WsClientOverTls(WsClient.connect(https, uri));
    }
  }

  private static String pem(Object o) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return out.toString();
  }
}
