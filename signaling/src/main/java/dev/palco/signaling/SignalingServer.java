package dev.palco.signaling;

import dev.palco.signaling.audience.AudienceHub;
import dev.palco.signaling.audience.AudienceSettings;
import dev.palco.signaling.audience.ContentFilter;
import dev.palco.signaling.broadcast.BroadcastControl;
import dev.palco.signaling.http.HealthHandler;
import dev.palco.signaling.http.HlsHandler;
import dev.palco.signaling.http.MetricsHandler;
import dev.palco.signaling.http.RoomsApi;
import dev.palco.signaling.http.StaticWebClient;
import dev.palco.signaling.media.MediaPlane;
import dev.palco.signaling.metrics.SignalingMetrics;
import dev.palco.signaling.room.RoomRegistry;
import dev.palco.signaling.room.RoomSettings;
import dev.palco.signaling.token.JoinTokens;
import dev.palco.signaling.whip.WhipWhepHandler;
import dev.palco.signaling.ws.AudienceEndpoint;
import dev.palco.signaling.ws.SignalingEndpoint;
import dev.palco.signaling.ws.SignalingLimits;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Palco's signaling server on one Undertow listener:
 *
 * <pre>
 *   GET  /ws                  WebSocket signaling of the stage (docs/protocol.md)
 *   GET  /ws/audience         WebSocket of the audience: Q&amp;A, hands, chat
 *        /api/rooms[/{id}]    rooms REST
 *        /whip/…, /whep/…     WHIP ingest and WHEP playback
 *   GET  /healthz             200 while taking sessions, 503 while shutting down
 *   GET  /metrics             Prometheus text
 *   GET  /, /r/{roomId}, /a/{roomId}, …   the web client from the classpath folder palco-web/
 * </pre>
 *
 * <p>Threads: Undertow's I/O threads read frames and serve small answers; a worker pool handles
 * signaling messages (one at a time per connection); Undertow's blocking workers serve REST and
 * WHIP/WHEP; one scheduler sweeps expired seats and rooms every second.
 */
public final class SignalingServer {

  private static final Logger LOG = LoggerFactory.getLogger(SignalingServer.class);

  /**
   * What the server is built from.
   *
   * @param bindAddress the address to listen on
   * @param httpPort the port (0 for any free port)
   * @param tls the TLS context for https/wss, or {@code null} for plain http/ws
   * @param publicUrl the base of join links, or empty to use the request's
   * @param rooms room caps and timings
   * @param limits per-connection WebSocket limits
   * @param tokenTtl how long the links of a new room work
   * @param maxPlayersPerRoom WHEP sessions a room may have
   * @param webFolder the classpath folder of the web client
   * @param version the build version, shown by {@code /healthz}
   * @param audience the audience layer's bounds and rules, and its data directory
   */
  public record Settings(
      String bindAddress,
      int httpPort,
      SSLContext tls,
      String publicUrl,
      RoomSettings rooms,
      SignalingLimits limits,
      Duration tokenTtl,
      int maxPlayersPerRoom,
      String webFolder,
      String version,
      AudienceSettings audience) {
    /** Checks that the required parts are present. */
    public Settings {
      Objects.requireNonNull(bindAddress, "bindAddress");
      Objects.requireNonNull(publicUrl, "publicUrl");
      Objects.requireNonNull(rooms, "rooms");
      Objects.requireNonNull(limits, "limits");
      Objects.requireNonNull(tokenTtl, "tokenTtl");
      Objects.requireNonNull(webFolder, "webFolder");
      Objects.requireNonNull(audience, "audience");
    }

    /** The same settings with another audience configuration. */
    public Settings withAudience(AudienceSettings other) {
      return new Settings(
          bindAddress, httpPort, tls, publicUrl, rooms, limits, tokenTtl, maxPlayersPerRoom, webFolder, version, other);
    }
  }

  private final Settings settings;
  private final RoomRegistry rooms;
  private final JoinTokens tokens;
  private final SignalingMetrics metrics;
  private final SignalingEndpoint endpoint;
  private final BroadcastControl broadcasts;
  private final AudienceHub audience;
  private final AudienceEndpoint audienceEndpoint;
  private final WhipWhepHandler whipWhep;
  private final StaticWebClient webClient;
  private final ExecutorService workers;
  private final ScheduledExecutorService sweeper;
  private final Undertow undertow;
  private volatile boolean draining;

  /**
   * Builds the server (it does not listen until {@link #start}).
   *
   * @param settings what to build
   * @param mediaPlane where media sessions open; the caller owns and closes it
   * @param tokens issues and verifies join tokens
   * @param clock wall-clock time (token expiry, room expiry, resume windows)
   * @param nanoTime monotonic time (rate limits)
   */
  public SignalingServer(
      Settings settings, MediaPlane mediaPlane, JoinTokens tokens, Clock clock, LongSupplier nanoTime) {
    this(settings, mediaPlane, tokens, clock, nanoTime, AudienceHub.filterFor(settings.audience()));
  }

