package dev.palco.loadtest.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code palco-loadtest}: runs one scenario against Palco (WHIP/WHEP) or Janus (VideoRoom over its
 * HTTP API) with simulated publishers and subscribers that speak ICE, DTLS-SRTP and RTCP, and
 * writes a JSON result, a Markdown table row and an SVG chart. See loadtest/README.md.
 *
 * <p>Scenarios: {@code broadcast} (one publisher, subscribers ramped up to {@code --subscribers}
 * over {@code --ramp-s}, then held for {@code --duration-s}) and {@code churn} (the same, while
 * {@code --churn-per-s} subscribers leave and as many join every second). With {@code
 * --hls-viewers} and {@code --hls-url}, LL-HLS viewers run alongside.
 */
public final class LoadGenerator {
  private LoadGenerator() {}

  /** Command-line entry point; exits 1 if a subscription failed or loss was not recovered. */
  public static void main(String[] args) throws Exception {
    ProcessStats.quietIceLogs();
    GeneratorOptions o = GeneratorOptions.parse(args);
    Map<String, Object> result = run(o);
    System.exit(Boolean.TRUE.equals(result.get("ok")) ? 0 : 1);
  }

  /** Runs the scenario the options describe and writes its outputs; returns the JSON result as a map. */
  public static Map<String, Object> run(GeneratorOptions o) throws Exception {
    ServerProcess server = null;
    MediaTarget target;
    if (o.target().equals("janus")) {
      if (o.url() == null) {
        server = ServerProcess.startJanus(o.outDir().resolve("janus"), o.port(), System.getProperty("palco.loadtest.janusInterface", "lo"));
      }
      target = new JanusTarget(server != null ? server.url() : o.url(), server != null ? server.pid() : o.pid());
    } else {
      if (o.url() == null) {
        server = ServerProcess.startPalco(o.serverJar(), o.outDir().resolve("palco"), o.port(), o.serverHeap());
      }
      target = new PalcoTarget(server != null ? server.url() : o.url(), server != null ? server.pid() : o.pid());
    }
    try {
      target.prepare();
      return runScenario(o, target);
    } finally {
      target.close();
      if (server != null) {
        server.close();
      }
    }
  }

