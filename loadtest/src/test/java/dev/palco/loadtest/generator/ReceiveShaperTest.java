package dev.palco.loadtest.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The receive-side bottleneck, queue and policer, on a simulated clock. */
class ReceiveShaperTest {
  private static final long MS = 1_000_000L;

  @Test
  void holdsTheRateOverTimeWithAQueueOfAtMostOneHundredMilliseconds() {
    ReceiveShaper shaper = new ReceiveShaper(800_000); // 100,000 bytes/s: 10 ms per 1000-byte packet
    long passed = 0;
    long lastLeft = Long.MIN_VALUE;
    // 1000-byte packets at 200/s (1.6 Mbit/s, twice the limit) for 10 s.
    for (int i = 0; i < 2_000; i++) {
      long now = i * 5 * MS;
      long left = shaper.pass(1_000, now);
      if (left != ReceiveShaper.DROPPED) {
        passed += 1_000;
        assertTrue(left - now <= 110 * MS, "waited " + (left - now) / MS + " ms");
        assertTrue(lastLeft == Long.MIN_VALUE || left - lastLeft >= 10 * MS, "one packet every 10 ms at most");
        lastLeft = left;
      }
    }
    // 10 s at the rate, plus what the queue still holds at the end.
    assertTrue(passed >= 1_000_000 && passed <= 1_011_000, "passed " + passed);
    assertEquals(passed, shaper.passedBytes());
    assertEquals(2_000 - passed / 1_000, shaper.droppedPackets());
    assertEquals(shaper.droppedPackets() * 1_000, shaper.droppedBytes());
  }

  @Test
  void underTheLimitNothingWaitsOrIsDropped() {
    ReceiveShaper shaper = new ReceiveShaper(1_000_000); // 1200 bytes take 9.6 ms
    for (int i = 0; i < 1_000; i++) {
      long now = i * 20 * MS; // 480 kbit/s
      assertEquals(now + 9_600_000L, shaper.pass(1_200, now));
    }
    assertEquals(0, shaper.droppedPackets());
  }

  @Test
  void aBurstQueuesUpToOneHundredMillisecondsAndTheRestIsDropped() {
    ReceiveShaper shaper = new ReceiveShaper(300_000); // 1000 bytes take 26.67 ms
    int passed = 0;
    long previous = 0;
    for (int i = 0; i < 10; i++) {
      long left = shaper.pass(1_000, 0);
      if (left != ReceiveShaper.DROPPED) {
        passed++;
        assertTrue(left > previous, "each leaves after the one before it");
        previous = left;
      }
    }
    // Waits of 0, 26.7, 53.3, 80 ms; the fifth would wait 106.7 ms.
    assertEquals(4, passed);
    long later = 3_600_000 * MS; // an hour idle: the queue is empty again
    passed = 0;
    for (int i = 0; i < 10; i++) {
      passed += shaper.pass(1_000, later) != ReceiveShaper.DROPPED ? 1 : 0;
    }
    assertEquals(4, passed);
  }

  @Test
  void aPolicerPassesItsBurstAtOnceThenOnlyItsRateAndNeverDelays() {
    ReceiveShaper policer = new ReceiveShaper(800_000, ReceiveShaper.Kind.POLICER); // 10 ms per 1000 bytes
    assertEquals(ReceiveShaper.Kind.POLICER, policer.kind());
    // A full bucket (5000 bytes) passes five back-to-back 1000-byte packets, undelayed; not a sixth.
    for (int i = 0; i < 5; i++) {
      assertEquals(7 * MS, policer.pass(1_000, 7 * MS));
    }
    assertEquals(ReceiveShaper.DROPPED, policer.pass(1_000, 7 * MS));
    // 10 s at twice the rate: about half passes (the rate, plus the bucket's refill), each at once.
    long passed = 0;
    for (int i = 0; i < 2_000; i++) {
      long now = 100 * MS + i * 5 * MS;
      long left = policer.pass(1_000, now);
      if (left != ReceiveShaper.DROPPED) {
        assertEquals(now, left);
        passed += 1_000;
      }
    }
    assertTrue(passed >= 1_000_000 && passed <= 1_006_000, "passed " + passed);
    assertEquals(5_000 + passed, policer.passedBytes());
    assertEquals(1 + 2_000 - passed / 1_000, policer.droppedPackets());
    // An hour idle refills the bucket only to its size, without overflowing the arithmetic.
    long later = 3_600_000 * MS;
    int burst = 0;
    for (int i = 0; i < 10; i++) {
      burst += policer.pass(1_000, later) != ReceiveShaper.DROPPED ? 1 : 0;
    }
    assertEquals(5, burst);
  }

  @Test
  void aLimitMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new ReceiveShaper(0));
  }
}
