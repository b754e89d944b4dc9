package dev.palco.bridge.cmaf;

/**
 * Receives what a {@link CmafSegmenter} cuts, in order: for each segment, one
 * {@link #onSegmentStart}, one or more {@link #onPart}, then one {@link #onSegmentEnd}. Called on the
 * segmenter's thread.
 */
public interface SegmenterListener {

    /**
     * A new segment begins with the next part.
     *
     * @param msn its media sequence number
     * @param discontinuity whether an EXT-X-DISCONTINUITY precedes it
     * @param captureTimeMs wall-clock capture time (epoch ms) of its first sample, for
     *     EXT-X-PROGRAM-DATE-TIME
     */
    void onSegmentStart(long msn, boolean discontinuity, long captureTimeMs);

    /**
     * A part is complete. The bytes are a view valid only during the call: copy them to keep them.
     *
     * @param msn media sequence number of the parent segment
     * @param partIndex index of the part in its segment, from 0
     * @param independent whether the part starts with a sync sample (INDEPENDENT=YES)
     * @param durationUs duration in microseconds
     */
    void onPart(long msn, int partIndex, boolean independent, long durationUs, byte[] buf, int off, int len);

    /**
     * The segment is complete.
     *
     * @param durationUs the segment's duration in microseconds: the sum of its parts
     */
    void onSegmentEnd(long msn, long durationUs);
}
