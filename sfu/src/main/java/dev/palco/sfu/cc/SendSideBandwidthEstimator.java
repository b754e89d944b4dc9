package dev.palco.sfu.cc;

import dev.palco.rtp.rtcp.TransportCcParser;

/**
 * The send-side bandwidth estimate toward one subscriber, in the manner of Google Congestion
 * Control (draft-ietf-rmcat-gcc-02) with transport-wide feedback
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01):
 *
 * <pre>
 *  onPacketSent ──▶ SentPacketHistory
 *                        │  (seq → send time, size, probe cluster)
 *  TWCC feedback ────────┴─▶ PacketGrouper ─▶ TrendlineDetector ─▶ AimdRateController ─┐
 *                        ├─▶ AckedBitrateEstimator ──────────────────────▲            │ min ─▶ target
 *                        ├─▶ loss fraction ─▶ LossBasedController ────────────────────┘
 *                        └─▶ ProbeResultEstimator ─▶ ProbeController (and raises both)
 *  REMB (no TWCC) ──────────────────────────────▶ replaces the delay-based estimate
 * </pre>
 *
 * The target is min(delay-based, loss-based), clamped to the configured bounds. When TWCC is not
 * negotiated the subscriber's REMB is taken as the delay-based estimate and receiver-report loss
 * feeds the loss-based controller.
 *
 * <p>All times are microseconds: send times on our clock, arrival times on the subscriber's clock
 * (only their differences matter). The caller injects time: nothing here reads a clock, sleeps or
 * allocates after construction. Not thread-safe: confine to the subscriber's send context.
 */
public final class SendSideBandwidthEstimator {
  /** Cluster id of a packet that is not part of a probe. */
  public static final int NO_PROBE = -1;
  /** A probe's result counts up to this many times the rate it was asked to prove. */
  static final long MAX_PROBE_RESULT_TO_TARGET = 2;

  private final BandwidthEstimatorConfig config;
  private final SentPacketHistory history = new SentPacketHistory();
  private final PacketGrouper grouper = new PacketGrouper();
  private final TrendlineDetector detector = new TrendlineDetector();
  private final AckedBitrateEstimator acked = new AckedBitrateEstimator();
  private final AimdRateController aimd;
  private final LossBasedController lossBased;
  private final ProbeResultEstimator probeResults = new ProbeResultEstimator();
  private final ProbeController probes;

  private boolean transportCc = true;
  private long targetBps;

  private boolean haveReference;
  private long referenceTicksExt;
  private int lastReferenceTicks;

  private int feedbackReceived;
  private int feedbackLost;

  private long feedbackMessages;
  private long packetsAcked;
  private long packetsLost;
  private long unknownFeedback;
  private long probeResultsApplied;

  /** An estimator with the given bounds, starting at {@code config.startBps()}. */
  public SendSideBandwidthEstimator(BandwidthEstimatorConfig config) {
    this.config = config;
    this.aimd = new AimdRateController(config.startBps(), config.minBps(), config.maxBps());
    // The loss-based value does not limit until loss is seen: decreases start from the target.
    this.lossBased = new LossBasedController(config.maxBps(), config.minBps(), config.maxBps());
    this.probes = new ProbeController(config.maxBps());
    this.targetBps = config.startBps();
  }

  /**
   * Whether the subscriber sends transport-wide feedback. When it does not, {@link #onRemb} sets
   * the estimate and no probing happens (probes could not be measured).
   */
  public void setTransportCcNegotiated(boolean negotiated) {
    this.transportCc = negotiated;
  }

  /** The path's round-trip time (from RTCP reports), for the additive increase and loss timers. */
  public void setRttMs(long rttMs) {
    if (rttMs >= 0) {
      aimd.setRttMs(rttMs);
      lossBased.setRttMs(rttMs);
    }
  }

  /** What the allocator would send with unlimited bandwidth: probing stops there. */
  public void setDesiredBps(long desiredBps) {
    probes.setDesiredBps(desiredBps);
  }

  /**
   * Records a packet that left toward the subscriber.
   *
   * @param transportSeq its transport-wide sequence number (16 bits)
   * @param probeClusterId the probe cluster it belongs to, or {@link #NO_PROBE}
   */
  public void onPacketSent(int transportSeq, long sendTimeUs, int sizeBytes, int probeClusterId) {
    history.onSent(transportSeq, sendTimeUs, sizeBytes, probeClusterId);
    if (probeClusterId != NO_PROBE) {
      probeResults.onSent(probeClusterId);
    }
  }

