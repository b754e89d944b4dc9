package dev.palco.sfu.util;

/**
 * A {@link Clock} that only moves when told to, for deterministic tests of timers, retries and
 * timestamp arithmetic. The wall clock moves in step with the monotonic clock from a chosen epoch.
 *
 * <p>Thread-safe: time is held in a volatile field, so a test thread may advance it while
 * another thread reads it.
 */
public final class ManualClock implements Clock {

    private volatile long nanos;
    private final long wallEpochOffsetMillis;

    /** A clock at monotonic time {@code startMillis} whose wall clock reads {@code wallStartMillis} then. */
    public ManualClock(long startMillis, long wallStartMillis) {
        this.nanos = startMillis * 1_000_000L;
        this.wallEpochOffsetMillis = wallStartMillis - startMillis;
    }

    /** A clock at monotonic time {@code startMillis}, its wall clock at the same number of epoch milliseconds. */
    public ManualClock(long startMillis) {
        this(startMillis, startMillis);
    }

    @Override
    public long nowNanos() {
        return nanos;
    }

    @Override
    public long wallClockMillis() {
        return nanos / 1_000_000L + wallEpochOffsetMillis;
    }

    /** Moves time forward by {@code deltaMillis} (must not be negative: a monotonic clock never goes back). */
    public synchronized void advanceMillis(long deltaMillis) {
        advanceNanos(deltaMillis * 1_000_000L);
    }

    /** Moves time forward by {@code deltaMicros}. */
    public synchronized void advanceMicros(long deltaMicros) {
        advanceNanos(deltaMicros * 1_000L);
    }

    /** Moves time forward by {@code deltaNanos}. */
    public synchronized void advanceNanos(long deltaNanos) {
        if (deltaNanos < 0) {
            throw new IllegalArgumentException("a monotonic clock cannot go back: " + deltaNanos);
        }
        nanos += deltaNanos;
    }
}
