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

    /**
     * What the server broadcasts with. Target duration 2 s (one-second GOPs), parts of 200 ms
     * (three frames at 15 fps, six at 30). PART-HOLD-BACK is six parts rather than the three
     * §4.4.3.8 recommends as a minimum. hls.js plays faster to reach that target, and a target
     * below what the bridge sustains drains the player's buffer. With three or four parts it
     * stalled when a part came a little late on a busy machine, and then raised its own target to
     * 1.6 s. With five (1.0 s) it settled at 1.2 s, and one catch-up to 0.99 s emptied the buffer
     * in a CI run (a stall at 16.5 s with 0.19 s buffered). Six aims where the player settles
     * anyway, still well inside the audience's two-second budget.
     */
    public static final PlaylistTiming BROADCAST =
            new PlaylistTiming(2, 200_000, 1_200_000, 6_000_000, 12_000_000);

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
