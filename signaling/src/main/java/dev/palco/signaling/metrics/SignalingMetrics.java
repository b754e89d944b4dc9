package dev.palco.signaling.metrics;

import dev.palco.signaling.ErrorCode;
import dev.palco.signaling.room.RoomRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Signaling's meters. Message-type tags come from a fixed list (anything else counts as {@code
 * unknown}), so a client cannot grow the number of series.
 *
 * <p>Series (Prometheus names): {@code palco_signaling_sessions}, {@code palco_rooms}, {@code
 * palco_participants}, {@code palco_whip_sessions}, {@code palco_whep_sessions}, {@code
 * palco_signaling_messages_in_total{type}}, {@code palco_signaling_messages_out_total{type}},
 * {@code palco_signaling_errors_total{code}}, {@code palco_signaling_disconnects_total{reason}},
 * {@code palco_audience_viewers}, {@code palco_audience_frames_out_total}, {@code
 * palco_audience_fanout_seconds}.
 */
public final class SignalingMetrics {

  /** Message types of protocol version 1, both directions. */
  private static final Set<String> KNOWN_TYPES =
      Set.of(
          "join", "joined", "publish.offer", "publish.answer", "subscribe.offer", "subscribe.answer",
          "trickle", "participant.joined", "participant.left", "track.published", "track.unpublished",
          "track.muted", "track.mute", "moderate.mute", "moderate.remove", "room.end",
          "muted.by.moderator", "removed", "room.ended", "leave", "ping", "pong", "error",
          "question.ask", "question.vote", "hand.raise", "stage.decline", "chat.send", "question.moderate",
          "hand.invite", "hand.lower", "stage.sendback", "chat.enable", "chat.remove", "viewer.ban",
          "audience.joined", "audience.state", "audience.update", "question.asked", "question.voted",
          "question.status", "hand.state", "stage.invite", "chat.sent", "banned", "sent.back", "ack");

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicInteger sessions = new AtomicInteger();
  private final AtomicInteger whipSessions = new AtomicInteger();
  private final AtomicInteger whepSessions = new AtomicInteger();
  private final Map<String, Counter> messagesIn = new ConcurrentHashMap<>();
  private final Map<String, Counter> messagesOut = new ConcurrentHashMap<>();
  private final Map<ErrorCode, Counter> errors = new ConcurrentHashMap<>();
  private final Map<String, Counter> disconnects = new ConcurrentHashMap<>();
  private final Counter audienceFramesOut;
  private final io.micrometer.core.instrument.Timer fanoutTimer;

  /** Registers the gauges; rooms and participants are read from the registry at scrape time. */
  public SignalingMetrics(RoomRegistry rooms) {
    Gauge.builder("palco.signaling.sessions", sessions, AtomicInteger::get)
        .description("open WebSocket signaling connections")
        .register(registry);
    Gauge.builder("palco.rooms", rooms, RoomRegistry::roomCount)
        .description("live rooms")
        .register(registry);
    Gauge.builder("palco.participants", rooms, RoomRegistry::participantCount)
        .description("seats taken in all rooms, including those awaiting a resume")
        .register(registry);
    Gauge.builder("palco.whip.sessions", whipSessions, AtomicInteger::get)
        .description("WHIP ingest sessions")
        .register(registry);
    Gauge.builder("palco.whep.sessions", whepSessions, AtomicInteger::get)
        .description("WHEP playback sessions")
        .register(registry);
    audienceFramesOut =
        Counter.builder("palco.audience.frames.out")
            .description("frames queued to audience connections (most are shared, encoded once per room update)")
            .register(registry);
    fanoutTimer =
        io.micrometer.core.instrument.Timer.builder("palco.audience.fanout")
            .description("time to queue one audience update to every viewer of a room")
            .register(registry);
    for (ErrorCode code : ErrorCode.values()) {
      // Pre-register so every code shows (at 0) from the first scrape.
      errorCounter(code);
    }
  }

  /** The registry, for the media plane's own meters. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** Counts a message received. */
  public void messageIn(String type) {
    counter(messagesIn, "palco.signaling.messages.in", type).increment();
  }

  /** Counts a message sent. */
  public void messageOut(String type) {
    counter(messagesOut, "palco.signaling.messages.out", type).increment();
  }

  /** Counts a frame queued to an audience connection. */
  public void audienceFrameOut() {
    audienceFramesOut.increment();
  }

  /** Times one audience fan-out: queueing one update to every viewer of a room. */
  public void audienceFanout(long nanos) {
    fanoutTimer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** Registers the audience gauge: viewers connected over all rooms, read at scrape time. */
  public void bindAudience(java.util.function.IntSupplier viewers) {
    Gauge.builder("palco.audience.viewers", viewers, s -> s.getAsInt())
        .description("audience connections in all rooms")
        .register(registry);
  }

  /** Counts an error reply (WebSocket, REST or WHIP/WHEP). */
  public void error(ErrorCode code) {
    errorCounter(code).increment();
  }

  private Counter errorCounter(ErrorCode code) {
    return errors.computeIfAbsent(
        code,
        c ->
            Counter.builder("palco.signaling.errors")
                .description("error replies by code")
                .tag("code", c.wireName())
                .register(registry));
  }

  /** Counts a connection the server closed: {@code too-big}, {@code flooding}, {@code slow-consumer}. */
  public void disconnect(String reason) {
    disconnects
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("palco.signaling.disconnects")
                    .description("connections closed by the server for misbehaving")
                    .tag("reason", r)
                    .register(registry))
        .increment();
  }

  /** A WebSocket connection opened (+1) or closed (-1). */
  public void sessionDelta(int delta) {
    sessions.addAndGet(delta);
  }

  /** A WHIP session started (+1) or ended (-1). */
  public void whipDelta(int delta) {
    whipSessions.addAndGet(delta);
  }

  /** A WHEP session started (+1) or ended (-1). */
  public void whepDelta(int delta) {
    whepSessions.addAndGet(delta);
  }

  private Counter counter(Map<String, Counter> cache, String name, String type) {
    String tag = type != null && KNOWN_TYPES.contains(type) ? type : "unknown";
    return cache.computeIfAbsent(
        tag, t -> Counter.builder(name).description("signaling messages by type").tag("type", t).register(registry));
  }
}
