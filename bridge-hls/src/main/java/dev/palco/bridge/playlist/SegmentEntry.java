package dev.palco.bridge.playlist;

import java.util.List;

/**
 * One Media Segment of a media playlist, complete or still being filled with parts.
 *
 * @param msn its Media Sequence Number
 * @param uri the segment URI; null while the segment is in progress (only its parts are listed)
 * @param durationUs duration in microseconds (the sum of its parts so far, while in progress)
 * @param discontinuity whether EXT-X-DISCONTINUITY precedes it
 * @param programDateTimeMs wall-clock capture time of its first sample, epoch ms
 * @param mapUri the EXT-X-MAP (init segment) URI that applies to it
 * @param parts its parts, in order
 */
public record SegmentEntry(long msn, String uri, long durationUs, boolean discontinuity, long programDateTimeMs,
        String mapUri, List<PartEntry> parts) {

    /** Copies the parts list so the entry stays immutable. */
    public SegmentEntry {
        parts = List.copyOf(parts);
    }

    /** Whether the segment is complete (has its EXTINF and URI). */
    public boolean complete() {
        return uri != null;
    }
}
