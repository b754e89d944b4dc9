package dev.palco.sfu.cc;

import dev.palco.rtp.rtcp.RtcpDropReason;
import dev.palco.rtp.rtcp.TransportCcEncoder;
import dev.palco.rtp.rtcp.TransportCcParser;
import dev.palco.sfu.util.ManualClock;
import java.util.SplittableRandom;

/**
 * A scripted path for the estimator, driven by a {@link ManualClock} in 250 µs steps: a sender
 * that sends 1200-byte packets at min(target, media rate) and probe clusters at their rate, a
 * bottleneck FIFO (capacity changeable mid-run, drop-tail beyond a queue delay bound), seeded
 * random loss, a propagation delay each way, and a receiver that sends real TWCC feedback bytes
 * every 50 ms, which the sender parses with {@link TransportCcParser}.
 */
final class LinkSimulation {
  static final int PACKET_BYTES = 1200;
  static final long STEP_US = 250;
  static final long FEEDBACK_INTERVAL_US = 50_000;
  static final long PROCESS_INTERVAL_US = 25_000;
  static final long ONE_WAY_US = 25_000;
  static final long MAX_QUEUE_US = 300_000;
  private static final long LOST = -1;
  private static final long UNSENT = -2;

  final ManualClock clock = new ManualClock(1_000);
  final SendSideBandwidthEstimator estimator;
  private final SplittableRandom random;
  private final long mediaBps;

  long capacityBps;
  /** Added to arrival times: the subscriber's clock has its own origin. */
  long receiverClockOffsetUs = 7_777_000_000L;
  double lossProbability;

  private final long[] arrivalUs = new long[400_000];
  private final long[] sendUs = new long[400_000];
  private int nextSeq;
  private long linkFreeAtUs;
  private double mediaBudgetBits;

  private int probeId = -1;
  private long probeRateBps;
  private long probeBytesLeft;
  private int probePacketsLeft;
  private double probeBudgetBits;

  private int reportFrom;
  private int feedbackCount;
  private final TransportCcEncoder encoder = new TransportCcEncoder(1200);
  private final TransportCcParser parser = new TransportCcParser();
  private final byte[][] inFlightFeedback = new byte[64][1500];
  private final int[] inFlightLen = new int[64];
  private final long[] inFlightDueUs = new long[64];
  private int fbHead;
  private int fbCount;

  private long nextFeedbackUs;
  private long nextProcessUs;
  long maxQueueDelaySeenUs;
  long packetsDropped;
  long packetsSent;

  /**
   * When positive the bottleneck is a policer instead of a queue: a token bucket of this many
   * bytes refilled at {@link #capacityBps}, which drops a packet that finds too few tokens and
   * never delays one. Such a link shows loss and no queueing delay at all.
   */
  long policerBurstBytes;

  /**
   * When set, the sender is a simulcast forwarder instead of a rate-following one: it sends the
   * highest of these layer rates (ascending) that fits the target, and the lowest when none does,
   * so it is application-limited between layers as the SFU is.
   */
  long[] layerBps;
  private double policerTokensBits;
  private long policerLastUs = Long.MIN_VALUE;

  LinkSimulation(BandwidthEstimatorConfig config, long mediaBps, long capacityBps, long seed) {
    this.estimator = new SendSideBandwidthEstimator(config);
    this.estimator.setRttMs(2 * ONE_WAY_US / 1000);
    this.estimator.setDesiredBps(mediaBps);
    this.mediaBps = mediaBps;
    this.capacityBps = capacityBps;
    this.random = new SplittableRandom(seed);
    java.util.Arrays.fill(arrivalUs, UNSENT);
  }

  long nowUs() {
    return clock.nowMicros();
  }

  /** Runs for {@code durationUs}, calling {@code sampler} every 100 ms with the time and target. */
  void run(long durationUs, Sampler sampler) {
    long end = nowUs() + durationUs;
    long nextSampleUs = nowUs();
    while (nowUs() < end) {
      long now = nowUs();
      deliverFeedback(now);
      if (now >= nextProcessUs) {
        estimator.process(now);
        nextProcessUs = now + PROCESS_INTERVAL_US;
      }
      send(now);
      if (now >= nextFeedbackUs) {
        sendFeedback(now);
        nextFeedbackUs = now + FEEDBACK_INTERVAL_US;
      }
      if (now >= nextSampleUs) {
        sampler.sample(now, estimator.targetBitrateBps());
        nextSampleUs = now + 100_000;
      }
      clock.advanceMicros(STEP_US);
    }
  }

