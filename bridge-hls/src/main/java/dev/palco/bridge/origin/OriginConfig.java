package dev.palco.bridge.origin;

import dev.palco.bridge.playlist.PlaylistTiming;

/**
 * Origin settings.
 *
 * @param timing target duration, part target and server-control values shared by every playlist
 * @param windowTargetDurations how much media a playlist lists, in target durations; more than 6
 *     so that delta updates ({@code _HLS_skip}, Skip Boundary 6 x TD) have something to skip
 * @param retentionTargetDurations how long a segment and its parts stay downloadable after leaving
 *     the playlist (RFC 8216bis §6.2.2: at least 3 x TD for parts)
 * @param viewerTokenKey HMAC key for signed viewer URLs, or null to serve everyone (the default)
 */
public record OriginConfig(PlaylistTiming timing, int windowTargetDurations, int retentionTargetDurations,
        byte[] viewerTokenKey) {

    /** Checks the window and retention against RFC 8216bis §6.2.2. */
    public OriginConfig {
        if (windowTargetDurations < 3) {
            throw new IllegalArgumentException("§6.2.2: a live playlist must last at least 3 target durations");
        }
        if (retentionTargetDurations < 3) {
            throw new IllegalArgumentException("§6.2.2: parts stay downloadable 3 target durations after removal");
        }
    }

    /** Playlists of 10 target durations, retention of 3, no viewer tokens. */
    public static OriginConfig of(PlaylistTiming timing) {
        return new OriginConfig(timing, 10, 3, null);
    }

    /** RFC 8216bis §6.2.5.2: a blocked request gets 503 after three target durations. */
    public long blockingTimeoutMs() {
        return 3L * timing.targetDurationS() * 1000L;
    }

    /** How long a removed segment stays downloadable, in ms. */
    public long retentionMs() {
        return retentionTargetDurations * timing.targetDurationS() * 1000L;
    }
}
