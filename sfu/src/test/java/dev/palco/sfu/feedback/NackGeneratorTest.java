package dev.palco.sfu.feedback;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class NackGeneratorTest {

    private final int[] buf = new int[64];

    private int[] due(NackGenerator nacks, long nowMs) {
        int n = nacks.collectDue(nowMs, buf);
        return Arrays.copyOf(buf, n);
    }

    /** reorder 10 ms, retry at least 20 ms apart, 3 requests, 1 s age, 100 entries, reset beyond 3000. */
    private static NackGenerator small() {
        return new NackGenerator(10, 20, 3, 1000, 100, 3000);
    }

    @Test
    void firstRequestWaitsForTheReorderDelay() {
        NackGenerator nacks = small();
        nacks.onPacket(1, 0);
        nacks.onPacket(2, 0);
        nacks.onPacket(5, 0); // 3 and 4 missing
        assertEquals(2, nacks.missingCount());
        assertArrayEquals(new int[0], due(nacks, 9));
        assertArrayEquals(new int[] {3, 4}, due(nacks, 10));
        assertArrayEquals(new int[0], due(nacks, 11));
    }

    @Test
    void aReorderedPacketArrivingInTimeIsNeverRequested() {
        NackGenerator nacks = small();
        nacks.onPacket(1, 0);
        nacks.onPacket(3, 0);
        assertTrue(nacks.onPacket(2, 4));
        assertArrayEquals(new int[0], due(nacks, 50));
        assertEquals(0, nacks.nacksRequested());
        assertEquals(1, nacks.recovered());
    }

    @Test
    void retriesAreSpacedByRttOrTheMinimum() {
        NackGenerator nacks = new NackGenerator(10, 20, 10, 1000, 100, 3000);
        nacks.onPacket(1, 0);
        nacks.onPacket(3, 0);
        nacks.setRttMs(50);
        assertArrayEquals(new int[] {2}, due(nacks, 10));
        assertArrayEquals(new int[0], due(nacks, 59));   // one RTT has not passed
        assertArrayEquals(new int[] {2}, due(nacks, 60));
        nacks.setRttMs(5);                                // tiny RTT: the 20 ms minimum applies
        assertArrayEquals(new int[0], due(nacks, 79));
        assertArrayEquals(new int[] {2}, due(nacks, 80));
        assertEquals(3, nacks.nacksRequested());
    }

    @Test
    void givesUpAfterTheRequestLimit() {
        NackGenerator nacks = small(); // 3 requests
        nacks.setRttMs(50);
        nacks.onPacket(10, 0);
        nacks.onPacket(12, 0);
        assertArrayEquals(new int[] {11}, due(nacks, 10));
        assertArrayEquals(new int[] {11}, due(nacks, 60));
        assertArrayEquals(new int[] {11}, due(nacks, 110));
        // The third request had its RTT to be answered; no fourth.
        assertArrayEquals(new int[0], due(nacks, 160));
        assertEquals(0, nacks.missingCount());
        assertEquals(1, nacks.givenUp());
        assertEquals(3, nacks.nacksRequested());
        // A very late arrival is no longer a recovery.
        assertFalse(nacks.onPacket(11, 170));
        assertEquals(0, nacks.recovered());
    }

    @Test
    void givesUpPacketsOlderThanTheMaximumAge() {
        NackGenerator nacks = new NackGenerator(10, 20, 100, 300, 100, 3000);
        nacks.setRttMs(100);
        nacks.onPacket(1, 0);
        nacks.onPacket(3, 0);
        assertArrayEquals(new int[] {2}, due(nacks, 10));
        assertArrayEquals(new int[] {2}, due(nacks, 110));
        assertArrayEquals(new int[] {2}, due(nacks, 210));
        assertArrayEquals(new int[0], due(nacks, 301));
        assertEquals(1, nacks.givenUp());
    }

    @Test
    void recoveredPacketsAreRemoved() {
        NackGenerator nacks = small();
        nacks.onPacket(100, 0);
        nacks.onPacket(104, 0);
        assertArrayEquals(new int[] {101, 102, 103}, due(nacks, 10));
        assertTrue(nacks.onPacket(102, 40));  // retransmission
        assertFalse(nacks.onPacket(102, 41)); // and its duplicate
        assertFalse(nacks.isMissing(102));
        assertArrayEquals(new int[] {101, 103}, due(nacks, 200));
        assertEquals(1, nacks.recovered());
    }

    @Test
    void gapsAcrossTheWrapAreTracked() {
        NackGenerator nacks = small();
        nacks.onPacket(65_533, 0);
        nacks.onPacket(1, 0); // 65534, 65535, 0 missing
        assertArrayEquals(new int[] {65_534, 65_535, 0}, due(nacks, 10));
        assertTrue(nacks.onPacket(0, 20));
        assertEquals(65_536 + 1, nacks.highestExtSeq());
    }

    @Test
    void aHugeJumpClearsTheListInsteadOfRequestingThousands() {
        NackGenerator nacks = small();
        nacks.onPacket(1000, 0);
        nacks.onPacket(1003, 0);
        assertEquals(2, nacks.missingCount());
        nacks.onPacket(31_003, 5); // a jump of 30,000: new sender or sequence reset
        assertEquals(0, nacks.missingCount());
        assertEquals(1, nacks.resets());
        assertArrayEquals(new int[0], due(nacks, 100));
        // Tracking continues from the new number.
        nacks.onPacket(31_005, 100);
        assertArrayEquals(new int[] {31_004}, due(nacks, 110));
    }

    @Test
    void aBackwardJumpBeyondTheThresholdAlsoResets() {
        NackGenerator nacks = small();
        nacks.onPacket(40_000, 0);
        nacks.onPacket(20_000, 1);
        nacks.onPacket(20_002, 1);
        assertEquals(1, nacks.resets());
        assertArrayEquals(new int[] {20_001}, due(nacks, 20));
    }

    @Test
    void theListIsBounded() {
        NackGenerator nacks = small(); // 100 entries
        nacks.onPacket(0, 0);
        nacks.onPacket(1501, 0); // 1500 missing, below the reset threshold
        assertEquals(100, nacks.missingCount());
        assertEquals(1400, nacks.givenUp());
        assertFalse(nacks.isMissing(1400));
        assertTrue(nacks.isMissing(1401));
        // Appending to a full list pushes the oldest out.
        nacks.onPacket(1503, 0);
        assertEquals(100, nacks.missingCount());
        assertFalse(nacks.isMissing(1401));
        assertTrue(nacks.isMissing(1502));
    }

    @Test
    void aFullOutputArrayLeavesTheRestDueForTheNextCall() {
        NackGenerator nacks = small();
        nacks.onPacket(0, 0);
        nacks.onPacket(6, 0);
        int[] two = new int[2];
        assertEquals(2, nacks.collectDue(10, two));
        assertArrayEquals(new int[] {1, 2}, two);
        assertEquals(2, nacks.collectDue(10, two));
        assertArrayEquals(new int[] {3, 4}, two);
        assertEquals(1, nacks.collectDue(10, two));
        assertEquals(5, two[0]);
    }

    @Test
    void consumerVariantHandsOverTheSameNumbers() {
        NackGenerator nacks = small();
        nacks.onPacket(7, 0);
        nacks.onPacket(10, 0);
        StringBuilder seen = new StringBuilder();
        assertEquals(2, nacks.collectDue(10, seq -> seen.append(seq).append(' ')));
        assertEquals("8 9 ", seen.toString());
    }
}
