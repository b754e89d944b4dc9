package dev.palco.sfu.cc;

/**
 * The delay-based rate controller of draft-ietf-rmcat-gcc-02 §5.5: additive increase,
 * multiplicative decrease, driven by the {@link TrendlineDetector}'s verdicts.
 *
 * <pre>
 *                 +----+--------+-----------+------------+--------+
 *                 |     \ State |   Hold    |  Increase  |Decrease|
 *                 |      \      |           |            |        |
 *                 | Signal\     |           |            |        |
 *                 +--------+----+-----------+------------+--------+
 *                 |  Over-use   | Decrease  |  Decrease  |        |
 *                 +-------------+-----------+------------+--------+
 *                 |  Normal     | Increase  |            |  Hold  |
 *                 +-------------+-----------+------------+--------+
 *                 |  Under-use  |           |   Hold     |  Hold  |
 *                 +-------------+-----------+------------+--------+
 * </pre>
 *
 * <ul>
 *   <li>Decrease: A = β · R_hat with β = 0.85 and R_hat the acknowledged bitrate, which during
 *       overuse is what the bottleneck delivers; then hold until the queue has drained.</li>
 *   <li>Increase far from convergence: multiplicative, η = 1.08 per second.</li>
 *   <li>Increase near convergence (the acknowledged rate within the band of the last overuse
 *       rates, {@link LinkCapacityTracker}): additive, about one packet per response time
 *       (RTT + 100 ms), as TCP does.</li>
 *   <li>The estimate never runs more than 1.5 × R_hat + 10 kbps ahead of what was delivered, so an
 *       application-limited sender does not inflate it to a value it never proved.</li>
 * </ul>
 */
final class AimdRateController {
  static final double BETA = 0.85;
  static final double MULTIPLICATIVE_RATE_PER_S = 1.08;
  static final long MIN_INCREASE_BPS = 1_000;
  static final long MIN_ADDITIVE_RATE_BPS_PER_S = 4_000;
  static final int FRAME_RATE = 30;
  static final int MTU_BITS = 1200 * 8;
  static final long MAX_AHEAD_OF_ACKED_BPS = 10_000;

  private enum State {
    HOLD,
    INCREASE,
    DECREASE
  }

  private final LinkCapacityTracker capacity = new LinkCapacityTracker();
  private final long minBps;
  private final long maxBps;
  private State state = State.HOLD;
  private long bitrateBps;
  private long lastChangeUs = Long.MIN_VALUE;
  private long lastDecreaseUs = Long.MIN_VALUE;
  private long rttMs = 100;
  private long decreases;

  AimdRateController(long startBps, long minBps, long maxBps) {
    this.minBps = minBps;
    this.maxBps = maxBps;
    this.bitrateBps = clamp(startBps);
  }

  void setRttMs(long rttMs) {
    this.rttMs = rttMs;
  }

  /** Sets the estimate from outside (a probe result, or REMB), as a fresh starting point. */
  void setBitrateBps(long bps, long nowUs) {
    bitrateBps = clamp(bps);
    lastChangeUs = nowUs;
  }

  /**
   * Applies one detector verdict.
   *
   * @param ackedBps the acknowledged bitrate, 0 when not yet known
   * @return the new delay-based estimate
   */
  long update(BandwidthUsage usage, long ackedBps, long nowUs) {
    switch (usage) {
      case OVERUSING:
        if (state != State.DECREASE) {
          state = State.DECREASE;
        }
        break;
      case NORMAL:
        if (state == State.HOLD) {
          state = State.INCREASE;
          lastChangeUs = nowUs;
        }
        break;
      default:
        state = State.HOLD;
        break;
    }
    if (lastChangeUs == Long.MIN_VALUE) {
      lastChangeUs = nowUs;
    }
    long next = bitrateBps;
    if (state == State.INCREASE) {
      if (ackedBps > capacity.upperBoundBps()) {
        capacity.reset();
      }
      long increase;
      double dtS = Math.min((nowUs - lastChangeUs) / 1e6, 1.0);
      if (capacity.hasEstimate()) {
        increase = (long) (additiveRateBpsPerS() * dtS);
      } else {
        increase =
            Math.max(
                (long) (bitrateBps * (Math.pow(MULTIPLICATIVE_RATE_PER_S, dtS) - 1)),
                MIN_INCREASE_BPS);
      }
      next = bitrateBps + increase;
      if (ackedBps > 0) {
        long cap = (long) (1.5 * ackedBps) + MAX_AHEAD_OF_ACKED_BPS;
        next = Math.max(Math.min(next, cap), bitrateBps);
      }
      lastChangeUs = nowUs;
    } else if (state == State.DECREASE) {
      long base = ackedBps > 0 ? ackedBps : bitrateBps;
      long decreased = (long) (BETA * base);
      if (decreased > bitrateBps && capacity.hasEstimate()) {
        decreased = (long) (BETA * capacity.estimateBps());
      }
      if (decreased < bitrateBps) {
        next = decreased;
      }
      if (ackedBps > 0) {
        if (ackedBps < capacity.lowerBoundBps()) {
          capacity.reset();
        }
        capacity.onOveruse(ackedBps);
      }
      decreases++;
      state = State.HOLD;
      lastChangeUs = nowUs;
      lastDecreaseUs = nowUs;
    }
    bitrateBps = clamp(next);
    return bitrateBps;
  }

  /** gcc §5.5 additive increase: one average packet per response time (RTT + 100 ms). */
  private double additiveRateBpsPerS() {
    double frameBits = bitrateBps / (double) FRAME_RATE;
    double packetsPerFrame = Math.ceil(frameBits / MTU_BITS);
    double packetBits = frameBits / Math.max(1, packetsPerFrame);
    double responseS = (rttMs + 100) / 1000.0;
    return Math.max(MIN_ADDITIVE_RATE_BPS_PER_S, packetBits / responseS);
  }

  private long clamp(long bps) {
    return Math.max(minBps, Math.min(maxBps, bps));
  }

  long bitrateBps() {
    return bitrateBps;
  }

  boolean nearConvergence() {
    return capacity.hasEstimate();
  }

  long lastDecreaseUs() {
    return lastDecreaseUs;
  }

  long decreases() {
    return decreases;
  }
}
