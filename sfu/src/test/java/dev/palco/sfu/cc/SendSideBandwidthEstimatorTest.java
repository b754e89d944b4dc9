package dev.palco.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.rtcp.RtcpDropReason;
import dev.palco.rtp.rtcp.TransportCcEncoder;
import dev.palco.rtp.rtcp.TransportCcParser;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The estimator against scripted paths ({@link LinkSimulation}: real TWCC bytes, a manual clock,
 * no sleeps). Convergence times are printed for docs/benchmarks.md.
 */
class SendSideBandwidthEstimatorTest {
  private static final long MEDIA_BPS = 2_500_000;

  /** Time from {@code fromUs} until the first sample meeting the condition, or -1. */
  private static long firstTime(long[] ts, long[] vs, int n, long fromUs, java.util.function.LongPredicate ok) {
    for (int i = 0; i < n; i++) {
      if (ts[i] >= fromUs && ok.test(vs[i])) {
        return ts[i] - fromUs;
      }
    }
    return -1;
  }

  private static double mean(long[] ts, long[] vs, int n, long fromUs, long toUs) {
    double sum = 0;
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (ts[i] >= fromUs && ts[i] < toUs) {
        sum += vs[i];
        k++;
      }
    }
    return sum / k;
  }

  /** Samples of one run. */
  private static final class Trace implements LinkSimulation.Sampler {
    final long[] ts = new long[4000];
    final long[] vs = new long[4000];
    int n;

    @Override
    public void sample(long nowUs, long targetBps) {
      ts[n] = nowUs;
      vs[n] = targetBps;
      n++;
    }
  }

  @Test
  void steadyTwoMegabitLinkConvergesNearItsCapacity() {
    LinkSimulation sim = new LinkSimulation(BandwidthEstimatorConfig.DEFAULT, MEDIA_BPS, 2_000_000, 1);
    Trace trace = new Trace();
    long start = sim.nowUs();
    sim.run(20_000_000, trace);
    long convergeUs = firstTime(trace.ts, trace.vs, trace.n, start, v -> v >= 1_700_000);
    double steady = mean(trace.ts, trace.vs, trace.n, start + 10_000_000, start + 20_000_000);
    System.out.printf(
        "cc steady 2 Mbps: start 300 kbps -> 85%% of capacity in %d ms; mean over 10-20 s %.0f kbps%n",
        convergeUs / 1000, steady / 1000);
    assertTrue(convergeUs >= 0 && convergeUs <= 3_000_000, "converged in " + convergeUs + " µs");
    assertTrue(steady >= 1_600_000 && steady <= 2_200_000, "steady mean " + steady);
  }

  @Test
  void stepDownIsFollowedWithinTwoSecondsAndStepUpRecoversWithProbing() {
    LinkSimulation sim = new LinkSimulation(BandwidthEstimatorConfig.DEFAULT, MEDIA_BPS, 2_000_000, 2);
    Trace trace = new Trace();
    long start = sim.nowUs();
    sim.run(15_000_000, trace);
    long downAt = sim.nowUs();
    sim.capacityBps = 300_000;
    sim.run(15_000_000, trace);
    long upAt = sim.nowUs();
    sim.capacityBps = 2_000_000;
    sim.run(15_000_000, trace);

    long downUs = firstTime(trace.ts, trace.vs, trace.n, downAt, v -> v < 300_000);
    long upUs = firstTime(trace.ts, trace.vs, trace.n, upAt, v -> v >= 1_500_000);
    double low = mean(trace.ts, trace.vs, trace.n, downAt + 5_000_000, upAt);
    double recovered = mean(trace.ts, trace.vs, trace.n, upAt + 5_000_000, upAt + 15_000_000);
    System.out.printf(
        "cc step 2 Mbps -> 300 kbps: below 300 kbps after %d ms, mean %.0f kbps; "
            + "step 300 kbps -> 2 Mbps: above 1.5 Mbps after %d ms, mean %.0f kbps; "
            + "probes %d (%d reached their target), %d raised the estimate; queue peak %d ms%n",
        downUs / 1000, low / 1000, upUs / 1000, recovered / 1000,
        sim.estimator.probes().probesStarted(), sim.estimator.probes().probesSucceeded(),
        sim.estimator.probeResultsApplied(), sim.maxQueueDelaySeenUs / 1000);
    assertTrue(downUs >= 0 && downUs <= 2_000_000, "step down followed after " + downUs + " µs");
    assertTrue(low >= 150_000 && low <= 320_000, "mean on the narrow link " + low);
    assertTrue(upUs >= 0 && upUs <= 6_000_000, "step up recovered after " + upUs + " µs");
    assertTrue(recovered >= 1_500_000, "mean after recovery " + recovered);
    assertTrue(sim.estimator.probeResultsApplied() > 0);
    assertTrue(start < downAt);
  }

  @Test
  void fivePercentRandomLossDoesNotCollapseTheEstimate() {
    LinkSimulation sim = new LinkSimulation(BandwidthEstimatorConfig.DEFAULT, MEDIA_BPS, 2_000_000, 3);
    sim.lossProbability = 0.05;
    Trace trace = new Trace();
    long start = sim.nowUs();
    sim.run(20_000_000, trace);
    double steady = mean(trace.ts, trace.vs, trace.n, start + 10_000_000, start + 20_000_000);
    System.out.printf("cc 5%% random loss on 2 Mbps: mean over 10-20 s %.0f kbps, loss window %.3f%n",
        steady / 1000, sim.estimator.lastLossFraction());
    assertTrue(steady >= 1_400_000, "mean with 5% loss " + steady);
    assertTrue(sim.estimator.packetsLost() > 0);
  }

  @Test
  void twentyPercentLossLowersTheEstimate() {
    LinkSimulation sim = new LinkSimulation(BandwidthEstimatorConfig.DEFAULT, MEDIA_BPS, 2_000_000, 4);
    Trace trace = new Trace();
    long start = sim.nowUs();
    sim.run(10_000_000, trace);
    long lossAt = sim.nowUs();
    sim.lossProbability = 0.20;
    sim.run(10_000_000, trace);
    double before = mean(trace.ts, trace.vs, trace.n, start + 5_000_000, lossAt);
    double after = mean(trace.ts, trace.vs, trace.n, lossAt + 5_000_000, lossAt + 10_000_000);
    long halfUs = firstTime(trace.ts, trace.vs, trace.n, lossAt, v -> v < before / 2);
    System.out.printf("cc 20%% loss from 10 s: mean %.0f -> %.0f kbps, halved after %d ms%n",
        before / 1000, after / 1000, halfUs / 1000);
    assertTrue(after < before / 2, before + " -> " + after);
    assertTrue(sim.estimator.lossBasedBps() < sim.estimator.delayBasedBps());
  }

  /**
   * A policer (a token bucket that drops and never queues) shows the estimator loss without any
   * queueing delay, and its burst allowance lets a short probe through at any rate. The sender here
   * is a simulcast forwarder (180 kbps, 500 kbps, 1.5 Mbps layers) behind a 300 kbps policer: it
   * may try the middle layer after a probe, but the loss-based controller must take that back
   * quickly and the probe controller must not try again and again. Once the policer is gone the
   * estimate must find the wide path again.
   */
  @Test
  void policedLinkKeepsTheLowLayerWithoutRepeatedUpswitchesAndRecoversWhenItLifts() {
    LinkSimulation sim = new LinkSimulation(BandwidthEstimatorConfig.DEFAULT, MEDIA_BPS, 300_000, 6);
    sim.policerBurstBytes = 5_000;
    sim.layerBps = new long[] {180_000, 500_000, 1_500_000};
    Trace trace = new Trace();
    long start = sim.nowUs();
    sim.run(10_000_000, trace);
    long sent0 = sim.packetsSent;
    long dropped0 = sim.packetsDropped;
    long falseRaises0 = sim.estimator.probes().falseRaises();
    sim.run(50_000_000, trace);
    double loss = (sim.packetsDropped - dropped0) / (double) (sim.packetsSent - sent0);
    long falseRaises = sim.estimator.probes().falseRaises() - falseRaises0;
    int above = 0;
    int samples = 0;
    for (int i = 0; i < trace.n; i++) {
      if (trace.ts[i] >= start + 10_000_000) {
        samples++;
        if (trace.vs[i] >= 500_000) {
          above++;
        }
      }
    }
    long liftedAt = sim.nowUs();
    sim.policerBurstBytes = 0;
    sim.capacityBps = 2_000_000;
    sim.run(25_000_000, trace);
    long upUs = firstTime(trace.ts, trace.vs, trace.n, liftedAt, v -> v >= 1_500_000);
    System.out.printf(
        "cc 300 kbps policer, 10-60 s: on a layer above the link %.1f %% of the time, loss %.1f %%,"
            + " %d raises taken back (%d probes, %d raised the estimate); policer lifted: above"
            + " 1.5 Mbps after %d ms%n",
        100.0 * above / samples, 100 * loss, falseRaises, sim.estimator.probes().probesStarted(),
        sim.estimator.probeResultsApplied(), upUs / 1000);
    assertTrue(above <= samples / 10, above + " of " + samples + " samples above the link's layer");
    assertTrue(loss < 0.05, "loss after the first 10 s " + loss);
    assertTrue(falseRaises >= 1 && falseRaises <= 4, "raises taken back " + falseRaises);
    assertTrue(upUs >= 0 && upUs <= 20_000_000, "recovered after " + upUs + " µs");
  }

  @Test
  void referenceTimeWrapInTheFeedbackIsUnwrapped() {
    LinkSimulation sim = new LinkSimulation(BandwidthEstimatorConfig.DEFAULT, MEDIA_BPS, 2_000_000, 5);
    // The 24-bit reference time (64 ms units) wraps 5 s into the run.
    sim.receiverClockOffsetUs = (1L << 24) * 64_000 - 5_000_000 - sim.nowUs();
    Trace trace = new Trace();
    long start = sim.nowUs();
    sim.run(12_000_000, trace);
    double after = mean(trace.ts, trace.vs, trace.n, start + 6_000_000, start + 12_000_000);
    assertTrue(after >= 1_600_000 && after <= 2_200_000, "mean across the wrap " + after);
  }

  @Test
  void rembSetsTheEstimateWhenTransportCcIsNotNegotiated() {
    SendSideBandwidthEstimator bwe = new SendSideBandwidthEstimator(BandwidthEstimatorConfig.DEFAULT);
    bwe.onRemb(800_000, 0);
    assertEquals(300_000, bwe.targetBitrateBps(), "REMB is ignored while TWCC is negotiated");
    bwe.setTransportCcNegotiated(false);
    bwe.onRemb(800_000, 1_000);
    assertEquals(800_000, bwe.targetBitrateBps());
    bwe.onRemb(50_000_000, 2_000);
    assertEquals(20_000_000, bwe.targetBitrateBps(), "clamped to the maximum");
    bwe.onRemb(1_000, 3_000);
    assertEquals(30_000, bwe.targetBitrateBps(), "clamped to the minimum");
    bwe.onRemb(1_000_000, 4_000);
    // 25% loss in a receiver report: the loss-based controller lowers the REMB value.
    bwe.onReceiverReportLoss(64, 5_000);
    assertEquals(875_000, bwe.targetBitrateBps());
    bwe.process(10_000);
    assertTrue(!bwe.probes().hasPendingProbe(), "no probing without TWCC to measure it");
  }

  @Test
  void feedbackForUnknownOrRepeatedSequenceNumbersIsIgnored() {
    SendSideBandwidthEstimator bwe = new SendSideBandwidthEstimator(BandwidthEstimatorConfig.DEFAULT);
    bwe.onPacketSent(10, 0, 1200, SendSideBandwidthEstimator.NO_PROBE);
    bwe.beginFeedback(50_000);
    bwe.onPacketFeedback(9, true, 30_000);
    bwe.onPacketFeedback(10, true, 30_000);
    bwe.onPacketFeedback(10, true, 30_000);
    bwe.onPacketFeedback(11, false, 0);
    bwe.endFeedback(50_000);
    assertEquals(2, bwe.unknownFeedback());
    assertEquals(1, bwe.packetsAcked());
    assertEquals(0, bwe.packetsLost());
  }

  @Test
  void probeClusterResultIsTheRateThePathDelivered() {
    ProbeResultEstimator probes = new ProbeResultEstimator();
    for (int i = 0; i < 6; i++) {
      probes.onSent(7);
    }
    assertTrue(!probes.takeResult(), "nothing reported yet");
    // Sent every 2 ms (4.8 Mbps), arrived every 4.8 ms (2 Mbps): the path saturated.
    for (int i = 0; i < 6; i++) {
      probes.onReceived(7, i * 2_000L, 100_000 + i * 4_800L, 1200);
    }
    assertTrue(probes.takeResult());
    assertEquals(7, probes.resultClusterId());
    assertEquals(1_900_000, probes.resultBps(), 1_000);
    assertTrue(!probes.takeResult(), "one result per cluster");
  }

  @Test
  void aClusterOfWhichMoreThanAFifthWasLostProvesNothing() {
    ProbeResultEstimator probes = new ProbeResultEstimator();
    for (int i = 0; i < 10; i++) {
      probes.onSent(3);
    }
    // The first seven passed at the sent rate (a policer's burst allowance), the last three did not.
    for (int i = 0; i < 7; i++) {
      probes.onReceived(3, i * 2_000L, 50_000 + i * 2_000L, 1200);
    }
    probes.onLost(3);
    probes.onLost(3);
    assertTrue(!probes.takeResult(), "one packet not reported yet");
    probes.onLost(3);
    assertTrue(probes.takeResult());
    assertEquals(3, probes.resultClusterId());
    assertEquals(0, probes.resultBps());
  }

  @Test
  void aProbeProvesAtMostTheRateItWasAskedToProve() {
    ProbeController controller = new ProbeController(10_000_000);
    assertTrue(controller.process(300_000, 0));
    int id = controller.pendingClusterId();
    assertEquals(900_000, controller.pendingTargetBps());
    controller.onProbeStarted(0);
    assertEquals(900_000, controller.inFlightTargetBps(id));
    assertEquals(0, controller.inFlightTargetBps(id + 1), "not the cluster in flight");
  }

  /**
   * The estimator end to end: a cluster the pacer sent in one burst (ten packets within 1 ms, so
   * its measured rate is 96 Mbps) raises the estimate to twice the cluster's target, no further.
   */
  @Test
  void aBurstSentProbeRaisesTheEstimateOnlyToTwiceItsTarget() {
    SendSideBandwidthEstimator estimator = new SendSideBandwidthEstimator(BandwidthEstimatorConfig.DEFAULT);
    estimator.process(0);
    ProbeController controller = estimator.probes();
    assertTrue(controller.hasPendingProbe());
    int cluster = controller.pendingClusterId();
    long target = controller.pendingTargetBps();
    controller.onProbeStarted(0);
    for (int i = 0; i < 10; i++) {
      estimator.onPacketSent(i, 1_000 + i * 100L, 1200, cluster);
    }
    estimator.beginFeedback(60_000);
    for (int i = 0; i < 10; i++) {
      estimator.onPacketFeedback(i, true, 30_000 + i * 100L);
    }
    estimator.endFeedback(60_000);
    assertEquals(1, estimator.probeResultsApplied());
    // Twice the probe's target, plus at most the controller's smallest additive step after it.
    long twice = 2 * target;
    assertTrue(estimator.targetBitrateBps() >= twice && estimator.targetBitrateBps() <= twice + 10_000,
        target + " -> " + estimator.targetBitrateBps());
  }

  /**
   * A high-loss decrease goes to the acknowledged rate R at once, not below R · (1 − 0.5 p), and
   * never above where it started; an increase goes no further than 1.5 · R + 10 kbps.
   */
  @Test
  void lossBasedDecreaseAndIncreaseAreBoundedByTheAcknowledgedRate() {
    // 40 % loss while sending 1.5 Mbps over a 300 kbps link: straight to 300 kbps.
    LossBasedController c = new LossBasedController(1_500_000, 30_000, 20_000_000);
    c.onLossFraction(0.4, 1_500_000, 300_000, 0);
    assertEquals(300_000, c.bitrateBps());
    // Heavy loss again after the hold: not compounded below 300 · (1 − 0.44) = 168 kbps.
    c.onLossFraction(0.88, 300_000, 300_000, 1_000_000);
    assertEquals(168_000, c.bitrateBps());
    // The acknowledged rate lagging far above the value (its floor would be 900 kbps) does not
    // lift it in a decrease: it holds.
    c.onLossFraction(0.2, 168_000, 1_000_000, 2_000_000);
    assertEquals(168_000, c.bitrateBps());
    // No loss, application-limited at 90 kbps acknowledged: at most 1.5 · 90 + 10 = 145 kbps, which
    // is below the value, so it holds.
    c.onLossFraction(0.0, 168_000, 90_000, 3_000_000);
    assertEquals(168_000, c.bitrateBps());
    // With 120 kbps acknowledged the bound is 190 kbps: the 5 % step (+1 kbps) is taken.
    c.onLossFraction(0.0, 168_000, 120_000, 3_300_000);
    assertEquals(177_400, c.bitrateBps());
  }

  /** Starts the pending probe at {@code nowUs}; it proves {@code resultBps}, which is applied. */
  private static void probeRaisesTo(ProbeController controller, long resultBps, long nowUs) {
    int id = controller.pendingClusterId();
    controller.onProbeStarted(nowUs);
    controller.onProbeResult(id, resultBps, nowUs + 100_000);
    controller.onResultApplied(resultBps, nowUs + 100_000);
  }

  /**
   * A raise that loss takes back within the verification time backs probing off for 8 s, then
   * 16 s; one that holds clears the back-off.
   */
  @Test
  void aRaiseThatLossTakesBackBacksProbingOff() {
    ProbeController controller = new ProbeController(10_000_000);
    controller.setDesiredBps(2_000_000);
    long now = 0;
    // The initial probe succeeds at 900 kbps, then the estimate falls back to 300 kbps.
    assertTrue(controller.process(300_000, now));
    probeRaisesTo(controller, 900_000, now);
    now += 1_000_000;
    assertTrue(!controller.process(300_000, now), "no probe once the raise was taken back");
    assertEquals(1, controller.falseRaises());
    // Quiet for 8 s: no continuation, no recovery probe, no periodic probe.
    for (long t = now; t < now + ProbeController.FALSE_RAISE_BACKOFF_US; t += 100_000) {
      assertTrue(!controller.process(300_000, t), "probed during the back-off at " + t);
    }
    now += ProbeController.FALSE_RAISE_BACKOFF_US;
    assertTrue(controller.process(300_000, now), "probes again after the back-off");
    probeRaisesTo(controller, 600_000, now);
    now += 1_000_000;
    assertTrue(!controller.process(300_000, now));
    assertEquals(2, controller.falseRaises());
    // The second back-off is twice as long.
    assertTrue(!controller.process(300_000, now + ProbeController.FALSE_RAISE_BACKOFF_US));
    now += 2 * ProbeController.FALSE_RAISE_BACKOFF_US;
    assertTrue(controller.process(300_000, now), "probes again after 16 s");
    probeRaisesTo(controller, 600_000, now);
    // This raise holds for the verification time: the back-off is cleared, and the next periodic
    // probe comes at the normal interval (1 s), not after a back-off.
    for (long t = now + 200_000; t <= now + 100_000 + ProbeController.VERIFY_US; t += 100_000) {
      controller.process(600_000, t);
    }
    assertEquals(2, controller.falseRaises());
    assertTrue(controller.hasPendingProbe(), "probing resumed at the normal interval");
    // A later raise taken back starts the back-off from 8 s again, not from 32 (capped at 16).
    now += 100_000 + ProbeController.VERIFY_US;
    probeRaisesTo(controller, 1_200_000, now);
    now += 1_000_000;
    assertTrue(!controller.process(600_000, now));
    assertEquals(3, controller.falseRaises());
    assertTrue(controller.process(600_000, now + ProbeController.FALSE_RAISE_BACKOFF_US), "8 s again");
  }

  @Test
  void trendlineSeesGrowingShrinkingAndStableDelay() {
    assertEquals(BandwidthUsage.NORMAL, verdict(0));
    assertEquals(BandwidthUsage.OVERUSING, verdict(+2_000));
    assertEquals(BandwidthUsage.UNDERUSING, verdict(-2_000));
  }

  /** 60 groups sent 20 ms apart whose arrival spacing differs by {@code extraUs} each. */
  private static BandwidthUsage verdict(long extraUs) {
    TrendlineDetector detector = new TrendlineDetector();
    long arrival = 1_000_000;
    for (int i = 0; i < 60; i++) {
      arrival += 20_000 + extraUs;
      detector.update(20_000 + extraUs, 20_000, arrival, arrival);
    }
    return detector.usage();
  }

  @Test
  void feedbackPathAllocatesNothingPerPacket() {
    SendSideBandwidthEstimator bwe = new SendSideBandwidthEstimator(BandwidthEstimatorConfig.DEFAULT);
    TransportCcEncoder encoder = new TransportCcEncoder(1200);
    TransportCcParser parser = new TransportCcParser();
    byte[] buf = new byte[1500];
    long[] clock = {0};
    int[] seq = {0};
    Runnable round = () -> {
      for (int r = 0; r < 2_000; r++) {
        long now = clock[0];
        encoder.reset(1, 2, r & 0xFF);
        for (int i = 0; i < 10; i++) {
          int s = seq[0]++ & 0xFFFF;
          bwe.onPacketSent(s, now + i * 5_000, 1200, i == 0 ? r : SendSideBandwidthEstimator.NO_PROBE);
          encoder.add(s, i == 3 ? TransportCcEncoder.NOT_RECEIVED : now + 40_000 + i * 5_100);
        }
        int len = encoder.write(buf, 0);
        assertEquals(RtcpDropReason.OK, parser.reset(buf, 0, len));
        bwe.onTransportCcFeedback(parser, now + 100_000);
        bwe.process(now + 100_000);
        clock[0] += 50_000;
      }
    };
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    round.run();
    round.run();
    long before = threads.getCurrentThreadAllocatedBytes();
    round.run();
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 4096, allocated + " bytes for 20,000 packets");
    assertTrue(bwe.packetsAcked() > 0);
  }
}
