package dev.palco.rtp;

/**
 * Wrap-aware arithmetic on 32-bit RTP timestamps (RFC 3550 §5.1). Values are {@code long} in
 * 0..2^32-1; arguments may carry higher bits, which are ignored. Timestamps exactly 2^31 apart are
 * ambiguous and, as in {@link RtpSequence}, neither is newer: {@code isNewer(a, b) == (diff(a, b) > 0)}.
 */
public final class RtpTimestamp {
    /** Number of distinct timestamps. */
    public static final long MODULUS = 1L << 32;
    /** Mask selecting the 32 timestamp bits. */
    public static final long MASK = MODULUS - 1;

    private RtpTimestamp() {
    }

    /** Whether {@code a} comes after {@code b} in wrap-around order (false when equal). */
    public static boolean isNewer(long a, long b) {
        return diff(a, b) > 0;
    }

    /** Signed shortest distance {@code a - b} in ticks, in -2^31..2^31-1. */
    public static int diff(long a, long b) {
        return (int) (a - b);
    }

    /** {@code ts + delta} modulo 2^32; {@code delta} may be negative. */
    public static long add(long ts, long delta) {
        return (ts + delta) & MASK;
    }
}
