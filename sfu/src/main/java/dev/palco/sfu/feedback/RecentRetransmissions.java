package dev.palco.sfu.feedback;

/**
 * When each recent outgoing sequence number of one stream was last retransmitted, so that a
 * subscriber repeating its NACK (RFC 4585 §6.2.1) before the first answer could have reached it is
 * not answered again: the repeat crossed the retransmission in flight, and a second copy would
 * only add to the congestion that probably caused the loss.
 *
 * <p>A ring of {@code slots} entries (a power of two) indexed by the 16-bit sequence number. Each
 * slot keeps the sequence number it was written for along with the time, so a slot reused by a
 * number {@code slots} (or 65536) apart is recognised as another packet and not mistaken for a
 * recent retransmission. Two primitive arrays, allocated once; nothing is allocated per lookup.
 *
 * <p>Not thread-safe: the owner calls it under its own lock (the subscriber's send lock).
 */
public final class RecentRetransmissions {
    /** {@link #lastSentMs} of a sequence number with no retransmission remembered. */
    public static final long NEVER = Long.MIN_VALUE;
    private static final int EMPTY = -1;

    private final int mask;
    private final int[] seqBySlot;
    private final long[] sentAtMsBySlot;

    /**
     * @param slots sequence numbers remembered, a power of two in [2, 65536]; sized like the packet
     *     cache, since a packet no longer cached cannot be retransmitted anyway
     */
    public RecentRetransmissions(int slots) {
        if (slots < 2 || slots > 65_536 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two in [2, 65536]: " + slots);
        }
        this.mask = slots - 1;
        this.seqBySlot = new int[slots];
        this.sentAtMsBySlot = new long[slots];
        java.util.Arrays.fill(seqBySlot, EMPTY);
    }

    /** When {@code seq} was last retransmitted, or {@link #NEVER} if that is not remembered. */
    public long lastSentMs(int seq) {
        int s = seq & 0xFFFF;
        int slot = s & mask;
        return seqBySlot[slot] == s ? sentAtMsBySlot[slot] : NEVER;
    }

    /**
     * Whether {@code seq} was retransmitted less than {@code intervalMs} before {@code nowMs}. A time
     * before the recorded one (a clock read out of order) counts as within the interval.
     */
    public boolean sentWithin(int seq, long nowMs, long intervalMs) {
        long last = lastSentMs(seq);
        return last != NEVER && nowMs - last < intervalMs;
    }

    /** Remembers that {@code seq} was retransmitted at {@code nowMs}, displacing whatever shared its slot. */
    public void record(int seq, long nowMs) {
        int s = seq & 0xFFFF;
        int slot = s & mask;
        seqBySlot[slot] = s;
        sentAtMsBySlot[slot] = nowMs;
    }

    /** Sequence numbers the ring can tell apart at once. */
    public int slots() {
        return mask + 1;
    }
}
