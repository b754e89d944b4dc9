package dev.palco.sfu.util;

/**
 * Wrap-around arithmetic for RTP's 16-bit sequence numbers and 32-bit timestamps (RFC 3550 §5.1),
 * kept in one place so every SFU component compares them the same way.
 *
 * <p>Two values are compared by their signed distance modulo 2^16 (or 2^32): the newer one is the
 * one reached by going forward less than half the number space. An "extended" value is the
 * wrapped value plus the wraps seen so far, held in a {@code long} so it only ever grows; it may be
 * negative when a stream's first packets are reordered across its very first wrap, which is harmless
 * because only differences and the low bits of extended values are ever used.
 *
 * <p>Internal to the SFU: the {@code rtp} module's {@code RtpSequence} will replace this class.
 */
public final class RtpWrap {

    /** Number of distinct RTP sequence numbers (16 bits). */
    public static final int SEQ_MODULUS = 1 << 16;
    /** Mask for the low 16 bits of an extended sequence number. */
    public static final int SEQ_MASK = SEQ_MODULUS - 1;
    /** Number of distinct RTP timestamps (32 bits). */
    public static final long TS_MODULUS = 1L << 32;
    /** Mask for the low 32 bits of an extended timestamp. */
    public static final long TS_MASK = TS_MODULUS - 1;

    private RtpWrap() {
    }

    /** Signed distance {@code a - b} between two 16-bit sequence numbers, in [-32768, 32767]. */
    public static int seqDelta(int a, int b) {
        return (short) (a - b);
    }

    /** Whether sequence number {@code a} comes after {@code b} (wrap-aware). */
    public static boolean isSeqNewer(int a, int b) {
        return seqDelta(a, b) > 0;
    }

    /** The extended sequence number whose low 16 bits are {@code seq}, nearest to {@code referenceExt}. */
    public static long extendSeq(long referenceExt, int seq) {
        return referenceExt + seqDelta(seq, (int) (referenceExt & SEQ_MASK));
    }

    /** Signed distance {@code a - b} between two 32-bit timestamps, in [-2^31, 2^31 - 1]. */
    public static long tsDelta(long a, long b) {
        return (int) (a - b);
    }

    /** The extended timestamp whose low 32 bits are {@code ts}, nearest to {@code referenceExt}. */
    public static long extendTs(long referenceExt, long ts) {
        return referenceExt + tsDelta(ts, referenceExt & TS_MASK);
    }
}
