package dev.palco.bridge.cmaf;

/** Why {@link CmafSegmenter#addSample} refused a sample (the caller counts these). */
public enum SampleDropReason {
    /** Accepted. */
    OK,
    /** Accepted, but its decode-time gap was longer than a part and its duration was clamped. */
    OK_DURATION_CLAMPED,
    /** No bytes. */
    EMPTY,
    /** Decode time not after the previous sample's. */
    NON_MONOTONIC_DECODE_TIME,
    /** A non-sync sample before the first sync sample: nothing could decode it. */
    WAITING_FOR_SYNC_SAMPLE,
    /** The segmenter was finished. */
    FINISHED
}
