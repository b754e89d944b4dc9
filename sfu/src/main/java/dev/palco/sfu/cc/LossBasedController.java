package dev.palco.sfu.cc;

/**
 * The loss-based controller of draft-ietf-rmcat-gcc-02 §6, fed with the loss fraction p of
 * transport-wide feedback (or of receiver reports when TWCC is not negotiated):
 *
 * <pre>
 *   p &gt; 10%  : As = As · (1 − 0.5 · p)
 *   p &lt;  2%  : As = 1.05 · As
 *   otherwise: As unchanged
 * </pre>
 *
 * <p>Losses are counted over windows of at least {@link #MIN_PACKETS} packets (or one second with
 * at least {@link #MIN_PACKETS_PER_SECOND}), so a single unlucky feedback does not look like 20%
 * loss. A decrease starts from the current overall estimate (the loss-based value may have drifted
 * above the delay-based one while it was not the limit) and happens at most once per 300 ms + RTT,
 * the time the previous decrease needs to show in the feedback. Increases happen at most every
 * {@link #INCREASE_INTERVAL_US}. Between 2% and 10% the rate holds: some loss is normal on
 * wireless links, and reacting to it would starve the call for no gain.
 */
final class LossBasedController {
  static final double HIGH_LOSS = 0.10;
  static final double LOW_LOSS = 0.02;
  static final double INCREASE_FACTOR = 1.05;
  static final int MIN_PACKETS = 100;
  static final int MIN_PACKETS_PER_SECOND = 20;
  static final long MAX_WINDOW_US = 1_000_000;
  static final long DECREASE_HOLD_US = 300_000;
  static final long INCREASE_INTERVAL_US = 200_000;

  private final long minBps;
  private final long maxBps;
  private long bitrateBps;
  private long windowStartUs = Long.MIN_VALUE;
  private int windowReceived;
  private int windowLost;
  private long lastDecreaseUs = Long.MIN_VALUE;
  private long lastIncreaseUs = Long.MIN_VALUE;
  private double lastLossFraction;
  private long rttMs = 100;

  LossBasedController(long startBps, long minBps, long maxBps) {
    this.minBps = minBps;
    this.maxBps = maxBps;
    this.bitrateBps = startBps;
  }

  void setRttMs(long rttMs) {
    this.rttMs = rttMs;
  }

  /** Raises the value to a proven rate (a probe result), never lowers it. */
  void raiseTo(long bps) {
    bitrateBps = Math.max(bitrateBps, Math.min(maxBps, bps));
  }

  /**
   * Adds the outcome of one feedback message.
   *
   * @param currentBps the overall estimate now, the base of a decrease
   * @return true when a window closed and the value was reconsidered
   */
  boolean onPackets(int received, int lost, long currentBps, long nowUs) {
    if (windowStartUs == Long.MIN_VALUE) {
      windowStartUs = nowUs;
    }
    windowReceived += received;
    windowLost += lost;
    int total = windowReceived + windowLost;
    boolean full =
        total >= MIN_PACKETS
            || (nowUs - windowStartUs >= MAX_WINDOW_US && total >= MIN_PACKETS_PER_SECOND);
    if (!full) {
      return false;
    }
    double p = windowLost / (double) total;
    onLossFraction(p, currentBps, nowUs);
    windowReceived = 0;
    windowLost = 0;
    windowStartUs = nowUs;
    return true;
  }

  /** Applies one loss fraction (0..1) measured elsewhere, e.g. a receiver report's. */
  void onLossFraction(double p, long currentBps, long nowUs) {
    lastLossFraction = p;
    if (p > HIGH_LOSS) {
      if (lastDecreaseUs == Long.MIN_VALUE
          || nowUs - lastDecreaseUs >= DECREASE_HOLD_US + rttMs * 1000) {
        long base = Math.min(bitrateBps, currentBps);
        bitrateBps = Math.max(minBps, (long) (base * (1 - 0.5 * p)));
        lastDecreaseUs = nowUs;
      }
    } else if (p < LOW_LOSS) {
      if (lastIncreaseUs == Long.MIN_VALUE || nowUs - lastIncreaseUs >= INCREASE_INTERVAL_US) {
        bitrateBps = Math.min(maxBps, (long) (bitrateBps * INCREASE_FACTOR) + 1_000);
        lastIncreaseUs = nowUs;
      }
    }
  }

  long bitrateBps() {
    return bitrateBps;
  }

  double lastLossFraction() {
    return lastLossFraction;
  }
}
