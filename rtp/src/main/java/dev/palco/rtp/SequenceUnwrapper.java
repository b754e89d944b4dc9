package dev.palco.rtp;

/**
 * Extends 16-bit RTP sequence numbers of one stream to a {@code long extSeq} that never wraps
 * (the "cycles" of RFC 3550 §A.1, done by shortest distance).
 *
 * <p>The first value sets the base: its extended value is the value itself. Each later value is
 * placed at the shortest wrap-around distance from the highest extended value seen so far, so a
 * reordered packet from before a wrap maps below it (65535 after 0 gives 65535, not 131071) and one
 * from after the wrap maps above it. A packet older than the first one gets a value below it,
 * possibly negative. Jumps of 32768 or more cannot be told apart from reordering; they resolve to
 * the shorter distance, as they must.
 *
 * <p>Not thread-safe: one instance per stream, on the stream's thread.
 */
public final class SequenceUnwrapper {
    private boolean started;
    private long highest;

    /** Creates an unwrapper whose next value sets the base. */
    public SequenceUnwrapper() {
    }

    /** Extends {@code seq} (low 16 bits used) and advances the highest value if it is newer. */
    public long unwrap(int seq) {
        long extended = peek(seq);
        if (!started || extended > highest) {
            highest = extended;
            started = true;
        }
        return extended;
    }

    /** The extended value {@link #unwrap} would return, without changing any state. */
    public long peek(int seq) {
        if (!started) {
            return seq & RtpSequence.MASK;
        }
        return highest + RtpSequence.diff(seq, (int) highest);
    }

    /** Whether a value has been seen since creation or the last {@link #reset}. */
    public boolean started() {
        return started;
    }

    /** The highest extended value so far; meaningful only once {@link #started()}. */
    public long highest() {
        return highest;
    }

    /** Forgets everything; the next value sets a new base (for example after an SSRC change). */
    public void reset() {
        started = false;
        highest = 0;
    }
}
