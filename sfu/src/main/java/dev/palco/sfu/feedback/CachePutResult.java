package dev.palco.sfu.feedback;

/** Outcome of {@link PacketCache#put}. */
public enum CachePutResult {
    /** The packet was copied into the cache. */
    STORED,
    /** A packet with the same sequence number is already cached; the first copy is kept. */
    DUPLICATE,
    /** Older than the cache's window: it would evict newer packets. */
    TOO_OLD,
    /** Longer than a pool buffer. */
    TOO_LARGE,
    /** {@code (off, len)} does not lie within the source array. */
    BAD_BOUNDS
}
