package dev.palco.rtp.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The hot paths the SFU runs per packet allocate nothing: compound iteration with dispatch to
 * every parser, and building NACK, RR, PLI, REMB and TWCC feedback into a reused buffer. Measured
 * with the per-thread allocation counter over many iterations.
 */
class RtcpAllocationTest {
  private static final int ITERATIONS = 20_000;
  private static final long TOLERANCE_BYTES = 512;

  private final byte[] compound = RtcpTestBytes.concat(
      RtcpFixtures.senderReport(), RtcpFixtures.sdes(), RtcpFixtures.nack(), RtcpFixtures.pli(),
      RtcpFixtures.fir(), RtcpFixtures.remb(), RtcpFixtures.bye(), RtcpFixtures.twccPionExample6());
  private final RtcpCompoundIterator iterator = new RtcpCompoundIterator();
  private final SdesParser sdes = new SdesParser();
  private final TransportCcParser twccParser = new TransportCcParser();
  private final TransportCcEncoder twccEncoder = new TransportCcEncoder(1200);
  private final byte[] out = new byte[1500];
  private final int[] lost = {65530, 65531, 65533, 2, 40, 41, 100};
  private final int[] ssrcs = {0x11223344};
  private final ReportBlock[] blocks = {new ReportBlock().set(1, 2, 3, 4, 5, 6, 7)};
  private long sinkTotal;
  private final NackSequenceConsumer sink = seq -> this.sinkTotal += seq;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Allocation counter of this thread, minus what reading the counter itself costs. */
  private static long allocatedBytes() {
    return THREADS.getCurrentThreadAllocatedBytes();
  }

  private static long measurementOverheadBytes() {
    allocatedBytes();
    long a = allocatedBytes();
    long b = allocatedBytes();
    return b - a;
  }

  private long receivePath() {
    long total = 0;
    assertOk(iterator.reset(compound, 0, compound.length));
    while (iterator.next()) {
      int off = iterator.offset();
      int len = iterator.length();
      switch (iterator.packetType()) {
        case RtcpHeader.PT_SR -> {
          assertOk(SenderReportParser.validate(compound, off, len));
          total += ReportBlock.cumulativeLost(compound, SenderReportParser.reportBlockOffset(off, 0));
        }
        case RtcpHeader.PT_SDES -> {
          assertOk(sdes.reset(compound, off, len));
          while (sdes.nextChunk()) {
            while (sdes.nextItem()) {
              total += sdes.itemLength();
            }
          }
        }
        case RtcpHeader.PT_BYE -> total += ByeParser.ssrcCount(compound, off);
        case RtcpHeader.PT_RTPFB -> {
          if (iterator.count() == RtcpFeedback.FMT_NACK) {
            assertOk(NackParser.validate(compound, off, len));
            total += NackParser.forEachLost(compound, off, len, sink);
          } else {
            assertOk(twccParser.reset(compound, off, len));
            while (twccParser.next()) {
              total += twccParser.arrivalTimeUs();
            }
          }
        }
        case RtcpHeader.PT_PSFB -> {
          if (iterator.count() == RtcpFeedback.FMT_AFB) {
            assertOk(RembParser.validate(compound, off, len));
            total += RembParser.bitrateBps(compound, off);
          } else if (iterator.count() == RtcpFeedback.FMT_FIR) {
            assertOk(FirParser.validate(compound, off, len));
            total += FirParser.entrySeqNr(compound, off, 0);
          } else {
            assertOk(PliParser.validate(compound, off, len));
          }
        }
        default -> total--;
      }
    }
    return total;
  }

  private long sendPath(int i) {
    int pos = ReceiverReportEncoder.write(out, 0, 1, blocks, 1);
    pos += NackEncoder.write(out, pos, 1, 2, lost, 0, lost.length);
    pos += PliEncoder.write(out, pos, 1, 2);
    pos += RembEncoder.write(out, pos, 1, 1_000_000L + i, ssrcs, 0, 1);
    twccEncoder.reset(1, 2, i);
    for (int k = 0; k < 50; k++) {
      twccEncoder.add(i + k * 2, 1_000_000L + k * 3_000L);
    }
    pos += twccEncoder.write(out, pos);
    return pos;
  }

  private static void assertOk(RtcpDropReason reason) {
    if (reason != RtcpDropReason.OK) {
      throw new AssertionError(reason);
    }
  }

  @Test
  void receivePathAllocatesNothing() {
    for (int i = 0; i < ITERATIONS; i++) {
      receivePath();
    }
    measurementOverheadBytes();
    long before = allocatedBytes();
    long total = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      total += receivePath();
    }
    long allocated = allocatedBytes() - before - measurementOverheadBytes();
    assertTrue(total != 0);
    assertTrue(allocated < TOLERANCE_BYTES, "allocated " + allocated + " bytes over " + ITERATIONS + " compounds");
  }

  @Test
  void sendPathAllocatesNothing() {
    for (int i = 0; i < ITERATIONS; i++) {
      sendPath(i);
    }
    measurementOverheadBytes();
    long before = allocatedBytes();
    long total = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      total += sendPath(i);
    }
    long allocated = allocatedBytes() - before - measurementOverheadBytes();
    assertEquals(ITERATIONS * sendPath(0), total);
    assertTrue(allocated < TOLERANCE_BYTES, "allocated " + allocated + " bytes over " + ITERATIONS + " builds");
  }
}
