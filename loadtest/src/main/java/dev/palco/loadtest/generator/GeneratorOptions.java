package dev.palco.loadtest.generator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The generator's command-line flags ({@code --name=value} or {@code --name value}).
 *
 * @param target {@code palco} or {@code janus}
 * @param scenario {@code broadcast}, {@code churn}, {@code meeting} or {@code simulcast}
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
 * @param participants meeting participants (each publishes and subscribes to every other)
 * @param layers the simulcast publisher's layers, lowest first
 * @param bandwidthMix the simulcast subscribers' bandwidth classes, given out in turn by weight
 * @param clients {@code shared} (lean clients on shared selector threads; the default) or {@code
 *     ice4j} (a full WebRtcClient, with its own agent and reader thread, per client)
 */
public record GeneratorOptions(String target, String scenario, String url, long pid, Path serverJar, String serverHeap,
    int port, int subscribers, double rampS, double durationS, int bitrateBps, int fps, double keyframeS,
    int churnPerS, int connectParallelism, String hlsUrl, int hlsViewers, Path outDir, Path markdown,
    double settleS, int participants, List<SimulcastLayer> layers, List<BandwidthClass> bandwidthMix, String clients) {

  /** The scenarios. */
  public static final List<String> SCENARIOS = List.of("broadcast", "churn", "meeting", "simulcast");
  /** Default simulcast layers, as a browser sends a 720p camera (q/h/f). */
  public static final String DEFAULT_LAYERS = "q:320x180:150000,h:640x360:500000,f:1280x720:1700000";
  /** Default bandwidth mix: one subscriber in three each at 300 kbit/s, 1 Mbit/s and unlimited. */
  public static final String DEFAULT_BANDWIDTH_MIX = "300k:300000:1,1M:1000000:1,unlimited:0:1";

  /**
   * One simulcast layer (RFC 8853).
   *
   * @param rid its rid (RFC 8851)
   * @param widthPx frame width
   * @param heightPx frame height
   * @param bitrateBps target bitrate
   */
  public record SimulcastLayer(String rid, int widthPx, int heightPx, int bitrateBps) {}

  /**
   * A subscriber bandwidth class, enforced by a {@link ReceiveShaper}.
   *
   * @param name for the report
   * @param limitBps the receive budget in bit/s, 0 for unlimited
   * @param weight how many subscribers of this class come in each turn of the mix
   * @param kind whether the bottleneck queues or polices
   */
  public record BandwidthClass(String name, long limitBps, int weight, ReceiveShaper.Kind kind) {
    /** A class behind a queueing bottleneck. */
    public BandwidthClass(String name, long limitBps, int weight) {
      this(name, limitBps, weight, ReceiveShaper.Kind.QUEUE);
    }
  }

  /** Copies the lists. */
  public GeneratorOptions {
    layers = List.copyOf(layers);
    bandwidthMix = List.copyOf(bandwidthMix);
  }

  /** Defaults: Palco from signaling/target/palco-server.jar, broadcast, 20 subscribers, 2.5 Mbit/s, shared clients. */
  public static GeneratorOptions defaults() {
    return new GeneratorOptions("palco", "broadcast", null, -1, Path.of("signaling/target/palco-server.jar"), "1g",
        18480, 20, 5, 10, 2_500_000, 30, 2, 0, 4, null, 0, Path.of("loadtest/target/loadgen"), null, 3, 4,
        parseLayers(DEFAULT_LAYERS), parseBandwidthMix(DEFAULT_BANDWIDTH_MIX), "shared");
  }

  /**
   * Parses flags over the defaults; with {@code --scenario-file}, over that file's values (the
   * flags win).
   *
   * @throws IllegalArgumentException for a bad flag, naming it
   * @throws com.typesafe.config.ConfigException for a bad scenario file, naming the key
   */
  public static GeneratorOptions parse(String[] args) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + a);
      }
      int eq = a.indexOf('=');
      if (eq > 0) {
        flags.put(a.substring(2, eq), a.substring(eq + 1));
      } else if (i + 1 < args.length) {
        flags.put(a.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException(a + " needs a value");
      }
    }
    Map<String, String> m = new LinkedHashMap<>();
    String file = flags.remove("scenario-file");
    if (file != null) {
      m.putAll(ScenarioFile.read(Path.of(file)));
    }
    m.putAll(flags);
    for (String name : m.keySet()) {
      if (!FLAG_NAMES.contains(name)) {
        throw new IllegalArgumentException("unknown flag --" + name);
      }
    }
    GeneratorOptions d = defaults();
    GeneratorOptions o = new GeneratorOptions(m.getOrDefault("target", d.target()),
        m.getOrDefault("scenario", d.scenario()), m.get("url"), longFlag(m, "pid", -1),
        Path.of(m.getOrDefault("server-jar", d.serverJar().toString())), m.getOrDefault("server-heap", d.serverHeap()),
        intFlag(m, "port", d.port()), intFlag(m, "subscribers", d.subscribers()),
        doubleFlag(m, "ramp-s", d.rampS()), doubleFlag(m, "duration-s", d.durationS()),
        intFlag(m, "bitrate-bps", d.bitrateBps()), intFlag(m, "fps", d.fps()),
        doubleFlag(m, "keyframe-s", d.keyframeS()), intFlag(m, "churn-per-s", 0),
        intFlag(m, "connect-parallelism", d.connectParallelism()),
        m.get("hls-url"), intFlag(m, "hls-viewers", 0),
        Path.of(m.getOrDefault("out", d.outDir().toString())), m.containsKey("markdown") ? Path.of(m.get("markdown")) : null,
        doubleFlag(m, "settle-s", d.settleS()), intFlag(m, "participants", d.participants()),
        parseLayers(m.getOrDefault("layers", DEFAULT_LAYERS)),
        parseBandwidthMix(m.getOrDefault("bandwidth-mix", DEFAULT_BANDWIDTH_MIX)),
        m.getOrDefault("clients", d.clients()));
    if (!o.target().equals("palco") && !o.target().equals("janus")) {
      throw new IllegalArgumentException("--target is palco or janus");
    }
    if (!SCENARIOS.contains(o.scenario())) {
      throw new IllegalArgumentException("--scenario is one of " + SCENARIOS);
    }
    if ((o.scenario().equals("meeting") || o.scenario().equals("simulcast")) && !o.target().equals("palco")) {
      throw new IllegalArgumentException("--scenario " + o.scenario() + " runs against palco only");
    }
    if (o.participants() < 2 && o.scenario().equals("meeting")) {
      throw new IllegalArgumentException("--participants must be at least 2 for a meeting");
    }
    if (!o.clients().equals("shared") && !o.clients().equals("ice4j")) {
      throw new IllegalArgumentException("--clients is shared or ice4j");
    }
    return o;
  }

  private static final java.util.Set<String> FLAG_NAMES = java.util.Set.of("target", "scenario", "url", "pid",
      "server-jar", "server-heap", "port", "subscribers", "ramp-s", "duration-s", "bitrate-bps", "fps", "keyframe-s",
      "churn-per-s", "connect-parallelism", "hls-url", "hls-viewers", "out", "markdown", "settle-s", "participants",
      "layers", "bandwidth-mix", "clients");

  private static int intFlag(Map<String, String> m, String name, int fallback) {
    return (int) longFlag(m, name, fallback);
  }

  private static long longFlag(Map<String, String> m, String name, long fallback) {
    String v = m.get(name);
    try {
      return v == null ? fallback : Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " takes a whole number, not '" + v + "'");
    }
  }

  private static double doubleFlag(Map<String, String> m, String name, double fallback) {
    String v = m.get(name);
    try {
      return v == null ? fallback : Double.parseDouble(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " takes a number, not '" + v + "'");
    }
  }

  /** Parses {@code rid:WIDTHxHEIGHT:BPS,...} (the {@code --layers} flag), lowest layer first. */
  public static List<SimulcastLayer> parseLayers(String spec) {
    List<SimulcastLayer> out = new ArrayList<>();
    for (String part : spec.split(",")) {
      String[] f = part.strip().split(":");
      String[] size = f.length == 3 ? f[1].split("x") : new String[0];
      try {
        if (size.length != 2 || f[0].isEmpty()) {
          throw new NumberFormatException();
        }
        out.add(new SimulcastLayer(f[0], Integer.parseInt(size[0]), Integer.parseInt(size[1]),
            Integer.parseInt(f[2])));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--layers takes rid:WIDTHxHEIGHT:BPS,..., not '" + part + "'");
      }
    }
    return out;
  }

  /**
   * Parses {@code name:LIMIT_BPS:WEIGHT[:queue|policer],...} (the {@code --bandwidth-mix} flag;
   * limit 0 is unlimited; the bottleneck queues unless it says {@code policer}).
   */
  public static List<BandwidthClass> parseBandwidthMix(String spec) {
    List<BandwidthClass> out = new ArrayList<>();
    for (String part : spec.split(",")) {
      String[] f = part.strip().split(":");
      try {
        if (f.length < 3 || f.length > 4 || f[0].isEmpty() || Long.parseLong(f[1]) < 0 || Integer.parseInt(f[2]) < 1) {
          throw new NumberFormatException();
        }
        ReceiveShaper.Kind kind = ReceiveShaper.Kind.QUEUE;
        if (f.length == 4) {
          kind = switch (f[3]) {
            case "queue" -> ReceiveShaper.Kind.QUEUE;
            case "policer" -> ReceiveShaper.Kind.POLICER;
            default -> throw new NumberFormatException();
          };
        }
        out.add(new BandwidthClass(f[0], Long.parseLong(f[1]), Integer.parseInt(f[2]), kind));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--bandwidth-mix takes name:LIMIT_BPS:WEIGHT[:queue|policer],..., not '" + part + "'");
      }
    }
    return out;
  }

  /** The bandwidth class of the {@code index}-th simulcast subscriber (0-based): the mix in turn, by weight. */
  public BandwidthClass bandwidthClassOf(int index) {
    int turn = 0;
    for (BandwidthClass c : bandwidthMix) {
      turn += c.weight();
    }
    int at = Math.floorMod(index, turn);
    for (BandwidthClass c : bandwidthMix) {
      if (at < c.weight()) {
        return c;
      }
      at -= c.weight();
    }
    throw new IllegalStateException("empty bandwidth mix");
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
    if (scenario.equals("meeting")) {
      m.put("participants", participants);
    }
    if (scenario.equals("simulcast")) {
      m.put("layers", layers);
      m.put("bandwidthMix", bandwidthMix);
    }
    m.put("clients", clients);
    return m;
  }

  /** A copy with other subscriber counts and times, for tests. */
  public GeneratorOptions withLoad(int newSubscribers, double newRampS, double newDurationS) {
    return new GeneratorOptions(target, scenario, url, pid, serverJar, serverHeap, port, newSubscribers, newRampS,
        newDurationS, bitrateBps, fps, keyframeS, churnPerS, connectParallelism, hlsUrl, hlsViewers, outDir, markdown, settleS,
        participants, layers, bandwidthMix, clients);
  }

  /** A copy with another settle time. */
  public GeneratorOptions withSettle(double newSettleS) {
    return new GeneratorOptions(target, scenario, url, pid, serverJar, serverHeap, port, subscribers, rampS,
        durationS, bitrateBps, fps, keyframeS, churnPerS, connectParallelism, hlsUrl, hlsViewers, outDir, markdown,
        newSettleS, participants, layers, bandwidthMix, clients);
  }

  /** A copy that targets a running server. */
  public GeneratorOptions withServer(String newUrl, long newPid, Path newOutDir) {
    return new GeneratorOptions(target, scenario, newUrl, newPid, serverJar, serverHeap, port, subscribers, rampS,
        durationS, bitrateBps, fps, keyframeS, churnPerS, connectParallelism, hlsUrl, hlsViewers, newOutDir, markdown,
        settleS, participants, layers, bandwidthMix, clients);
  }

  /** A copy with another client stack ({@code shared} or {@code ice4j}). */
  public GeneratorOptions withClients(String newClients) {
    return new GeneratorOptions(target, scenario, url, pid, serverJar, serverHeap, port, subscribers, rampS,
        durationS, bitrateBps, fps, keyframeS, churnPerS, connectParallelism, hlsUrl, hlsViewers, outDir, markdown,
        settleS, participants, layers, bandwidthMix, newClients);
  }
}
