package dev.palco.sfu.cc;

/**
 * Decides when to probe the path for more bandwidth and at what rate (libwebrtc's probe
 * controller, simplified). A probe is a short cluster of packets (media, RTX duplicates or
 * padding) sent by the pacer at the probe rate; its feedback ({@link ProbeResultEstimator}) shows
 * at once whether the path carries that rate, where the AIMD controller would need tens of seconds
 * of additive increase to find out.
 *
 * <p>Rules, checked by {@link #process}:
 * <ol>
 *   <li>At start: one probe at 3 × the start estimate.</li>
 *   <li>Continuation: a probe that came back at ≥ 70% of its target is followed at once by one at
 *       2 × its result, so the estimate ramps exponentially until the path or the desired rate
 *       stops it (a probe capped at the desired rate has no continuation).</li>
 *   <li>After a large drop (the estimate fell below 2/3 of its recent peak): once the queue had
 *       {@link #DRAIN_TIME_US} to drain, one probe at 85% of the peak, which recovers at once when
 *       the drop was a transient.</li>
 *   <li>Otherwise, while the estimate is below the desired rate: a probe at 2 × the estimate every
 *       interval, which starts at 1 s and doubles after each failed probe (one that did not
 *       find 10% more than the estimate) up to {@link #MAX_INTERVAL_US}, so a link that really
 *       is narrow is not probed hard.</li>
 * </ol>
 * <p>A raise must also hold. A policer (a token bucket that drops and never queues) lets a short
 * probe through on its burst allowance, so the probe "proves" a rate the link cannot carry, the
 * layer goes up, and the loss-based controller takes the raise back within a second or two. Without
 * a memory of that the probe would repeat every interval and the subscriber's layer would oscillate.
 * So a raise whose estimate falls back below {@link #DROP_RATIO} of what the probe found within
 * {@link #VERIFY_US} is a false raise: the next probe waits {@link #FALSE_RAISE_BACKOFF_US},
 * doubling with each further false raise up to {@link #MAX_FALSE_RAISE_BACKOFF_US}, and the
 * recovery probe of rule 3 is skipped (the drop was the raise being undone, not a transient). A
 * raise that holds for {@link #VERIFY_US} clears the back-off, so a link that really widened is
 * found again at the normal interval.
 *
 * <p>Probes never exceed the desired rate (what the layer allocator would send with unlimited
 * bandwidth; set with {@link #setDesiredBps}) or the configured maximum. One probe is in flight at
 * a time; one without a result after {@link #RESULT_TIMEOUT_US} counts as failed.
 */
public final class ProbeController {
  static final double INITIAL_PROBE_FACTOR = 3.0;
  static final double CONTINUATION_FACTOR = 2.0;
  static final double SUCCESS_RATIO = 0.7;
  static final double RAISE_RATIO = 1.1;
  static final double DROP_RATIO = 2.0 / 3.0;
  static final double RECOVERY_FACTOR = 0.85;
  static final long DRAIN_TIME_US = 1_000_000;
  static final long MIN_INTERVAL_US = 1_000_000;
  static final long MAX_INTERVAL_US = 4_000_000;
  static final long RESULT_TIMEOUT_US = 1_000_000;
  static final long VERIFY_US = 5_000_000;
  static final long FALSE_RAISE_BACKOFF_US = 8_000_000;
  static final long MAX_FALSE_RAISE_BACKOFF_US = 16_000_000;
  static final long PEAK_WINDOW_US = 5_000_000;
  /** A cluster is at least this many packets... */
  public static final int MIN_PROBE_PACKETS = 5;
  /** ... and lasts at least this long at the probe rate. */
  public static final long MIN_PROBE_DURATION_US = 15_000;

  private final long maxBps;
  private long desiredBps;
  private int nextClusterId;

  private boolean started;
  private boolean pending;
  private int pendingId;
  private long pendingTargetBps;
  private boolean pendingCapped;
  private long pendingBaseBps;

  private boolean inFlight;
  private int inFlightId;
  private long inFlightTargetBps;
  private long inFlightSinceUs;
  private boolean inFlightCapped;
  private long inFlightBaseBps;

  private long continuationBps;
  private long lastProbeUs = Long.MIN_VALUE;
  private long intervalUs = MIN_INTERVAL_US;

  private long peakBps;
  /**
   * When the estimate was last seen at or above {@link #peakBps}. An estimate only changes at a
   * {@link #process} call, so one at or above the peak at the last call held there until the next:
   * {@link #trackDrops} moves this to the present first, and a caller that calls {@link #process}
   * only when {@link #nextProcessUs} says so sees the same window as one that calls it every tick.
   */
  private long peakUs;
  /** Whether the estimate at the last {@link #process} call was at or above {@link #peakBps}. */
  private boolean peakHeld = true;
  private long dropUs = Long.MIN_VALUE;
  private long preDropBps;

