package dev.palco.loadtest.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The same broadcast against Janus's VideoRoom and against Palco, one after the other, in one
 * command (scripts/janus-vs-palco.sh runs it): one publisher (VP8-like video at 2.5 Mbit/s, 30 fps,
 * a keyframe every 2 s, plus Opus at 50 packets/s) and subscribers added {@code --step} at a time.
 * At each step the load settles, then is measured (a step with 1 % loss or more is measured once
 * more, and only the second result counts). The first step with 1 % loss or more (or a failed
 * subscription) ends the ramp; the largest load before it is the server's maximum. The run
 * then drops to 90 % and to 50 % of that maximum and measures the p99 forwarding latency there.
 *
 * <p>Flags: {@code --server-jar}, {@code --step 10}, {@code --max-subscribers 400}, {@code
 * --settle-s 3}, {@code --measure-s 5}, {@code --server-address 127.0.0.1}, {@code --client-address
 * 127.0.0.1}, {@code --janus-interface lo}, {@code --server-netns-pid PID} (servers are started
 * with {@code nsenter -t PID -n}), {@code --targets janus,palco}, {@code --out DIR}, {@code
 * --markdown FILE}.
 */
public final class SideBySideBenchmark {
  /** A second, stricter maximum: loss under 1 % and p99 forwarding latency under this. */
  static final double LATENCY_BOUND_MS = 200;

  private SideBySideBenchmark() {}

  /** What one server did. */
  record ServerResult(String server, List<WindowResult> ramp, int maxSubscribers, WindowResult atMax,
      WindowResult at90, WindowResult at50, Map<String, Object> extra) {}

