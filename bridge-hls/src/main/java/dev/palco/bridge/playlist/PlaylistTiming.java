package dev.palco.bridge.playlist;

/**
 * The timing attributes every media playlist of a presentation shares (RFC 8216bis §6.2.4: all
 * media playlists carry the same EXT-X-SERVER-CONTROL and the same target duration).
 *
 * @param targetDurationS EXT-X-TARGETDURATION
 * @param partTargetUs EXT-X-PART-INF PART-TARGET
 * @param partHoldBackUs PART-HOLD-BACK: §4.4.3.8 requires at least 2x, and recommends 3x, the part
 *     target
 * @param holdBackUs HOLD-BACK: at least 3x the target duration (§4.4.3.8)
 * @param canSkipUntilUs CAN-SKIP-UNTIL, the Skip Boundary: at least 6x the target duration
 *     (§4.4.3.8)
 */
public record PlaylistTiming(int targetDurationS, long partTargetUs, long partHoldBackUs, long holdBackUs,
        long canSkipUntilUs) {

    private static final long US_PER_S = 1_000_000L;

    /** Enforces the lower bounds of RFC 8216bis §4.4.3.8. */
    public PlaylistTiming {
        if (targetDurationS < 1) {
            throw new IllegalArgumentException("target duration below 1 s");
        }
        if (partTargetUs <= 0 || partTargetUs > targetDurationS * US_PER_S) {
            throw new IllegalArgumentException("part target out of range");
        }
        if (partHoldBackUs < 3 * partTargetUs) {
            throw new IllegalArgumentException("PART-HOLD-BACK must be at least 3 x PART-TARGET");
        }
        if (holdBackUs < 3 * targetDurationS * US_PER_S) {
            throw new IllegalArgumentException("HOLD-BACK must be at least 3 x TARGETDURATION");
        }
        if (canSkipUntilUs < 6 * targetDurationS * US_PER_S) {
            throw new IllegalArgumentException("CAN-SKIP-UNTIL must be at least 6 x TARGETDURATION");
        }
    }

    /** The smallest values the spec allows (PART-HOLD-BACK at the recommended 3x). */
    public static PlaylistTiming of(int targetDurationS, long partTargetUs) {
        return new PlaylistTiming(targetDurationS, partTargetUs, 3 * partTargetUs, 3 * targetDurationS * US_PER_S,
                6 * targetDurationS * US_PER_S);
    }

    /** Target duration in microseconds. */
    public long targetDurationUs() {
        return targetDurationS * US_PER_S;
    }

    /**
     * The Advance Part Limit of RFC 8216bis §6.2.5.2: three divided by the part target (in
     * seconds) when it is below one second, three otherwise.
     */
    public int advancePartLimit() {
        return partTargetUs < US_PER_S ? (int) Math.ceil(3.0 * US_PER_S / partTargetUs) : 3;
    }
}
