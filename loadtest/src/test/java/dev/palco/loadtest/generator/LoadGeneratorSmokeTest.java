package dev.palco.loadtest.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palco.server.PalcoServer;
import dev.palco.server.ServerConfig;
import dev.palco.sfu.room.SfuConfig;
import dev.palco.sfu.transport.IceConfig;
import dev.palco.signaling.media.SfuMediaPlane;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The generator against a real Palco (in this JVM, on 127.0.0.1): one publisher and 20 WHEP
 * subscribers measured for 10 s after a 2 s ramp and 1 s to settle, over real ICE, DTLS-SRTP and
 * RTCP, with the default (shared) clients. Nothing sent in the measured interval may be lost for
 * good (NACK and RTX must repair whatever the busy machine drops), every subscription must
 * connect, and the JSON result must carry every metric the generator promises.
 */
class LoadGeneratorSmokeTest {
  private static final int SUBSCRIBERS = 20;

  @Test
  @Timeout(90)
  void oneToTwentyBroadcastLosesNothingAndReportsEveryMetric() throws Exception {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("palco.http.port", 0);
    overrides.put("palco.http.bind", "127.0.0.1");
    overrides.put("palco.tokens.secret", "loadgen-smoke-test-secret-0123456789");
    overrides.put("palco.shutdown-grace", "1s");
    overrides.put("palco.data-dir", Path.of("target", "loadgen-smoke", "data").toAbsolutePath().toString());
    overrides.put("palco.rooms.max-players", SUBSCRIBERS + 5);
    IceConfig ice = IceConfig.defaults(List.of(InetAddress.getByName("127.0.0.1"))).withPorts(0, false, 0);
    SfuMediaPlane media = SfuMediaPlane.start(ice, SfuConfig.defaults());
    PalcoServer server = PalcoServer.start(ServerConfig.load(null, overrides), media, Clock.systemUTC());
    Path out = Path.of("target", "loadgen-smoke");
    try {
      String url = "http://127.0.0.1:" + server.address().getPort();
      GeneratorOptions options = GeneratorOptions.defaults().withLoad(SUBSCRIBERS, 2, 10).withSettle(1)
          .withServer(url, ProcessHandle.current().pid(), out);
      MediaTarget target = new PalcoTarget(url, ProcessHandle.current().pid());
      target.prepare();
      Map<String, Object> result = LoadGenerator.runScenario(options, target);

      JsonNode json = new ObjectMapper().readTree(out.resolve("broadcast-palco.json").toFile());
      JsonNode totals = json.get("totals");
      assertEquals(0, totals.get("connectFailures").asLong(), json.toString());
      // Over the measured 10 s (after the ramp), with a second after it for NACK and RTX.
      assertEquals(0, totals.get("unrecoveredLoss").asLong(), json.toString());
      assertEquals(0, totals.get("malformed").asLong(), json.toString());
      assertEquals(Boolean.TRUE, result.get("ok"));

      JsonNode steady = json.get("steady");
      assertEquals(SUBSCRIBERS, steady.get("subscribers").asInt());
      // 20 subscribers of ~250 video and 50 audio packets/s: well over half of that must arrive each second.
      assertTrue(steady.get("packetsPerSecond").asDouble() > SUBSCRIBERS * 150, steady.toString());
      assertTrue(steady.get("bitrateMbps").asDouble() > 20, steady.toString());
      assertTrue(steady.get("expectedPackets").asLong() > 0, steady.toString());
      for (String metric : List.of("lossPercent", "nacks", "rtx", "p50Ms", "p95Ms", "p99Ms", "maxMs",
          "serverCpuCores", "serverRssMb", "generatorCpuCores")) {
        assertTrue(steady.has(metric), metric);
      }
      assertTrue(steady.get("p50Ms").asDouble() > 0, steady.toString());
      assertTrue(steady.get("p99Ms").asDouble() >= steady.get("p50Ms").asDouble(), steady.toString());
      assertTrue(steady.get("serverCpuCores").asDouble() > 0, steady.toString());
      assertTrue(steady.get("serverRssMb").asDouble() > 0, steady.toString());
      assertTrue(steady.get("generatorCpuCores").asDouble() > 0, steady.toString());

      JsonNode connect = json.get("connectMs");
      assertEquals(SUBSCRIBERS, connect.get("count").asInt(), connect.toString());
      assertTrue(connect.get("p50").asDouble() > 0, connect.toString());
      assertTrue(connect.get("max").asDouble() >= connect.get("p50").asDouble(), connect.toString());
      JsonNode ttff = json.get("timeToFirstFrameMs");
      assertEquals(SUBSCRIBERS, ttff.get("count").asInt(), ttff.toString());
      assertTrue(ttff.get("p50").asDouble() > 0, ttff.toString());
      assertTrue(totals.get("receiverReports").asLong() >= SUBSCRIBERS, totals.toString());
      assertTrue(totals.get("transportFeedback").asLong() > 0, totals.toString());
      for (String metric : List.of("nacksSent", "rtxReceived", "publisherNacksReceived", "publisherRtxSent",
          "publisherKeyframeRequests", "packetsReceived")) {
        assertTrue(totals.has(metric), metric);
      }
      assertTrue(json.get("latencyWholeRunMs").get("p99").asDouble() > 0);
      assertTrue(Files.readString(out.resolve("broadcast-palco.svg")).startsWith("<svg"));
    } finally {
      server.stop();
    }
  }
}
