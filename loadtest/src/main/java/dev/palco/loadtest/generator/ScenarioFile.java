package dev.palco.loadtest.generator;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A scenario described in a HOCON file ({@code --scenario-file}), read into the generator's flag
 * values so that flags given alongside override it (see loadtest/README.md and the examples in
 * {@code loadtest/scenarios/}):
 *
 * <pre>
 * scenario = simulcast                  # broadcast | churn | meeting | simulcast
 * ramp = 4s                             # durations in HOCON form: 500ms, 4s, 1m
 * settle = 2s
 * duration = 20s
 * subscribers = 6                       # broadcast, churn, simulcast
 * participants = 4                      # meeting
 * churn-per-second = 2                  # churn
 * video { bitrate-bps = 2500000, fps = 30, keyframe-interval = 2s }
 * simulcast {
 *   layers = [ { rid = q, width = 320, height = 180, bitrate-bps = 150000 }, ... ]
 *   bandwidth-mix = [ { name = "300k", limit-bps = 300000, weight = 1, bottleneck = queue }, ... ]
 *                                       # limit 0: unlimited; bottleneck queue (default) or policer
 * }
 * hls-viewers = 0
 * clients = shared                      # shared (lean clients on shared selector threads) | ice4j
 * </pre>
 *
 * Every value is checked with Typesafe Config's typed getters, and an unknown key is refused, so
 * a mistake ends the run with a {@link ConfigException} whose message names the file, the line
 * and the key.
 */
public final class ScenarioFile {
  /** Scalar keys of the file, each with the flag it stands for. */
  private static final Map<String, String> FLAGS = Map.ofEntries(
      Map.entry("scenario", "scenario"), Map.entry("target", "target"), Map.entry("ramp", "ramp-s"),
      Map.entry("settle", "settle-s"), Map.entry("duration", "duration-s"), Map.entry("subscribers", "subscribers"),
      Map.entry("participants", "participants"), Map.entry("churn-per-second", "churn-per-s"),
      Map.entry("video.bitrate-bps", "bitrate-bps"), Map.entry("video.fps", "fps"),
      Map.entry("video.keyframe-interval", "keyframe-s"), Map.entry("hls-viewers", "hls-viewers"),
      Map.entry("hls-url", "hls-url"), Map.entry("connect-parallelism", "connect-parallelism"),
      Map.entry("simulcast.layers", "layers"), Map.entry("simulcast.bandwidth-mix", "bandwidth-mix"),
      Map.entry("clients", "clients"));
  private static final Set<String> DURATIONS = Set.of("ramp", "settle", "duration", "video.keyframe-interval");
  private static final Set<String> STRINGS = Set.of("scenario", "target", "hls-url", "clients");
  private static final Set<String> SCENARIOS = Set.of("broadcast", "churn", "meeting", "simulcast");

  private ScenarioFile() {}

