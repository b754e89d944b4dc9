package dev.palco.sfu.forward;

import dev.palco.sfu.util.RtpWrap;

import java.util.Arrays;

/**
 * Rewrites the header values of the packets one subscriber receives on one outgoing stream so that
 * the stream stays continuous whatever the SFU does upstream.
 *
 * <p>A subscriber sees one SSRC whose sequence numbers, timestamps and VP8 picture IDs advance
 * smoothly. Upstream, the SFU switches between sources (another publisher, another simulcast
 * layer), pauses and resumes, and drops packets it chose not to send (padding-only packets, frames
 * of a temporal layer above the target). Each packet belongs to a <em>source segment</em>: from the
 * first packet forwarded from a source (or after {@link #requestResync()}) the rewriter applies
 * fixed offsets, chosen when the segment starts:
 * <ul>
 *   <li>sequence number: the segment's first packet gets the last outgoing number + 1;</li>
 *   <li>timestamp: the last outgoing timestamp advanced by the wall-clock time since that packet
 *       was sent, converted to the clock rate, and by at least one tick (RFC 3550 §5.1: the
 *       timestamp "must increase monotonically and linearly in time");</li>
 *   <li>VP8 picture ID (15 bits) and TL0PICIDX (8 bits), RFC 7741 §4.2: last outgoing + 1, so the
 *       receiver sees a new picture and a new base-layer picture.</li>
 * </ul>
 * Packets dropped on purpose ({@link #drop}) shift the sequence offset by one when they are the
 * newest packet, so no hole appears; a dropped frame likewise shifts the picture ID offset.
 * Gaps caused by real loss upstream are kept as gaps: the subscriber NACKs them and the late
 * (retransmitted) packet is mapped to the slot reserved for it.
 *
 * <p>The rewriter remembers, for a window of recent packets, each incoming sequence number's
 * outgoing slot (so reordered packets map consistently) and each outgoing sequence number's
 * original (SSRC, sequence number) and offsets (so {@link #originalOf(int)} answers a subscriber's
 * NACK from the publisher's packet cache, and {@link #rewriteRetransmission} rewrites the cached
 * copy the same way the original was rewritten).
 *
 * <p>The design follows the same idea as LiveKit's RTP munger and Jitsi's SSRC rewriting; state is
 * held in primitive arrays, so nothing is allocated per packet.
 *
 * <p>Not thread-safe: confine an instance to the subscription's send thread, which also answers
 * that subscriber's NACKs.
 */
public final class RtpRewriter {

    /** Passed for a packet without a VP8 picture ID, and returned when there is none. */
    public static final int NO_PICTURE_ID = -1;
    /** Passed for a packet without a VP8 TL0PICIDX, and returned when there is none. */
    public static final int NO_TL0PICIDX = -1;
    /** Returned by {@link #originalOf(int)} for an outgoing sequence number outside the window. */
    public static final long NOT_FOUND = -1L;
    /** Default number of recent packets remembered in each direction. */
    public static final int DEFAULT_WINDOW_PACKETS = 512;

    /** VP8 picture IDs are 15 bits when the M bit is set (RFC 7741 §4.2), as browsers send them. */
    static final int PICTURE_ID_MASK = 0x7FFF;
    static final int TL0PICIDX_MASK = 0xFF;

    /**
     * Consecutive packets older than the window after which the source is assumed to have reset its
     * sequence numbers backwards; a genuinely late burst that old does not happen in practice.
     */
    static final int TOO_OLD_RESYNC_PACKETS = 8;

    private static final long NO_TAG = Long.MIN_VALUE;
    private static final byte SLOT_RESERVED = 1;
    private static final byte SLOT_SENT = 2;
    private static final byte SLOT_DROPPED = 3;

    private final long outSsrc;
    private final long clockRateHz;
    private final int window;
    private final int mask;
    private final int initialSeq;
    private final long initialTs;

    // Incoming side, indexed by the current source's extended sequence number & mask.
    private final long[] inTag;
    private final byte[] inState;
    private final long[] inOutExt;
    private final int[] inPictureIdOffset;
    private final int[] inTl0Offset;

