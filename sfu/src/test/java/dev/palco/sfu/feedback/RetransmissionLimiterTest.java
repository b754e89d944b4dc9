package dev.palco.sfu.feedback;

import static dev.palco.sfu.feedback.RetransmissionLimiter.Verdict.RATE_LIMITED;
import static dev.palco.sfu.feedback.RetransmissionLimiter.Verdict.SEND;
import static dev.palco.sfu.feedback.RetransmissionLimiter.Verdict.SUPPRESSED_RECENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.sfu.stats.RttEstimator;
import dev.palco.sfu.util.ManualClock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The two guards on NACK answers: once per packet per RTT, and a share of the estimate per second. */
class RetransmissionLimiterTest {
    private static final int PACKET_BYTES = 1_000;
    /** Plenty of budget: the rate guard stays out of the way of the per-packet tests. */
    private static final long AMPLE_BPS = 100_000_000;

    private final ManualClock clock = new ManualClock(50_000);
    private final RetransmissionLimiter limiter = new RetransmissionLimiter();
    private final RecentRetransmissions recent = new RecentRetransmissions(1024);
    private int nextSeq = 1;

    private void sent(int seq) {
        limiter.onRetransmitted(recent, seq, PACKET_BYTES, clock.nowMillis());
    }

    /** Retransmits distinct packets of {@link #PACKET_BYTES} while admitted; returns how many. */
    private int sendUntilLimited(long estimateBps) {
        int n = 0;
        while (true) {
            int seq = nextSeq++ & 0xFFFF;
            RetransmissionLimiter.Verdict v = limiter.check(recent, seq, 30, estimateBps, clock.nowMillis());
            if (v == RATE_LIMITED) {
                return n;
            }
            assertEquals(SEND, v);
            sent(seq);
            n++;
        }
    }

    /** Packets of {@link #PACKET_BYTES} the budget admits from an empty window: the last one crosses it. */
    private int admittedFromEmpty(long estimateBps) {
        return (int) ((limiter.budgetBytes(estimateBps) + PACKET_BYTES - 1) / PACKET_BYTES);
    }

    @Test
    void aPacketIsNotRetransmittedAgainWithinOneRtt() {
        long rttMs = 50;
        assertEquals(SEND, limiter.check(recent, 700, rttMs, AMPLE_BPS, clock.nowMillis()));
        sent(700);
        for (int i = 0; i < 10; i++) {
            assertEquals(SUPPRESSED_RECENT, limiter.check(recent, 700, rttMs, AMPLE_BPS, clock.nowMillis()));
            clock.advanceMillis(4);
        }
        // 40 ms after the copy; 49 ms is still within the RTT, 50 ms is not.
        clock.advanceMillis(9);
        assertEquals(SUPPRESSED_RECENT, limiter.check(recent, 700, rttMs, AMPLE_BPS, clock.nowMillis()));
        // Other packets are not held back by it.
        assertEquals(SEND, limiter.check(recent, 701, rttMs, AMPLE_BPS, clock.nowMillis()));
        clock.advanceMillis(1);
        assertEquals(SEND, limiter.check(recent, 700, rttMs, AMPLE_BPS, clock.nowMillis()));
        // A second copy starts a new interval.
        sent(700);
        clock.advanceMillis(49);
        assertEquals(SUPPRESSED_RECENT, limiter.check(recent, 700, rttMs, AMPLE_BPS, clock.nowMillis()));
    }

    @ParameterizedTest(name = "rtt {0} ms: held back {1} ms")
    @CsvSource({
        // measured RTT, interval between two copies of one packet
        "-1, 100",   // RttEstimator.NO_RTT: the default until reports measure it
        "0, 20",     // loopback: the floor
        "1, 20",
        "19, 20",
        "20, 20",
        "21, 21",
        "250, 250",
    })
    void theIntervalIsTheRttWithAFloorAndADefault(long rttMs, long intervalMs) {
        assertEquals(intervalMs, RetransmissionLimiter.minIntervalMs(rttMs));
        sent(42);
        clock.advanceMillis(intervalMs - 1);
        assertEquals(SUPPRESSED_RECENT, limiter.check(recent, 42, rttMs, AMPLE_BPS, clock.nowMillis()));
        clock.advanceMillis(1);
        assertEquals(SEND, limiter.check(recent, 42, rttMs, AMPLE_BPS, clock.nowMillis()));
    }

    @Test
    void noRttIsTheEstimatorsMarker() {
        assertEquals(RetransmissionLimiter.DEFAULT_RTT_MS, RetransmissionLimiter.minIntervalMs(RttEstimator.NO_RTT));
    }

    @Test
    void aSlotReusedByAnotherSequenceNumberIsNotMistakenForIt() {
        RecentRetransmissions ring = new RecentRetransmissions(16);
        long now = clock.nowMillis();
        ring.record(5, now);
        assertTrue(ring.sentWithin(5, now, 100));
        // 21 and 5 share slot 5 of 16: 21 was never sent.
        assertFalse(ring.sentWithin(21, now, 100));
        assertEquals(RecentRetransmissions.NEVER, ring.lastSentMs(21));
        ring.record(21, now + 1);
        assertTrue(ring.sentWithin(21, now + 1, 100));
        // 21 displaced 5: forgetting is safe (at worst one more copy), mixing them up is not.
        assertFalse(ring.sentWithin(5, now + 1, 100));
        assertEquals(now + 1, ring.lastSentMs(21));
    }

