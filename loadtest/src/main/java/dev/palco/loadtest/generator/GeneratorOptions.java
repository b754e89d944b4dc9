package dev.palco.loadtest.generator;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The generator's command-line flags ({@code --name=value} or {@code --name value}).
 *
 * @param target {@code palco} or {@code janus}
 * @param scenario {@code broadcast} or {@code churn}
 * @param url a running server's base URL, or null to start one
 * @param pid the running server's process id (for CPU and RSS), or -1
 * @param serverJar Palco's jar, started when no URL is given
 * @param serverHeap -Xmx for a started Palco
 * @param port HTTP port of a started server (Palco's media port is the next)
 * @param subscribers subscribers at full load
 * @param rampS seconds to reach full load (one step a second)
 * @param durationS seconds held at full load
 * @param bitrateBps publisher video bitrate
 * @param fps publisher frame rate
 * @param keyframeS publisher keyframe interval
 * @param churnPerS subscribers leaving and joining each second (churn)
 * @param connectParallelism subscriptions set up at once
 * @param hlsUrl an LL-HLS media playlist URL for viewers, or null
 * @param hlsViewers LL-HLS viewers
 * @param outDir where JSON, SVG and server files go
 * @param markdown a Markdown file to append the result table to, or null
 * @param settleS seconds at full load before the measurement starts (not measured)
 * @param clients {@code shared} (lean clients on shared selector threads) or {@code ice4j} (a full
 *     WebRtcClient, with its own agent and reader thread, per client; the default)
 */
public record GeneratorOptions(String target, String scenario, String url, long pid, Path serverJar, String serverHeap,
    int port, int subscribers, double rampS, double durationS, int bitrateBps, int fps, double keyframeS,
    int churnPerS, int connectParallelism, String hlsUrl, int hlsViewers, Path outDir, Path markdown,
    double settleS, String clients) {

  /** Defaults: Palco from signaling/target/palco-server.jar, broadcast, 20 subscribers, 2.5 Mbit/s, ice4j clients. */
  public static GeneratorOptions defaults() {
    return new GeneratorOptions("palco", "broadcast", null, -1, Path.of("signaling/target/palco-server.jar"), "1g",
        18480, 20, 5, 10, 2_500_000, 30, 2, 0, 4, null, 0, Path.of("loadtest/target/loadgen"), null, 3, "ice4j");
  }

  /** Parses flags over the defaults. */
  public static GeneratorOptions parse(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + a);
      }
      int eq = a.indexOf('=');
      if (eq > 0) {
        m.put(a.substring(2, eq), a.substring(eq + 1));
      } else if (i + 1 < args.length) {
        m.put(a.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException(a + " needs a value");
      }
    }
    GeneratorOptions d = defaults();
    GeneratorOptions o = new GeneratorOptions(m.getOrDefault("target", d.target()),
        m.getOrDefault("scenario", d.scenario()), m.get("url"), Long.parseLong(m.getOrDefault("pid", "-1")),
        Path.of(m.getOrDefault("server-jar", d.serverJar().toString())), m.getOrDefault("server-heap", d.serverHeap()),
        Integer.parseInt(m.getOrDefault("port", Integer.toString(d.port()))),
        Integer.parseInt(m.getOrDefault("subscribers", Integer.toString(d.subscribers()))),
        Double.parseDouble(m.getOrDefault("ramp-s", Double.toString(d.rampS()))),
        Double.parseDouble(m.getOrDefault("duration-s", Double.toString(d.durationS()))),
        Integer.parseInt(m.getOrDefault("bitrate-bps", Integer.toString(d.bitrateBps()))),
        Integer.parseInt(m.getOrDefault("fps", Integer.toString(d.fps()))),
        Double.parseDouble(m.getOrDefault("keyframe-s", Double.toString(d.keyframeS()))),
        Integer.parseInt(m.getOrDefault("churn-per-s", "0")),
        Integer.parseInt(m.getOrDefault("connect-parallelism", Integer.toString(d.connectParallelism()))),
        m.get("hls-url"), Integer.parseInt(m.getOrDefault("hls-viewers", "0")),
        Path.of(m.getOrDefault("out", d.outDir().toString())), m.containsKey("markdown") ? Path.of(m.get("markdown")) : null,
        Double.parseDouble(m.getOrDefault("settle-s", Double.toString(d.settleS()))),
        m.getOrDefault("clients", d.clients()));
    if (!o.target().equals("palco") && !o.target().equals("janus")) {
      throw new IllegalArgumentException("--target is palco or janus");
    }
    if (!o.scenario().equals("broadcast") && !o.scenario().equals("churn")) {
      throw new IllegalArgumentException("--scenario is broadcast or churn");
    }
    if (!o.clients().equals("shared") && !o.clients().equals("ice4j")) {
      throw new IllegalArgumentException("--clients is shared or ice4j");
    }
    return o;
  }

  /** The options as they go into the JSON result. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", target);
    m.put("scenario", scenario);
    m.put("subscribers", subscribers);
    m.put("rampS", rampS);
    m.put("settleS", settleS);
    m.put("durationS", durationS);
    m.put("bitrateBps", bitrateBps);
    m.put("fps", fps);
    m.put("keyframeS", keyframeS);
    m.put("churnPerS", churnPerS);
    m.put("hlsViewers", hlsViewers);
    m.put("clients", clients);
    return m;
  }

  /** A copy with other subscriber counts and times, for tests. */
  public GeneratorOptions withLoad(int newSubscribers, double newRampS, double newDurationS) {
    return new GeneratorOptions(target, scenario, url, pid, serverJar, serverHeap, port, newSubscribers, newRampS,
        newDurationS, bitrateBps, fps, keyframeS, churnPerS, connectParallelism, hlsUrl, hlsViewers, outDir, markdown, settleS,
        clients);
  }

  /** A copy with another settle time. */
  public GeneratorOptions withSettle(double newSettleS) {
    return new GeneratorOptions(target, scenario, url, pid, serverJar, serverHeap, port, subscribers, rampS,
        durationS, bitrateBps, fps, keyframeS, churnPerS, connectParallelism, hlsUrl, hlsViewers, outDir, markdown,
        newSettleS, clients);
  }

  /** A copy that targets a running server. */
  public GeneratorOptions withServer(String newUrl, long newPid, Path newOutDir) {
    return new GeneratorOptions(target, scenario, newUrl, newPid, serverJar, serverHeap, port, subscribers, rampS,
        durationS, bitrateBps, fps, keyframeS, churnPerS, connectParallelism, hlsUrl, hlsViewers, newOutDir, markdown,
        settleS, clients);
  }

  /** A copy with another client stack ({@code shared} or {@code ice4j}). */
  public GeneratorOptions withClients(String newClients) {
    return new GeneratorOptions(target, scenario, url, pid, serverJar, serverHeap, port, subscribers, rampS,
        durationS, bitrateBps, fps, keyframeS, churnPerS, connectParallelism, hlsUrl, hlsViewers, outDir, markdown,
        settleS, newClients);
  }
}