    // Outgoing side, indexed by the outgoing extended sequence number & mask.
    private final long[] revTag;
    private final long[] revSsrc;
    private final int[] revSeq;
    private final long[] revTsOffset;
    private final int[] revPictureIdOffset;
    private final int[] revTl0Offset;

    private boolean started;
    private boolean resyncPending;
    private long sourceSsrc;
    private long previousSsrc = -1;
    private int previousHighestSeq;
    private long sourceStartExt;
    private long sourceHighestExt;
    private long seqOffset;
    private long tsOffset;
    private int pictureIdOffset;
    private int tl0Offset;
    private int sourceHighestPictureId = NO_PICTURE_ID;
    private int tooOldStreak;

    private long lastOutExt;
    private long lastOutTs;
    private long lastOutUs;
    private int lastOutPictureId = NO_PICTURE_ID;
    private int lastOutTl0 = NO_TL0PICIDX;

    private long forwarded;
    private long forwardedOutOfOrder;
    private long duplicates;
    private long droppedTooOld;
    private long droppedBeforeSwitch;
    private long droppedOnRequest;
    private long holesLeft;
    private long switches;
    private long resyncs;

    /**
     * @param outSsrc        SSRC of the outgoing stream
     * @param clockRateHz    RTP clock rate of the stream's codec (90000 for video, 48000 for Opus)
     * @param initialSeq     first outgoing sequence number (random, RFC 3550 §5.1)
     * @param initialTs      first outgoing timestamp (random, RFC 3550 §5.1)
     * @param windowPackets  recent packets remembered for reordering and NACKs; a power of two in [16, 16384]
     */
    public RtpRewriter(long outSsrc, int clockRateHz, int initialSeq, long initialTs, int windowPackets) {
        if (clockRateHz <= 0) {
            throw new IllegalArgumentException("clockRateHz " + clockRateHz);
        }
        if (windowPackets < 16 || windowPackets > 16384 || Integer.bitCount(windowPackets) != 1) {
            throw new IllegalArgumentException("windowPackets must be a power of two in [16, 16384]: " + windowPackets);
        }
        this.outSsrc = outSsrc & RtpWrap.TS_MASK;
        this.clockRateHz = clockRateHz;
        this.window = windowPackets;
        this.mask = windowPackets - 1;
        this.initialSeq = initialSeq & RtpWrap.SEQ_MASK;
        this.initialTs = initialTs & RtpWrap.TS_MASK;
        this.inTag = new long[windowPackets];
        this.inState = new byte[windowPackets];
        this.inOutExt = new long[windowPackets];
        this.inPictureIdOffset = new int[windowPackets];
        this.inTl0Offset = new int[windowPackets];
        this.revTag = new long[windowPackets];
        this.revSsrc = new long[windowPackets];
        this.revSeq = new int[windowPackets];
        this.revTsOffset = new long[windowPackets];
        this.revPictureIdOffset = new int[windowPackets];
        this.revTl0Offset = new int[windowPackets];
        Arrays.fill(inTag, NO_TAG);
        Arrays.fill(revTag, NO_TAG);
    }

    /** A rewriter with the {@link #DEFAULT_WINDOW_PACKETS default window}. */
    public RtpRewriter(long outSsrc, int clockRateHz, int initialSeq, long initialTs) {
        this(outSsrc, clockRateHz, initialSeq, initialTs, DEFAULT_WINDOW_PACKETS);
    }