  static Map<String, Object> runScenario(GeneratorOptions o, MediaTarget target) throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("scenario", o.scenario());
    result.put("target", target.name());
    result.put("startedAt", Instant.now().toString());
    result.put("loadAverageBefore", ProcessStats.loadAverage());
    result.put("options", o.asMap());
    List<WindowResult> ramp = new ArrayList<>();
    HlsViewers hls = null;
    try (LoadRun run = new LoadRun(target, new LoadRun.PublisherSettings(o.bitrateBps(), o.fps(), o.keyframeS()),
        o.connectParallelism(), System.err, java.net.InetAddress.getByName("127.0.0.1"),
        o.clients().equals("ice4j") ? LoadRun.Clients.ICE4J : LoadRun.Clients.SHARED)) {
      run.startPublisher();
      if (o.hlsViewers() > 0) {
        String url = o.hlsUrl();
        if (url == null && target instanceof PalcoTarget) {
          url = ((PalcoTarget) target).startBroadcast();
        }
        if (url == null) {
          throw new IllegalArgumentException("--hls-viewers needs --hls-url for " + target.name());
        }
        hls = new HlsViewers(url, o.hlsViewers());
        hls.start();
      }
      int steps = Math.max(1, (int) Math.round(o.rampS()));
      for (int i = 1; i <= steps; i++) {
        int want = (int) ((long) o.subscribers() * i / steps);
        run.addSubscribers(want - run.subscribers());
        ramp.add(run.measure(Math.max(0.5, o.rampS() / steps), null));
      }
      if (o.settleS() > 0) {
        run.measure(o.settleS(), null);
      }
      Runnable churn = null;
      if (o.scenario().equals("churn") && o.churnPerS() > 0) {
        churn = () -> {
          run.removeSubscribers(o.churnPerS());
          CompletableFuture.runAsync(() -> {
            try {
              run.addSubscribers(o.churnPerS());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
        };
      }
      long[] before = run.streamCounts();
      WindowResult steady = run.measure(o.durationS(), churn);
      run.stopPublisher(1_000);
      long[] after = run.streamCounts();
      // Lost for good in the measured interval: NACK and RTX had a second after it to repair them.
      long unrecoveredVideo = Math.max(0, (after[0] - before[0]) - (after[1] - before[1]));
      long unrecoveredAudio = Math.max(0, (after[2] - before[2]) - (after[3] - before[3]));
      long unrecovered = unrecoveredVideo + unrecoveredAudio;
      LoadStats s = run.stats();
      result.put("ramp", ramp);
      result.put("steady", steady);
      result.put("serverCpuPercentPerSubscriber", steady.serverCpuPercentPerSubscriber());
      result.put("timeToFirstFrameMs", Map.of("count", s.timeToFirstFrame.count(),
          "p50", s.timeToFirstFrame.percentileNanos(50) / 1e6, "p95", s.timeToFirstFrame.percentileNanos(95) / 1e6,
          "max", s.timeToFirstFrame.maxNanos() / 1e6));
      result.put("latencyWholeRunMs", Map.of("p50", s.run.percentileNanos(50) / 1e6,
          "p95", s.run.percentileNanos(95) / 1e6, "p99", s.run.percentileNanos(99) / 1e6,
          "max", s.run.maxNanos() / 1e6));
      Map<String, Object> totals = new LinkedHashMap<>();
      totals.put("packetsReceived", s.packets.sum());
      totals.put("unrecoveredLoss", unrecovered);
      totals.put("unrecoveredVideo", unrecoveredVideo);
      totals.put("unrecoveredAudio", unrecoveredAudio);
      totals.put("unrecoveredLossWholeRun", Math.max(0, (after[0] + after[2]) - (after[1] + after[3])));
      totals.put("nacksSent", s.nacksSent.sum());
      totals.put("rtxReceived", s.rtxReceived.sum());
      totals.put("publisherNacksReceived", run.publisher().nacksReceived());
      totals.put("publisherRtxSent", run.publisher().rtxSent());
      totals.put("publisherKeyframeRequests", run.publisher().keyframeRequests());
      totals.put("receiverReports", s.receiverReports.sum());
      totals.put("transportFeedback", s.transportFeedback.sum());
      totals.put("malformed", s.malformed.sum());
      totals.put("connectFailures", s.connectFailures.sum());
      result.put("totals", totals);
      result.put("ok", s.connectFailures.sum() == 0 && unrecovered == 0);
    } finally {
      if (hls != null) {
        hls.close();
        result.put("hls", hls.result());
      }
    }
    result.put("loadAverageAfter", ProcessStats.loadAverage());
    writeOutputs(o, result, ramp);
    return result;
  }

  private static void writeOutputs(GeneratorOptions o, Map<String, Object> result, List<WindowResult> ramp)
      throws Exception {
    Files.createDirectories(o.outDir());
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Path jsonPath = o.outDir().resolve(o.scenario() + "-" + result.get("target") + ".json");
    json.writeValue(jsonPath.toFile(), result);
    List<WindowResult> points = new ArrayList<>(ramp);
    points.add((WindowResult) result.get("steady"));
    Path svg = o.outDir().resolve(o.scenario() + "-" + result.get("target") + ".svg");
    Files.writeString(svg, ReportWriter.chart(o.scenario() + " on " + result.get("target"),
        Map.of(String.valueOf(result.get("target")), points)));
    if (o.markdown() != null) {
      ReportWriter.appendRun(o.markdown(), result, (WindowResult) result.get("steady"), svg);
    }
    System.err.println("result: " + jsonPath.toAbsolutePath() + ", chart: " + svg.toAbsolutePath());
  }
}
