package dev.palco.sfu.util;

/**
 * The time source every timing decision on the packet path reads. Injected rather than called
 * statically so that tests drive time with a {@link ManualClock} and never sleep.
 *
 * <p>{@link #nowNanos()}, {@link #nowMicros()} and {@link #nowMillis()} are <em>monotonic</em>: they
 * never go backwards and have an arbitrary origin, so they are only meaningful as differences.
 * {@link #wallClockMillis()} is the Unix epoch time used where a protocol needs absolute time
 * (the NTP timestamp of an RTCP sender report, RFC 3550 §6.4.1).
 */
public interface Clock {

    /** The system clock: {@link System#nanoTime()} and {@link System#currentTimeMillis()}. */
    Clock SYSTEM = new SystemClock();

    /** Monotonic time in nanoseconds, arbitrary origin. */
    long nowNanos();

    /** Monotonic time in microseconds, same origin as {@link #nowNanos()}. */
    default long nowMicros() {
        return nowNanos() / 1_000L;
    }

    /** Monotonic time in milliseconds, same origin as {@link #nowNanos()}. */
    default long nowMillis() {
        return nowNanos() / 1_000_000L;
    }

    /** Wall-clock time in milliseconds since the Unix epoch; may jump when the host clock is set. */
    long wallClockMillis();
}