  /**
   * Builds the server with a content filter of its own for the audience's questions, chat and
   * names (instead of the configured word list). Rooms journaled in the audience data directory
   * are restored here, before the server listens.
   *
   * @param filter decides what the audience may post
   */
  public SignalingServer(
      Settings settings,
      MediaPlane mediaPlane,
      JoinTokens tokens,
      Clock clock,
      LongSupplier nanoTime,
      ContentFilter filter) {
    this.settings = settings;
    this.tokens = tokens;
    this.rooms = new RoomRegistry(settings.rooms(), mediaPlane, clock);
    this.metrics = new SignalingMetrics(rooms);
    mediaPlane.bindTo(metrics.registry());
    int cores = Runtime.getRuntime().availableProcessors();
    this.workers = Executors.newFixedThreadPool(Math.max(4, 2 * cores), daemonThreads("palco-signaling"));
    this.sweeper = Executors.newSingleThreadScheduledExecutor(daemonThreads("palco-sweeper"));
    try {
      this.audience = new AudienceHub(settings.audience(), rooms, tokens, clock, filter);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot use the audience data directory " + settings.audience().dataDir(), e);
    }
    audience.restore();
    metrics.bindAudience(audience::viewerCount);
    audience.observeFanout(metrics::audienceFanout);
    this.audienceEndpoint = new AudienceEndpoint(rooms, tokens, audience, metrics, workers, nanoTime);
    this.broadcasts = new BroadcastControl(mediaPlane.broadcaster(), audience);
    this.endpoint =
        new SignalingEndpoint(rooms, tokens, metrics, settings.limits(), workers, nanoTime, audience, broadcasts);
    this.whipWhep =
        new WhipWhepHandler(
            rooms, tokens, metrics, workers, settings.rooms().iceServers(), settings.maxPlayersPerRoom());
    this.webClient = new StaticWebClient(SignalingServer.class.getClassLoader(), settings.webFolder());
    // HTTP/2 (RFC 9113) beside HTTP/1.1: over TLS when ALPN offers h2, in cleartext by an h2c
    // upgrade (Undertow puts its upgrade handler in front of the root when HTTP/2 is enabled). A
    // CDN edge then holds its many blocking playlist requests as streams of a few connections.
    // WebSockets stay on HTTP/1.1 connections of their own.
    HttpHandler root = router(clock, mediaPlane);
    Undertow.Builder builder = Undertow.builder().setIoThreads(Math.max(2, cores)).setHandler(root)
        .setServerOption(UndertowOptions.ENABLE_HTTP2, true);
    if (settings.tls() != null) {
      builder.addHttpsListener(settings.httpPort(), settings.bindAddress(), settings.tls());
    } else {
      builder.addHttpListener(settings.httpPort(), settings.bindAddress());
    }
    this.undertow = builder.build();
  }

  private HttpHandler router(Clock clock, MediaPlane mediaPlane) {
    HttpHandler ws = Handlers.websocket(endpoint);
    HttpHandler audienceWs = Handlers.websocket(audienceEndpoint);
    HttpHandler health =
        new HealthHandler(rooms, endpoint::connectionCount, () -> draining, String.valueOf(settings.version()));
    HttpHandler metricsHandler = new MetricsHandler(metrics);
    HttpHandler api =
        new BlockingHandler(
            new RoomsApi(rooms, tokens, metrics, clock, settings.tokenTtl(), settings.publicUrl(), broadcasts));
    HttpHandler whip = new BlockingHandler(whipWhep);
    HttpHandler hls = new HlsHandler(mediaPlane.broadcaster());
    return (HttpServerExchange exchange) -> {
      String path = exchange.getRelativePath();
      if (path.equals("/ws")) {
        ws.handleRequest(exchange);
      } else if (path.equals("/ws/audience")) {
        audienceWs.handleRequest(exchange);
      } else if (path.equals("/healthz")) {
        health.handleRequest(exchange);
      } else if (path.equals("/metrics")) {
        metricsHandler.handleRequest(exchange);
      } else if (path.equals("/api/rooms") || path.startsWith("/api/rooms/")) {
        api.handleRequest(exchange);
      } else if (path.startsWith("/whip/") || path.startsWith("/whep/")) {
        whip.handleRequest(exchange);
      } else if (path.startsWith(HlsHandler.PREFIX)) {
        hls.handleRequest(exchange);
      } else {
        webClient.handleRequest(exchange);
      }
    };
  }

  /** Starts listening and sweeping. */
  public void start() {
    undertow.start();
    sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    if (!webClient.isPresent()) {
      LOG.warn("the web client is not on the classpath ({}/): / will say so", settings.webFolder());
    }
    LOG.info(
        "signaling listening on {}://{}:{}",
        settings.tls() != null ? "https" : "http",
        address().getHostString(),
        address().getPort());
  }

  private void sweep() {
    try {
      audience.sweep();
      rooms.sweep();
    } catch (RuntimeException e) {
      LOG.error("room sweep failed", e);
    }
  }

  /**
   * Shuts down politely: refuses new sessions ({@code /healthz} turns 503), ends every room
   * ({@code room.ended}, close 1001), closes other connections with 1001, waits up to {@code grace}
   * for them to go, then stops listening.
   */
  public void stop(Duration grace) {
    draining = true;
    audience.beginShutdown();
    rooms.endAll("the server is shutting down", 1001);
    endpoint.closeAll();
    audienceEndpoint.closeAll();
    long deadline = System.nanoTime() + grace.toNanos();
    while ((endpoint.connectionCount() > 0 || audienceEndpoint.connectionCount() > 0)
        && System.nanoTime() < deadline) {
      try {
        // Main code, not a test: the connections close on their own I/O threads.
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    sweeper.shutdownNow();
    undertow.stop();
    workers.shutdown();
    audience.close();
    LOG.info("signaling stopped");
  }

  /** The address the server listens on (with the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
  }

  /** The rooms. */
  public RoomRegistry rooms() {
    return rooms;
  }

  /** The audience layer. */
  public AudienceHub audience() {
    return audience;
  }

  /** The meters, for the media plane and tests. */
  public SignalingMetrics metrics() {
    return metrics;
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
