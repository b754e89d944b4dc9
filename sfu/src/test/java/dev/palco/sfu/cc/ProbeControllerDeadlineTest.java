package dev.palco.sfu.cc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ProbeController#nextProcessUs}: the time before which {@link ProbeController#process} has
 * nothing to do, so a subscriber's timer may skip it. Each rule's deadline with explicit numbers,
 * then a seeded comparison of a controller called on every 10 ms tick with one called only when
 * its deadline says so.
 */
class ProbeControllerDeadlineTest {
  private static final long TICK_US = 10_000;

  @Test
  void aPendingOrInitialProbeIsDueNow() {
    ProbeController controller = new ProbeController(10_000_000);
    assertEquals(0, controller.nextProcessUs(300_000, 0), "the initial probe");
    assertTrue(controller.process(300_000, 0));
    assertEquals(5_000, controller.nextProcessUs(300_000, 5_000), "waits for the pacer");
  }

  @Test
  void aProbeInFlightTimesOutStrictlyAfterOneSecond() {
    ProbeController controller = new ProbeController(10_000_000);
    controller.process(300_000, 0);
    controller.onProbeStarted(20_000);
    long due = controller.nextProcessUs(300_000, 30_000);
    assertEquals(20_000 + ProbeController.RESULT_TIMEOUT_US + 1, due);
    assertFalse(controller.process(300_000, due - 1));
    assertEquals(due, controller.nextProcessUs(300_000, due - 1), "nothing moved");
    // At the deadline the probe counts as failed and the next one waits for the doubled interval.
    assertFalse(controller.process(300_000, due));
    assertEquals(0 + 2 * ProbeController.MIN_INTERVAL_US, controller.nextProcessUs(300_000, due),
        "the periodic probe: the initial probe's time plus the doubled interval");
  }

  @Test
  void theNextPeriodicProbeIsDueAnIntervalAfterTheLastResult() {
    ProbeController controller = new ProbeController(10_000_000);
    controller.setDesiredBps(2_000_000);
    controller.process(300_000, 0);
    int id = controller.pendingClusterId();
    controller.onProbeStarted(0);
    // Found nothing more than the estimate: the interval doubles to 2 s from the result.
    controller.onProbeResult(id, 300_000, 100_000);
    long due = controller.nextProcessUs(300_000, 100_000);
    assertEquals(100_000 + 2 * ProbeController.MIN_INTERVAL_US, due);
    assertFalse(controller.process(300_000, due - 1));
    assertTrue(controller.process(300_000, due), "the periodic probe at its deadline");
  }

  @Test
  void aProbeCappedAtTheDesiredRateLeavesOnlyTheVerificationDeadline() {
    ProbeController controller = new ProbeController(10_000_000);
    controller.setDesiredBps(600_000);
    controller.process(300_000, 0);
    int id = controller.pendingClusterId();
    controller.onProbeStarted(0);
    controller.onProbeResult(id, 600_000, 100_000);
    controller.onResultApplied(600_000, 100_000);
    controller.process(600_000, 100_000);
    // At the desired rate: no probing; the raise is verified 5 s after it was applied.
    long due = controller.nextProcessUs(600_000, 100_000);
    assertEquals(100_000 + ProbeController.VERIFY_US, due);
    controller.process(600_000, due);
    assertEquals(Long.MAX_VALUE, controller.nextProcessUs(600_000, due), "nothing left on time");
  }

  @Test
  void aDropWaitsForTheDrainTimeThenTheBackOffEndsAtItsDeadline() {
    ProbeController controller = new ProbeController(10_000_000);
    controller.setDesiredBps(5_000_000);
    controller.process(300_000, 0);
    int id = controller.pendingClusterId();
    controller.onProbeStarted(0);
    controller.onProbeResult(id, 300_000, 100_000);
    assertFalse(controller.process(2_000_000, 200_000), "a new peak; the next periodic probe is 2 s away");
    // The estimate falls below 2/3 of its peak: the recovery probe waits for the drain time.
    controller.process(1_000_000, 400_000);
    long due = controller.nextProcessUs(1_000_000, 400_000);
    assertEquals(400_000 + ProbeController.DRAIN_TIME_US, due);
    assertFalse(controller.process(1_000_000, due - 1));
    assertTrue(controller.process(1_000_000, due), "recovery probe at 85% of the peak");

    // A raise taken back: probing waits for the back-off, and its end is the deadline.
    ProbeController backedOff = new ProbeController(10_000_000);
    backedOff.setDesiredBps(2_000_000);
    backedOff.process(300_000, 0);
    int first = backedOff.pendingClusterId();
    backedOff.onProbeStarted(0);
    backedOff.onProbeResult(first, 900_000, 100_000);
    backedOff.onResultApplied(900_000, 100_000);
    backedOff.process(300_000, 1_000_000);
    assertEquals(1, backedOff.falseRaises());
    assertEquals(1_000_000 + ProbeController.FALSE_RAISE_BACKOFF_US,
        backedOff.nextProcessUs(300_000, 1_000_000));
  }

