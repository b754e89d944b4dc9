package dev.palco.rtp;

/**
 * Wrap-aware arithmetic on 16-bit RTP sequence numbers (RFC 3550 §5.1, with the serial-number
 * comparison of RFC 1982). Values are {@code int} in 0..65535; arguments may carry higher bits,
 * which are ignored.
 *
 * <p>Two sequence numbers exactly half the space apart (32768) are ambiguous: {@link #diff}
 * returns -32768 for them in either order and {@link #isNewer} calls neither newer, so that
 * {@code isNewer(a, b) == (diff(a, b) > 0)} always holds.
 */
public final class RtpSequence {
    /** Number of distinct sequence numbers. */
    public static final int MODULUS = 1 << 16;
    /** Mask selecting the 16 sequence-number bits. */
    public static final int MASK = MODULUS - 1;

    private RtpSequence() {
    }

    /** Whether {@code a} comes after {@code b} in wrap-around order (false when equal). */
    public static boolean isNewer(int a, int b) {
        return diff(a, b) > 0;
    }

    /**
     * Signed shortest distance {@code a - b}, in -32768..32767: positive when {@code a} is newer.
     * For example {@code diff(0, 65535) == 1} and {@code diff(65535, 0) == -1}.
     */
    public static int diff(int a, int b) {
        return (short) (a - b);
    }

    /** {@code seq + delta} modulo 2^16; {@code delta} may be negative. */
    public static int add(int seq, int delta) {
        return (seq + delta) & MASK;
    }
}