    /**
     * Decides whether to forward one incoming packet and, if so, computes its outgoing header values.
     *
     * <p>A packet from an SSRC other than the current source's starts a new segment (a switch); the
     * caller decides when to switch (normally on a keyframe) simply by passing the new source's
     * packets. A late packet of the source switched away from is dropped.
     *
     * @param ssrc       the packet's SSRC
     * @param seq        its sequence number, 0..65535
     * @param timestamp  its RTP timestamp, 0..2^32-1
     * @param pictureId  its 15-bit VP8 picture ID, or {@link #NO_PICTURE_ID}
     * @param tl0PicIdx  its VP8 TL0PICIDX, or {@link #NO_TL0PICIDX}
     * @param nowUs      monotonic time in microseconds (the injected clock)
     * @param out        receives the outgoing values when the verdict is {@link RewriteVerdict#FORWARD}
     */
    public RewriteVerdict rewrite(long ssrc, int seq, long timestamp, int pictureId, int tl0PicIdx, long nowUs,
            RewriteOutput out) {
        seq &= RtpWrap.SEQ_MASK;
        timestamp &= RtpWrap.TS_MASK;
        ssrc &= RtpWrap.TS_MASK;
        if (!started || resyncPending || ssrc != sourceSsrc) {
            if (started && !resyncPending && ssrc == previousSsrc
                    && !RtpWrap.isSeqNewer(seq, previousHighestSeq)) {
                // A late packet of the source switched away from. A newer one means the caller
                // switched back to that source.
                droppedBeforeSwitch++;
                return RewriteVerdict.DROP_BEFORE_SWITCH;
            }
            startSegment(ssrc, seq, timestamp, pictureId, tl0PicIdx, nowUs);
            forwardNewest(seq, timestamp, pictureId, tl0PicIdx, nowUs, out, true);
            return RewriteVerdict.FORWARD;
        }
        long ext = RtpWrap.extendSeq(sourceHighestExt, seq);
        long delta = ext - sourceHighestExt;
        if (delta > 0) {
            tooOldStreak = 0;
            if (delta >= window) {
                // A jump the window cannot bridge (a sequence reset, or an outage longer than any
                // NACK could repair): start a new segment so the subscriber sees no jump.
                startSegment(ssrc, seq, timestamp, pictureId, tl0PicIdx, nowUs);
                forwardNewest(seq, timestamp, pictureId, tl0PicIdx, nowUs, out, true);
                return RewriteVerdict.FORWARD;
            }
            reserveGap(ext);
            forwardNewest(seq, timestamp, pictureId, tl0PicIdx, nowUs, out, false);
            return RewriteVerdict.FORWARD;
        }
        if (delta <= -window) {
            droppedTooOld++;
            if (++tooOldStreak >= TOO_OLD_RESYNC_PACKETS) {
                // The source restarted its sequence numbers backwards: follow it.
                startSegment(ssrc, seq, timestamp, pictureId, tl0PicIdx, nowUs);
                forwardNewest(seq, timestamp, pictureId, tl0PicIdx, nowUs, out, true);
                return RewriteVerdict.FORWARD;
            }
            return RewriteVerdict.DROP_TOO_OLD;
        }
        tooOldStreak = 0;
        if (ext < sourceStartExt) {
            droppedBeforeSwitch++;
            return RewriteVerdict.DROP_BEFORE_SWITCH;
        }
        int slot = (int) (ext & mask);
        if (inTag[slot] != ext) {
            droppedTooOld++;
            return RewriteVerdict.DROP_TOO_OLD;
        }
        if (inState[slot] != SLOT_RESERVED) {
            duplicates++;
            return RewriteVerdict.DROP_DUPLICATE;
        }
        // A late packet (reordered, or recovered by retransmission upstream) fills its reserved slot.
        inState[slot] = SLOT_SENT;
        forwarded++;
        forwardedOutOfOrder++;
        out.set(outSsrc, inOutExt[slot], (timestamp - tsOffset) & RtpWrap.TS_MASK,
                mapPictureId(pictureId, inPictureIdOffset[slot]), mapTl0(tl0PicIdx, inTl0Offset[slot]), false, true);
        return RewriteVerdict.FORWARD;
    }

