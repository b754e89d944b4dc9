package dev.palco.signaling.audience;

/**
 * A token bucket for one viewer's questions or chat messages: {@code burst} at once, then one
 * more every {@code refillMillis}. Time comes from the caller (the room's clock), so tests step
 * it. Guarded by the owning room's lock.
 */
final class RateBucket {

  private final int burst;
  private final long refillMillis;
  private double tokens;
  private long lastMillis;

  RateBucket(AudienceSettings.RateRule rule, long nowMillis) {
    this.burst = rule.burst();
    this.refillMillis = rule.refillEvery().toMillis();
    this.tokens = burst;
    this.lastMillis = nowMillis;
  }

  /**
   * Takes one token.
   *
   * @return 0 if taken, else the milliseconds until one is back
   */
  long take(long nowMillis) {
    refill(nowMillis);
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) * refillMillis));
  }

  private void refill(long nowMillis) {
    if (nowMillis > lastMillis) {
      tokens = Math.min(burst, tokens + (double) (nowMillis - lastMillis) / refillMillis);
      lastMillis = nowMillis;
    }
  }
}
