package dev.palco.server;

import dev.palco.bridge.broadcast.BroadcastConfig;
import dev.palco.bridge.encode.LadderConfig;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import dev.palco.signaling.Json;
import dev.palco.signaling.audience.AudienceSettings;
import dev.palco.signaling.room.RoomSettings;
import dev.palco.signaling.ws.SignalingLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The server's configuration, read from HOCON: the built-in {@code reference.conf} under {@code
 * palco}, overridden by an optional file, overridden by command-line flags.
 *
 * @param bindAddress HTTP listener address
 * @param httpPort HTTP listener port
 * @param publicAddress the address clients reach the server at (ICE), or empty
 * @param publicUrl the base of join links, or empty
 * @param mediaPort the shared UDP media port
 * @param tlsCert PEM certificate chain, or empty
 * @param tlsKey PEM private key, or empty
 * @param tokenSecret the token secret, or empty for a random one
 * @param tokenTtl how long links work
 * @param rooms room caps and timings
 * @param maxPlayersPerRoom WHEP players per room
 * @param limits WebSocket limits
 * @param logLevel slf4j-simple level
 * @param shutdownGrace how long shutdown waits for sessions
 * @param webFolder classpath folder of the web client
 * @param turn TURN credentials and the coturn configuration ({@code palco.turn})
 * @param audience the audience layer ({@code palco.audience}, with {@code palco.data-dir})
 * @param broadcast the bridge's canvas, ladder and presentation delay ({@code palco.broadcast})
 * @param lastN most video tracks the SFU forwards to one participant at once, chosen by speaking
 *     order ({@code palco.media.last-n}); {@link #NO_LAST_N} for no limit
 * @param opusRed whether the SFU agrees Opus in RED, RFC 2198 ({@code palco.media.opus-red})
 */
public record ServerConfig(
    String bindAddress,
    int httpPort,
    String publicAddress,
    String publicUrl,
    int mediaPort,
    String tlsCert,
    String tlsKey,
    String tokenSecret,
    Duration tokenTtl,
    RoomSettings rooms,
    int maxPlayersPerRoom,
    SignalingLimits limits,
    String logLevel,
    Duration shutdownGrace,
    String webFolder,
    TurnConfig turn,
    AudienceSettings audience,
    BroadcastConfig broadcast,
    int lastN,
    boolean opusRed) {

  /** {@link #lastN} when every video track is forwarded. */
  public static final int NO_LAST_N = -1;

  /** The largest Last-N: beyond it the limit means nothing for a room of {@code max-participants}. */
  public static final int MAX_LAST_N = 1000;

  private static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

  /**
   * Loads the configuration.
   *
   * @param file a HOCON file, or {@code null}
   * @param overrides flag values by config path (such as {@code palco.http.port}); they win
   * @throws com.typesafe.config.ConfigException if a value is missing, mistyped or out of range
   */
  public static ServerConfig load(Path file, Map<String, Object> overrides) {
    Config reference = ConfigFactory.defaultReference(ServerConfig.class.getClassLoader());
    Config fromFile =
        file == null
            ? ConfigFactory.empty()
            : ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    Config merged = ConfigFactory.parseMap(overrides).withFallback(fromFile).withFallback(reference).resolve();
    return from(merged.getConfig("palco"));
  }

  static ServerConfig from(Config c) {
    int httpPort = port(c, "http.port");
    int mediaPort = port(c, "media.port");
    String logLevel = c.getString("log-level").toLowerCase(java.util.Locale.ROOT);
    if (!LOG_LEVELS.contains(logLevel)) {
      throw new com.typesafe.config.ConfigException.BadValue("palco.log-level", "must be one of " + LOG_LEVELS);
    }
    ArrayNode iceServers = Json.MAPPER.valueToTree(c.getList("ice-servers").unwrapped());
    RoomSettings rooms =
        new RoomSettings(
            positive(c, "rooms.max-rooms"),
            positive(c, "rooms.max-participants"),
            c.getDuration("rooms.empty-ttl"),
            c.getDuration("rooms.resume-window"),
            iceServers);
    SignalingLimits limits =
        new SignalingLimits(
            positive(c, "limits.max-message-bytes"),
            positive(c, "limits.messages-per-second"),
            positive(c, "limits.burst"),
            c.getDuration("limits.flood-close-after"),
            positive(c, "limits.outgoing-queue"),
            positive(c, "limits.incoming-queue"));
    TurnConfig turn = TurnConfig.from(c.getConfig("turn"));
    if (turn.enabled()) {
      turn.check();
    }
    AudienceSettings audience = audience(c);
    return new ServerConfig(
        c.getString("http.bind"),
        httpPort,
        c.getString("public-address"),
        c.getString("public-url"),
        mediaPort,
        c.getString("tls.cert"),
        c.getString("tls.key"),
        c.getString("tokens.secret"),
        c.getDuration("tokens.ttl"),
        rooms,
        positive(c, "rooms.max-players"),
        limits,
        logLevel,
        c.getDuration("shutdown-grace"),
        c.getString("web-folder"),
        turn,
        audience,
        broadcast(c.getConfig("broadcast")),
        lastN(c),
        c.getBoolean("media.opus-red"));
  }

  /**
   * {@code palco.media.last-n}: -1 for no limit, otherwise 1 to {@value #MAX_LAST_N}. Zero is
   * refused: it would forward no video at all, which is a mistake rather than a setting.
   */
  static int lastN(Config c) {
    int n = c.getInt("media.last-n");
    if (n != NO_LAST_N && (n < 1 || n > MAX_LAST_N)) {
      throw new com.typesafe.config.ConfigException.BadValue(
          "palco.media.last-n", "must be -1 (no limit) or 1 to " + MAX_LAST_N + ", not " + n);
    }
    return n;
  }

  /**
   * {@code palco.broadcast}: the ladder ({@code three-rung}: 720p, 480p and 360p; {@code
   * two-rung}: 360p and 180p), the composite's frame rate (which must give whole frames in a 200
   * ms part), libx264's threads per rung and the presentation delay.
   */
  static BroadcastConfig broadcast(Config b) {
    int fps = positive(b, "frame-rate");
    if (fps > 60 || (fps * 200) % 1000 != 0) {
      throw new com.typesafe.config.ConfigException.BadValue(
          "palco.broadcast.frame-rate", "must give a whole number of frames in 200 ms (5, 10, 15, 20, 25, 30, ... 60)");
    }
    int threads = positive(b, "x264-threads");
    String name = b.getString("ladder");
    LadderConfig ladder;
    int width;
    int height;
    switch (name) {
      case "three-rung" -> {
        ladder = LadderConfig.threeRung(threads);
        width = 1280;
        height = 720;
      }
      case "two-rung" -> {
        ladder = LadderConfig.standard();
        width = 640;
        height = 360;
      }
      default -> throw new com.typesafe.config.ConfigException.BadValue(
          "palco.broadcast.ladder", "must be three-rung or two-rung, not '" + name + "'");
    }
    ladder = new LadderConfig(ladder.video(), ladder.audio(), fps, ladder.gopMs(), ladder.x264Preset(), threads);
    long delayMs = b.getDuration("presentation-delay").toMillis();
    if (delayMs < 0 || delayMs > 2000) {
      throw new com.typesafe.config.ConfigException.BadValue(
          "palco.broadcast.presentation-delay", "must be between 0 and 2 s");
    }
    BroadcastConfig defaults = BroadcastConfig.defaults();
    return new BroadcastConfig(defaults.compositor().withCanvas(width, height, fps), ladder, (int) delayMs,
        defaults.audioBlockMs(), defaults.videoHandOffFrames(), defaults.rungScheduling());
  }

  /** {@code palco.audience}; its journal lives under {@code palco.data-dir} unless that is empty. */
  static AudienceSettings audience(Config c) {
    Config a = c.getConfig("audience");
    String dataDir = c.getString("data-dir");
    return new AudienceSettings(
        positive(a, "max-viewers"),
        positive(a, "max-viewer-sessions"),
        positive(a, "max-questions"),
        positive(a, "max-open-questions-per-viewer"),
        positive(a, "chat-history"),
        positive(a, "max-hands"),
        positive(a, "max-bans"),
        positive(a, "question-chars"),
        positive(a, "chat-chars"),
        positive(a, "name-chars"),
        a.getBoolean("questions-need-approval"),
        new AudienceSettings.RateRule(positive(a, "question-rate.burst"), a.getDuration("question-rate.refill-every")),
        new AudienceSettings.RateRule(positive(a, "chat-rate.burst"), a.getDuration("chat-rate.refill-every")),
        positive(a, "messages-per-second"),
        positive(a, "burst"),
        a.getDuration("flood-close-after"),
        positive(a, "max-message-bytes"),
        positive(a, "outgoing-queue"),
        a.getDuration("invite-ttl"),
        a.getDuration("coalesce"),
        a.getDuration("votes-coalesce"),
        a.getStringList("blocklist"),
        a.getBoolean("journal") && !dataDir.isEmpty() ? Path.of(dataDir) : null);
  }

  /** Whether the listener speaks TLS. */
  public boolean tlsEnabled() {
    return !tlsCert.isEmpty() || !tlsKey.isEmpty();
  }

  private static int port(Config c, String path) {
    int port = c.getInt(path);
    if (port < 0 || port > 65535) {
      throw new com.typesafe.config.ConfigException.BadValue("palco." + path, "must be a port number");
    }
    return port;
  }

  private static int positive(Config c, String path) {
    int value = c.getInt(path);
    if (value < 1) {
      throw new com.typesafe.config.ConfigException.BadValue(c.origin(), path, "must be positive");
    }
    return value;
  }
}