    /**
     * Records that the caller chose not to forward a packet of the current source (padding only, a
     * skipped temporal layer), so that the outgoing sequence numbers stay gapless: when the packet is
     * the newest seen, later packets move down by one sequence number (and by one picture ID when
     * it opened a new picture). Packets of a source not being forwarded need not be reported.
     *
     * <p>Dropping a frame's packets must be all-or-nothing; a TL0 (base layer) picture is never
     * dropped on purpose, so TL0PICIDX offsets change only at segment starts.
     *
     * @return {@code true} if the outgoing sequence stays gapless; {@code false} if the packet arrived
     *     out of order, after its outgoing slot had already been left as a hole before later packets
     *     (the subscriber may NACK that hole; {@link #originalOf(int)} still maps it)
     */
    public boolean drop(long ssrc, int seq, int pictureId, long nowUs) {
        seq &= RtpWrap.SEQ_MASK;
        ssrc &= RtpWrap.TS_MASK;
        droppedOnRequest++;
        if (!started || resyncPending || ssrc != sourceSsrc) {
            // Nothing of this packet was promised to the subscriber; a new segment will start from
            // the last outgoing values.
            return true;
        }
        long ext = RtpWrap.extendSeq(sourceHighestExt, seq);
        if (ext < sourceStartExt) {
            return true;
        }
        long delta = ext - sourceHighestExt;
        if (delta > 0) {
            tooOldStreak = 0;
            if (delta >= window) {
                resyncPending = true;
                return true;
            }
            reserveGap(ext);
            int slot = (int) (ext & mask);
            inTag[slot] = ext;
            inState[slot] = SLOT_DROPPED;
            inOutExt[slot] = -1;
            sourceHighestExt = ext;
            seqOffset++;
            if (pictureId >= 0 && isNewerPictureId(pictureId & PICTURE_ID_MASK)) {
                // The whole picture is skipped, so it takes no outgoing picture ID either.
                sourceHighestPictureId = pictureId & PICTURE_ID_MASK;
                pictureIdOffset = (pictureIdOffset + 1) & PICTURE_ID_MASK;
            }
            return true;
        }
        if (delta <= -window) {
            return true;
        }
        int slot = (int) (ext & mask);
        if (inTag[slot] != ext || inState[slot] != SLOT_RESERVED) {
            return true;
        }
        inState[slot] = SLOT_DROPPED;
        holesLeft++;
        return false;
    }

    /**
     * Makes the next forwarded packet start a new segment even if it comes from the same source, as
     * when forwarding resumes after a pause: the packets skipped meanwhile were never reported with
     * {@link #drop}, and the subscriber must not see their gap.
     */
    public void requestResync() {
        if (started) {
            resyncPending = true;
        }
    }

    /**
     * Maps an outgoing sequence number (from a subscriber's NACK) back to the packet it carried.
     *
     * @return the original SSRC and sequence number packed as {@code ssrc << 16 | seq} (read them
     *     with {@link #originalSsrc(long)} and {@link #originalSeq(long)}), or {@link #NOT_FOUND} when
     *     the number is outside the window or was never assigned
     */
    public long originalOf(int outSeq) {
        int slot = reverseSlot(outSeq);
        if (slot < 0) {
            return NOT_FOUND;
        }
        return (revSsrc[slot] << 16) | revSeq[slot];
    }

    /** The SSRC part of a value returned by {@link #originalOf(int)}. */
    public static long originalSsrc(long packed) {
        return packed >>> 16;
    }

    /** The sequence number part of a value returned by {@link #originalOf(int)}. */
    public static int originalSeq(long packed) {
        return (int) (packed & RtpWrap.SEQ_MASK);
    }

    /**
     * Computes the header values for retransmitting the packet that went out as {@code outSeq},
     * using the offsets in force when it was first mapped (the source may have switched since).
     *
     * @param timestamp  the cached original packet's RTP timestamp
     * @param pictureId  its VP8 picture ID, or {@link #NO_PICTURE_ID}
     * @param tl0PicIdx  its VP8 TL0PICIDX, or {@link #NO_TL0PICIDX}
     * @return {@code false} if {@code outSeq} is no longer in the window
     */
    public boolean rewriteRetransmission(int outSeq, long timestamp, int pictureId, int tl0PicIdx,
            RewriteOutput out) {
        int slot = reverseSlot(outSeq);
        if (slot < 0) {
            return false;
        }
        out.set(outSsrc, outSeq, (timestamp - revTsOffset[slot]) & RtpWrap.TS_MASK,
                mapPictureId(pictureId, revPictureIdOffset[slot]), mapTl0(tl0PicIdx, revTl0Offset[slot]),
                false, true);
        return true;
    }