  @Test
  void theEndOfThePeakWindowIsADeadlineOnlyWhileTheEstimateIsBelowThePeak() {
    ProbeController controller = new ProbeController(10_000_000);
    controller.setDesiredBps(0);
    controller.process(1_000_000, 0);
    assertEquals(Long.MAX_VALUE, controller.nextProcessUs(1_000_000, 0), "at the peak");
    // A small decrease (above 2/3 of the peak): the peak is forgotten 5 s after it last held.
    controller.process(900_000, 3_000_000);
    assertEquals(3_000_000 + ProbeController.PEAK_WINDOW_US + 1,
        controller.nextProcessUs(900_000, 3_000_000), "the peak held until the decrease");
  }

  /**
   * A controller called on every tick and one called only at its deadline (and whenever the
   * estimate, a result or the desired rate changes, as the estimator and the allocation do) make
   * the same decisions at the same ticks, over seeded random traces of estimates, results and
   * desired rates.
   */
  @Test
  void skippingTicksBeforeTheDeadlineChangesNoDecision() {
    SplittableRandom random = new SplittableRandom(20_261_124);
    long skippedInAll = 0;
    for (int trace = 0; trace < 40; trace++) {
      ProbeController everyTick = new ProbeController(10_000_000);
      ProbeController atDeadline = new ProbeController(10_000_000);
      long estimate = 300_000;
      long dueUs = Long.MIN_VALUE;
      int inFlightId = -1;
      long resultAtUs = Long.MAX_VALUE;
      long quietUntilUs = 0;
      for (long now = 0; now < 60_000_000; now += TICK_US) {
        // Feedback every 50 ms, between ticks: the estimate moves (a drop now and then), results
        // land. Now and then the subscriber goes quiet for up to 8 s (nothing to acknowledge).
        if (now % 50_000 == 0 && now >= quietUntilUs) {
          if (random.nextInt(100) == 0) {
            quietUntilUs = now + random.nextLong(1_000_000, 8_000_000);
          }
          long at = now + 3_000;
          if (inFlightId >= 0 && at >= resultAtUs) {
            long result = random.nextLong(100_000, 4_000_000);
            boolean a = everyTick.onProbeResult(inFlightId, result, at);
            boolean b = atDeadline.onProbeResult(inFlightId, result, at);
            assertEquals(a, b);
            if (a && result > estimate && random.nextInt(2) == 0) {
              estimate = result;
              everyTick.onResultApplied(result, at);
              atDeadline.onResultApplied(result, at);
            }
            inFlightId = -1;
          }
          int move = random.nextInt(20);
          if (move == 0) {
            estimate = Math.max(50_000, estimate / 2);
          } else if (move < 8) {
            estimate = Math.max(50_000, estimate + random.nextLong(-60_000, 80_000));
          }
          assertEquals(everyTick.process(estimate, at), atDeadline.process(estimate, at), "at " + at);
          dueUs = atDeadline.nextProcessUs(estimate, at);
          assertEquals(everyTick.nextProcessUs(estimate, at), dueUs, "same state at " + at);
        }
        // The tick.
        boolean a = everyTick.process(estimate, now);
        boolean b = false;
        if (now >= dueUs) {
          b = atDeadline.process(estimate, now);
        } else {
          skippedInAll++;
        }
        assertEquals(a, b, "trace " + trace + " at " + now);
        assertEquals(everyTick.hasPendingProbe(), atDeadline.hasPendingProbe(), "at " + now);
        if (everyTick.hasPendingProbe()) {
          assertEquals(everyTick.pendingClusterId(), atDeadline.pendingClusterId());
          assertEquals(everyTick.pendingTargetBps(), atDeadline.pendingTargetBps());
          inFlightId = everyTick.pendingClusterId();
          // Some results never come (the timeout), most come after 60 to 400 ms.
          resultAtUs = random.nextInt(5) == 0 ? Long.MAX_VALUE : now + random.nextLong(60_000, 400_000);
          everyTick.onProbeStarted(now);
          atDeadline.onProbeStarted(now);
        }
        // The allocation every 100 ms sets the desired rate.
        if (now % 100_000 == 0) {
          long desired = random.nextInt(10) == 0 ? random.nextLong(0, 5_000_000) : 2_000_000;
          everyTick.setDesiredBps(desired);
          atDeadline.setDesiredBps(desired);
        }
        dueUs = atDeadline.nextProcessUs(estimate, now);
        assertEquals(everyTick.nextProcessUs(estimate, now), dueUs, "same state at " + now);
      }
      assertEquals(everyTick.probesStarted(), atDeadline.probesStarted());
      assertEquals(everyTick.probesSucceeded(), atDeadline.probesSucceeded());
      assertEquals(everyTick.falseRaises(), atDeadline.falseRaises());
    }
    assertTrue(skippedInAll > 40 * 6_000 / 2, "most ticks were skipped: " + skippedInAll);
  }
}