  private long raisedAtUs = Long.MIN_VALUE;
  private long raisedToBps;
  private long falseRaiseBackoffUs;
  private long quietUntilUs = Long.MIN_VALUE;

  private long probesStarted;
  private long probesSucceeded;
  private long falseRaises;

  /** @param maxBps the configured estimate maximum: probes never go beyond it */
  public ProbeController(long maxBps) {
    this.maxBps = maxBps;
    this.desiredBps = maxBps;
  }

  /** The rate worth probing for: what would be sent if bandwidth were unlimited (≤ the maximum). */
  public void setDesiredBps(long desiredBps) {
    this.desiredBps = Math.min(maxBps, Math.max(0, desiredBps));
  }

  /**
   * Reconsiders probing after the estimate changed or time passed.
   *
   * @return true when a new probe is pending ({@link #pendingClusterId()}, {@link
   *     #pendingTargetBps()})
   */
  public boolean process(long estimateBps, long nowUs) {
    verifyRaise(estimateBps, nowUs);
    trackDrops(estimateBps, nowUs);
    if (inFlight && nowUs - inFlightSinceUs > RESULT_TIMEOUT_US) {
      inFlight = false;
      onFailure();
    }
    if (pending || inFlight) {
      return false;
    }
    long cap = desiredBps;
    if (estimateBps >= cap) {
      continuationBps = 0;
      return false;
    }
    long target = 0;
    if (!started) {
      started = true;
      target = (long) (INITIAL_PROBE_FACTOR * estimateBps);
    } else if (continuationBps > 0) {
      target = continuationBps;
      continuationBps = 0;
    } else if (dropUs != Long.MIN_VALUE && nowUs - dropUs >= DRAIN_TIME_US) {
      target = (long) (RECOVERY_FACTOR * preDropBps);
      dropUs = Long.MIN_VALUE;
      if (target < estimateBps * 1.2) {
        target = 0;
      }
    } else if (dropUs == Long.MIN_VALUE
        && (quietUntilUs == Long.MIN_VALUE || nowUs >= quietUntilUs)
        && (lastProbeUs == Long.MIN_VALUE || nowUs - lastProbeUs >= intervalUs)) {
      target = (long) (CONTINUATION_FACTOR * estimateBps);
    }
    if (target <= estimateBps) {
      return false;
    }
    pending = true;
    pendingId = nextClusterId;
    nextClusterId = (nextClusterId + 1) & 0x7FFF_FFFF;
    pendingTargetBps = Math.min(target, cap);
    pendingCapped = target >= cap;
    pendingBaseBps = estimateBps;
    lastProbeUs = nowUs;
    return true;
  }

  /** Rules out raises that loss took back (see the class comment), and clears the back-off. */
  private void verifyRaise(long estimateBps, long nowUs) {
    if (raisedAtUs == Long.MIN_VALUE) {
      return;
    }
    if (estimateBps < DROP_RATIO * raisedToBps) {
      raisedAtUs = Long.MIN_VALUE;
      falseRaises++;
      falseRaiseBackoffUs =
          falseRaiseBackoffUs == 0
              ? FALSE_RAISE_BACKOFF_US
              : Math.min(MAX_FALSE_RAISE_BACKOFF_US, falseRaiseBackoffUs * 2);
      quietUntilUs = nowUs + falseRaiseBackoffUs;
      continuationBps = 0;
      // The estimate is about to cross the drop line of trackDrops: that drop is this raise
      // being undone, so no recovery probe follows it.
      peakBps = estimateBps;
      peakUs = nowUs;
      dropUs = Long.MIN_VALUE;
    } else if (nowUs - raisedAtUs >= VERIFY_US) {
      raisedAtUs = Long.MIN_VALUE;
      falseRaiseBackoffUs = 0;
      quietUntilUs = Long.MIN_VALUE;
    }
  }

  private void trackDrops(long estimateBps, long nowUs) {
    if (peakHeld) {
      peakUs = nowUs;
    }
    if (estimateBps >= peakBps || nowUs - peakUs > PEAK_WINDOW_US) {
      peakBps = estimateBps;
      peakUs = nowUs;
    } else if (estimateBps < DROP_RATIO * peakBps) {
      dropUs = nowUs;
      preDropBps = peakBps;
      peakBps = estimateBps;
      peakUs = nowUs;
      continuationBps = 0;
    }
    peakHeld = estimateBps >= peakBps;
  }