    private int reverseSlot(int outSeq) {
        if (!started) {
            return -1;
        }
        long outExt = RtpWrap.extendSeq(lastOutExt, outSeq & RtpWrap.SEQ_MASK);
        if (outExt > lastOutExt || outExt <= lastOutExt - window) {
            return -1;
        }
        int slot = (int) (outExt & mask);
        return revTag[slot] == outExt ? slot : -1;
    }

    private void startSegment(long ssrc, int seq, long timestamp, int pictureId, int tl0PicIdx, long nowUs) {
        long nextOutExt;
        long nextOutTs;
        if (started) {
            if (ssrc != sourceSsrc) {
                switches++;
                previousSsrc = sourceSsrc;
                previousHighestSeq = (int) (sourceHighestExt & RtpWrap.SEQ_MASK);
            } else {
                resyncs++;
            }
            nextOutExt = lastOutExt + 1;
            // RFC 3550 §5.1: timestamps follow the sampling clock, so the gap in timestamps must
            // match the wall-clock gap the subscriber experiences, and must be positive.
            long elapsedUs = Math.max(0L, nowUs - lastOutUs);
            long ticks = Math.max(1L, elapsedUs * clockRateHz / 1_000_000L);
            nextOutTs = (lastOutTs + ticks) & RtpWrap.TS_MASK;
        } else {
            nextOutExt = initialSeq;
            nextOutTs = initialTs;
        }
        Arrays.fill(inTag, NO_TAG);
        // Extended numbers restart with each segment; the outgoing side keeps counting.
        long ext = seq;
        sourceStartExt = ext;
        sourceHighestExt = ext - 1;
        seqOffset = ext - nextOutExt;
        tsOffset = (timestamp - nextOutTs) & RtpWrap.TS_MASK;
        if (pictureId >= 0) {
            int in = pictureId & PICTURE_ID_MASK;
            int next = lastOutPictureId >= 0 ? (lastOutPictureId + 1) & PICTURE_ID_MASK : in;
            pictureIdOffset = (in - next) & PICTURE_ID_MASK;
            sourceHighestPictureId = in;
        } else {
            pictureIdOffset = 0;
            sourceHighestPictureId = NO_PICTURE_ID;
        }
        if (tl0PicIdx >= 0) {
            int in = tl0PicIdx & TL0PICIDX_MASK;
            int next = lastOutTl0 >= 0 ? (lastOutTl0 + 1) & TL0PICIDX_MASK : in;
            tl0Offset = (in - next) & TL0PICIDX_MASK;
        } else {
            tl0Offset = 0;
        }
        sourceSsrc = ssrc;
        started = true;
        resyncPending = false;
        tooOldStreak = 0;
    }

    /** Reserves outgoing slots for the packets missing between the newest seen and {@code ext}. */
    private void reserveGap(long ext) {
        long first = Math.max(sourceHighestExt + 1, ext - window + 1);
        for (long e = first; e < ext; e++) {
            int slot = (int) (e & mask);
            long outExt = e - seqOffset;
            inTag[slot] = e;
            inState[slot] = SLOT_RESERVED;
            inOutExt[slot] = outExt;
            inPictureIdOffset[slot] = pictureIdOffset;
            inTl0Offset[slot] = tl0Offset;
            remember(outExt, e);
            lastOutExt = outExt;
        }
    }