  /**
   * Consumes one transport-wide feedback message. {@code feedback} must have been {@link
   * TransportCcParser#reset reset} on the message with an OK result; it is iterated to the end.
   * The 24-bit reference time is unwrapped here, so arrival times stay comparable across messages.
   */
  public void onTransportCcFeedback(TransportCcParser feedback, long nowUs) {
    int ref = feedback.referenceTime();
    int ticks = ref & 0xFF_FFFF;
    if (!haveReference) {
      haveReference = true;
      referenceTicksExt = ticks;
    } else {
      // Sign-extend the 24-bit difference: the nearer of forward and backward.
      int delta = ((ticks - lastReferenceTicks) << 8) >> 8;
      referenceTicksExt += delta;
    }
    lastReferenceTicks = ticks;
    long offsetUs = (referenceTicksExt - ref) * TransportCcParser.REFERENCE_TIME_TICK_US;
    beginFeedback(nowUs);
    while (feedback.next()) {
      boolean received = feedback.received();
      onPacketFeedback(
          feedback.sequenceNumber(), received, received ? feedback.arrivalTimeUs() + offsetUs : 0);
    }
    endFeedback(nowUs);
  }

  /** Starts a feedback message given packet by packet (for feedback not in TWCC wire form). */
  public void beginFeedback(long nowUs) {
    feedbackReceived = 0;
    feedbackLost = 0;
  }

  /** One packet's fate within the message begun by {@link #beginFeedback}. */
  public void onPacketFeedback(int transportSeq, boolean received, long arrivalTimeUs) {
    int slot = history.find(transportSeq);
    if (slot < 0) {
      unknownFeedback++;
      return;
    }
    byte state = history.state(slot);
    if (state == SentPacketHistory.REPORTED_RECEIVED) {
      return;
    }
    int cluster = history.probeClusterId(slot);
    if (!received) {
      if (state == SentPacketHistory.SENT) {
        history.setState(slot, SentPacketHistory.REPORTED_LOST);
        feedbackLost++;
        if (cluster != NO_PROBE) {
          probeResults.onLost(cluster);
        }
      }
      return;
    }
    history.setState(slot, SentPacketHistory.REPORTED_RECEIVED);
    feedbackReceived++;
    long sendTimeUs = history.sendTimeUs(slot);
    int size = history.sizeBytes(slot);
    acked.onAcked(arrivalTimeUs, size);
    if (cluster != NO_PROBE && state == SentPacketHistory.SENT) {
      probeResults.onReceived(cluster, sendTimeUs, arrivalTimeUs, size);
    }
    if (grouper.onPacket(sendTimeUs, arrivalTimeUs, size)) {
      // The threshold adapts on the receiver's timeline, like the trendline itself.
      long groupArrivalUs = grouper.lastCompleteArrivalUs();
      detector.update(
          grouper.arrivalDeltaUs(), grouper.sendDeltaUs(), groupArrivalUs, groupArrivalUs);
    }
  }

  /** Ends the message: the rate controllers act on what it showed. */
  public void endFeedback(long nowUs) {
    feedbackMessages++;
    packetsAcked += feedbackReceived;
    packetsLost += feedbackLost;
    if (!transportCc) {
      return;
    }
    while (probeResults.takeResult()) {
      int cluster = probeResults.resultClusterId();
      // A cluster proves at most twice the rate it was asked to. The pacer may send it faster (at
      // the higher of the probe's rate and its own, drained on timer ticks), so its bytes pass in
      // a shorter burst, and a short burst that a policer's bucket lets through says nothing
      // about a sustained rate. Twice still lets the start-up ramp skip a doubling.
      long result = Math.min(probeResults.resultBps(),
          MAX_PROBE_RESULT_TO_TARGET * probes.inFlightTargetBps(cluster));
      probes.onProbeResult(cluster, result, nowUs);
      // A result above the target raises both controllers, since the loss-based one may be the
      // limit; but not while the path is losing more than the loss-based controller tolerates: a
      // short cluster that got through then says less than the loss of everything else does.
      if (result > targetBps
          && detector.usage() != BandwidthUsage.OVERUSING
          && lossBased.lastLossFraction() <= LossBasedController.HIGH_LOSS) {
        if (result > aimd.bitrateBps()) {
          aimd.setBitrateBps(result, nowUs);
        }
        lossBased.raiseTo(result);
        probes.onResultApplied(result, nowUs);
        probeResultsApplied++;
      }
    }
    if (feedbackReceived > 0) {
      aimd.update(detector.usage(), acked.bitrateBps(), nowUs);
    }
    lossBased.onPackets(feedbackReceived, feedbackLost, targetBps, acked.bitrateBps(), nowUs);
    updateTarget(nowUs);
  }