  /**
   * The earliest time at which {@link #process}, given the same estimate, could change anything or
   * ask for a probe: {@code nowUs} (or earlier) when it may act now, {@link Long#MAX_VALUE} when
   * only a new estimate, a probe result or a new desired rate can make it act. Before then a call
   * is a no-op, so a timer may skip it: the estimator calls {@link #process} itself whenever the
   * estimate moves, and the caller asks again after {@link #setDesiredBps}, {@link
   * #onProbeStarted} or a result.
   *
   * <p>Mirrors {@link #process} rule by rule: the raise verification deadline, the end of the
   * peak window, the probe-result timeout, and (when the estimate is below the desired rate) the
   * initial or continuation probe (now), the recovery probe after the drain time, and the
   * periodic probe at the interval or at the end of the false-raise back-off, whichever is later.
   */
  public long nextProcessUs(long estimateBps, long nowUs) {
    if (pending) {
      return nowUs;
    }
    long next = Long.MAX_VALUE;
    if (raisedAtUs != Long.MIN_VALUE) {
      if (estimateBps < DROP_RATIO * raisedToBps) {
        return nowUs;
      }
      next = raisedAtUs + VERIFY_US;
    }
    if (estimateBps < peakBps) {
      if (estimateBps < DROP_RATIO * peakBps) {
        return nowUs;
      }
      // The peak expires at the first call strictly after the window.
      next = Math.min(next, peakUs + PEAK_WINDOW_US + 1);
    }
    if (inFlight) {
      return Math.min(next, inFlightSinceUs + RESULT_TIMEOUT_US + 1);
    }
    if (continuationBps > 0 || (estimateBps < desiredBps && !started)) {
      // A continuation is probed, or dropped at the desired rate, at the next call.
      return nowUs;
    }
    if (estimateBps >= desiredBps) {
      return next;
    }
    if (dropUs != Long.MIN_VALUE) {
      // Rule 3 waits for the drain time, and no periodic probe comes before it.
      return Math.min(next, dropUs + DRAIN_TIME_US);
    }
    long periodicUs = lastProbeUs == Long.MIN_VALUE ? nowUs : lastProbeUs + intervalUs;
    if (quietUntilUs != Long.MIN_VALUE) {
      periodicUs = Math.max(periodicUs, quietUntilUs);
    }
    return Math.min(next, periodicUs);
  }

  /** Whether a probe waits for the pacer. */
  public boolean hasPendingProbe() {
    return pending;
  }

  /** Id of the pending probe cluster: tag its packets with it when they are sent. */
  public int pendingClusterId() {
    return pendingId;
  }

  /** Rate at which the pending cluster is to be sent. */
  public long pendingTargetBps() {
    return pendingTargetBps;
  }

  /**
   * The rate the probe cluster {@code clusterId} was asked to prove, or 0 if it is not the one in
   * flight (a late or stale result).
   */
  public long inFlightTargetBps(int clusterId) {
    return inFlight && clusterId == inFlightId ? inFlightTargetBps : 0;
  }

  /** The pacer took the pending probe and starts sending it now. */
  public void onProbeStarted(long nowUs) {
    if (!pending) {
      return;
    }
    pending = false;
    inFlight = true;
    inFlightId = pendingId;
    inFlightTargetBps = pendingTargetBps;
    inFlightCapped = pendingCapped;
    inFlightBaseBps = pendingBaseBps;
    inFlightSinceUs = nowUs;
    probesStarted++;
  }

  /**
   * The measured result of a probe cluster.
   *
   * @return true when it was the probe in flight
   */
  public boolean onProbeResult(int clusterId, long resultBps, long nowUs) {
    if (!inFlight || clusterId != inFlightId) {
      return false;
    }
    inFlight = false;
    boolean reached = resultBps >= SUCCESS_RATIO * inFlightTargetBps;
    boolean raised = resultBps >= RAISE_RATIO * inFlightBaseBps;
    if (reached) {
      probesSucceeded++;
    }
    if (reached && !inFlightCapped) {
      intervalUs = MIN_INTERVAL_US;
      continuationBps = (long) (CONTINUATION_FACTOR * resultBps);
    } else if (raised) {
      // The path carries more than we had, but the probe hit the cap or fell short of its
      // target: keep the normal interval without ramping further.
      continuationBps = 0;
      intervalUs = MIN_INTERVAL_US;
    } else {
      onFailure();
    }
    lastProbeUs = nowUs;
    return true;
  }

  /**
   * The estimator raised its estimate to a probe's result: from now on, watch whether the path
   * keeps it (see the class comment).
   */
  public void onResultApplied(long resultBps, long nowUs) {
    raisedAtUs = nowUs;
    raisedToBps = resultBps;
  }

  private void onFailure() {
    continuationBps = 0;
    intervalUs = Math.min(MAX_INTERVAL_US, intervalUs * 2);
  }

  /** Probes handed to the pacer so far. */
  public long probesStarted() {
    return probesStarted;
  }

  /** Raises that loss took back within {@link #VERIFY_US}. */
  public long falseRaises() {
    return falseRaises;
  }

  /** Probes whose result reached 70% of their target. */
  public long probesSucceeded() {
    return probesSucceeded;
  }
}
