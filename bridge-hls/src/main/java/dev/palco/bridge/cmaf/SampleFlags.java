package dev.palco.bridge.cmaf;

/**
 * The 32-bit sample flags of {@code trun}, {@code tfhd} and {@code trex}.
 *
 * <pre>
 * ISO/IEC 14496-12 §8.8.3.1:
 *
 *   bit(4)  reserved = 0;
 *   uint(2) is_leading;
 *   uint(2) sample_depends_on;          // 1: depends on others (not I), 2: does not (I)
 *   uint(2) sample_is_depended_on;
 *   uint(2) sample_has_redundancy;
 *   bit(3)  sample_padding_value;
 *   bit(1)  sample_is_non_sync_sample;
 *   uint(16) sample_degradation_priority;
 * </pre>
 *
 * <p>Players (MSE in particular) find random-access points from these flags, so a sync sample must
 * say "depends on nothing" and "is a sync sample", and every other sample must say the opposite.
 */
public final class SampleFlags {

    /** An IDR picture or an audio frame: sample_depends_on = 2, sample_is_non_sync_sample = 0. */
    public static final int SYNC = 2 << 24;

    /** A predicted picture: sample_depends_on = 1, sample_is_non_sync_sample = 1. */
    public static final int NON_SYNC = 1 << 24 | 1 << 16;

    private SampleFlags() {
    }

    /** sample_depends_on of {@code flags}. */
    public static int dependsOn(int flags) {
        return flags >>> 24 & 0x3;
    }

    /** sample_is_non_sync_sample of {@code flags}. */
    public static boolean isNonSync(int flags) {
        return (flags >>> 16 & 0x1) != 0;
    }
}
