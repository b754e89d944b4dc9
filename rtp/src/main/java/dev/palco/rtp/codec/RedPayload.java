package dev.palco.rtp.codec;

/**
 * A reusable view over an RFC 2198 redundant audio (RED) payload: block headers, then the blocks'
 * data in the same order, the primary encoding last (RFC 2198 §3).
 *
 * <p>WebRTC uses RED for Opus, negotiated as {@code a=rtpmap:63 red/48000/2} with
 * {@code a=fmtp:63 111/111}: each packet carries the current Opus packet as its primary block and
 * the previous one or two as redundant blocks, all with the Opus payload type.
 *
 * <p>{@link #parse} validates the block structure and records every block without allocating (the
 * block tables are allocated once, with the view). {@link #rewritePayloadTypes} patches the block
 * payload types in place when a subscriber numbers the codec differently from the publisher, and
 * {@link #stripToPrimary} turns the payload into the plain primary encoding for a subscriber that
 * did not negotiate RED. The blocks' contents are not looked at. Accessors are meaningful only
 * after {@code parse} returned {@link PayloadDropReason#OK}. Not thread-safe.
 *
 * <pre>
 * RFC 2198 §3, header of a redundant block (F=1) and of the primary block (F=0, always last):
 *
 *     0                   1                   2                   3
 *     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |1|   block PT  |  timestamp offset         |   block length    |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *     0 1 2 3 4 5 6 7
 *    +-+-+-+-+-+-+-+-+
 *    |0|   Block PT  |
 *    +-+-+-+-+-+-+-+-+
 *
 *   F: another header follows (1) or this is the primary's header, the last one (0)
 *   block PT: RTP payload type of the block's data
 *   timestamp offset: 14 bits, unsigned, subtracted from the RTP header's timestamp to give the
 *     block's timestamp (redundant data is always older than the primary)
 *   block length: 10 bits, the block's data length in bytes, header excluded
 *
 * The primary's timestamp is the RTP header's, and its length is what remains of the payload
 * after the headers and the redundant blocks' data.
 * </pre>
 */
public final class RedPayload {

    /**
     * Most redundant blocks a payload may carry; more are dropped as
     * {@link PayloadDropReason#RED_TOO_MANY_BLOCKS}. RFC 2198 sets no limit; WebRTC sends 1 or 2.
     */
    public static final int MAX_REDUNDANT_BLOCKS = 16;
    /** Size of the header of a redundant block (F=1). */
    public static final int REDUNDANT_HEADER_SIZE_BYTES = 4;
    /** Size of the header of the primary block (F=0). */
    public static final int PRIMARY_HEADER_SIZE_BYTES = 1;
    /** Largest timestamp offset the 14-bit field holds. */
    public static final int MAX_TIMESTAMP_OFFSET = (1 << 14) - 1;
    /** Largest redundant block the 10-bit length field describes. */
    public static final int MAX_BLOCK_LENGTH_BYTES = (1 << 10) - 1;
    /** Largest payload type the 7-bit block PT field holds. */
    public static final int MAX_PAYLOAD_TYPE = 127;

    private static final int F_BIT = 0x80;
    private static final int PT_MASK = 0x7F;

    private final int[] redundantPayloadTypes = new int[MAX_REDUNDANT_BLOCKS];
    private final int[] redundantTimestampOffsets = new int[MAX_REDUNDANT_BLOCKS];
    private final int[] redundantOffsets = new int[MAX_REDUNDANT_BLOCKS];
    private final int[] redundantLengths = new int[MAX_REDUNDANT_BLOCKS];
    private boolean valid;
    private int off;
    private int redundantBlocks;
    private int primaryPayloadType;
    private int primaryOffset;
    private int primaryLength;
    private int headerLength;

    /** Creates an empty view; call {@link #parse} before reading it. */
    public RedPayload() {
        clear();
    }

    /**
     * Parses and validates one RED payload.
     *
     * <p>Reads only {@code buf[off .. off+len-1]}. Never throws on malformed content. A primary
     * block of zero bytes is well formed.
     *
     * @param buf array holding the RTP payload
     * @param off first byte of the RTP payload (the first block header)
     * @param len RTP payload length in bytes, without RTP padding
     * @return {@link PayloadDropReason#OK} or why the payload must be dropped
     */
    public PayloadDropReason parse(byte[] buf, int off, int len) {
        clear();
        if (len <= 0) {
            return PayloadDropReason.EMPTY_PAYLOAD;
        }
        final int end = off + len;
        int p = off;
        int blocks = 0;
        int primaryPt = -1;
        while (p < end) {
            int b0 = buf[p] & 0xFF;
            if ((b0 & F_BIT) == 0) {
                primaryPt = b0 & PT_MASK;
                p += PRIMARY_HEADER_SIZE_BYTES;
                break;
            }
            if (blocks == MAX_REDUNDANT_BLOCKS) {
                return PayloadDropReason.RED_TOO_MANY_BLOCKS;
            }
            if (end - p < REDUNDANT_HEADER_SIZE_BYTES) {
                return PayloadDropReason.RED_HEADER_TRUNCATED;
            }
            // 14-bit timestamp offset and 10-bit block length share the header's last 3 bytes.
            int rest = (buf[p + 1] & 0xFF) << 16 | (buf[p + 2] & 0xFF) << 8 | (buf[p + 3] & 0xFF);
            redundantPayloadTypes[blocks] = b0 & PT_MASK;
            redundantTimestampOffsets[blocks] = rest >>> 10;
            redundantLengths[blocks] = rest & MAX_BLOCK_LENGTH_BYTES;
            blocks++;
            p += REDUNDANT_HEADER_SIZE_BYTES;
        }
        if (primaryPt < 0) {
            return PayloadDropReason.RED_HEADER_TRUNCATED; // every header had F=1
        }
        // At most 16 * 1023 bytes, so the sum cannot overflow.
        int q = p;
        for (int i = 0; i < blocks; i++) {
            if (redundantLengths[i] > end - q) {
                return PayloadDropReason.RED_BLOCK_OVERRUN;
            }
            redundantOffsets[i] = q;
            q += redundantLengths[i];
        }
        this.off = off;
        redundantBlocks = blocks;
        primaryPayloadType = primaryPt;
        primaryOffset = q;
        primaryLength = end - q;
        headerLength = p - off;
        valid = true;
        return PayloadDropReason.OK;
    }