  /**
   * Reads a scenario file.
   *
   * @return flag name to value, in the form the flags take ({@code ramp = 4s} gives {@code ramp-s=4.0})
   * @throws ConfigException if the file is missing or does not parse, a key is unknown, or a value
   *     has the wrong type or range; the message names the key
   */
  public static Map<String, String> read(Path file) {
    Config config = ConfigFactory.parseFile(file.toFile(),
        ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false)).resolve();
    return flags(config);
  }

  /** Reads scenario text (for tests). */
  public static Map<String, String> parse(String hocon) {
    return flags(ConfigFactory.parseString(hocon, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF))
        .resolve());
  }

  private static Map<String, String> flags(Config config) {
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      if (!FLAGS.containsKey(e.getKey())) {
        throw new ConfigException.BadPath(e.getValue().origin(), e.getKey(),
            "unknown scenario key (known: " + String.join(", ", FLAGS.keySet().stream().sorted().toList()) + ")");
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : FLAGS.entrySet()) {
      String key = e.getKey();
      if (!config.hasPath(key)) {
        continue;
      }
      String value;
      if (DURATIONS.contains(key)) {
        Duration d = config.getDuration(key);
        if (d.isNegative() || (key.equals("video.keyframe-interval") && d.isZero())) {
          throw new ConfigException.BadValue(config.getValue(key).origin(), key, "must be positive, not " + d);
        }
        value = Double.toString(d.toNanos() / 1e9);
      } else if (STRINGS.contains(key)) {
        value = config.getString(key);
        if (key.equals("scenario") && !SCENARIOS.contains(value)) {
          throw new ConfigException.BadValue(config.getValue(key).origin(), key,
              "is one of " + SCENARIOS + ", not '" + value + "'");
        }
        if (key.equals("target") && !value.equals("palco") && !value.equals("janus")) {
          throw new ConfigException.BadValue(config.getValue(key).origin(), key, "is palco or janus, not '" + value + "'");
        }
        if (key.equals("clients") && !value.equals("shared") && !value.equals("ice4j")) {
          throw new ConfigException.BadValue(config.getValue(key).origin(), key, "is shared or ice4j, not '" + value + "'");
        }
      } else if (key.equals("simulcast.layers")) {
        value = layers(config, key);
      } else if (key.equals("simulcast.bandwidth-mix")) {
        value = bandwidthMix(config, key);
      } else {
        int n = config.getInt(key);
        int min = key.equals("churn-per-second") || key.equals("hls-viewers") ? 0 : 1;
        if (n < min) {
          throw new ConfigException.BadValue(config.getValue(key).origin(), key, "must be at least " + min + ", not " + n);
        }
        value = Integer.toString(n);
      }
      out.put(e.getValue(), value);
    }
    return out;
  }

  /** {@code [{rid, width, height, bitrate-bps}]} as the {@code --layers} flag writes it. */
  private static String layers(Config config, String key) {
    List<? extends Config> list = config.getConfigList(key);
    if (list.isEmpty()) {
      throw new ConfigException.BadValue(config.getValue(key).origin(), key, "needs at least one layer");
    }
    StringBuilder spec = new StringBuilder();
    for (int i = 0; i < list.size(); i++) {
      Config l = list.get(i);
      String at = key + "[" + i + "]";
      requireKeys(l, at, Set.of("rid", "width", "height", "bitrate-bps"));
      if (!l.hasPath("rid")) {
        throw new ConfigException.Missing(l.origin(), at + ".rid");
      }
      int width = positive(l, "width", at);
      int height = positive(l, "height", at);
      int bitrate = positive(l, "bitrate-bps", at);
      spec.append(i == 0 ? "" : ",").append(l.getString("rid")).append(':').append(width).append('x')
          .append(height).append(':').append(bitrate);
    }
    return spec.toString();
  }

  /** {@code [{name, limit-bps, weight, bottleneck}]} as the {@code --bandwidth-mix} flag writes it. */
  private static String bandwidthMix(Config config, String key) {
    List<? extends Config> list = config.getConfigList(key);
    if (list.isEmpty()) {
      throw new ConfigException.BadValue(config.getValue(key).origin(), key, "needs at least one class");
    }
    StringBuilder spec = new StringBuilder();
    for (int i = 0; i < list.size(); i++) {
      Config c = list.get(i);
      String at = key + "[" + i + "]";
      requireKeys(c, at, Set.of("name", "limit-bps", "weight", "bottleneck"));
      if (!c.hasPath("name") || !c.hasPath("limit-bps")) {
        throw new ConfigException.Missing(c.origin(), at + (c.hasPath("name") ? ".limit-bps" : ".name"));
      }
      long limit = c.getLong("limit-bps");
      if (limit < 0) {
        throw new ConfigException.BadValue(c.getValue("limit-bps").origin(), at + ".limit-bps",
            "must be 0 (unlimited) or more, not " + limit);
      }
      int weight = c.hasPath("weight") ? positive(c, "weight", at) : 1;
      String bottleneck = c.hasPath("bottleneck") ? c.getString("bottleneck") : "queue";
      if (!bottleneck.equals("queue") && !bottleneck.equals("policer")) {
        throw new ConfigException.BadValue(c.getValue("bottleneck").origin(), at + ".bottleneck",
            "must be queue or policer, not " + bottleneck);
      }
      spec.append(i == 0 ? "" : ",").append(c.getString("name")).append(':').append(limit).append(':')
          .append(weight).append(':').append(bottleneck);
    }
    return spec.toString();
  }

  private static void requireKeys(Config c, String at, Set<String> known) {
    for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
      if (!known.contains(e.getKey())) {
        throw new ConfigException.BadPath(e.getValue().origin(), at + "." + e.getKey(), "unknown key (known: "
            + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  private static int positive(Config c, String key, String at) {
    if (!c.hasPath(key)) {
      throw new ConfigException.Missing(c.origin(), at + "." + key);
    }
    int n;
    try {
      n = c.getInt(key);
    } catch (ConfigException.WrongType e) {
      throw new ConfigException.WrongType(c.getValue(key).origin(), at + "." + key, "a number",
          c.getValue(key).valueType().name().toLowerCase(Locale.ROOT));
    }
    if (n < 1) {
      throw new ConfigException.BadValue(c.getValue(key).origin(), at + "." + key, "must be at least 1, not " + n);
    }
    return n;
  }
}
