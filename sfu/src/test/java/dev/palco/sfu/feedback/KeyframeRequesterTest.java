package dev.palco.sfu.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.sfu.util.ManualClock;

import org.junit.jupiter.api.Test;

class KeyframeRequesterTest {

    private final ManualClock clock = new ManualClock(50_000);

    @Test
    void aHundredRequestsInTheSameInstantProduceOnePli() {
        KeyframeRequester requester = KeyframeRequester.withDefaults();
        for (int subscriber = 0; subscriber < 100; subscriber++) {
            requester.request(clock.nowMillis());
        }
        assertEquals(KeyframeRequestKind.PLI, requester.pollDue(clock.nowMillis()));
        // More requests and polls within the interval send nothing more.
        for (int ms = 0; ms < 299; ms++) {
            clock.advanceMillis(1);
            requester.request(clock.nowMillis());
            assertEquals(KeyframeRequestKind.NONE, requester.pollDue(clock.nowMillis()));
        }
        assertEquals(1, requester.plisSent());
        assertEquals(399, requester.requestsReceived());
    }

    @Test
    void repeatsUntilAKeyframeArrives() {
        KeyframeRequester requester = KeyframeRequester.withDefaults();
        requester.request(clock.nowMillis());
        assertEquals(KeyframeRequestKind.PLI, requester.pollDue(clock.nowMillis()));
        clock.advanceMillis(300);
        assertEquals(KeyframeRequestKind.PLI, requester.pollDue(clock.nowMillis()));
        clock.advanceMillis(100);
        requester.onKeyframe(clock.nowMillis());
        assertFalse(requester.isPending());
        clock.advanceMillis(1000);
        assertEquals(KeyframeRequestKind.NONE, requester.pollDue(clock.nowMillis()));
        assertEquals(2, requester.plisSent());
    }

    @Test
    void aNewRequestRightAfterAPliStillWaitsForTheInterval() {
        KeyframeRequester requester = KeyframeRequester.withDefaults();
        requester.request(clock.nowMillis());
        assertEquals(KeyframeRequestKind.PLI, requester.pollDue(clock.nowMillis()));
        clock.advanceMillis(50);
        requester.onKeyframe(clock.nowMillis());
        clock.advanceMillis(10);
        requester.request(clock.nowMillis()); // a subscriber that missed the keyframe
        assertEquals(KeyframeRequestKind.NONE, requester.pollDue(clock.nowMillis()));
        clock.advanceMillis(240);
        assertEquals(KeyframeRequestKind.PLI, requester.pollDue(clock.nowMillis()));
    }

    @Test
    void givesUpAfterTheCap() {
        KeyframeRequester requester = new KeyframeRequester(false, 300, 3);
        requester.request(clock.nowMillis());
        int sent = 0;
        for (int i = 0; i < 20; i++) {
            if (requester.pollDue(clock.nowMillis()) != KeyframeRequestKind.NONE) {
                sent++;
            }
            clock.advanceMillis(300);
        }
        assertEquals(3, sent);
        assertEquals(1, requester.givenUp());
        assertFalse(requester.isPending());
        // A later need starts afresh.
        requester.request(clock.nowMillis());
        assertEquals(KeyframeRequestKind.PLI, requester.pollDue(clock.nowMillis()));
    }

    @Test
    void intervalGrowsWithRtt() {
        KeyframeRequester requester = KeyframeRequester.withDefaults();
        requester.setRttMs(400); // 1.5 x 400 = 600 ms
        assertEquals(600, requester.intervalMs());
        requester.request(clock.nowMillis());
        assertEquals(KeyframeRequestKind.PLI, requester.pollDue(clock.nowMillis()));
        clock.advanceMillis(599);
        assertEquals(KeyframeRequestKind.NONE, requester.pollDue(clock.nowMillis()));
        clock.advanceMillis(1);
        assertEquals(KeyframeRequestKind.PLI, requester.pollDue(clock.nowMillis()));
    }

    @Test
    void firRepetitionsKeepTheirSequenceNumberAndNewRequestsIncrementIt() {
        KeyframeRequester requester = new KeyframeRequester(true, 300, 10);
        requester.request(clock.nowMillis());
        assertEquals(KeyframeRequestKind.FIR, requester.pollDue(clock.nowMillis()));
        assertEquals(0, requester.firSequenceNumber());
        clock.advanceMillis(300);
        assertEquals(KeyframeRequestKind.FIR, requester.pollDue(clock.nowMillis()));
        assertEquals(0, requester.firSequenceNumber(), "RFC 5104 4.3.1.1: a repetition reuses Seq nr.");
        requester.onKeyframe(clock.nowMillis());
        for (int expected = 1; expected <= 300; expected++) {
            clock.advanceMillis(300);
            requester.request(clock.nowMillis());
            assertEquals(KeyframeRequestKind.FIR, requester.pollDue(clock.nowMillis()));
            assertEquals(expected & 0xFF, requester.firSequenceNumber(), "new request, next Seq nr. (mod 256)");
            requester.onKeyframe(clock.nowMillis());
        }
        assertEquals(302, requester.firsSent());
        assertEquals(0, requester.plisSent());
    }

    @Test
    void concurrentRequestsFromManyThreadsStillYieldOnePli() throws Exception {
        KeyframeRequester requester = KeyframeRequester.withDefaults();
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    requester.request(clock.nowMillis());
                }
            });
            threads[t].start();
        }
        int plis = 0;
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        for (int i = 0; i < 100; i++) {
            if (requester.pollDue(clock.nowMillis()) == KeyframeRequestKind.PLI) {
                plis++;
            }
        }
        assertEquals(1, plis);
        assertTrue(requester.isPending());
        assertEquals(8000, requester.requestsReceived());
    }
}