    private void clear() {
        valid = false;
        off = 0;
        redundantBlocks = 0;
        primaryPayloadType = -1;
        primaryOffset = -1;
        primaryLength = 0;
        headerLength = 0;
    }

    /** Number of redundant blocks (0..{@value #MAX_REDUNDANT_BLOCKS}), in the order they appear. */
    public int redundantBlocks() {
        return redundantBlocks;
    }

    /** Block PT of redundant block {@code i} (0-based, below {@link #redundantBlocks()}): 0..127. */
    public int redundantPayloadType(int i) {
        return redundantPayloadTypes[i];
    }

    /**
     * Timestamp offset of redundant block {@code i} (0..{@value #MAX_TIMESTAMP_OFFSET}): the block's
     * RTP timestamp is the RTP header's timestamp minus this, modulo 2^32 (RFC 2198 §3).
     */
    public int redundantTimestampOffset(int i) {
        return redundantTimestampOffsets[i];
    }

    /** Offset of redundant block {@code i}'s data in the payload's array. */
    public int redundantOffset(int i) {
        return redundantOffsets[i];
    }

    /** Length in bytes of redundant block {@code i}'s data (0..{@value #MAX_BLOCK_LENGTH_BYTES}). */
    public int redundantLength(int i) {
        return redundantLengths[i];
    }

    /** Block PT of the primary block (0..127). */
    public int primaryPayloadType() {
        return primaryPayloadType;
    }

    /** Offset of the primary block's data in the payload's array; it runs to the end of the payload. */
    public int primaryOffset() {
        return primaryOffset;
    }

    /** Length in bytes of the primary block's data; may be 0. */
    public int primaryLength() {
        return primaryLength;
    }

    /**
     * Length of all block headers in bytes: {@value #REDUNDANT_HEADER_SIZE_BYTES} per redundant
     * block plus {@value #PRIMARY_HEADER_SIZE_BYTES} for the primary. The first block's data starts
     * this far into the payload.
     */
    public int headerLength() {
        return headerLength;
    }

    /**
     * Rewrites in place the block PT of every header, redundant and primary, that equals
     * {@code fromPt} into {@code toPt}, keeping the F bits; the accessors follow. Timestamp offsets,
     * lengths and data are left alone. A forwarder uses this when a subscriber numbers the encoding
     * inside RED differently from the publisher (for example Opus as 111 in and 109 out); the RTP
     * header's own payload type (the RED type) is the caller's to rewrite.
     *
     * <p>Writes nothing unless the last {@link #parse} returned {@link PayloadDropReason#OK}, or
     * after {@link #stripToPrimary}.
     *
     * @param buf the array given to the last {@code parse}
     * @param fromPt payload type to replace (0..127)
     * @param toPt payload type to write (0..127)
     * @throws IllegalArgumentException if either payload type is outside 0..127
     */
    public void rewritePayloadTypes(byte[] buf, int fromPt, int toPt) {
        if (fromPt < 0 || fromPt > MAX_PAYLOAD_TYPE || toPt < 0 || toPt > MAX_PAYLOAD_TYPE) {
            throw new IllegalArgumentException("payload types must be 0..127: " + fromPt + ", " + toPt);
        }
        if (!valid) {
            return;
        }
        for (int i = 0; i < redundantBlocks; i++) {
            if (redundantPayloadTypes[i] == fromPt) {
                buf[off + i * REDUNDANT_HEADER_SIZE_BYTES] = (byte) (F_BIT | toPt);
                redundantPayloadTypes[i] = toPt;
            }
        }
        if (primaryPayloadType == fromPt) {
            buf[off + redundantBlocks * REDUNDANT_HEADER_SIZE_BYTES] = (byte) toPt;
            primaryPayloadType = toPt;
        }
    }

    /**
     * Moves the primary block's data to the start of the payload, dropping the headers and the
     * redundant blocks, so a forwarder can send the primary encoding to a subscriber that did not
     * negotiate RED. The caller then sets the RTP header's payload type to
     * {@link #primaryPayloadType()} (or the subscriber's number for it) and the packet length to
     * the RTP header plus the returned length. Bytes past the new end are left as they were.
     *
     * <p>A result of 0 means the primary block is empty; for Opus that is not a valid packet
     * (RFC 6716 §3.4 [R1]), so there is nothing to forward.
     *
     * <p>Afterwards the buffer no longer holds a RED payload: {@link #primaryPayloadType()} and
     * {@link #primaryLength()} still describe the primary, but the other accessors describe the
     * payload as it was, and {@link #rewritePayloadTypes} and {@code stripToPrimary} do nothing
     * until the next {@link #parse}.
     *
     * @param buf the array given to the last {@code parse}
     * @return the primary's length in bytes, now at the payload's offset, or -1, writing nothing,
     *     when the last {@code parse} did not return {@link PayloadDropReason#OK} or the payload
     *     was already stripped
     */
    public int stripToPrimary(byte[] buf) {
        if (!valid) {
            return -1;
        }
        System.arraycopy(buf, primaryOffset, buf, off, primaryLength);
        valid = false;
        return primaryLength;
    }
}
