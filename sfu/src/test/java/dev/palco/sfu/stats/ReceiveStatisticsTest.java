package dev.palco.sfu.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReceiveStatisticsTest {

    private static final long SSRC = 0x1234_5678L;
    /** 8 kHz: one millisecond is 8 timestamp units, which keeps the hand computation readable. */
    private static final int CLOCK_HZ = 8000;

    private final ReportBlockFields block = new ReportBlockFields();

    private static void packet(ReceiveStatistics stats, int seq, long ts, long arrivalMs) {
        stats.onPacket(seq, ts, 100, arrivalMs * 1000, false);
    }

    /**
     * A hand-computed run through RFC 3550 A.1 (sequence), A.3 (loss) and A.8 (jitter, integer
     * variant: J16 += |D| - ((J16 + 8) >> 4), reported J = J16 >> 4). Arrival in timestamp units
     * is (arrival - first arrival) x 8; transit = arrival - ts.
     */
    @Test
    void lossAndJitterMatchAHandComputedScenario() {
        ReceiveStatistics stats = new ReceiveStatistics(SSRC, CLOCK_HZ);
        // seq    ts    arrival  arrival(ts)  transit  |D|   J16                      J
        packet(stats, 65_534, 1000, 0);  //  0      -1000     -    0                        0
        packet(stats, 65_535, 1160, 20); //  160    -1000     0    0                        0
        packet(stats, 1, 1480, 65);      //  520    -960      40   0+40-0 = 40              2
        assertEquals(2, stats.jitterTimestampUnits());
        packet(stats, 2, 1640, 80);      //  640    -1000     40   40+40-3 = 77             4
        assertEquals(4, stats.jitterTimestampUnits());
        packet(stats, 0, 1320, 90);      //  720    -600      400  77+400-5 = 472  (late)   29
        assertEquals(29, stats.jitterTimestampUnits());

        // A.1: base 65534, one wrap, max 2 -> extended 65538. A.3: expected 5, received 5.
        stats.fillReportBlock(block);
        assertEquals(SSRC, block.ssrc());
        assertEquals(65_538, block.extendedHighestSeq());
        assertEquals(0, block.cumulativeLost());
        assertEquals(0, block.fractionLost());
        assertEquals(29, block.jitter());

        // 3 and 4 are lost; 5 arrives.                          transit  |D|   J16
        packet(stats, 5, 2120, 140);     //  1120 -> -1000            400   472+400-30 = 842 -> J 52
        stats.fillReportBlock(block);
        // expected 8, received 6: cumulative 2; this interval expected 3, received 1, lost 2:
        // fraction = (2 << 8) / 3 = 170.
        assertEquals(65_541, block.extendedHighestSeq());
        assertEquals(2, block.cumulativeLost());
        assertEquals(170, block.fractionLost());
        assertEquals(52, block.jitter());

        // A duplicate of 5 (a retransmission that crossed the original) counts as received but
        // not in the jitter: cumulative lost drops to 1, nothing was expected in this interval.
        stats.onPacket(5, 2120, 100, 500_000, true);
        stats.fillReportBlock(block);
        assertEquals(1, block.cumulativeLost());
        assertEquals(0, block.fractionLost());
        assertEquals(52, block.jitter());
        assertEquals(7, stats.packets());
        assertEquals(700, stats.bytes());
        assertEquals(52 * 1000.0 / CLOCK_HZ, stats.jitterMs(), 0.2);
    }

    @Test
    void probationWithholdsTheFirstPackets() {
        ReceiveStatistics stats = new ReceiveStatistics(SSRC, CLOCK_HZ, 2); // RFC 3550's MIN_SEQUENTIAL
        assertFalse(stats.onPacket(100, 0, 10, 0, false));
        assertTrue(stats.onPacket(101, 0, 10, 0, false)); // second in sequence: valid, base 101
        stats.onPacket(103, 0, 10, 0, false);
        stats.fillReportBlock(block);
        assertEquals(3, stats.expected());
        assertEquals(1, block.cumulativeLost());
    }

    @Test
    void aProbationBrokenBySequenceRestarts() {
        ReceiveStatistics stats = new ReceiveStatistics(SSRC, CLOCK_HZ, 2);
        assertFalse(stats.onPacket(100, 0, 10, 0, false));
        assertFalse(stats.onPacket(500, 0, 10, 0, false)); // out of sequence: probation restarts
        assertTrue(stats.onPacket(501, 0, 10, 0, false));
        assertEquals(501, stats.extendedHighestSeq());
    }

    @Test
    void aLargeJumpIsTrustedOnlyWhenTheNextPacketFollowsIt() {
        ReceiveStatistics stats = new ReceiveStatistics(SSRC, CLOCK_HZ);
        stats.onPacket(1000, 0, 10, 0, false);
        stats.onPacket(1001, 0, 10, 0, false);
        assertFalse(stats.onPacket(20_000, 0, 10, 0, false)); // beyond MAX_DROPOUT: bad_seq = 20001
        assertEquals(1001, stats.extendedHighestSeq());
        assertTrue(stats.onPacket(20_001, 0, 10, 0, false));  // confirmed: the sender restarted
        assertEquals(20_001, stats.extendedHighestSeq());
        stats.fillReportBlock(block);
        assertEquals(0, block.cumulativeLost());
    }

    @Test
    void cumulativeLostIsClampedTo24SignedBits() {
        ReceiveStatistics lossy = new ReceiveStatistics(SSRC, CLOCK_HZ);
        int seq = 0;
        for (int i = 0; i < 3000; i++) { // each step jumps 2999: 2998 lost per packet
            lossy.onPacket(seq, 0, 10, 0, false);
            seq = (seq + 2999) & 0xFFFF;
        }
        assertTrue(lossy.cumulativeLost() > 0x7FFFFF);
        lossy.fillReportBlock(block);
        assertEquals(0x7FFFFF, block.cumulativeLost());
        // Almost everything expected was lost: (lost << 8) / expected rounds down to 255.
        assertEquals(255, block.fractionLost());

        ReceiveStatistics duplicated = new ReceiveStatistics(SSRC, CLOCK_HZ);
        for (int i = 0; i < 0x800001 + 1; i++) {
            duplicated.onPacket(7, 0, 10, 0, false);
        }
        duplicated.fillReportBlock(block);
        assertEquals(-0x800000, block.cumulativeLost());
    }

    @Test
    void jitterHandlesTimestampWrap() {
        ReceiveStatistics stats = new ReceiveStatistics(SSRC, 90_000);
        long ts = 0xFFFF_FFFFL - 2700 * 3;
        for (int i = 0; i < 50; i++) {
            // Perfectly paced 30 ms frames (2700 ticks): no jitter, even across the 32-bit wrap.
            stats.onPacket(i, (ts + 2700L * i) & 0xFFFF_FFFFL, 1000, i * 30_000L, false);
        }
        assertEquals(0, stats.jitterTimestampUnits());
    }
}