  private void send(long now) {
    ProbeController probes = estimator.probes();
    if (probeId < 0 && probes.hasPendingProbe()) {
      probeId = probes.pendingClusterId();
      probeRateBps = probes.pendingTargetBps();
      probeBytesLeft = probeRateBps * ProbeController.MIN_PROBE_DURATION_US / 8_000_000;
      probePacketsLeft = ProbeController.MIN_PROBE_PACKETS;
      probeBudgetBits = PACKET_BYTES * 8;
      probes.onProbeStarted(now);
    }
    if (probeId >= 0) {
      probeBudgetBits += probeRateBps * STEP_US / 1e6;
      while (probeBudgetBits >= PACKET_BYTES * 8 && (probeBytesLeft > 0 || probePacketsLeft > 0)) {
        probeBudgetBits -= PACKET_BYTES * 8;
        transmit(now, probeId);
        probeBytesLeft -= PACKET_BYTES;
        probePacketsLeft--;
      }
      if (probeBytesLeft <= 0 && probePacketsLeft <= 0) {
        probeId = -1;
      }
      return;
    }
    long rate = Math.min(estimator.targetBitrateBps(), mediaBps);
    if (layerBps != null) {
      rate = layerBps[0];
      for (long l : layerBps) {
        if (l <= estimator.targetBitrateBps()) {
          rate = l;
        }
      }
    }
    mediaBudgetBits = Math.min(mediaBudgetBits + rate * STEP_US / 1e6, 4 * PACKET_BYTES * 8);
    while (mediaBudgetBits >= PACKET_BYTES * 8) {
      mediaBudgetBits -= PACKET_BYTES * 8;
      transmit(now, SendSideBandwidthEstimator.NO_PROBE);
    }
  }

  private void transmit(long now, int cluster) {
    int seq = nextSeq++;
    sendUs[seq] = now;
    estimator.onPacketSent(seq & 0xFFFF, now, PACKET_BYTES, cluster);
    packetsSent++;
    if (random.nextDouble() < lossProbability) {
      arrivalUs[seq] = LOST;
      return;
    }
    if (policerBurstBytes > 0) {
      police(now, seq);
      return;
    }
    long depart = Math.max(now, linkFreeAtUs) + PACKET_BYTES * 8_000_000L / capacityBps;
    if (depart - now > MAX_QUEUE_US) {
      arrivalUs[seq] = LOST;
      packetsDropped++;
      return;
    }
    maxQueueDelaySeenUs = Math.max(maxQueueDelaySeenUs, depart - now);
    linkFreeAtUs = depart;
    arrivalUs[seq] = depart + ONE_WAY_US;
  }

  private void police(long now, int seq) {
    long burstBits = policerBurstBytes * 8;
    if (policerLastUs == Long.MIN_VALUE) {
      policerTokensBits = burstBits;
    } else {
      policerTokensBits =
          Math.min(burstBits, policerTokensBits + capacityBps * (now - policerLastUs) / 1e6);
    }
    policerLastUs = now;
    if (policerTokensBits < PACKET_BYTES * 8) {
      arrivalUs[seq] = LOST;
      packetsDropped++;
      return;
    }
    policerTokensBits -= PACKET_BYTES * 8;
    arrivalUs[seq] = now + ONE_WAY_US;
  }

  private void sendFeedback(long now) {
    int highest = -1;
    for (int s = reportFrom; s < nextSeq; s++) {
      long a = arrivalUs[s];
      if (a == LOST) {
        continue;
      }
      if (a > now) {
        break;
      }
      highest = s;
    }
    if (highest < 0) {
      return;
    }
    encoder.reset(1, 2, feedbackCount++ & 0xFF);
    for (int s = reportFrom; s <= highest; s++) {
      long a = arrivalUs[s] == LOST ? TransportCcEncoder.NOT_RECEIVED : arrivalUs[s] + receiverClockOffsetUs;
      if (encoder.add(s & 0xFFFF, a) != TransportCcEncoder.AddResult.ADDED) {
        queueFeedback(now);
        encoder.reset(1, 2, feedbackCount++ & 0xFF);
        encoder.add(s & 0xFFFF, a);
      }
    }
    queueFeedback(now);
    reportFrom = highest + 1;
  }

  private void queueFeedback(long now) {
    if (encoder.packetStatusCount() == 0) {
      return;
    }
    int i = (fbHead + fbCount) % inFlightFeedback.length;
    inFlightLen[i] = encoder.write(inFlightFeedback[i], 0);
    inFlightDueUs[i] = now + ONE_WAY_US;
    fbCount++;
  }

  private void deliverFeedback(long now) {
    while (fbCount > 0 && inFlightDueUs[fbHead] <= now) {
      if (parser.reset(inFlightFeedback[fbHead], 0, inFlightLen[fbHead]) != RtcpDropReason.OK) {
        throw new IllegalStateException("simulation built bad feedback");
      }
      estimator.onTransportCcFeedback(parser, now);
      fbHead = (fbHead + 1) % inFlightFeedback.length;
      fbCount--;
    }
  }

  /** Receives a sample of the target estimate. */
  interface Sampler {
    void sample(long nowUs, long targetBps);
  }
}
