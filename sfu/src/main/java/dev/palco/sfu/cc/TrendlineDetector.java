package dev.palco.sfu.cc;

/**
 * The delay-based overuse detector: a trendline over the accumulated inter-group delay variation
 * compared with an adaptive threshold (draft-ietf-rmcat-gcc-02 §5.3–§5.4, in the form libwebrtc
 * ships as its trendline estimator).
 *
 * <p>Each completed packet group contributes d(i) = arrival delta − send delta (ms). The
 * accumulated delay Σd is the queueing delay up to a constant; it is smoothed exponentially and
 * the slope of a least-squares line through the last {@link #WINDOW_SIZE} (arrival time, smoothed
 * delay) points tells whether the queue grows. The slope is scaled by the number of deltas seen
 * (up to 60) and a gain, so the statistic m(i) is comparable with a threshold in ms:
 *
 * <pre>
 *   m(i) &gt;  γ(i)  for more than 10 ms and twice, with a non-decreasing slope  → overuse
 *   m(i) &lt; -γ(i)                                                          → underuse
 *   otherwise                                                              → normal
 * </pre>
 *
 * <p>The threshold adapts (gcc §5.4): γ(i) = γ(i-1) + Δt · k · (|m(i)| − γ(i-1)), with k = k_u
 * when |m| exceeds it and k_d below, Δt capped at 100 ms, γ clamped to [6, 600] ms, and samples
 * more than 15 ms beyond γ ignored. A static threshold would either starve against a concurrent
 * TCP flow (too small) or never fire (too large); adapting it keeps the detector sensitive to our
 * own queue while letting competing flows' delay push it up.
 *
 * <p>Allocation-free: the window is a pair of primitive rings.
 */
final class TrendlineDetector {
  static final int WINDOW_SIZE = 20;
  static final double SMOOTHING = 0.9;
  static final double THRESHOLD_GAIN = 4.0;
  static final int MAX_DELTAS_SCALE = 60;
  static final double OVERUSE_TIME_THRESHOLD_MS = 10.0;
  static final double K_UP = 0.0087;
  static final double K_DOWN = 0.039;
  static final double INITIAL_THRESHOLD_MS = 12.5;
  static final double MIN_THRESHOLD_MS = 6.0;
  static final double MAX_THRESHOLD_MS = 600.0;
  static final double MAX_ADAPT_OFFSET_MS = 15.0;
  static final double MAX_THRESHOLD_STEP_MS = 100.0;

  private final double[] xs = new double[WINDOW_SIZE];
  private final double[] ys = new double[WINDOW_SIZE];
  private int count;
  private int head;

  private int numDeltas;
  private long firstArrivalUs = Long.MIN_VALUE;
  private double accumulatedDelayMs;
  private double smoothedDelayMs;
  private double prevTrend;
  private double modifiedTrend;

  private double thresholdMs = INITIAL_THRESHOLD_MS;
  private long lastThresholdUpdateUs = Long.MIN_VALUE;
  private double timeOverUsingMs = -1;
  private int overuseCounter;
  private BandwidthUsage usage = BandwidthUsage.NORMAL;

  /**
   * Folds in one inter-group delta.
   *
   * @param arrivalDeltaUs difference of the two groups' last arrival times
   * @param sendDeltaUs difference of the two groups' last send times
   * @param arrivalTimeUs the completed group's last arrival time (receiver clock)
   * @param nowUs sender time, for the threshold adaptation
   */
  void update(long arrivalDeltaUs, long sendDeltaUs, long arrivalTimeUs, long nowUs) {
    double deltaMs = (arrivalDeltaUs - sendDeltaUs) / 1000.0;
    if (numDeltas < 1000) {
      numDeltas++;
    }
    if (firstArrivalUs == Long.MIN_VALUE) {
      firstArrivalUs = arrivalTimeUs;
    }
    accumulatedDelayMs += deltaMs;
    smoothedDelayMs = SMOOTHING * smoothedDelayMs + (1 - SMOOTHING) * accumulatedDelayMs;
    int slot = (head + count) % WINDOW_SIZE;
    if (count == WINDOW_SIZE) {
      slot = head;
      head = (head + 1) % WINDOW_SIZE;
    } else {
      count++;
    }
    xs[slot] = (arrivalTimeUs - firstArrivalUs) / 1000.0;
    ys[slot] = smoothedDelayMs;
    double trend = prevTrend;
    if (count == WINDOW_SIZE) {
      trend = slopeOr(trend);
    }
    detect(trend, sendDeltaUs / 1000.0, nowUs);
  }

  /** Least-squares slope of the window, or {@code fallback} when the x values do not vary. */
  private double slopeOr(double fallback) {
    double sumX = 0;
    double sumY = 0;
    for (int i = 0; i < count; i++) {
      sumX += xs[i];
      sumY += ys[i];
    }
    double meanX = sumX / count;
    double meanY = sumY / count;
    double num = 0;
    double den = 0;
    for (int i = 0; i < count; i++) {
      double dx = xs[i] - meanX;
      num += dx * (ys[i] - meanY);
      den += dx * dx;
    }
    return den == 0 ? fallback : num / den;
  }

  private void detect(double trend, double sendDeltaMs, long nowUs) {
    if (numDeltas < 2) {
      usage = BandwidthUsage.NORMAL;
      return;
    }
    modifiedTrend = Math.min(numDeltas, MAX_DELTAS_SCALE) * trend * THRESHOLD_GAIN;
    if (modifiedTrend > thresholdMs) {
      if (timeOverUsingMs == -1) {
        // Assume the overuse started half-way through the group interval.
        timeOverUsingMs = sendDeltaMs / 2;
      } else {
        timeOverUsingMs += sendDeltaMs;
      }
      overuseCounter++;
      if (timeOverUsingMs > OVERUSE_TIME_THRESHOLD_MS && overuseCounter > 1 && trend >= prevTrend) {
        timeOverUsingMs = 0;
        overuseCounter = 0;
        usage = BandwidthUsage.OVERUSING;
      }
    } else if (modifiedTrend < -thresholdMs) {
      timeOverUsingMs = -1;
      overuseCounter = 0;
      usage = BandwidthUsage.UNDERUSING;
    } else {
      timeOverUsingMs = -1;
      overuseCounter = 0;
      usage = BandwidthUsage.NORMAL;
    }
    prevTrend = trend;
    adaptThreshold(nowUs);
  }

  private void adaptThreshold(long nowUs) {
    if (lastThresholdUpdateUs == Long.MIN_VALUE) {
      lastThresholdUpdateUs = nowUs;
    }
    double absTrend = Math.abs(modifiedTrend);
    if (absTrend > thresholdMs + MAX_ADAPT_OFFSET_MS) {
      // A sudden spike (a route change, a huge keyframe) must not drag the threshold up.
      lastThresholdUpdateUs = nowUs;
      return;
    }
    double k = absTrend < thresholdMs ? K_DOWN : K_UP;
    double dtMs = Math.min((nowUs - lastThresholdUpdateUs) / 1000.0, MAX_THRESHOLD_STEP_MS);
    thresholdMs += k * (absTrend - thresholdMs) * dtMs;
    thresholdMs = Math.max(MIN_THRESHOLD_MS, Math.min(MAX_THRESHOLD_MS, thresholdMs));
    lastThresholdUpdateUs = nowUs;
  }

  BandwidthUsage usage() {
    return usage;
  }

  double thresholdMs() {
    return thresholdMs;
  }

  double modifiedTrend() {
    return modifiedTrend;
  }
}
