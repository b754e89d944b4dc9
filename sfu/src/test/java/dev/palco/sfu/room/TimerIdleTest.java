package dev.palco.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.palco.rtp.rtcp.PliEncoder;
import org.junit.jupiter.api.Test;

/**
 * The SFU's periodic tick skips a subscriber with nothing due (no bandwidth feedback, no
 * publications) until its next allocation, and anything that may make work due sooner brings the
 * ticks back at once.
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
}
