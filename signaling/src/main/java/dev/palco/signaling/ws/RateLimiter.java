package dev.palco.signaling.ws;

import java.util.function.LongSupplier;

/**
 * A token bucket per connection ({@code docs/protocol.md}: 50 messages per second on average,
 * bursts of 100), plus flood detection: a flood starts at a dropped message and lasts while drops
 * keep coming less than a second apart; a flood that lasts {@code floodCloseAfterNanos} closes
 * the connection.
 *
 * <p>Used by one I/O thread at a time for its connection; not thread-safe.
 */
final class RateLimiter {

  /** What to do with a message. */
  enum Verdict {
    /** Handle it. */
    ALLOW,
    /** Answer {@code rate-limited} and drop it. */
    DROP,
    /** The connection has flooded too long: close with 1008. */
    CLOSE
  }

  /** Drops closer together than this belong to one flood. */
  private static final long FLOOD_GAP_NANOS = 1_000_000_000L;

  private final double capacity;
  private final double tokensPerNano;
  private final long floodCloseAfterNanos;
  private final LongSupplier nanoTime;

  private double tokens;
  private long lastRefillNanos;
  private long floodStartNanos;
  private long lastDropNanos;
  private boolean flooding;

  RateLimiter(int perSecond, int burst, long floodCloseAfterNanos, LongSupplier nanoTime) {
    this.capacity = burst;
    this.tokensPerNano = perSecond / 1e9;
    this.floodCloseAfterNanos = floodCloseAfterNanos;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.lastRefillNanos = nanoTime.getAsLong();
  }

  Verdict take() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(capacity, tokens + (now - lastRefillNanos) * tokensPerNano);
    lastRefillNanos = now;
    if (tokens >= 1) {
      tokens -= 1;
      return Verdict.ALLOW;
    }
    if (!flooding || now - lastDropNanos > FLOOD_GAP_NANOS) {
      flooding = true;
      floodStartNanos = now;
    }
    lastDropNanos = now;
    return now - floodStartNanos >= floodCloseAfterNanos ? Verdict.CLOSE : Verdict.DROP;
  }
}
