package dev.palco.sfu.feedback;

/**
 * Bounds the retransmissions one subscriber's NACKs (RFC 4585 §6.2.1) can draw from the SFU, so
 * that loss on a congested path does not turn into a repair storm: more loss, more NACKs, more
 * retransmissions on the same path, more loss. Two guards, checked before a NACKed packet is
 * copied out of the cache, so that a refused request costs a few array reads:
 *
 * <ul>
 *   <li><b>Once per round trip per packet.</b> A sequence number retransmitted less than one RTT
 *       ago is not sent again: the repeated NACK left the subscriber before our copy could reach
 *       it (RFC 4588 §3 leaves the choice of what to retransmit to the sender; libwebrtc's packet
 *       history applies the same minimum time between two retransmissions of a packet). The RTT
 *       has a floor of {@value #MIN_RTT_MS} ms, since a loopback or LAN RTT of a millisecond would
 *       otherwise allow a copy per NACK timer tick, and is {@value #DEFAULT_RTT_MS} ms while no
 *       report has measured it. The times live in the subscription's
 *       {@link RecentRetransmissions}, because sequence numbers are per outgoing stream.</li>
 *   <li><b>A share of the bandwidth estimate.</b> The bytes retransmitted to the subscriber over
 *       the last second (all its streams) may not exceed {@value #DEFAULT_BUDGET_PERCENT}% of its
 *       current estimate, and never less than {@value #DEFAULT_MIN_BUDGET_BPS} bit/s. libwebrtc
 *       limits retransmissions to the whole target rate, but there the encoder shrinks its output
 *       as the rate is used by repair; an SFU keeps forwarding the layers already chosen (the
 *       allocation steps down only at a keyframe), so repair at the whole estimate would come on
 *       top of media that already fills it and double what is sent. Half leaves the media its
 *       share while still repairing a few percent of loss with ample margin. The floor keeps
 *       repair possible under a collapsed estimate: 100 kbit/s is about ten full-size video
 *       packets, or all of an audio stream's packets, per second.</li>
 * </ul>
 *
 * <p>The second is measured over a window of {@value #BUCKETS} buckets of {@value #BUCKET_MS} ms
 * (the current one and the nine before), in a fixed array. A request is admitted while the window
 * holds less than the budget, and charged its real size once sent: the size is not known before
 * the cache copy this check exists to avoid, so the budget may be exceeded by the one packet that
 * crosses it.
 *
 * <p>Times are passed in (milliseconds of the SFU's clock). Not thread-safe: one per subscriber,
 * used under its send lock. Nothing is allocated after construction.
 */
public final class RetransmissionLimiter {
    /** The shortest time between two retransmissions of one packet, whatever the measured RTT. */
    public static final long MIN_RTT_MS = 20;
    /** The time between two retransmissions of one packet while no RTT has been measured. */
    public static final long DEFAULT_RTT_MS = 100;
    /** Share of the bandwidth estimate retransmissions may take, in percent. */
    public static final int DEFAULT_BUDGET_PERCENT = 50;
    /** The least retransmission rate allowed, however low the estimate. */
    public static final long DEFAULT_MIN_BUDGET_BPS = 100_000;
    /** Buckets in the rate window. */
    public static final int BUCKETS = 10;
    /** Length of one bucket. */
    public static final long BUCKET_MS = 100;
    /** Length of the rate window. */
    public static final long WINDOW_MS = BUCKETS * BUCKET_MS;

    /** What to do with one NACKed sequence number. */
    public enum Verdict {
        /** Retransmit it (then call {@link #onRetransmitted}). */
        SEND,
        /** Already retransmitted within the last RTT: the NACK crossed the copy in flight. */
        SUPPRESSED_RECENT,
        /** The subscriber's retransmission budget for the last second is spent. */
        RATE_LIMITED
    }

