package dev.palco.sfu.room;

import static dev.palco.sfu.room.MediaFixtures.VP8_PT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.rtcp.PliEncoder;
import org.junit.jupiter.api.Test;

/**
 * The SFU's periodic tick skips a subscriber with nothing due (no publications; without bandwidth
 * feedback, nothing but its allocation; with it, an empty pacer and no probe due) until its next
 * deadline, and anything that may make work due sooner brings the ticks back at once.
 */
class TimerIdleTest {
  private static final long PUB_SSRC = 0x3333_0001L;
  private static final long PUB_RTX_SSRC = 0x3333_0002L;
  private static final long TICK_MS = 10;

  @Test
  void idleSubscriberTicksOnlyForItsAllocation() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, PUB_RTX_SSRC));
      bob.participant.subscribe(cam);
      h.advance(TICK_MS); // first tick: bob allocates; from then on he has nothing else due
      long bobTicks = bob.participant.timerTicks;
      long aliceTicks = alice.participant.timerTicks;
      long allocations = bob.participant.sendControl().allocations;

      for (int i = 0; i < 9; i++) {
        h.advance(TICK_MS);
      }
      assertEquals(bobTicks, bob.participant.timerTicks, "no tick before the next allocation is due");
      assertEquals(aliceTicks + 9, alice.participant.timerTicks, "a publisher ticks every period");

      h.advance(TICK_MS); // 100 ms after the last allocation
      assertEquals(bobTicks + 1, bob.participant.timerTicks);
      assertEquals(allocations + 1, bob.participant.sendControl().allocations,
          "the allocation runs on the same tick as without skipping");
    }
  }

  @Test
  void allocationRequestEndsTheIdleTime() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, PUB_RTX_SSRC));
      bob.participant.subscribe(cam);
      h.advance(TICK_MS);
      h.advance(TICK_MS);
      long bobTicks = bob.participant.timerTicks;
      long allocations = bob.participant.sendControl().allocations;

      bob.participant.sendControl().requestAllocation();
      h.advance(TICK_MS); // 20 ms after the last allocation: the minimum spacing
      assertEquals(bobTicks + 1, bob.participant.timerTicks, "a request wakes the next tick");
      assertEquals(allocations + 1, bob.participant.sendControl().allocations);
    }
  }

  @Test
  void receivedPacketEndsTheIdleTime() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, PUB_RTX_SSRC));
      TrackSubscription sub = bob.participant.subscribe(cam);
      h.advance(TICK_MS);
      h.advance(TICK_MS);
      long bobTicks = bob.participant.timerTicks;

      // Any datagram from the subscriber may start work on its timer (a REMB starts the estimator).
      byte[] pli = new byte[PliEncoder.SIZE_BYTES];
      PliEncoder.write(pli, 0, 0x4444_0001, (int) sub.ssrc());
      bob.sendRtcp(pli);
      h.advance(TICK_MS);
      assertEquals(bobTicks + 1, bob.participant.timerTicks);
    }
  }

  @Test
  void publishingEndsTheIdleTime() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, PUB_RTX_SSRC));
      bob.participant.subscribe(cam);
      h.advance(TICK_MS);
      h.advance(TICK_MS);
      long bobTicks = bob.participant.timerTicks;

      bob.participant.publish(MediaFixtures.video("1", 0x5555_0001L, 0x5555_0002L));
      for (int i = 1; i <= 3; i++) {
        h.advance(TICK_MS);
        assertEquals(bobTicks + i, bob.participant.timerTicks, "a publisher ticks every period");
      }
    }
  }

  // ------------------------------------------------------------------ with bandwidth feedback

  /**
   * Alice publishes a video track that Bob receives over a {@link SimulatedDownlink} of {@code
   * linkBps} with transport-cc feedback, on its own harness. With {@code everyTick}, Bob's timer is
   * woken before every period: the behaviour of a subscriber whose ticks are never skipped.
   */
  private static final class Stage implements AutoCloseable {
    final SfuHarness h = new SfuHarness();
    final TestPeer alice = h.join("alice");
    final TestPeer bob = h.join("bob");
    final TrackPublication cam =
        alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, PUB_RTX_SSRC));
    final TrackSubscription toBob = bob.participant.subscribe(cam);
    final SimulatedDownlink link;
    final boolean everyTick;
    int seq;

    Stage(boolean everyTick, long linkBps) {
      this.everyTick = everyTick;
      this.link = new SimulatedDownlink(h, bob, linkBps);
    }

    SubscriberSendControl control() {
      return bob.participant.sendControl();
    }

    /** {@code packets} packets of one frame at this instant, of {@code bytes} payload each. */
    void sendFrame(int packets, int bytes, boolean key) {
      for (int i = 0; i < packets; i++, seq++) {
        alice.sendRtp(MediaFixtures.rtp(VP8_PT, seq & 0xFFFF, (seq / 4) * 3000L, PUB_SSRC,
            i == packets - 1, "0", null, false, -1,
            MediaFixtures.vp8Payload(key && i == 0, seq & 0x7FFF, seq & 0xFF, bytes, seq)));
      }
    }

    /** One timer period: the downlink, the SFU's timers, the downlink again. */
    void period() {
      link.step();
      if (everyTick) {
        bob.participant.wakeIdleTimer();
      }
      h.advance(TICK_MS);
      link.step();
    }

    /** What Bob's send side did so far, to compare two stages step by step. */
    String fingerprint() {
      SendSideStats s = bob.participant.stats().sendSide();
      return "estimate=" + s.estimateBps() + " stamped=" + s.transportCcStamped() + " queued="
          + s.pacerQueuePackets() + " probes=" + s.probesStarted() + " padding=" + s.paddingPackets()
          + " expired=" + s.pacerExpired() + " allocations=" + s.allocations() + " layer="
          + toBob.currentLayer() + " delivered=" + link.deliveredBytes + " lost=" + link.lost
          + " feedback=" + link.feedbackSent;
    }

    @Override
    public void close() {
      h.close();
    }
  }

  /**
   * Outside a tick, whenever Bob's pacer holds packets or sends a cluster, or a probe is pending,
   * his next tick is not skipped.
   */
  private static void assertTicksWhenBusy(Stage stage) {
    SubscriberSendControl c = stage.control();
    if (!c.pacer.isIdle() || c.estimator.probes().hasPendingProbe()) {
      assertTrue(stage.bob.participant.timerDue(stage.h.clock.nowMillis()),
          "busy but idle at " + stage.h.clock.nowMillis() + ": " + stage.fingerprint());
    }
  }

  @Test
  void withFeedbackAnIdlePacerAndNoProbeDueTheSubscriberIdlesUntilItsNextDeadline() {
    try (Stage stage = new Stage(false, 10_000_000)) {
      // Small frames for 3 s: the estimate passes what the track needs and probing stops.
      for (int i = 0; i < 300; i++) {
        stage.sendFrame(1, 100, i % 100 == 0);
        stage.period();
      }
      // The publisher stops; what is in flight is acknowledged.
      for (int i = 0; i < 30; i++) {
        stage.period();
      }
      SubscriberSendControl c = stage.control();
      assertTrue(c.stats().feedbackSeen() && c.pacer.isIdle(), stage.fingerprint());
      // Run to an allocation: from there the next one is due 100 ms later.
      long allocations = c.allocations;
      while (c.allocations == allocations) {
        stage.h.advance(TICK_MS);
      }
      long allocatedAtMs = stage.h.clock.nowMillis();
      long nowUs = stage.h.clock.nowMicros();
      long probeDueUs = c.estimator.nextProcessUs(nowUs);
      assertTrue(probeDueUs > nowUs + 100_000, "no probe work in the next 100 ms: " + probeDueUs);
      assertEquals(allocatedAtMs + SubscriberSendControl.ALLOCATION_INTERVAL_MS, c.idleUntilMs());

      long ticks = stage.bob.participant.timerTicks;
      for (int i = 0; i < 9; i++) {
        stage.h.advance(TICK_MS);
      }
      assertEquals(ticks, stage.bob.participant.timerTicks, "no tick before the allocation is due");
      stage.h.advance(TICK_MS);
      assertEquals(ticks + 1, stage.bob.participant.timerTicks);
      assertEquals(allocations + 2, c.allocations, "the allocation runs on the same tick as without skipping");

      // With the allocations cleared out of the way (a far deadline is what the idle time reports),
      // the probe controller's deadline bounds the idle time too.
      nowUs = stage.h.clock.nowMicros();
      long expectedMs = Math.min(stage.h.clock.nowMillis() + SubscriberSendControl.ALLOCATION_INTERVAL_MS,
          Math.floorDiv(c.estimator.nextProcessUs(nowUs), 1000L));
      assertEquals(expectedMs, c.idleUntilMs());
    }
  }

  @Test
  void aBurstInThePacerAPendingProbeAndAnAllocationRequestEachEndTheIdleTime() {
    try (Stage stage = new Stage(false, 10_000_000)) {
      for (int i = 0; i < 300; i++) {
        stage.sendFrame(1, 100, i % 100 == 0);
        stage.period();
      }
      for (int i = 0; i < 30; i++) {
        stage.period();
      }
      Participant bob = stage.bob.participant;
      SubscriberSendControl c = stage.control();
      stage.h.advance(TICK_MS);
      assertTrue(!bob.timerDue(stage.h.clock.nowMillis() + 1), "idle after a quiet tick");

      // A keyframe far beyond the budget: most of it waits in the pacer, and the next tick runs.
      stage.sendFrame(40, 1_000, true);
      assertTrue(!c.pacer.isIdle(), "the burst waits");
      assertTrue(bob.timerDue(stage.h.clock.nowMillis()), "a queued burst wakes the timer");
      long ticks = bob.timerTicks;
      while (!c.pacer.isIdle()) {
        stage.period();
        assertEquals(++ticks, bob.timerTicks, "ticks every period while the pacer holds packets");
      }
      for (int i = 0; i < 20; i++) {
        stage.period();
      }
      stage.h.advance(TICK_MS);
      assertTrue(!bob.timerDue(stage.h.clock.nowMillis() + 1), "idle again");

      // A pending probe (as feedback that raised the estimate would leave one): no idle time.
      synchronized (bob.sendLock) {
        c.estimator.setDesiredBps(50_000_000);
        c.estimator.probes().process(c.estimator.targetBitrateBps(), stage.h.clock.nowMicros()
            + 10_000_000);
      }
      assertTrue(c.estimator.probes().hasPendingProbe());
      assertEquals(Long.MIN_VALUE, c.idleUntilMs(), "a pending probe wants the next tick");
    }
    try (Stage stage = new Stage(false, 10_000_000)) {
      for (int i = 0; i < 300; i++) {
        stage.sendFrame(1, 100, i % 100 == 0);
        stage.period();
      }
      Participant bob = stage.bob.participant;
      for (int i = 0; i < 30; i++) {
        stage.period();
      }
      stage.h.advance(TICK_MS);
      assertTrue(!bob.timerDue(stage.h.clock.nowMillis() + 1), "idle");
      long ticks = bob.timerTicks;
      bob.sendControl().requestAllocation();
      assertTrue(bob.timerDue(stage.h.clock.nowMillis()), "an allocation request wakes the timer");
      stage.h.advance(TICK_MS);
      assertEquals(ticks + 1, bob.timerTicks);
    }
  }

  /**
   * Two identical stages in lock step, one where Bob's idle ticks are skipped and one where he
   * ticks every period: on a link narrower than the track (so the estimate stays below what the
   * track wants and periodic probes keep coming), then through a keyframe burst, then with the
   * publisher quiet, Bob's send side does the same thing at every step, probes included, while the
   * idle one runs far fewer ticks.
   */
  @Test
  void skippedIdleTicksChangeNothingBobReceives() {
    try (Stage skipping = new Stage(false, 700_000); Stage reference = new Stage(true, 700_000)) {
      Stage[] both = {skipping, reference};
      long probesBefore = -1;
      for (int step = 0; step < 1_600; step++) {
        for (Stage s : both) {
          if (step < 1_000) {
            // About 650 kbps of 800-byte packets, a keyframe every 2 s.
            s.sendFrame(1, 800, step % 200 == 0);
          } else if (step == 1_100) {
            s.sendFrame(40, 1_000, true);
          }
          s.link.step();
        }
        assertTicksWhenBusy(skipping);
        if (step == 1_100) {
          assertTrue(!skipping.control().pacer.isIdle(), "the keyframe burst waits in the pacer");
        }
        long ticksBefore = skipping.bob.participant.timerTicks;
        long stampedBefore = skipping.control().transportCcStamped;
        boolean queued = !skipping.control().pacer.isIdle();
        for (Stage s : both) {
          s.period();
        }
        if (queued) {
          assertEquals(ticksBefore + 1, skipping.bob.participant.timerTicks,
              "a queued packet is drained within one period");
          assertTrue(skipping.control().transportCcStamped > stampedBefore, "and sent");
        }
        assertTicksWhenBusy(skipping);
        assertEquals(reference.fingerprint(), skipping.fingerprint(), "at step " + step);
        if (step == 999) {
          probesBefore = skipping.control().probesStarted;
        }
      }
      long skippingTicks = skipping.bob.participant.timerTicks;
      long referenceTicks = reference.bob.participant.timerTicks;
      SendSideStats stats = skipping.bob.participant.stats().sendSide();
      assertTrue(stats.estimateBps() < 900_000, "the estimate stays near the link: " + stats);
      assertTrue(probesBefore >= 3, "periodic probes while the estimate is below the track: " + stats);
      assertTrue(skippingTicks * 2 < referenceTicks,
          "idle ticks skipped: " + skippingTicks + " of " + referenceTicks);
      System.out.printf("timer idle with feedback: %d ticks instead of %d over %d ms, %d probes%n",
          skippingTicks, referenceTicks, 1_600 * TICK_MS, stats.probesStarted());
    }
  }
}