  /**
   * A REMB value from the subscriber (draft-alvestrand-rmcat-remb-03). Used as the delay-based
   * estimate only when TWCC is not negotiated: with TWCC our own estimate is better informed.
   */
  public void onRemb(long bitrateBps, long nowUs) {
    if (transportCc || bitrateBps <= 0) {
      return;
    }
    aimd.setBitrateBps(bitrateBps, nowUs);
    updateTarget(nowUs);
  }

  /**
   * Loss reported in a receiver report block (RFC 3550 §6.4.1 fraction lost, 0..255). Used only
   * when TWCC is not negotiated; TWCC feedback already tells each packet's fate.
   */
  public void onReceiverReportLoss(int fractionLost, long nowUs) {
    if (transportCc) {
      return;
    }
    lossBased.onLossFraction((fractionLost & 0xFF) / 256.0, targetBps, 0, nowUs);
    updateTarget(nowUs);
  }

  /** Timer tick (every few tens of ms): lets the probe controller act without feedback. */
  public void process(long nowUs) {
    if (transportCc) {
      probes.process(targetBps, nowUs);
    }
  }

  /**
   * The earliest time at which {@link #process} could change anything ({@code nowUs} or earlier:
   * now; {@link Long#MAX_VALUE}: not before new feedback, a new desired rate or a started probe),
   * so a timer may skip the calls before it (see {@link ProbeController#nextProcessUs}).
   */
  public long nextProcessUs(long nowUs) {
    return transportCc ? probes.nextProcessUs(targetBps, nowUs) : Long.MAX_VALUE;
  }

  private void updateTarget(long nowUs) {
    long t = Math.min(aimd.bitrateBps(), lossBased.bitrateBps());
    targetBps = Math.max(config.minBps(), Math.min(config.maxBps(), t));
    if (transportCc) {
      probes.process(targetBps, nowUs);
    }
  }

  /** The estimate to allocate and pace by: min(delay-based, loss-based), within the bounds. */
  public long targetBitrateBps() {
    return targetBps;
  }

  /** The delay-based (or REMB) estimate. */
  public long delayBasedBps() {
    return aimd.bitrateBps();
  }

  /** The loss-based estimate (the maximum until loss was seen). */
  public long lossBasedBps() {
    return lossBased.bitrateBps();
  }

  /** The rate the subscriber acknowledged receiving, 0 before it is known. */
  public long ackedBitrateBps() {
    return acked.bitrateBps();
  }

  /** The delay-based detector's current verdict. */
  public BandwidthUsage usage() {
    return detector.usage();
  }

  /** The loss fraction of the last closed loss window (0..1). */
  public double lastLossFraction() {
    return lossBased.lastLossFraction();
  }

  /** The probe controller: the pacer asks it for pending probe clusters. */
  public ProbeController probes() {
    return probes;
  }

  /** Feedback messages consumed. */
  public long feedbackMessages() {
    return feedbackMessages;
  }

  /** Packets reported received. */
  public long packetsAcked() {
    return packetsAcked;
  }

  /** Packets reported lost (a later report of arrival does not undo it). */
  public long packetsLost() {
    return packetsLost;
  }

  /** Feedback entries for sequence numbers never sent or already forgotten. */
  public long unknownFeedback() {
    return unknownFeedback;
  }

  /** Probe results that raised the estimate. */
  public long probeResultsApplied() {
    return probeResultsApplied;
  }

  /** Delay-based decreases so far. */
  public long delayBasedDecreases() {
    return aimd.decreases();
  }
}
