package dev.palco.loadtest.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.rtcp.ReportBlock;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The subscriber's per-stream accounting: gaps, duplicates, retransmissions, wrap-around, RR fields. */
class SequenceTrackerTest {
  @Test
  void inOrderPacketsAreAllExpectedAndReceived() {
    SequenceTracker t = new SequenceTracker();
    for (int seq = 1000; seq < 1100; seq++) {
      assertEquals(0, t.onPacket(seq));
    }
    assertEquals(100, t.expected());
    assertEquals(100, t.unique());
  }

  @Test
  void aGapIsReportedAndARetransmissionFillsIt() {
    SequenceTracker t = new SequenceTracker();
    t.onPacket(1);
    t.onPacket(2);
    assertEquals(2, t.onPacket(5)); // 3 and 4 skipped
    assertEquals(5, t.expected());
    assertEquals(3, t.unique());
    assertFalse(t.has(t.highest() - 1));
    t.onRetransmission(3); // RTX carries the original sequence number (RFC 4588 §4)
    t.onRetransmission(4);
    assertEquals(5, t.unique());
    assertTrue(t.has(t.highest() - 1));
  }

  @Test
  void duplicatesAndRepeatedRetransmissionsCountOnce() {
    SequenceTracker t = new SequenceTracker();
    for (int i = 0; i < 3; i++) {
      t.onPacket(10);
      t.onPacket(11);
      t.onRetransmission(10);
    }
    assertEquals(2, t.expected());
    assertEquals(2, t.unique());
  }

  @Test
  void sequenceNumbersWrapAround() {
    SequenceTracker t = new SequenceTracker();
    for (int i = 0; i < 12; i++) {
      t.onPacket((65_530 + i) & 0xFFFF); // 65530 .. 65535, 0 .. 5
    }
    assertEquals(12, t.expected());
    assertEquals(12, t.unique());
    assertEquals(0, t.onPacket(6));
    assertEquals(65_536 + 6, t.highest());
  }

  @Test
  void aGapAcrossTheWrapIsCountedOnce() {
    SequenceTracker t = new SequenceTracker();
    t.onPacket(65_534);
    assertEquals(3, t.onPacket(2)); // 65535, 0, 1 skipped
    assertEquals(5, t.expected());
    assertEquals(2, t.unique());
    t.onRetransmission(0);
    assertEquals(3, t.unique());
  }

  @Test
  void aPacketFromBeforeTheFirstIsNotCounted() {
    SequenceTracker t = new SequenceTracker();
    t.onPacket(100);
    t.onPacket(101);
    t.onPacket(99);
    assertEquals(2, t.expected());
    assertEquals(2, t.unique());
  }

  @Test
  void reorderedPacketsAreNotLost() {
    SequenceTracker t = new SequenceTracker();
    int[] order = {0, 2, 1, 3, 5, 4, 6};
    for (int seq : order) {
      t.onPacket(seq);
    }
    assertEquals(7, t.expected());
    assertEquals(7, t.unique());
  }

  @Test
  void theReportBlockCarriesTheIntervalsFractionLostAndTheCumulativeLoss() {
    SequenceTracker t = new SequenceTracker();
    for (int seq = 0; seq < 10; seq++) {
      if (seq != 3 && seq != 7) {
        t.onPacket(seq);
      }
    }
    ReportBlock block = new ReportBlock();
    t.fill(block, 0x1234);
    // RFC 3550 §A.3: fraction = lost_interval << 8 / expected_interval = 2 * 256 / 10.
    assertEquals(51, block.fractionLost());
    assertEquals(0x1234, block.ssrc());
    byte[] buf = new byte[ReportBlock.SIZE_BYTES];
    block.writeTo(buf, 0);
    assertEquals(2, ReportBlock.cumulativeLost(buf, 0));
    assertEquals(9, ReportBlock.extendedHighestSeq(buf, 0));
    // The next interval lost nothing.
    for (int seq = 10; seq < 20; seq++) {
      t.onPacket(seq);
    }
    t.fill(block, 0x1234);
    assertEquals(0, block.fractionLost());
  }

  @Test
  void randomLossAndRepairNeverCountsMoreThanExpected() {
    SplittableRandom random = new SplittableRandom(20261124);
    for (int run = 0; run < 200; run++) {
      SequenceTracker t = new SequenceTracker();
      int start = random.nextInt(65_536);
      int lost = 0;
      int n = 500 + random.nextInt(1500);
      for (int i = 0; i < n; i++) {
        int seq = (start + i) & 0xFFFF;
        if (i > 0 && i < n - 1 && random.nextInt(20) == 0) {
          lost++;
          if (random.nextBoolean()) {
            t.onPacket((start + i + 1) & 0xFFFF);
            t.onRetransmission(seq);
            lost--;
            i++;
          }
          continue;
        }
        t.onPacket(seq);
        if (random.nextInt(50) == 0) {
          t.onPacket(seq); // duplicate
        }
      }
      assertEquals(n, t.expected(), "run " + run);
      assertEquals(n - lost, t.unique(), "run " + run);
    }
  }
}