    private void forwardNewest(int seq, long timestamp, int pictureId, int tl0PicIdx, long nowUs,
            RewriteOutput out, boolean switched) {
        long ext = RtpWrap.extendSeq(sourceHighestExt, seq);
        int slot = (int) (ext & mask);
        long outExt = ext - seqOffset;
        inTag[slot] = ext;
        inState[slot] = SLOT_SENT;
        inOutExt[slot] = outExt;
        inPictureIdOffset[slot] = pictureIdOffset;
        inTl0Offset[slot] = tl0Offset;
        remember(outExt, ext);
        sourceHighestExt = ext;
        long outTs = (timestamp - tsOffset) & RtpWrap.TS_MASK;
        lastOutExt = outExt;
        lastOutTs = outTs;
        lastOutUs = nowUs;
        int outPictureId = mapPictureId(pictureId, pictureIdOffset);
        if (outPictureId >= 0) {
            if (isNewerPictureId(pictureId & PICTURE_ID_MASK)) {
                sourceHighestPictureId = pictureId & PICTURE_ID_MASK;
            }
            if (lastOutPictureId < 0 || pictureIdDelta(outPictureId, lastOutPictureId) > 0) {
                lastOutPictureId = outPictureId;
            }
        }
        int outTl0 = mapTl0(tl0PicIdx, tl0Offset);
        if (outTl0 >= 0 && (lastOutTl0 < 0 || (byte) (outTl0 - lastOutTl0) > 0)) {
            lastOutTl0 = outTl0;
        }
        forwarded++;
        out.set(outSsrc, outExt, outTs, outPictureId, outTl0, switched, false);
    }

    private void remember(long outExt, long inExt) {
        int slot = (int) (outExt & mask);
        revTag[slot] = outExt;
        revSsrc[slot] = sourceSsrc;
        revSeq[slot] = (int) (inExt & RtpWrap.SEQ_MASK);
        revTsOffset[slot] = tsOffset;
        revPictureIdOffset[slot] = pictureIdOffset;
        revTl0Offset[slot] = tl0Offset;
    }

    private boolean isNewerPictureId(int pictureId) {
        return sourceHighestPictureId < 0 || pictureIdDelta(pictureId, sourceHighestPictureId) > 0;
    }

    /** Signed distance between two 15-bit picture IDs. */
    static int pictureIdDelta(int a, int b) {
        return ((a - b) << 17) >> 17;
    }

    private static int mapPictureId(int pictureId, int offset) {
        return pictureId < 0 ? NO_PICTURE_ID : (pictureId - offset) & PICTURE_ID_MASK;
    }

    private static int mapTl0(int tl0PicIdx, int offset) {
        return tl0PicIdx < 0 ? NO_TL0PICIDX : (tl0PicIdx - offset) & TL0PICIDX_MASK;
    }

    /** The outgoing SSRC. */
    public long outSsrc() {
        return outSsrc;
    }

    /** SSRC of the source currently forwarded, or -1 before the first packet. */
    public long sourceSsrc() {
        return started ? sourceSsrc : -1;
    }

    /** Last outgoing sequence number assigned (sent or reserved for a missing packet). */
    public int lastOutSeq() {
        return (int) (lastOutExt & RtpWrap.SEQ_MASK);
    }

    /** Packets forwarded, including out-of-order ones. */
    public long forwarded() {
        return forwarded;
    }

    /** Packets forwarded into a slot reserved earlier (reordered or recovered upstream). */
    public long forwardedOutOfOrder() {
        return forwardedOutOfOrder;
    }

    /** Packets dropped as duplicates. */
    public long duplicates() {
        return duplicates;
    }

    /** Packets dropped as older than the window. */
    public long droppedTooOld() {
        return droppedTooOld;
    }

    /** Packets dropped because they belong before the current segment. */
    public long droppedBeforeSwitch() {
        return droppedBeforeSwitch;
    }

    /** Packets reported through {@link #drop}. */
    public long droppedOnRequest() {
        return droppedOnRequest;
    }

    /** Drops that could not close the gap because the packet came after its slot was passed. */
    public long holesLeft() {
        return holesLeft;
    }

    /** Source switches (SSRC changes) after the first packet. */
    public long switches() {
        return switches;
    }

    /** Segments restarted within one source (requested resyncs, sequence jumps and resets). */
    public long resyncs() {
        return resyncs;
    }
}
