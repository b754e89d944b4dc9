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
 * over {@code --ramp-s}, then held for {@code --duration-s}), {@code churn} (the same, while
 * {@code --churn-per-s} subscribers leave and as many join every second), {@code meeting}
 * ({@code --participants} join over the ramp; each publishes and receives every other one) and
 * {@code simulcast} (one q/h/f publisher; subscribers behind receive-side shapers of the
 * {@code --bandwidth-mix} classes). A HOCON {@code --scenario-file} gives any of these; flags
 * given alongside override it. With {@code
 * --hls-viewers} and {@code --hls-url}, LL-HLS viewers run alongside.
 */
public final class LoadGenerator {
  private LoadGenerator() {}

  /** Command-line entry point; exits 1 if a subscription failed or loss was not recovered. */
  public static void main(String[] args) throws Exception {
    ProcessStats.quietIceLogs();
    GeneratorOptions o;
    try {
      o = GeneratorOptions.parse(args);
    } catch (IllegalArgumentException | com.typesafe.config.ConfigException e) {
      // A bad flag or scenario file: say which, without a stack trace.
      System.err.println("palco-loadtest: " + e.getMessage());
      System.exit(2);
      return;
    }
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
      boolean meeting = o.scenario().equals("meeting");
      boolean simulcast = o.scenario().equals("simulcast");
      if (meeting) {
        run.addParticipant();
      } else if (simulcast) {
        run.startSimulcastPublisher(o.layers());
      } else {
        run.startPublisher();
      }
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
      int full = meeting ? o.participants() : o.subscribers();
      int shaped = 0;
      for (int i = 1; i <= steps; i++) {
        int want = (int) ((long) full * i / steps);
        if (meeting) {
          while (run.participants() < want) {
            run.addParticipant();
          }
        } else if (simulcast) {
          for (; shaped < want; shaped++) {
            GeneratorOptions.BandwidthClass c = o.bandwidthClassOf(shaped);
            run.addShapedSubscriber(c.name(), c.limitBps(), c.kind());
          }
        } else {
          run.addSubscribers(want - run.subscribers());
        }
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
      Map<String, LoadRun.GroupCounts> classesBefore = run.groupCounts();
      WindowResult steady = run.measure(o.durationS(), churn);
      Map<String, LoadRun.GroupCounts> classesAtEnd = run.groupCounts();
      run.stopPublisher(1_000);
      long[] after = run.streamCounts();
      Map<String, LoadRun.GroupCounts> classesAfter = run.groupCounts();
      // Lost for good in the measured interval: NACK and RTX had a second after it to repair them.
      long unrecoveredVideo = Math.max(0, (after[0] - before[0]) - (after[1] - before[1]));
      long unrecoveredAudio = Math.max(0, (after[2] - before[2]) - (after[3] - before[3]));
      long unrecovered = unrecoveredVideo + unrecoveredAudio;
      LoadStats s = run.stats();
      result.put("ramp", ramp);
      result.put("steady", steady);
      result.put("serverCpuPercentPerSubscriber", steady.serverCpuPercentPerSubscriber());
      result.put("connectMs", Map.of("count", s.connectTime.count(),
          "p50", s.connectTime.percentileNanos(50) / 1e6, "p95", s.connectTime.percentileNanos(95) / 1e6,
          "max", s.connectTime.maxNanos() / 1e6));
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
      totals.put("publisherNacksReceived", run.publisherNacksReceived());
      totals.put("publisherRtxSent", run.publisherRtxSent());
      totals.put("publisherKeyframeRequests", run.publisherKeyframeRequests());
      totals.put("receiverReports", s.receiverReports.sum());
      totals.put("transportFeedback", s.transportFeedback.sum());
      totals.put("malformed", s.malformed.sum());
      totals.put("connectFailures", s.connectFailures.sum());
      if (meeting) {
        result.put("participants", run.participants());
        result.put("subscriptions", run.subscribers());
      }
      long mustNotLose = unrecovered;
      if (simulcast) {
        List<Map<String, Object>> classes = bandwidthClasses(o, classesBefore, classesAtEnd, classesAfter,
            steady.seconds());
        result.put("bandwidthClasses", classes);
        // A throttled path loses what its bottleneck drops: only the unthrottled ones must lose nothing.
        mustNotLose = 0;
        for (Map<String, Object> c : classes) {
          if (((Number) c.get("limitBps")).longValue() == 0) {
            mustNotLose += ((Number) c.get("unrecoveredLoss")).longValue();
          }
        }
        totals.put("unrecoveredLossUnthrottled", mustNotLose);
      }
      result.put("totals", totals);
      result.put("ok", s.connectFailures.sum() == 0 && mustNotLose == 0);
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

  /**
   * The simulcast scenario's result per bandwidth class: its limit, subscribers, the layer each
   * ended on (from the size of the last keyframe it received), delivered video bitrate per
   * subscriber and video loss after the shaper over the measured interval, packets the shaper
   * dropped, and what was lost for good (with the second after the interval for repairs).
   */
  static List<Map<String, Object>> bandwidthClasses(GeneratorOptions o, Map<String, LoadRun.GroupCounts> before,
      Map<String, LoadRun.GroupCounts> atEnd, Map<String, LoadRun.GroupCounts> after, double seconds) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (GeneratorOptions.BandwidthClass c : o.bandwidthMix()) {
      LoadRun.GroupCounts b = before.getOrDefault(c.name(), new LoadRun.GroupCounts());
      LoadRun.GroupCounts e = atEnd.get(c.name());
      LoadRun.GroupCounts a = after.get(c.name());
      if (e == null || a == null) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", c.name());
      m.put("limitBps", c.limitBps());
      m.put("bottleneck", c.kind().name().toLowerCase(java.util.Locale.ROOT));
      m.put("subscribers", e.subscribers);
      List<String> layers = new ArrayList<>();
      int lowest = Integer.MAX_VALUE;
      for (String size : e.lastKeyframeSizes) {
        int index = layerIndex(o, size);
        layers.add(index < 0 ? size : o.layers().get(index).rid());
        lowest = Math.min(lowest, index);
      }
      m.put("layers", layers);
      m.put("lowestLayerIndex", lowest == Integer.MAX_VALUE ? -1 : lowest);
      m.put("lastKeyframeSizes", e.lastKeyframeSizes);
      m.put("videoKbpsPerSubscriber", e.subscribers == 0 ? 0
          : (e.videoBytes - b.videoBytes) * 8 / seconds / 1000 / e.subscribers);
      long expected = e.videoExpected - b.videoExpected;
      long unique = e.videoUnique - b.videoUnique;
      m.put("videoExpected", expected);
      m.put("lossAfterShapingPercent", expected <= 0 ? 0 : 100.0 * Math.max(0, expected - unique) / expected);
      m.put("shaperDrops", e.shaperDrops - b.shaperDrops);
      m.put("unrecoveredLoss", Math.max(0, (a.videoExpected - b.videoExpected) - (a.videoUnique - b.videoUnique))
          + Math.max(0, (a.audioExpected - b.audioExpected) - (a.audioUnique - b.audioUnique)));
      out.add(m);
    }
    return out;
  }

  /** The layer whose resolution is {@code WIDTHxHEIGHT}, or -1. */
  private static int layerIndex(GeneratorOptions o, String size) {
    for (int i = 0; i < o.layers().size(); i++) {
      GeneratorOptions.SimulcastLayer l = o.layers().get(i);
      if (size.equals(l.widthPx() + "x" + l.heightPx())) {
        return i;
      }
    }
    return -1;
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
    // The measured interval's table, as --markdown appends it, so a run's result is readable at once.
    System.err.print(ReportWriter.header() + ReportWriter.row(String.valueOf(result.get("target")),
        (WindowResult) result.get("steady")));
    if (result.get("bandwidthClasses") instanceof List<?> classes) {
      System.err.print(ReportWriter.bandwidthClassTable(classes));
    }
    System.err.println("result: " + jsonPath.toAbsolutePath() + ", chart: " + svg.toAbsolutePath());
  }
}
