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
 * <p>Losses are counted over windows of at least {@link #MIN_PACKETS} packets (or {@link
 * #MAX_WINDOW_US} with at least {@link #MIN_PACKETS_PER_WINDOW}), so a single unlucky feedback does
 * not look like 20% loss, while a low layer of 50 packets a second still gets a verdict about as
 * often as a decrease may happen. A decrease starts from the current overall estimate (the loss-based value may have drifted
 * above the delay-based one while it was not the limit) and happens at most once per 300 ms + RTT,
 * the time the previous decrease needs to show in the feedback. Increases happen at most every
 * {@link #INCREASE_INTERVAL_US}. Between 2% and 10% the rate holds: some loss is normal on
 * wireless links, and reacting to it would starve the call for no gain.
 *
 * <p>A decrease goes no higher than the acknowledged rate R: with more than 10% lost, what the
 * path delivered is what it carries, and the formula alone would take several hold times of
 * heavy loss to get there after a jump (a probe that a policer's burst let through, say). Nor
 * lower than R · (1 − 0.5 · p): an SFU switches layers only at keyframes, so heavy loss outlasts
 * the first decrease by a second or so, and compounding the formula over it would take the value
 * far below what the path delivered (a 300 kbps link sent 1.5 Mbps reaches 30 kbps in four steps,
 * and the video pauses for no reason).
 *
 * <p>An increase must be earned by traffic, as the delay-based controller's must (gcc §5.5): the
 * value never grows past 1.5 × the acknowledged rate + 10 kbps. An SFU is application-limited
 * between simulcast layers; without this bound a loss-free second on the low layer would lift the
 * value by 5% after 5%, past the next layer's rate, on no evidence that the path carries it, and a
 * policed link would see the layer go up and the loss come back, over and over. Raising the value
 * above the traffic is the probes' job, which measure it.
 */
final class LossBasedController {
  static final double HIGH_LOSS = 0.10;
  static final double LOW_LOSS = 0.02;
  static final double INCREASE_FACTOR = 1.05;
  static final int MIN_PACKETS = 100;
  static final int MIN_PACKETS_PER_WINDOW = 20;
  static final long MAX_WINDOW_US = 400_000;
  static final long DECREASE_HOLD_US = 300_000;
  static final long INCREASE_INTERVAL_US = 200_000;
  static final long MAX_AHEAD_OF_ACKED_BPS = 10_000;

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
   * @param ackedBps the acknowledged rate, which bounds an increase; 0 when not known
   * @return true when a window closed and the value was reconsidered
   */
  boolean onPackets(int received, int lost, long currentBps, long ackedBps, long nowUs) {
    if (windowStartUs == Long.MIN_VALUE) {
      windowStartUs = nowUs;
    }
    windowReceived += received;
    windowLost += lost;
    int total = windowReceived + windowLost;
    boolean full =
        total >= MIN_PACKETS
            || (nowUs - windowStartUs >= MAX_WINDOW_US && total >= MIN_PACKETS_PER_WINDOW);
    if (!full) {
      return false;
    }
    double p = windowLost / (double) total;
    onLossFraction(p, currentBps, ackedBps, nowUs);
    windowReceived = 0;
    windowLost = 0;
    windowStartUs = nowUs;
    return true;
  }

  /**
   * Applies one loss fraction (0..1) measured elsewhere, e.g. a receiver report's.
   *
   * @param ackedBps the acknowledged rate, which bounds an increase; 0 when not known
   */
  void onLossFraction(double p, long currentBps, long ackedBps, long nowUs) {
    lastLossFraction = p;
    if (p > HIGH_LOSS) {
      if (lastDecreaseUs == Long.MIN_VALUE
          || nowUs - lastDecreaseUs >= DECREASE_HOLD_US + rttMs * 1000) {
        long base = Math.min(bitrateBps, currentBps);
        long next = (long) (base * (1 - 0.5 * p));
        if (ackedBps > 0) {
          // Losing this much, the path carries at most what it delivered: no need to step down
          // to it over several hold times while the loss goes on. Nor to compound far below it:
          // the loss goes on for a while after a decrease because the sender acts on it only at
          // the next keyframe of a lower layer, not because the path delivers less.
          next = Math.max((long) (ackedBps * (1 - 0.5 * p)), Math.min(next, ackedBps));
          // A decrease never raises: the acknowledged rate can lag above the base (padding, or
          // a target that just fell), and the floor must not lift the value over it.
          next = Math.min(next, base);
        }
        bitrateBps = Math.max(minBps, next);
        lastDecreaseUs = nowUs;
      }
    } else if (p < LOW_LOSS) {
      if (lastIncreaseUs == Long.MIN_VALUE || nowUs - lastIncreaseUs >= INCREASE_INTERVAL_US) {
        long next = Math.min(maxBps, (long) (bitrateBps * INCREASE_FACTOR) + 1_000);
        if (ackedBps > 0) {
          next = Math.max(bitrateBps, Math.min(next, (long) (1.5 * ackedBps) + MAX_AHEAD_OF_ACKED_BPS));
        }
        bitrateBps = next;
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
