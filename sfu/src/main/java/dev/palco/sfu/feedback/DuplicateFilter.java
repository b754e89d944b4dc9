package dev.palco.sfu.feedback;

import dev.palco.sfu.util.RtpWrap;

/**
 * Drops RTP packets whose sequence number was already seen on a stream: a packet recovered by RTX
 * after the original did arrive late, a packet NACKed twice and retransmitted twice, or a replay.
 *
 * <p>A sliding window of {@code windowPackets} bits ending at the highest sequence number seen,
 * like the SRTP replay list of RFC 3711 §3.3.2, but on the 16-bit sequence number extended across
 * wraps. A packet older than the window cannot be checked and is refused as too old. Should a
 * stream restart its numbers far behind the window, refusing it forever would silence it, so a run
 * of {@link #TOO_OLD_RESYNC_PACKETS} consecutive too-old packets restarts the window there.
 *
 * <p>Not thread-safe: confine to the stream's receive thread.
 */
public final class DuplicateFilter {

    /** Default window: about one second of video at 1000 packets per second. */
    public static final int DEFAULT_WINDOW_PACKETS = 1024;
    /** Consecutive too-old packets after which the window restarts at the newest of them. */
    public static final int TOO_OLD_RESYNC_PACKETS = 16;

    private final int window;
    private final long[] bits;
    private boolean started;
    private long highestExt;
    private int tooOldStreak;

    private long accepted;
    private long duplicates;
    private long tooOld;
    private long resyncs;

    /** @param windowPackets window size, a power of two in [64, 16384] */
    public DuplicateFilter(int windowPackets) {
        if (windowPackets < 64 || windowPackets > 16384 || Integer.bitCount(windowPackets) != 1) {
            throw new IllegalArgumentException("windowPackets must be a power of two in [64, 16384]: "
                    + windowPackets);
        }
        this.window = windowPackets;
        this.bits = new long[windowPackets >>> 6];
    }

    /** A filter with the {@link #DEFAULT_WINDOW_PACKETS default window}. */
    public DuplicateFilter() {
        this(DEFAULT_WINDOW_PACKETS);
    }

    /**
     * @return {@code true} if {@code seq} is new and the packet should be processed; {@code false}
     *     for a duplicate or a packet too old to tell
     */
    public boolean accept(int seq) {
        seq &= RtpWrap.SEQ_MASK;
        if (!started) {
            restartAt(seq);
            return true;
        }
        long ext = RtpWrap.extendSeq(highestExt, seq);
        long delta = ext - highestExt;
        if (delta > 0) {
            tooOldStreak = 0;
            if (delta >= window) {
                java.util.Arrays.fill(bits, 0L);
            } else {
                for (long e = highestExt + 1; e < ext; e++) {
                    clear(e);
                }
            }
            set(ext);
            highestExt = ext;
            accepted++;
            return true;
        }
        if (delta <= -window) {
            tooOld++;
            if (++tooOldStreak >= TOO_OLD_RESYNC_PACKETS) {
                resyncs++;
                restartAt(seq);
                return true;
            }
            return false;
        }
        tooOldStreak = 0;
        if (isSet(ext)) {
            duplicates++;
            return false;
        }
        set(ext);
        accepted++;
        return true;
    }

    private void restartAt(int seq) {
        java.util.Arrays.fill(bits, 0L);
        started = true;
        highestExt = seq;
        tooOldStreak = 0;
        set(highestExt);
        accepted++;
    }

    private int bitIndex(long ext) {
        return (int) (ext & (window - 1));
    }

    private boolean isSet(long ext) {
        int i = bitIndex(ext);
        return (bits[i >>> 6] & (1L << i)) != 0;
    }

    private void set(long ext) {
        int i = bitIndex(ext);
        bits[i >>> 6] |= 1L << i;
    }

    private void clear(long ext) {
        int i = bitIndex(ext);
        bits[i >>> 6] &= ~(1L << i);
    }

    /** Packets accepted as new. */
    public long accepted() {
        return accepted;
    }

    /** Packets refused as already seen (RTX duplicates, double retransmissions, replays). */
    public long duplicates() {
        return duplicates;
    }

    /** Packets refused as older than the window. */
    public long tooOld() {
        return tooOld;
    }

    /** Window restarts after a run of too-old packets. */
    public long resyncs() {
        return resyncs;
    }
}
