package dev.palco.bridge.cmaf;

/**
 * How a {@link CmafSegmenter} cuts a track.
 *
 * @param partTargetMs the Part Target Duration (EXT-X-PART-INF PART-TARGET). RFC 8216bis
 *     §4.4.4.9: every part is at most this long, and at least 85% of it unless it is INDEPENDENT or
 *     the last part of its segment. Pick a multiple of the frame duration (200 ms = 6 frames at
 *     30 fps); 29.97 fps cannot meet both bounds at 200 ms.
 * @param segmentMinMs a segment ends at the first sync sample at or after this much media (the
 *     encoder's GOP, 1 or 2 s)
 * @param targetDurationS EXT-X-TARGETDURATION. RFC 8216bis §4.4.3.1: every segment, rounded to the
 *     nearest second, must not exceed it; when no sync sample arrives in time the segmenter cuts
 *     without one rather than break that rule
 * @param firstMediaSequence media sequence number of the first segment
 */
public record SegmenterConfig(int partTargetMs, int segmentMinMs, int targetDurationS, long firstMediaSequence) {

    /** Validates the bounds the playlists depend on. */
    public SegmenterConfig {
        if (partTargetMs < 50 || partTargetMs > 5000) {
            throw new IllegalArgumentException("partTargetMs out of range: " + partTargetMs);
        }
        if (segmentMinMs < partTargetMs) {
            throw new IllegalArgumentException("segmentMinMs shorter than a part");
        }
        if (targetDurationS * 1000L < segmentMinMs) {
            throw new IllegalArgumentException("targetDurationS shorter than segmentMinMs");
        }
        if (firstMediaSequence < 0) {
            throw new IllegalArgumentException("negative media sequence");
        }
    }

    /** 200 ms parts, segments on the first IDR after 1 s, target duration 2 s. */
    public static SegmenterConfig lowLatencyDefaults() {
        return new SegmenterConfig(200, 1000, 2, 0);
    }
}
