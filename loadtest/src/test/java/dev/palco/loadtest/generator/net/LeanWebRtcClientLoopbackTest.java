package dev.palco.loadtest.generator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.loadtest.generator.LoadRun;
import dev.palco.loadtest.generator.MediaTarget;
import dev.palco.loadtest.generator.PalcoTarget;
import dev.palco.rtp.dtls.DtlsCertificate;
import dev.palco.rtp.dtls.DtlsSettings;
import dev.palco.server.PalcoServer;
import dev.palco.server.ServerConfig;
import dev.palco.sfu.client.ClientConnectException;
import dev.palco.sfu.room.SfuConfig;
import dev.palco.sfu.transport.IceConfig;
import dev.palco.signaling.media.SfuMediaPlane;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link LeanWebRtcClient}s against a real Palco in this JVM on 127.0.0.1: ICE with the server's
 * ice4j agent, DTLS-SRTP with its endpoint, media through its forwarding. Subscribers must receive
 * every packet the publisher sent (NACK/RTX repair allowed) while the server checks consent every
 * 200 ms (RFC 7675), with every client on the same three threads; a wrong server fingerprint must
 * fail the handshake.
 */
class LeanWebRtcClientLoopbackTest {
  private static final int SUBSCRIBERS = 8;
  private static final long CONSENT_INTERVAL_MS = 200;
  private static SfuMediaPlane media;
  private static PalcoServer server;
  private static String url;

  @BeforeAll
  static void startPalco() throws Exception {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("palco.http.port", 0);
    overrides.put("palco.http.bind", "127.0.0.1");
    overrides.put("palco.tokens.secret", "lean-client-test-secret-0123456789");
    overrides.put("palco.shutdown-grace", "1s");
    overrides.put("palco.data-dir", Path.of("target", "lean-client", "data").toAbsolutePath().toString());
    overrides.put("palco.rooms.max-players", SUBSCRIBERS + 5);
    IceConfig ice = IceConfig.defaults(List.of(InetAddress.getByName("127.0.0.1"))).withPorts(0, false, 0)
        // Consent checks every 200 ms that expire after 1 s: a client that did not answer them
        // would lose its session, and its media, well within the test.
        .withTimers(CONSENT_INTERVAL_MS, 1_000, IceConfig.DEFAULT_CONNECT_TIMEOUT_MS, IceConfig.DEFAULT_RESTART_TRANSITION_MS);
    media = SfuMediaPlane.start(ice, SfuConfig.defaults());
    server = PalcoServer.start(ServerConfig.load(null, overrides), media, Clock.systemUTC());
    url = "http://127.0.0.1:" + server.address().getPort();
  }

  @AfterAll
  static void stopPalco() {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  @Timeout(60)
  void subscribersOnSharedThreadsReceiveEveryPacket() throws Exception {
    MediaTarget target = new PalcoTarget(url, ProcessHandle.current().pid());
    target.prepare();
    try (LoadRun run = new LoadRun(target, new LoadRun.PublisherSettings(1_000_000, 30, 1), 4, null,
        InetAddress.getByName("127.0.0.1"), LoadRun.Clients.SHARED)) {
      long started = System.nanoTime();
      run.startPublisher();
      assertEquals(SUBSCRIBERS, run.addSubscribers(SUBSCRIBERS));
      long[] before = run.streamCounts();
      // Media flows until every subscriber has been sent over 100 packets of each stream.
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      long[] now = before;
      while (now[0] - before[0] <= SUBSCRIBERS * 100L || now[2] - before[2] <= SUBSCRIBERS * 100L) {
        assertTrue(System.nanoTime() < deadline, "media too slow: " + Arrays.toString(now));
        LockSupport.parkNanos(20_000_000L);
        now = run.streamCounts();
      }
      run.stopPublisher(0);
      // The last retransmissions settle: polled, since a loaded machine may take longer than any
      // fixed pause. A packet lost for good keeps the counts apart until the deadline.
      long settle = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      long[] after = run.streamCounts();
      while ((after[1] - before[1] != after[0] - before[0] || after[3] - before[3] != after[2] - before[2])
          && System.nanoTime() < settle) {
        LockSupport.parkNanos(20_000_000L);
        after = run.streamCounts();
      }
      long videoExpected = after[0] - before[0];
      long audioExpected = after[2] - before[2];
      assertTrue(videoExpected > SUBSCRIBERS * 100L, Arrays.toString(after));
      assertTrue(audioExpected > SUBSCRIBERS * 100L, Arrays.toString(after));
      assertEquals(videoExpected, after[1] - before[1], "video lost for good");
      assertEquals(audioExpected, after[3] - before[3], "audio lost for good");
      assertEquals(0, run.stats().connectFailures.sum());

      LeanWebRtcClient publisher = (LeanWebRtcClient) run.publisher().client();
      assertEquals(0, publisher.unprotectFailures());
      for (LeanWebRtcClient.StunDrop reason : List.of(LeanWebRtcClient.StunDrop.MALFORMED,
          LeanWebRtcClient.StunDrop.WRONG_USERNAME, LeanWebRtcClient.StunDrop.BAD_INTEGRITY,
          LeanWebRtcClient.StunDrop.ERROR_RESPONSE, LeanWebRtcClient.StunDrop.UNEXPECTED_TYPE)) {
        assertEquals(0, publisher.stunDropped(reason), reason.name());
      }
      assertTrue(publisher.counters().datagramsSent() > 100);
      // The server's consent checks over the run: at least half of one per interval (RFC 7675
      // §5.1 spreads them over 0.8-1.2 intervals), and at least five.
      long runMs = (System.nanoTime() - started) / 1_000_000;
      long checksDue = Math.max(5, runMs / CONSENT_INTERVAL_MS / 2);
      assertTrue(publisher.counters().requestsAnswered() >= checksDue,
          "answered " + publisher.counters().requestsAnswered() + " in " + runMs + " ms");

      // Every client's receive path and timers: two selector threads and one timer thread.
      long shared = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("load-clients-")).count();
      assertEquals(3, shared);
      assertTrue(Thread.getAllStackTraces().keySet().stream()
          .noneMatch(t -> t.getName().startsWith("palco-ice-client")), "no per-client ICE threads");
    }
  }

  @Test
  @Timeout(30)
  void wrongServerFingerprintFailsTheHandshake() throws Exception {
    MediaTarget target = new PalcoTarget(url, ProcessHandle.current().pid());
    target.prepare();
    DtlsCertificate certificate = DtlsCertificate.generate(Instant.now());
    try (ClientNetwork network = new ClientNetwork("lean-test");
        LeanWebRtcClient client = LeanWebRtcClient.create("wrong-fp", network, InetAddress.getByName("127.0.0.1"),
            certificate, DtlsSettings.DEFAULTS)) {
      MediaTarget.Session s = target.subscribe(client);
      try {
        ClientConnectException e = assertThrows(ClientConnectException.class, () -> client.connect(
            s.remote().iceUfrag(), s.remote().icePwd(), DtlsCertificate.generate(Instant.now()).fingerprint(),
            s.remote().candidates(), Duration.ofSeconds(10)));
        // ICE itself succeeded: the failure is the fingerprint check in DTLS.
        assertEquals(ClientConnectException.Stage.DTLS, e.stage(), e.getMessage());
      } finally {
        s.session().close();
      }
    }
  }
}