    @Test
    void sequenceNumbersAcrossTheSixteenBitWrapAreTold() {
        RecentRetransmissions ring = new RecentRetransmissions(16);
        long now = clock.nowMillis();
        ring.record(65_535, now);
        ring.record(0, now);
        // 65535 and 15 share slot 15; 0 and 65536 are the same number once reduced to 16 bits.
        assertTrue(ring.sentWithin(65_535, now, 100));
        assertFalse(ring.sentWithin(15, now, 100));
        assertTrue(ring.sentWithin(0, now, 100));
        assertTrue(ring.sentWithin(65_536, now, 100));
        assertFalse(ring.sentWithin(16, now, 100));
    }

    @Test
    void aFreshRingRemembersNothingEvenAtTimeZero() {
        RecentRetransmissions ring = new RecentRetransmissions(16);
        for (int seq = 0; seq < 16; seq++) {
            assertFalse(ring.sentWithin(seq, 0, 100), "seq " + seq);
        }
        assertEquals(16, ring.slots());
    }

    @Test
    void theRateBudgetIsHalfTheEstimateOverOneSecond() {
        long estimateBps = 640_000;
        assertEquals(320_000, limiter.budgetBps(estimateBps));
        assertEquals(40_000, limiter.budgetBytes(estimateBps));
        // Admitted while the window holds less than 40,000 bytes: 40 packets fill it exactly.
        assertEquals(40, sendUntilLimited(estimateBps));
        assertEquals(40_000, limiter.windowBytes(clock.nowMillis()));
        // Any sequence number, including one never sent, is refused until the window slides.
        assertEquals(RATE_LIMITED, limiter.check(recent, 9_999, 30, estimateBps, clock.nowMillis()));
    }

    @Test
    void theBudgetRecoversAsTheWindowSlides() {
        long estimateBps = 640_000; // 40,000 bytes per second
        long start = clock.nowMillis();
        assertEquals(0, start % RetransmissionLimiter.BUCKET_MS, "the test starts at a bucket boundary");
        for (int i = 0; i < 20; i++) {
            int seq = nextSeq++;
            assertEquals(SEND, limiter.check(recent, seq, 30, estimateBps, clock.nowMillis()));
            sent(seq);
        }
        clock.advanceMillis(500);
        assertEquals(20, sendUntilLimited(estimateBps));
        // The first 20,000 bytes leave the window once their bucket is 10 buckets old.
        clock.advanceMillis(499);
        assertEquals(40_000, limiter.windowBytes(clock.nowMillis()));
        assertEquals(RATE_LIMITED, limiter.check(recent, 9_999, 30, estimateBps, clock.nowMillis()));
        clock.advanceMillis(1);
        assertEquals(20_000, limiter.windowBytes(clock.nowMillis()));
        assertEquals(20, sendUntilLimited(estimateBps));
        // At 1.5 s the bytes of 0.5 s leave; the ones of 1 s stay.
        clock.advanceMillis(500);
        assertEquals(20_000, limiter.windowBytes(clock.nowMillis()));
        // Long after, the window is empty whatever was in it.
        clock.advanceMillis(3_600_000);
        assertEquals(0, limiter.windowBytes(clock.nowMillis()));
        assertEquals(40, sendUntilLimited(estimateBps));
    }

    @Test
    void aPacketCrossingTheBudgetIsTheLastOne() {
        // 300 kbps (the estimate before feedback): 18,750 bytes; 19 packets of 1000 bytes, the last
        // one crossing the budget by 250 bytes.
        assertEquals(18_750, limiter.budgetBytes(300_000));
        assertEquals(19, admittedFromEmpty(300_000));
        assertEquals(19, sendUntilLimited(300_000));
    }

    @ParameterizedTest(name = "estimate {0} bps")
    @CsvSource({
        // estimate, budget: half the estimate, at least 100 kbps
        "0, 100000",
        "-5, 100000",
        "30000, 100000",
        "199999, 100000",
        "200000, 100000",
        "300000, 150000",
        "2000000, 1000000",
    })
    void aLowEstimateStillLeavesTheFloor(long estimateBps, long budgetBps) {
        assertEquals(budgetBps, limiter.budgetBps(estimateBps));
        assertEquals(admittedFromEmpty(estimateBps), sendUntilLimited(estimateBps));
    }

    @Test
    void theBudgetFollowsTheEstimateAsItChanges() {
        // Floor: 12,500 bytes, 13 packets.
        assertEquals(13, sendUntilLimited(30_000));
        // The estimate rises to 1 Mbps: 62,500 bytes, 50 more packets on top of the 13,000 bytes.
        assertEquals(50, sendUntilLimited(1_000_000));
        // It falls back: the window holds 63,000 bytes, over any lower budget until it slides.
        assertEquals(RATE_LIMITED, limiter.check(recent, 9_999, 30, 400_000, clock.nowMillis()));
        clock.advanceMillis(RetransmissionLimiter.WINDOW_MS);
        assertEquals(admittedFromEmpty(400_000), sendUntilLimited(400_000));
    }

    @Test
    void otherSharesAndFloorsAreHonoured() {
        RetransmissionLimiter whole = new RetransmissionLimiter(100, 0);
        assertEquals(1_000_000, whole.budgetBps(1_000_000));
        assertEquals(0, whole.budgetBps(0));
        // No budget at all: nothing is admitted.
        assertEquals(RATE_LIMITED, whole.check(recent, 1, 30, 0, clock.nowMillis()));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "101, 0", "50, -1"})
    void anInvalidLimiterIsRefused(int percent, long floorBps) {
        assertThrows(IllegalArgumentException.class, () -> new RetransmissionLimiter(percent, floorBps));
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "3", "1000", "131072"})
    void anInvalidRingIsRefused(int slots) {
        assertThrows(IllegalArgumentException.class, () -> new RecentRetransmissions(slots));
    }
}
