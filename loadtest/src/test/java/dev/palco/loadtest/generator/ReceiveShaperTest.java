package dev.palco.loadtest.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The receive-side token bucket, on a simulated clock. */
class ReceiveShaperTest {
  private static final long MS = 1_000_000L;

  @Test
  void holdsTheRateOverTimeAfterTheInitialBurst() {
    ReceiveShaper shaper = new ReceiveShaper(800_000); // 100,000 bytes/s; 100 ms queue = 10,000 bytes
    long passed = 0;
    // 1000-byte packets at 200/s (1.6 Mbit/s, twice the limit) for 10 s.
    for (int i = 0; i < 2_000; i++) {
      if (shaper.admit(1_000, i * 5 * MS)) {
        passed += 1_000;
      }
    }
    // 10 s at the rate (less the last refill step) plus the full bucket at the start.
    assertTrue(passed >= 1_000_000 && passed <= 1_010_000, "passed " + passed);
    assertEquals(passed, shaper.passedBytes());
    assertEquals(2_000 - passed / 1_000, shaper.droppedPackets());
    assertEquals(shaper.droppedPackets() * 1_000, shaper.droppedBytes());
  }

  @Test
  void underTheLimitNothingIsDropped() {
    ReceiveShaper shaper = new ReceiveShaper(1_000_000);
    for (int i = 0; i < 1_000; i++) {
      assertTrue(shaper.admit(1_200, i * 20 * MS)); // 480 kbit/s
    }
    assertEquals(0, shaper.droppedPackets());
  }

  @Test
  void aBurstLargerThanTheQueueIsCutAndALongIdleGapOnlyRefillsTheQueue() {
    ReceiveShaper shaper = new ReceiveShaper(300_000); // queue: max(3,750, 5,000) = 5,000 bytes
    int passed = 0;
    for (int i = 0; i < 10; i++) {
      passed += shaper.admit(1_000, 0) ? 1 : 0;
    }
    assertEquals(5, passed);
    passed = 0;
    long later = 3_600_000 * MS; // an hour idle, no overflow
    for (int i = 0; i < 10; i++) {
      passed += shaper.admit(1_000, later) ? 1 : 0;
    }
    assertEquals(5, passed);
    // A clock that steps back refills nothing.
    assertTrue(!shaper.admit(1_000, later - 1_000 * MS));
  }

  @Test
  void aLimitMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new ReceiveShaper(0));
  }
}
