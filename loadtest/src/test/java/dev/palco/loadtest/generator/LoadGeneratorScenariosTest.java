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
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The meeting and simulcast scenarios against one real Palco in this JVM (127.0.0.1), each a
 * short run: a 3-participant meeting (every participant publishes and receives the two others),
 * and a simulcast publisher (q/h/f) with one subscriber behind a 300 kbit/s bottleneck and one
 * unlimited. Every metric must be in the JSON result, the unthrottled paths must lose nothing
 * for good, and the throttled subscriber must end on a lower layer than the unlimited one.
 */
class LoadGeneratorScenariosTest {
  private static final Path OUT = Path.of("target", "loadgen-scenarios");
  private static PalcoServer server;
  private static String url;

  @BeforeAll
  static void startServer() throws Exception {
    Map<String, Object> overrides = new HashMap<>();
    overrides.put("palco.http.port", 0);
    overrides.put("palco.http.bind", "127.0.0.1");
    overrides.put("palco.tokens.secret", "loadgen-scenarios-test-secret-0123456789");
    overrides.put("palco.shutdown-grace", "1s");
    overrides.put("palco.data-dir", OUT.resolve("data").toAbsolutePath().toString());
    IceConfig ice = IceConfig.defaults(List.of(InetAddress.getByName("127.0.0.1"))).withPorts(0, false, 0);
    SfuMediaPlane media = SfuMediaPlane.start(ice, SfuConfig.defaults());
    server = PalcoServer.start(ServerConfig.load(null, overrides), media, Clock.systemUTC());
    url = "http://127.0.0.1:" + server.address().getPort();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.stop();
    }
  }

  private static Map<String, Object> run(GeneratorOptions options) throws Exception {
    MediaTarget target = new PalcoTarget(url, ProcessHandle.current().pid());
    target.prepare();
    return LoadGenerator.runScenario(options.withServer(url, ProcessHandle.current().pid(), OUT), target);
  }

  private static void assertWindowMetrics(JsonNode steady) {
    for (String metric : List.of("packetsPerSecond", "bitrateMbps", "expectedPackets", "lossPercent", "nacks", "rtx",
        "p50Ms", "p95Ms", "p99Ms", "maxMs", "serverCpuCores", "serverRssMb", "generatorCpuCores")) {
      assertTrue(steady.has(metric), metric);
    }
    assertTrue(steady.get("packetsPerSecond").asDouble() > 0, steady.toString());
    assertTrue(steady.get("p50Ms").asDouble() > 0, steady.toString());
    assertTrue(steady.get("p99Ms").asDouble() >= steady.get("p50Ms").asDouble(), steady.toString());
    assertTrue(steady.get("serverCpuCores").asDouble() > 0, steady.toString());
    assertTrue(steady.get("serverRssMb").asDouble() > 0, steady.toString());
  }

  @Test
  @Timeout(60)
  void threeParticipantMeetingDeliversEveryStreamToEveryOtherParticipant() throws Exception {
    GeneratorOptions options = GeneratorOptions.parse(new String[] {"--scenario=meeting", "--participants=3",
        "--ramp-s=2", "--settle-s=1", "--duration-s=5", "--bitrate-bps=1000000"});
    Map<String, Object> result = run(options);

    JsonNode json = new ObjectMapper().readTree(OUT.resolve("meeting-palco.json").toFile());
    JsonNode totals = json.get("totals");
    assertEquals(0, totals.get("connectFailures").asLong(), json.toString());
    assertEquals(0, totals.get("unrecoveredLoss").asLong(), json.toString());
    assertEquals(0, totals.get("malformed").asLong(), json.toString());
    assertEquals(Boolean.TRUE, result.get("ok"), json.toString());
    assertEquals(3, json.get("participants").asInt());
    // Each of 3 participants receives the 2 others.
    assertEquals(6, json.get("subscriptions").asInt());
    JsonNode steady = json.get("steady");
    assertEquals(6, steady.get("subscribers").asInt());
    assertWindowMetrics(steady);
    assertEquals(6, json.get("timeToFirstFrameMs").get("count").asInt(), json.toString());
    assertTrue(json.get("timeToFirstFrameMs").get("p50").asDouble() > 0);
    assertTrue(json.get("latencyWholeRunMs").get("p99").asDouble() > 0);
    for (String metric : List.of("nacksSent", "rtxReceived", "publisherNacksReceived", "publisherRtxSent",
        "publisherKeyframeRequests", "packetsReceived", "receiverReports", "transportFeedback")) {
      assertTrue(totals.has(metric), metric);
    }
    assertTrue(totals.get("receiverReports").asLong() >= 6, totals.toString());
  }

  /**
   * One subscriber behind a 300 kbit/s queue, one behind a 300 kbit/s policer (a token bucket
   * that drops and never delays, so the SFU sees loss and no queueing delay) and one unlimited.
   */
  @Test
  @Timeout(60)
  void throttledSimulcastSubscribersEndOnALowerLayerThanAnUnlimitedOne() throws Exception {
    GeneratorOptions options = GeneratorOptions.parse(new String[] {"--scenario=simulcast", "--subscribers=3",
        "--bandwidth-mix=300k:300000:1,300k-policed:300000:1:policer,unlimited:0:1", "--ramp-s=1",
        "--settle-s=4", "--duration-s=5"});
    Map<String, Object> result = run(options);

    JsonNode json = new ObjectMapper().readTree(OUT.resolve("simulcast-palco.json").toFile());
    JsonNode totals = json.get("totals");
    assertEquals(0, totals.get("connectFailures").asLong(), json.toString());
    assertEquals(0, totals.get("unrecoveredLossUnthrottled").asLong(), json.toString());
    assertEquals(Boolean.TRUE, result.get("ok"), json.toString());
    assertWindowMetrics(json.get("steady"));
    assertEquals(3, json.get("timeToFirstFrameMs").get("count").asInt(), json.toString());

    JsonNode classes = json.get("bandwidthClasses");
    assertEquals(3, classes.size(), classes.toString());
    JsonNode queued = classes.get(0);
    JsonNode policed = classes.get(1);
    JsonNode unlimited = classes.get(2);
    assertEquals("300k", queued.get("name").asText());
    assertEquals("queue", queued.get("bottleneck").asText());
    assertEquals("300k-policed", policed.get("name").asText());
    assertEquals("policer", policed.get("bottleneck").asText());
    assertEquals("unlimited", unlimited.get("name").asText());
    for (JsonNode c : classes) {
      for (String metric : List.of("limitBps", "bottleneck", "subscribers", "layers", "lowestLayerIndex",
          "lastKeyframeSizes", "videoKbpsPerSubscriber", "videoExpected", "lossAfterShapingPercent",
          "shaperDrops", "unrecoveredLoss")) {
        assertTrue(c.has(metric), metric + " in " + c);
      }
      assertTrue(c.get("lowestLayerIndex").asInt() >= 0, c.toString());
      assertTrue(c.get("videoKbpsPerSubscriber").asDouble() > 0, c.toString());
    }
    assertEquals(0, unlimited.get("shaperDrops").asLong(), unlimited.toString());
    assertEquals(0, unlimited.get("unrecoveredLoss").asLong(), unlimited.toString());
    for (JsonNode throttled : List.of(queued, policed)) {
      assertTrue(throttled.get("lowestLayerIndex").asInt() < unlimited.get("lowestLayerIndex").asInt(),
          classes.toString());
      // The bottleneck holds: what arrives stays within its budget (with slack for the burst).
      assertTrue(throttled.get("videoKbpsPerSubscriber").asDouble() < 360, throttled.toString());
      // And the SFU keeps within it: a layer above the link would lose a third or more.
      assertTrue(throttled.get("lossAfterShapingPercent").asDouble() < 10, throttled.toString());
    }
  }
}
