package dev.palco.sfu.pacing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.sfu.util.ManualClock;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class PacerTest {
  private static final int MTU = 1200;

  private final ManualClock clock = new ManualClock(1_000);
  private final long[] sentAtUs = new long[4096];
  private final PacketPriority[] sentPriority = new PacketPriority[4096];

  /**
   * Drives the pacer as a scheduler would: polls until NOTHING, then jumps the clock to the next
   * poll time (never further than {@code untilUs}). Records send times by handle.
   */
  private int drive(Pacer pacer, long untilUs) {
    int sent = 0;
    while (clock.nowMicros() <= untilUs) {
      long now = clock.nowMicros();
      int h;
      while ((h = pacer.poll(now)) != Pacer.NOTHING) {
        if (h >= 0 && !pacer.lastPollDropped()) {
          sentAtUs[h] = now;
          sentPriority[h] = pacer.lastPriority();
          sent++;
        }
      }
      long next = pacer.nextPollTimeUs(now);
      if (next == Long.MAX_VALUE || next > untilUs) {
        break;
      }
      clock.advanceMicros(Math.max(1, next - now));
    }
    return sent;
  }

  @Test
  void aKeyframeBurstIsSpreadAtThePacingRate() {
    Pacer pacer = new Pacer(PacerConfig.DEFAULT);
    pacer.setEstimateBps(1_000_000); // pacing at 2.5 Mbps
    long t0 = clock.nowMicros();
    for (int i = 0; i < 100; i++) { // a 120 kB keyframe
      assertTrue(pacer.enqueue(PacketPriority.VIDEO, i, MTU, t0));
    }
    assertEquals(100, drive(pacer, t0 + 1_000_000));
    long spanUs = sentAtUs[99] - sentAtUs[0];
    // 100 × 9600 bits at 2.5 Mbps = 384 ms (minus the initial 5 ms window).
    assertTrue(spanUs >= 370_000 && spanUs <= 390_000, "keyframe spread over " + spanUs + " µs");
    // Never more than the burst window's worth (plus the packet that takes it into debt) in 5 ms.
    int maxIn5ms = 0;
    for (int i = 0; i < 100; i++) {
      int n = 0;
      for (int j = i; j < 100 && sentAtUs[j] - sentAtUs[i] < 5_000; j++) {
        n++;
      }
      maxIn5ms = Math.max(maxIn5ms, n);
    }
    assertTrue(maxIn5ms <= 3, maxIn5ms + " packets within 5 ms");
    assertEquals(0, pacer.queuedBytes());
  }

  @Test
  void audioIsNeverDelayedBehindVideo() {
    Pacer pacer = new Pacer(PacerConfig.DEFAULT);
    pacer.setEstimateBps(500_000);
    long t0 = clock.nowMicros();
    for (int i = 0; i < 200; i++) {
      pacer.enqueue(PacketPriority.VIDEO, i, MTU, t0);
    }
    // Audio every 20 ms while the video backlog drains; each is polled at its enqueue time.
    long maxAudioDelayUs = 0;
    for (int k = 0; k < 20; k++) {
      long at = t0 + 20_000L * (k + 1);
      drive(pacer, at - 1);
      clock.advanceMicros(at - clock.nowMicros());
      pacer.enqueue(PacketPriority.AUDIO, 1000 + k, 100, at);
      drive(pacer, at);
      maxAudioDelayUs = Math.max(maxAudioDelayUs, sentAtUs[1000 + k] - at);
      assertEquals(PacketPriority.AUDIO, sentPriority[1000 + k]);
    }
    assertEquals(0, maxAudioDelayUs);
    assertTrue(pacer.queuedPackets(PacketPriority.VIDEO) > 0, "video was still queued");
  }

  @Test
  void retransmissionsLeaveBeforeQueuedVideo() {
    Pacer pacer = new Pacer(PacerConfig.DEFAULT);
    pacer.setEstimateBps(1_000_000);
    long t0 = clock.nowMicros();
    for (int i = 0; i < 10; i++) {
      pacer.enqueue(PacketPriority.VIDEO, i, MTU, t0);
    }
    pacer.enqueue(PacketPriority.RETRANSMISSION, 50, MTU, t0);
    pacer.enqueue(PacketPriority.RETRANSMISSION, 51, MTU, t0);
    drive(pacer, t0 + 100_000);
    assertTrue(sentAtUs[51] <= sentAtUs[0], "both retransmissions before the first video packet");
    assertEquals(PacketPriority.RETRANSMISSION, sentPriority[50]);
  }

  @Test
  void theQueueBoundIsRespected() {
    PacerConfig config = new PacerConfig(2.5, 5_000, 64, 200_000, 1200);
    Pacer pacer = new Pacer(config);
    pacer.setEstimateBps(100_000); // 250 kbps pacing: 8 packets per 300 ms
    long t0 = clock.nowMicros();
    int accepted = 0;
    for (int i = 0; i < 100; i++) {
      if (pacer.enqueue(PacketPriority.VIDEO, i, MTU, t0)) {
        accepted++;
      }
    }
    assertEquals(64, accepted);
    assertEquals(36, pacer.refusedPackets());
    int expired = 0;
    int sent = 0;
    long maxWaitUs = 0;
    while (clock.nowMicros() < t0 + 1_000_000) {
      long now = clock.nowMicros();
      int h;
      while ((h = pacer.poll(now)) != Pacer.NOTHING) {
        if (pacer.lastPollDropped()) {
          expired++;
        } else {
          sent++;
          maxWaitUs = Math.max(maxWaitUs, now - t0);
        }
        assertTrue(h >= 0 && h < 64);
      }
      assertTrue(pacer.oldestQueueTimeUs(now) <= 200_000, "nothing waits past the bound");
      long next = pacer.nextPollTimeUs(now);
      if (next == Long.MAX_VALUE) {
        break;
      }
      clock.advanceMicros(Math.max(1, next - now));
    }
    assertEquals(64, sent + expired, "every accepted handle came back exactly once");
    assertTrue(expired > 0);
    assertTrue(maxWaitUs <= 200_000, "sent after " + maxWaitUs);
    assertEquals(expired, pacer.expiredPackets());
  }

  @Test
  void aProbeIsPaddedUpToItsSizeAndTaggedWithItsCluster() {
    Pacer pacer = new Pacer(PacerConfig.DEFAULT);
    pacer.setEstimateBps(300_000);
    long t0 = clock.nowMicros();
    pacer.enqueue(PacketPriority.VIDEO, 1, MTU, t0);
    pacer.startProbe(9, 2_000_000, 3_750, 5); // 15 ms at 2 Mbps
    int media = 0;
    int paddingPackets = 0;
    long paddingBytes = 0;
    long lastUs = t0;
    while (pacer.isProbing()) {
      long now = clock.nowMicros();
      int h;
      while ((h = pacer.poll(now)) != Pacer.NOTHING) {
        assertEquals(9, pacer.lastProbeClusterId());
        if (h == Pacer.PADDING) {
          paddingPackets++;
          paddingBytes += pacer.paddingSizeBytes();
        } else {
          media++;
        }
        lastUs = now;
        if (!pacer.isProbing()) {
          break;
        }
      }
      if (pacer.isProbing()) {
        clock.advanceMicros(Math.max(1, pacer.nextPollTimeUs(now) - now));
      }
    }
    assertEquals(1, media, "media goes first in the probe");
    assertTrue(media + paddingPackets >= 5);
    assertTrue(MTU + paddingBytes >= 3_750);
    assertTrue(lastUs - t0 <= 20_000, "probe sent at its rate, took " + (lastUs - t0) + " µs");
    assertEquals(Pacer.NOTHING, pacer.poll(clock.nowMicros()), "no padding after the probe");
    assertEquals(Pacer.NO_PROBE, pacer.lastProbeClusterId());
  }

  @Test
  void paddingRateFillsIdleTime() {
    Pacer pacer = new Pacer(PacerConfig.DEFAULT);
    pacer.setEstimateBps(1_000_000);
    pacer.setPaddingRateBps(200_000);
    long t0 = clock.nowMicros();
    long bytes = 0;
    while (clock.nowMicros() < t0 + 1_000_000) {
      long now = clock.nowMicros();
      while (pacer.poll(now) == Pacer.PADDING) {
        bytes += pacer.paddingSizeBytes();
      }
      clock.advanceMicros(Math.max(1, pacer.nextPollTimeUs(now) - now));
    }
    assertEquals(25_000, bytes, 1_300); // 200 kbps for 1 s
    assertFalse(pacer.isProbing());
  }

  @Test
  void steadyPacingAllocatesNothing() {
    Pacer pacer = new Pacer(PacerConfig.DEFAULT);
    pacer.setEstimateBps(2_000_000);
    long[] now = {clock.nowMicros()};
    long[] sink = {0};
    Runnable round = () -> {
      for (int i = 0; i < 100_000; i++) {
        now[0] += 1_000;
        pacer.enqueue(i % 10 == 0 ? PacketPriority.AUDIO : PacketPriority.VIDEO, i, MTU, now[0]);
        if (i % 50 == 0) {
          pacer.enqueue(PacketPriority.RETRANSMISSION, i, MTU, now[0]);
        }
        if (i % 5_000 == 0) {
          pacer.startProbe(i, 5_000_000, 9_000, 5);
        }
        int h;
        while ((h = pacer.poll(now[0])) != Pacer.NOTHING) {
          sink[0] += h;
        }
        sink[0] += pacer.nextPollTimeUs(now[0]);
      }
    };
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    round.run();
    round.run();
    long before = threads.getCurrentThreadAllocatedBytes();
    round.run();
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 4096, allocated + " bytes for 100,000 packets");
    assertTrue(sink[0] != 0);
  }

  /**
   * An idle pacer (nothing queued, no probe) has nothing for a timer to do: its budget refills the
   * same whether it is polled every tick or once later, provided the time before a rate change is
   * credited at the old rate ({@link Pacer#advanceTo}).
   */
  @Test
  void anIdlePacerCanSkipPollsIfTheTimeBeforeARateChangeIsCreditedFirst() {
    Pacer stepped = new Pacer(PacerConfig.DEFAULT);
    Pacer skipped = new Pacer(PacerConfig.DEFAULT);
    Pacer late = new Pacer(PacerConfig.DEFAULT);
    for (Pacer p : new Pacer[] {stepped, skipped, late}) {
      p.setEstimateBps(400_000); // paced at 1 Mbps: 625 bytes of budget to start
      assertTrue(p.isIdle());
      assertTrue(p.enqueue(PacketPriority.VIDEO, 7, MTU, 0));
      assertFalse(p.isIdle());
      assertEquals(7, p.poll(0)); // leaves at once; the budget is 575 bytes in debt
      assertEquals(Pacer.NOTHING, p.poll(0));
      assertTrue(p.isIdle());
    }
    for (long t = 1_000; t <= 3_000; t += 1_000) {
      assertEquals(Pacer.NOTHING, stepped.poll(t));
    }
    skipped.advanceTo(3_000);
    for (Pacer p : new Pacer[] {stepped, skipped, late}) {
      p.setEstimateBps(4_000_000); // 10 Mbps from 3 ms on
      assertTrue(p.enqueue(PacketPriority.VIDEO, 8, MTU, 3_100));
    }
    // 200 bytes of debt at 3 ms, 125 paid by 3.1 ms: 61 µs to go at 10 Mbps.
    assertEquals(3_161, stepped.nextPollTimeUs(3_100));
    assertEquals(3_161, skipped.nextPollTimeUs(3_100));
    assertEquals(3_100, late.nextPollTimeUs(3_100), "credited at the new rate since the last poll");

    Pacer probing = new Pacer(PacerConfig.DEFAULT);
    probing.startProbe(1, 2_000_000, 10_000, 5);
    assertFalse(probing.isIdle(), "a probe cluster to send");
  }
}