  /** Runs the comparison and writes JSON, SVG and the Markdown section. */
  public static void main(String[] args) throws Exception {
    ProcessStats.quietIceLogs();
    Map<String, String> f = flags(args);
    Path jar = Path.of(f.getOrDefault("server-jar", "signaling/target/palco-server.jar"));
    int step = Integer.parseInt(f.getOrDefault("step", "10"));
    int maxSubscribers = Integer.parseInt(f.getOrDefault("max-subscribers", "400"));
    double settleS = Double.parseDouble(f.getOrDefault("settle-s", "3"));
    double measureS = Double.parseDouble(f.getOrDefault("measure-s", "5"));
    String serverAddress = f.getOrDefault("server-address", "127.0.0.1");
    InetAddress clientAddress = InetAddress.getByName(f.getOrDefault("client-address", "127.0.0.1"));
    String janusInterface = f.getOrDefault("janus-interface", "lo");
    List<String> prefix = f.containsKey("server-netns-pid")
        ? List.of("nsenter", "-t", f.get("server-netns-pid"), "-n") : List.of();
    Path out = Path.of(f.getOrDefault("out", "loadtest/target/janus-vs-palco"));
    Files.createDirectories(out);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("startedAt", Instant.now().toString());
    result.put("loadAverageBefore", ProcessStats.loadAverage());
    result.put("settings", Map.of("videoBitrateBps", 2_500_000, "fps", 30, "keyframeS", 2, "opusPps", 50,
        "step", step, "settleS", settleS, "measureS", measureS, "lossLimitPercent", 1.0));
    List<ServerResult> servers = new ArrayList<>();
    for (String name : f.getOrDefault("targets", "janus,palco").split(",")) {
      ServerProcess server = name.equals("janus")
          ? ServerProcess.startJanus(out.resolve("janus"), serverAddress, 18188, janusInterface, prefix)
          : ServerProcess.startPalco(jar, out.resolve("palco"), serverAddress, 18480, "1g", prefix);
      MediaTarget target = name.equals("janus") ? new JanusTarget(server.url(), server.pid())
          : new PalcoTarget(server.url(), server.pid());
      try {
        target.prepare();
        servers.add(ramp(target, step, maxSubscribers, settleS, measureS, clientAddress));
      } catch (Exception e) {
        // One server failing (to start, say) must not lose the other's results.
        e.printStackTrace();
        servers.add(new ServerResult(name, List.of(), 0, null, null, null, Map.of("stoppedBecause",
            "failed: " + e)));
      } finally {
        target.close();
        server.close();
      }
    }
    result.put("loadAverageAfter", ProcessStats.loadAverage());
    result.put("servers", servers);
    ServerResult janus = find(servers, "janus");
    ServerResult palco = find(servers, "palco");
    if (janus != null && palco != null && janus.maxSubscribers() > 0) {
      result.put("subscriberRatioPalcoToJanus", (double) palco.maxSubscribers() / janus.maxSubscribers());
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("result.json").toFile(),
        result);
    Map<String, List<WindowResult>> series = new LinkedHashMap<>();
    for (ServerResult s : servers) {
      series.put(s.server(), s.ramp());
    }
    Path svg = out.resolve("janus-vs-palco.svg");
    Files.writeString(svg, ReportWriter.chart("Broadcast, 1 publisher at 2.5 Mbit/s: throughput and p99 against "
        + "subscribers", series));
    String md = markdown(result, servers, janus, palco, svg);
    System.out.println(md);
    if (f.containsKey("markdown")) {
      Files.writeString(Path.of(f.get("markdown")), md, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  private static ServerResult ramp(MediaTarget target, int step, int maxSubscribers, double settleS, double measureS,
      InetAddress clientAddress) throws Exception {
    List<WindowResult> ramp = new ArrayList<>();
    Map<String, Object> extra = new LinkedHashMap<>();
    try (LoadRun run = new LoadRun(target, new LoadRun.PublisherSettings(2_500_000, 30, 2), 4, System.err,
        clientAddress)) {
      run.startPublisher();
      run.measure(settleS, null);
      WindowResult best = null;
      while (run.subscribers() + step <= maxSubscribers) {
        long failuresBefore = run.stats().connectFailures.sum();
        run.addSubscribers(step);
        run.measure(settleS, null);
        WindowResult w = run.measure(measureS, null);
        if (w.lossPercent() >= 1.0) {
          // On a shared machine one stall of the generator can drop a burst: a step fails only if
          // a second measurement at the same load shows the loss again.
          extra.merge("remeasuredSteps", 1, (a, b) -> (Integer) a + (Integer) b);
          w = run.measure(measureS, null);
        }
        ramp.add(w);
        boolean failed = run.stats().connectFailures.sum() > failuresBefore;
        // A step in which nothing arrived shows no loss, but proves nothing either.
        boolean silent = w.expectedPackets() == 0;
        if (w.lossPercent() >= 1.0 || failed || silent) {
          extra.put("stoppedBecause", failed ? "a subscription failed at " + w.subscribers()
              : silent ? "no media delivered at " + w.subscribers()
              : String.format(Locale.ROOT, "loss %.2f %% at %d subscribers", w.lossPercent(), w.subscribers()));
          break;
        }
        best = w;
      }
      if (best == null) {
        return new ServerResult(target.name(), ramp, 0, null, null, null, extra);
      }
      int max = best.subscribers();
      run.removeSubscribers(run.subscribers() - (int) Math.round(max * 0.9));
      run.measure(settleS, null);
      WindowResult at90 = run.measure(measureS, null);
      run.removeSubscribers(run.subscribers() - (int) Math.round(max * 0.5));
      run.measure(settleS, null);
      WindowResult at50 = run.measure(measureS, null);
      LoadStats s = run.stats();
      extra.put("timeToFirstFrameMs", Map.of("p50", s.timeToFirstFrame.percentileNanos(50) / 1e6,
          "p95", s.timeToFirstFrame.percentileNanos(95) / 1e6));
      extra.put("publisherNacksReceived", run.publisher().nacksReceived());
      extra.put("transportFeedbackSent", s.transportFeedback.sum());
      extra.put("receiverReportsSent", s.receiverReports.sum());
      return new ServerResult(target.name(), ramp, max, best, at90, at50, extra);
    }
  }

  /** The largest load of the ramp before the first step with 1 % loss or a p99 over the bound. */
  static int maxWithinLatency(List<WindowResult> ramp) {
    int max = 0;
    for (WindowResult w : ramp) {
      if (w.lossPercent() >= 1.0 || w.p99Ms() >= LATENCY_BOUND_MS) {
        break;
      }
      max = w.subscribers();
    }
    return max;
  }

  private static ServerResult find(List<ServerResult> servers, String name) {
    for (ServerResult s : servers) {
      if (s.server().equals(name)) {
        return s;
      }
    }
    return null;
  }

  private static String markdown(Map<String, Object> result, List<ServerResult> servers, ServerResult janus,
      ServerResult palco, Path svg) {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "%n#### Run of %s (load average before %s, after %s)%n%n",
        result.get("startedAt"), result.get("loadAverageBefore"), result.get("loadAverageAfter")));
    md.append("| server | max subscribers at < 1 % loss | server CPU per subscriber stream (% of a core) "
        + "| p99 ms at 50 % of max | p99 ms at 90 % of max | server RSS MiB at max | generator CPU at max (cores) "
        + "| max with p99 < " + (int) LATENCY_BOUND_MS + " ms too | ramp ended by |\n"
        + "|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (ServerResult s : servers) {
      if (s.atMax() == null) {
        md.append(String.format(Locale.ROOT, "| %s | 0 | – | – | – | – | – | – | %s |%n", s.server(),
            s.extra().getOrDefault("stoppedBecause", "")));
        continue;
      }
      md.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f (%d) | %.2f (%d) | %.0f | %.2f | %d | %s |%n",
          s.server(), s.maxSubscribers(), s.atMax().serverCpuPercentPerSubscriber(), s.at50().p99Ms(),
          s.at50().subscribers(), s.at90().p99Ms(), s.at90().subscribers(), s.atMax().serverRssMb(),
          s.atMax().generatorCpuCores(), maxWithinLatency(s.ramp()),
          s.extra().getOrDefault("stoppedBecause", "the step limit")));
    }
    if (janus != null && palco != null && janus.maxSubscribers() > 0) {
      md.append(String.format(Locale.ROOT, "%nPalco/Janus subscribers: **%.2f×**.", (double) palco.maxSubscribers()
          / janus.maxSubscribers()));
      int janusBounded = maxWithinLatency(janus.ramp());
      if (janusBounded > 0) {
        md.append(String.format(Locale.ROOT, " With p99 < %d ms as well: %.2f×.", (int) LATENCY_BOUND_MS,
            (double) maxWithinLatency(palco.ramp()) / janusBounded));
      }
      if (janus.atMax() != null && palco.atMax() != null) {
        md.append(String.format(Locale.ROOT, " CPU per subscriber stream Palco/Janus: %.2f×.",
            palco.atMax().serverCpuPercentPerSubscriber() / janus.atMax().serverCpuPercentPerSubscriber()));
      }
      md.append('\n');
    }
    md.append("\nEvery step of the ramp:\n\n").append(ReportWriter.header());
    for (ServerResult s : servers) {
      for (WindowResult w : s.ramp()) {
        md.append(ReportWriter.row(s.server(), w));
      }
    }
    md.append(String.format(Locale.ROOT, "%nChart: `%s`; full result: `%s`.%n", svg,
        svg.resolveSibling("result.json")));
    return md.toString();
  }

  private static Map<String, String> flags(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        m.put(a.substring(2, eq), a.substring(eq + 1));
      } else if (a.startsWith("--") && i + 1 < args.length) {
        m.put(a.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("unexpected argument " + a);
      }
    }
    return m;
  }
}