    private final int budgetPercent;
    private final long minBudgetBps;
    private final long[] bytesByBucket = new long[BUCKETS];
    /** The absolute bucket number ({@code nowMs / BUCKET_MS}) the window ends in. */
    private long headBucket;
    private boolean started;
    private long windowBytes;

    /** The default share ({@value #DEFAULT_BUDGET_PERCENT}%) and floor ({@value #DEFAULT_MIN_BUDGET_BPS} bit/s). */
    public RetransmissionLimiter() {
        this(DEFAULT_BUDGET_PERCENT, DEFAULT_MIN_BUDGET_BPS);
    }

    /**
     * @param budgetPercent share of the estimate retransmissions may take, in (0, 100]
     * @param minBudgetBps the least retransmission rate allowed, at least 0
     */
    public RetransmissionLimiter(int budgetPercent, long minBudgetBps) {
        if (budgetPercent <= 0 || budgetPercent > 100 || minBudgetBps < 0) {
            throw new IllegalArgumentException("budgetPercent " + budgetPercent + ", minBudgetBps " + minBudgetBps);
        }
        this.budgetPercent = budgetPercent;
        this.minBudgetBps = minBudgetBps;
    }

    /** The time one retransmitted packet is not retransmitted again, for an RTT ({@code < 0}: unknown). */
    public static long minIntervalMs(long rttMs) {
        return rttMs < 0 ? DEFAULT_RTT_MS : Math.max(MIN_RTT_MS, rttMs);
    }

    /** The retransmission rate allowed under an estimate: its share, at least the floor. */
    public long budgetBps(long estimateBps) {
        long share = Math.max(0, estimateBps) / 100 * budgetPercent;
        return Math.max(minBudgetBps, share);
    }

    /** The bytes the rate window may hold under an estimate. */
    public long budgetBytes(long estimateBps) {
        return budgetBps(estimateBps) * WINDOW_MS / 8_000;
    }

    /**
     * Decides on one NACKed sequence number of a stream before anything is copied.
     *
     * @param recent the stream's last retransmission times
     * @param seq the outgoing sequence number asked for
     * @param rttMs the subscriber's smoothed RTT, negative if not measured yet
     * @param estimateBps the subscriber's current bandwidth estimate
     * @param nowMs the current time
     */
    public Verdict check(RecentRetransmissions recent, int seq, long rttMs, long estimateBps, long nowMs) {
        if (recent.sentWithin(seq, nowMs, minIntervalMs(rttMs))) {
            return Verdict.SUPPRESSED_RECENT;
        }
        if (windowBytes(nowMs) >= budgetBytes(estimateBps)) {
            return Verdict.RATE_LIMITED;
        }
        return Verdict.SEND;
    }

    /** Records a retransmission that was sent: its time for the packet, its bytes for the rate. */
    public void onRetransmitted(RecentRetransmissions recent, int seq, int bytes, long nowMs) {
        recent.record(seq, nowMs);
        advance(nowMs);
        int slot = (int) Math.floorMod(headBucket, (long) BUCKETS);
        bytesByBucket[slot] += bytes;
        windowBytes += bytes;
    }

    /** Bytes retransmitted in the window ending at {@code nowMs}. */
    public long windowBytes(long nowMs) {
        advance(nowMs);
        return windowBytes;
    }

    /** Moves the window's end to {@code nowMs}, emptying the buckets it leaves behind. */
    private void advance(long nowMs) {
        long bucket = Math.floorDiv(nowMs, BUCKET_MS);
        if (!started) {
            started = true;
            headBucket = bucket;
            return;
        }
        if (bucket <= headBucket) {
            // Same bucket, or a time read out of order: charge it to the current bucket.
            return;
        }
        long steps = Math.min(bucket - headBucket, BUCKETS);
        for (long i = 1; i <= steps; i++) {
            int slot = (int) Math.floorMod(headBucket + i, (long) BUCKETS);
            windowBytes -= bytesByBucket[slot];
            bytesByBucket[slot] = 0;
        }
        headBucket = bucket;
    }
}
