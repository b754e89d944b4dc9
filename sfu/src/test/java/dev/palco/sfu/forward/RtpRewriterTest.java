package dev.palco.sfu.forward;

import static dev.palco.sfu.forward.RtpRewriter.NO_PICTURE_ID;
import static dev.palco.sfu.forward.RtpRewriter.NO_TL0PICIDX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.sfu.util.ManualClock;
import dev.palco.sfu.util.RtpWrap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class RtpRewriterTest {

    private static final long OUT_SSRC = 0xCAFEBABEL;
    private static final long SSRC_A = 0x11111111L;
    private static final long SSRC_B = 0x22222222L;
    private static final int VIDEO_HZ = 90_000;

    private final ManualClock clock = new ManualClock(10_000);
    private final RewriteOutput out = new RewriteOutput();

    private RewriteVerdict send(RtpRewriter r, long ssrc, int seq, long ts) {
        return r.rewrite(ssrc, seq, ts, NO_PICTURE_ID, NO_TL0PICIDX, clock.nowMicros(), out);
    }

    private void assertForwarded(RtpRewriter r, long ssrc, int seq, long ts, int expectedSeq, long expectedTs) {
        assertEquals(RewriteVerdict.FORWARD, send(r, ssrc, seq, ts), "verdict for seq " + seq);
        assertEquals(expectedSeq, out.sequenceNumber(), "outgoing seq for incoming " + seq);
        assertEquals(expectedTs, out.timestamp(), "outgoing ts for incoming " + seq);
        assertEquals(OUT_SSRC, out.ssrc());
    }

    @Test
    void firstPacketTakesInitialValuesAndLaterOnesKeepTheirSpacing() {
        RtpRewriter r = new RtpRewriter(OUT_SSRC, VIDEO_HZ, 1000, 500_000);
        assertForwarded(r, SSRC_A, 40_000, 7_000_000, 1000, 500_000);
        assertTrue(out.sourceSwitched());
        assertForwarded(r, SSRC_A, 40_001, 7_000_000, 1001, 500_000);
        assertFalse(out.sourceSwitched());
        assertForwarded(r, SSRC_A, 40_002, 7_003_000, 1002, 503_000);
    }

    @Test
    void switchContinuesSequenceAndAdvancesTimestampByElapsedWallClock() {
        RtpRewriter r = new RtpRewriter(OUT_SSRC, VIDEO_HZ, 100, 1_000_000);
        assertForwarded(r, SSRC_A, 5000, 90_000, 100, 1_000_000);
        clock.advanceMillis(33);
        assertForwarded(r, SSRC_A, 5001, 93_000, 101, 1_003_000);
        // 40 ms later the forwarder switches to B (a keyframe of another layer).
        clock.advanceMillis(40);
        assertForwarded(r, SSRC_B, 61_000, 4_000_000_000L, 102, 1_003_000 + 40 * 90);
        assertTrue(out.sourceSwitched());
        // B's own spacing is kept after the switch.
        clock.advanceMillis(33);
        assertForwarded(r, SSRC_B, 61_001, 4_000_003_000L, 103, 1_006_600 + 3000);
        assertEquals(1, r.switches());
        assertEquals(SSRC_B, r.sourceSsrc());
    }

    @Test
    void switchInTheSameInstantAdvancesTheTimestampByOneTick() {
        RtpRewriter r = new RtpRewriter(OUT_SSRC, VIDEO_HZ, 0, 0xFFFF_FFFFL);
        assertForwarded(r, SSRC_A, 1, 10, 0, 0xFFFF_FFFFL);
        // Zero elapsed: at least one tick, wrapping the 32-bit timestamp.
        assertForwarded(r, SSRC_B, 9, 77, 1, 0);
    }

    @Test
    void audioClockRateConvertsElapsedTime() {
        RtpRewriter r = new RtpRewriter(OUT_SSRC, 48_000, 0, 0);
        assertForwarded(r, SSRC_A, 1, 960, 0, 0);
        clock.advanceMicros(20_500); // 20.5 ms at 48 kHz = 984 ticks
        assertForwarded(r, SSRC_B, 300, 123_456, 1, 984);
    }

    @Test
    void switchInTheMiddleOfAWrapOnBothSides() {
        // Outgoing numbers start near the top of the 16-bit space.
        RtpRewriter r = new RtpRewriter(OUT_SSRC, VIDEO_HZ, 65_533, 0);
        // Source A wraps its own numbers while outgoing numbers wrap too: 65530..65533 -> 65533,65534,65535,0.
        assertForwarded(r, SSRC_A, 65_530, 3000, 65_533, 0);
        assertForwarded(r, SSRC_A, 65_531, 3000, 65_534, 0);
        assertForwarded(r, SSRC_A, 65_532, 3000, 65_535, 0);
        assertForwarded(r, SSRC_A, 65_533, 6000, 0, 3000);
        clock.advanceMillis(10);
        // Switch to B whose numbers are themselves wrapping: 65534, 65535, 0, ..., 5.
        int expected = 1;
        long bTs = 9_000_000;
        assertForwarded(r, SSRC_B, 65_534, bTs, expected++, 3000 + 900);
        assertForwarded(r, SSRC_B, 65_535, bTs, expected++, 3900);
        for (int seq = 0; seq <= 5; seq++) {
            assertForwarded(r, SSRC_B, seq, bTs + 3000, expected++, 6900);
        }
        // A late B packet from before the switch point, and a late A packet, must not go out.
        assertEquals(RewriteVerdict.DROP_BEFORE_SWITCH, send(r, SSRC_B, 65_533, bTs));
        assertEquals(RewriteVerdict.DROP_BEFORE_SWITCH, send(r, SSRC_A, 65_531, 3000));
        assertEquals(2, r.droppedBeforeSwitch());
        // Switch back to A later on: A's new numbers are newer than those it last had forwarded.
        clock.advanceMillis(100);
        assertForwarded(r, SSRC_A, 65_534 + 100 - 65_536, 3_000_000, expected, 6900 + 9000);
    }

    @Test
    void droppingTheNewestPacketKeepsTheOutgoingSequenceGapless() {
        RtpRewriter r = new RtpRewriter(OUT_SSRC, VIDEO_HZ, 500, 0);
        assertForwarded(r, SSRC_A, 65_534, 0, 500, 0);
        assertTrue(r.drop(SSRC_A, 65_535, NO_PICTURE_ID, clock.nowMicros())); // padding-only
        assertTrue(r.drop(SSRC_A, 0, NO_PICTURE_ID, clock.nowMicros()));      // padding across the wrap
        assertForwarded(r, SSRC_A, 1, 3000, 501, 3000);
        assertForwarded(r, SSRC_A, 2, 3000, 502, 3000);
        assertEquals(2, r.droppedOnRequest());
        // A retransmission of a dropped packet stays dropped.
        assertEquals(RewriteVerdict.DROP_DUPLICATE, send(r, SSRC_A, 0, 0));
    }

    @Test
    void dropAfterALossKeepsTheLostSlotForTheLatePacket() {
        RtpRewriter r = new RtpRewriter(OUT_SSRC, VIDEO_HZ, 0, 0);
        assertForwarded(r, SSRC_A, 10, 0, 0, 0);
        // 11 is lost upstream, 12 is padding we drop, 13 goes out.
        assertTrue(r.drop(SSRC_A, 12, NO_PICTURE_ID, clock.nowMicros()));
        assertForwarded(r, SSRC_A, 13, 3000, 2, 3000);
        // 11 arrives (recovered by RTX upstream) and takes the slot reserved for it.
        assertForwarded(r, SSRC_A, 11, 0, 1, 0);
        assertTrue(out.outOfOrder());
    }

    @Test
    void droppingALatePacketLeavesAHoleAndSaysSo() {
        RtpRewriter r = new RtpRewriter(OUT_SSRC, VIDEO_HZ, 0, 0);
        assertForwarded(r, SSRC_A, 10, 0, 0, 0);
        assertForwarded(r, SSRC_A, 12, 0, 2, 0);
        assertFalse(r.drop(SSRC_A, 11, NO_PICTURE_ID, clock.nowMicros()));
        assertEquals(1, r.holesLeft());
        assertEquals(RewriteVerdict.DROP_DUPLICATE, send(r, SSRC_A, 11, 0));
    }

    @Test
    void reorderedPacketsMapConsistentlyAndDuplicatesAreDropped() {
        RtpRewriter r = new RtpRewriter(OUT_SSRC, VIDEO_HZ, 65_534, 0);
        assertForwarded(r, SSRC_A, 100, 0, 65_534, 0);
        assertForwarded(r, SSRC_A, 103, 0, 1, 0);       // 101 and 102 late; outgoing wraps
        assertForwarded(r, SSRC_A, 102, 0, 0, 0);
        assertTrue(out.outOfOrder());
        assertForwarded(r, SSRC_A, 101, 0, 65_535, 0);
        assertForwarded(r, SSRC_A, 104, 0, 2, 0);
        assertEquals(RewriteVerdict.DROP_DUPLICATE, send(r, SSRC_A, 102, 0));
        assertEquals(RewriteVerdict.DROP_DUPLICATE, send(r, SSRC_A, 104, 0));
        assertEquals(2, r.duplicates());
        assertEquals(2, r.forwardedOutOfOrder());
    }

    @Test
    void packetsOlderThanTheWindowAreDropped() {
        RtpRewriter r = new RtpRewriter(OUT_SSRC, VIDEO_HZ, 0, 0, 16);
        assertForwarded(r, SSRC_A, 1000, 0, 0, 0);
        for (int seq = 1001; seq <= 1040; seq++) {
            send(r, SSRC_A, seq, 0);
        }
        assertEquals(RewriteVerdict.DROP_TOO_OLD, send(r, SSRC_A, 1010, 0));
        assertEquals(RewriteVerdict.DROP_TOO_OLD, send(r, SSRC_A, 999, 0));
        assertEquals(2, r.droppedTooOld());
    }

    @Test
    void resumingAfterAPauseShowsNoGap() {
        RtpRewriter r = new RtpRewriter(OUT_SSRC, VIDEO_HZ, 7, 0);
        assertForwarded(r, SSRC_A, 200, 1000, 7, 0);
        // The forwarder pauses this subscription for 2 s (bandwidth) and resumes on a keyframe of
        // the same source: 150 packets later.
        r.requestResync();
        clock.advanceMillis(2000);
        assertForwarded(r, SSRC_A, 350, 1000 + 180_000 + 123, 8, 180_000);
        assertTrue(out.sourceSwitched());
        assertEquals(1, r.resyncs());
        // A straggler from before the pause is refused.
        assertEquals(RewriteVerdict.DROP_BEFORE_SWITCH, send(r, SSRC_A, 201, 1000));
    }

    @Test
    void aJumpBeyondTheWindowRestartsTheSegment() {
        RtpRewriter r = new RtpRewriter(OUT_SSRC, VIDEO_HZ, 0, 0, 64);
        assertForwarded(r, SSRC_A, 10, 0, 0, 0);
        clock.advanceMillis(5);
        assertForwarded(r, SSRC_A, 30_010, 777, 1, 450);
        assertEquals(1, r.resyncs());
    }

    @Test
    void aBackwardSequenceResetIsFollowedAfterARunOfTooOldPackets() {
        RtpRewriter r = new RtpRewriter(OUT_SSRC, VIDEO_HZ, 0, 0, 64);
        assertForwarded(r, SSRC_A, 20_000, 0, 0, 0);
        for (int i = 0; i < RtpRewriter.TOO_OLD_RESYNC_PACKETS - 1; i++) {
            assertEquals(RewriteVerdict.DROP_TOO_OLD, send(r, SSRC_A, 100 + i, 0));
        }
        assertForwarded(r, SSRC_A, 100 + RtpRewriter.TOO_OLD_RESYNC_PACKETS - 1, 0, 1, 1);
    }

    @Test
    void reverseMapAnswersNacksAcrossASwitch() {
        RtpRewriter r = new RtpRewriter(OUT_SSRC, VIDEO_HZ, 65_534, 0);
        send(r, SSRC_A, 500, 0);         // out 65534
        send(r, SSRC_A, 502, 0);         // out 0, 501 reserved as 65535
        clock.advanceMillis(20);
        send(r, SSRC_B, 9000, 0);        // out 1
        send(r, SSRC_B, 9001, 0);        // out 2

        assertOriginal(r, 65_534, SSRC_A, 500);
        assertOriginal(r, 65_535, SSRC_A, 501); // the lost packet: still answerable from A's cache
        assertOriginal(r, 0, SSRC_A, 502);
        assertOriginal(r, 1, SSRC_B, 9000);
        assertOriginal(r, 2, SSRC_B, 9001);
        assertEquals(RtpRewriter.NOT_FOUND, r.originalOf(3));      // not sent yet
        assertEquals(RtpRewriter.NOT_FOUND, r.originalOf(30_000)); // long gone
    }

    @Test
    void reverseMapForgetsPacketsOutsideTheWindow() {
        RtpRewriter r = new RtpRewriter(OUT_SSRC, VIDEO_HZ, 0, 0, 32);
        for (int seq = 0; seq < 100; seq++) {
            send(r, SSRC_A, seq, 0);
        }
        assertOriginal(r, 99, SSRC_A, 99);
        assertOriginal(r, 68, SSRC_A, 68);
        assertEquals(RtpRewriter.NOT_FOUND, r.originalOf(67));
    }

    @Test
    void retransmissionUsesTheOffsetsOfItsOwnSegment() {
        RtpRewriter r = new RtpRewriter(OUT_SSRC, VIDEO_HZ, 10, 1000);
        r.rewrite(SSRC_A, 300, 50_000, 1200, 7, clock.nowMicros(), out);   // out seq 10, ts 1000, pic 1200
        clock.advanceMillis(30);
        r.rewrite(SSRC_B, 4000, 9_999, 31_000, 200, clock.nowMicros(), out); // switch
        assertEquals(11, out.sequenceNumber());
        // The subscriber NACKs 10: A's packet 300 is fetched and rewritten as it was first sent.
        long original = r.originalOf(10);
        assertEquals(SSRC_A, RtpRewriter.originalSsrc(original));
        assertEquals(300, RtpRewriter.originalSeq(original));
        assertTrue(r.rewriteRetransmission(10, 50_000, 1200, 7, out));
        assertEquals(10, out.sequenceNumber());
        assertEquals(1000, out.timestamp());
        assertEquals(1200, out.pictureId());
        assertEquals(7, out.tl0PicIdx());
        assertFalse(r.rewriteRetransmission(12, 0, NO_PICTURE_ID, NO_TL0PICIDX, out));
    }

    @Test
    void vp8PictureIdsAndTl0PicIdxStayContinuousAcrossSwitches() {
        RtpRewriter r = new RtpRewriter(OUT_SSRC, VIDEO_HZ, 0, 0);
        // Source A: pictures 32766, 32767, 0 (15-bit wrap), TL0PICIDX 254, 255, 0.
        r.rewrite(SSRC_A, 1, 0, 32_766, 254, clock.nowMicros(), out);
        assertEquals(32_766, out.pictureId());
        assertEquals(254, out.tl0PicIdx());
        r.rewrite(SSRC_A, 2, 3000, 32_767, 255, clock.nowMicros(), out);
        r.rewrite(SSRC_A, 3, 6000, 0, 0, clock.nowMicros(), out);
        r.rewrite(SSRC_A, 4, 6000, 0, 0, clock.nowMicros(), out); // second packet of picture 0
        assertEquals(0, out.pictureId());
        // Switch to B (keyframe, picture 5000, TL0PICIDX 17): outgoing picture 1, TL0PICIDX 1.
        clock.advanceMillis(33);
        r.rewrite(SSRC_B, 100, 0, 5000, 17, clock.nowMicros(), out);
        assertEquals(1, out.pictureId());
        assertEquals(1, out.tl0PicIdx());
        r.rewrite(SSRC_B, 101, 0, 5000, 17, clock.nowMicros(), out);
        assertEquals(1, out.pictureId());
        r.rewrite(SSRC_B, 102, 3000, 5001, 17, clock.nowMicros(), out);
        assertEquals(2, out.pictureId());
        assertEquals(1, out.tl0PicIdx());
    }

    @Test
    void droppedPicturesTakeNoPictureIdButLostOnesKeepTheirs() {
        RtpRewriter r = new RtpRewriter(OUT_SSRC, VIDEO_HZ, 0, 0);
        r.rewrite(SSRC_A, 10, 0, 100, 5, clock.nowMicros(), out);                    // picture 100 -> 100
        assertTrue(r.drop(SSRC_A, 11, 101, clock.nowMicros()));                     // TL2 picture skipped
        assertTrue(r.drop(SSRC_A, 12, 101, clock.nowMicros()));                     // its second packet
        r.rewrite(SSRC_A, 13, 6000, 102, 5, clock.nowMicros(), out);
        assertEquals(1, out.sequenceNumber());
        assertEquals(101, out.pictureId());                                          // no gap in pictures
        // Picture 103 is lost upstream (seq 14); 104 arrives: the loss stays visible.
        r.rewrite(SSRC_A, 15, 12_000, 104, 6, clock.nowMicros(), out);
        assertEquals(3, out.sequenceNumber());
        assertEquals(103, out.pictureId());
        // The lost packet arrives late and gets the picture ID between.
        r.rewrite(SSRC_A, 14, 9000, 103, 5, clock.nowMicros(), out);
        assertEquals(2, out.sequenceNumber());
        assertEquals(102, out.pictureId());
    }

    /**
     * Random reordering, loss, duplicates, drops on purpose and source switches: an outgoing
     * sequence number is never used twice, the newest packet always moves forward, a switch
     * continues exactly one after the last number handed out, and the reverse map agrees with what
     * was forwarded.
     */
    @Test
    void randomTrafficNeverReusesOutgoingNumbers() {
        SplittableRandom random = new SplittableRandom(0x5EED);
        RtpRewriter r = new RtpRewriter(OUT_SSRC, VIDEO_HZ, 65_000, 0, 256);
        Set<Long> usedOut = new HashSet<>();
        Map<Integer, long[]> outToOriginal = new HashMap<>();
        long ssrc = SSRC_A;
        int[] nextSeq = {65_400, 1234};
        List<Integer> delayed = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            clock.advanceMicros(random.nextInt(2000));
            if (random.nextInt(5000) == 0) {
                ssrc = ssrc == SSRC_A ? SSRC_B : SSRC_A;
                int source = ssrc == SSRC_A ? 0 : 1;
                // The other source kept sending while it was not forwarded.
                nextSeq[source] = (nextSeq[source] + 1 + random.nextInt(1000)) & 0xFFFF;
                delayed.clear();
            }
            int source = ssrc == SSRC_A ? 0 : 1;
            int current = nextSeq[source];
            nextSeq[source] = (current + 1) & 0xFFFF;
            int roll = random.nextInt(100);
            if (roll < 3) {
                continue; // lost upstream
            }
            if (roll < 8) {
                delayed.add(current);
                continue;
            }
            if (roll < 12) {
                r.drop(ssrc, current, NO_PICTURE_ID, clock.nowMicros());
                continue;
            }
            feed(r, ssrc, current, usedOut, outToOriginal);
            if (!delayed.isEmpty() && random.nextInt(4) == 0) {
                int late = delayed.remove(random.nextInt(delayed.size()));
                feed(r, ssrc, late, usedOut, outToOriginal);
                if (random.nextInt(10) == 0) {
                    assertEquals(RewriteVerdict.DROP_DUPLICATE, r.rewrite(ssrc, late, 0, NO_PICTURE_ID,
                            NO_TL0PICIDX, clock.nowMicros(), out));
                }
            }
        }
        assertTrue(r.forwarded() > 150_000, "forwarded " + r.forwarded());
        assertTrue(r.switches() > 10, "switches " + r.switches());
        int checked = 0;
        for (int back = 0; back < 256; back++) {
            int outSeq = (r.lastOutSeq() - back) & 0xFFFF;
            long original = r.originalOf(outSeq);
            long[] expected = outToOriginal.get(outSeq);
            // Slots reserved for packets lost upstream were never forwarded: skip stale entries.
            if (original != RtpRewriter.NOT_FOUND && expected != null && newestOutExt - expected[0] < 256) {
                assertEquals(expected[1], original);
                checked++;
            }
        }
        assertTrue(checked > 100, "checked " + checked);
    }

    private long newestOutExt = Long.MIN_VALUE;

    private void feed(RtpRewriter r, long ssrc, int seq, Set<Long> usedOut, Map<Integer, long[]> outToOriginal) {
        int lastBefore = r.lastOutSeq();
        RewriteVerdict verdict = r.rewrite(ssrc, seq, 0, NO_PICTURE_ID, NO_TL0PICIDX, clock.nowMicros(), out);
        if (verdict != RewriteVerdict.FORWARD) {
            return;
        }
        long outExt = newestOutExt == Long.MIN_VALUE ? out.sequenceNumber()
                : RtpWrap.extendSeq(newestOutExt, out.sequenceNumber());
        if (out.sourceSwitched() && newestOutExt != Long.MIN_VALUE) {
            assertEquals((lastBefore + 1) & 0xFFFF, out.sequenceNumber(), "a switch continues at last + 1");
        }
        if (!out.outOfOrder()) {
            assertTrue(newestOutExt == Long.MIN_VALUE || outExt > newestOutExt, "newest packets move forward");
            newestOutExt = outExt;
        }
        assertTrue(usedOut.add(outExt), "outgoing number used twice: " + outExt);
        outToOriginal.put(out.sequenceNumber(), new long[] {outExt, (ssrc << 16) | seq});
    }

    private static void assertOriginal(RtpRewriter r, int outSeq, long ssrc, int seq) {
        long original = r.originalOf(outSeq);
        assertEquals(ssrc, RtpRewriter.originalSsrc(original), "ssrc for outgoing " + outSeq);
        assertEquals(seq, RtpRewriter.originalSeq(original), "seq for outgoing " + outSeq);
    }
}
