package dev.palco.rtp;

/**
 * Extends 32-bit RTP timestamps of one stream to a {@code long} that never wraps, by shortest
 * distance from the highest value seen so far, exactly like {@link SequenceUnwrapper}: the first
 * value sets the base, reordered values near a wrap land on the correct side of it, and values
 * older than the first may be below it (possibly negative).
 *
 * <p>Not thread-safe: one instance per stream, on the stream's thread.
 */
public final class TimestampUnwrapper {
    private boolean started;
    private long highest;

    /** Creates an unwrapper whose next value sets the base. */
    public TimestampUnwrapper() {
    }

    /** Extends {@code ts} (low 32 bits used) and advances the highest value if it is newer. */
    public long unwrap(long ts) {
        long extended = peek(ts);
        if (!started || extended > highest) {
            highest = extended;
            started = true;
        }
        return extended;
    }

    /** The extended value {@link #unwrap} would return, without changing any state. */
    public long peek(long ts) {
        if (!started) {
            return ts & RtpTimestamp.MASK;
        }
        return highest + RtpTimestamp.diff(ts, highest);
    }

    /** Whether a value has been seen since creation or the last {@link #reset}. */
    public boolean started() {
        return started;
    }

    /** The highest extended value so far; meaningful only once {@link #started()}. */
    public long highest() {
        return highest;
    }

    /** Forgets everything; the next value sets a new base. */
    public void reset() {
        started = false;
        highest = 0;
    }
}
