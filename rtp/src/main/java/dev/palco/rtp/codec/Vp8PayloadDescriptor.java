package dev.palco.rtp.codec;

/**
 * A reusable view over the VP8 payload descriptor at the start of an RTP payload (RFC 7741 §4.2),
 * and over the VP8 payload header that follows it in the first packet of a frame (RFC 7741 §4.3).
 *
 * <p>One instance is meant to live with one receive path: {@link #parse} fills it without
 * allocating, the accessors read what was parsed, and {@link #rewritePictureId} /
 * {@link #rewriteTl0PicIdx} patch the parsed packet in place when a forwarder switches streams.
 * Accessors are meaningful only after {@code parse} returned {@link PayloadDropReason#OK}. Not
 * thread-safe.
 *
 * <pre>
 * RFC 7741 §4.2, payload descriptor (7-bit picture ID on the left, 15-bit on the right):
 *
 *          0 1 2 3 4 5 6 7                      0 1 2 3 4 5 6 7
 *         +-+-+-+-+-+-+-+-+                   +-+-+-+-+-+-+-+-+
 *         |X|R|N|S|R| PID | (REQUIRED)        |X|R|N|S|R| PID | (REQUIRED)
 *         +-+-+-+-+-+-+-+-+                   +-+-+-+-+-+-+-+-+
 *    X:   |I|L|T|K| RSV   | (OPTIONAL)   X:   |I|L|T|K| RSV   | (OPTIONAL)
 *         +-+-+-+-+-+-+-+-+                   +-+-+-+-+-+-+-+-+
 *    I:   |M| PictureID   | (OPTIONAL)   I:   |M| PictureID   | (OPTIONAL)
 *         +-+-+-+-+-+-+-+-+                   +-+-+-+-+-+-+-+-+
 *    L:   |   TL0PICIDX   | (OPTIONAL)        |   PictureID   |
 *         +-+-+-+-+-+-+-+-+                   +-+-+-+-+-+-+-+-+
 *    T/K: |TID|Y| KEYIDX  | (OPTIONAL)   L:   |   TL0PICIDX   | (OPTIONAL)
 *         +-+-+-+-+-+-+-+-+                   +-+-+-+-+-+-+-+-+
 *                                        T/K: |TID|Y| KEYIDX  | (OPTIONAL)
 *                                             +-+-+-+-+-+-+-+-+
 *
 * RFC 7741 §4.3, VP8 payload header (only when S=1 and PID=0), then for key frames the
 * RFC 6386 §9.1 start code and dimensions:
 *
 *          0 1 2 3 4 5 6 7
 *         +-+-+-+-+-+-+-+-+
 *         |Size0|H| VER |P|     P: inverse key frame flag (0 = key frame)
 *         +-+-+-+-+-+-+-+-+     H: show_frame, VER: version
 *         |     Size1     |     first partition size = Size0 + 8*Size1 + 2048*Size2
 *         +-+-+-+-+-+-+-+-+
 *         |     Size2     |
 *         +-+-+-+-+-+-+-+-+
 *         | 0x9d 0x01 0x2a|     key frames only: start code
 *         +-+-+-+-+-+-+-+-+
 *         | scale(2)|width(14)  |  little endian 16 bits
 *         | scale(2)|height(14) |  little endian 16 bits
 *         +-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Vp8PayloadDescriptor {

    /** Size of the mandatory first descriptor octet. */
    public static final int MIN_DESCRIPTOR_SIZE_BYTES = 1;
    /** Size of the VP8 payload header (frame tag) present when S=1 and PID=0 (RFC 7741 §4.3). */
    public static final int PAYLOAD_HEADER_SIZE_BYTES = 3;
    /** Frame tag, start code and both dimensions of a key frame (RFC 6386 §9.1). */
    public static final int KEYFRAME_HEADER_SIZE_BYTES = 10;
    /** Picture IDs wrap at this value when the descriptor carries the 7-bit form (M=0). */
    public static final int PICTURE_ID_7BIT_MODULUS = 1 << 7;
    /** Picture IDs wrap at this value when the descriptor carries the 15-bit form (M=1). */
    public static final int PICTURE_ID_15BIT_MODULUS = 1 << 15;

    private static final int START_CODE_0 = 0x9d;
    private static final int START_CODE_1 = 0x01;
    private static final int START_CODE_2 = 0x2a;
    private static final int DIMENSION_MASK = 0x3FFF;

    private byte[] buf;
    private int off;
    private int len;

    private boolean extended;
    private boolean nonReference;
    private boolean startOfPartition;
    private int partitionIndex;
    private int pictureId;
    private int pictureIdBits;
    private int pictureIdOffset;
    private int tl0PicIdx;
    private int tl0PicIdxOffset;
    private int temporalLayerId;
    private boolean layerSync;
    private int keyIndex;
    private int descriptorLength;
    private boolean keyframe;
    private boolean showFrame;
    private int firstPartitionSizeBytes;
    private int widthPx;
    private int heightPx;

    /** Creates an empty view; call {@link #parse} before reading it. */
    public Vp8PayloadDescriptor() {
        clear();
    }

    /**
     * Parses the descriptor, and the VP8 payload header when this packet starts a frame.
     *
     * <p>Reads only {@code buf[off .. off+len-1]} and keeps a reference to {@code buf} so the rewrite
     * methods can patch it in place. Never throws on malformed content.
     *
     * @param buf array holding the RTP payload
     * @param off first byte of the RTP payload
     * @param len RTP payload length in bytes, without RTP padding
     * @return {@link PayloadDropReason#OK} or why the payload must be dropped
     */
    public PayloadDropReason parse(byte[] buf, int off, int len) {
        clear();
        if (len <= 0) {
            return PayloadDropReason.EMPTY_PAYLOAD;
        }
        this.buf = buf;
        this.off = off;
        this.len = len;
        final int end = off + len;
        int p = off;

        int b0 = buf[p++] & 0xFF;
        extended = (b0 & 0x80) != 0;
        // The two R bits MUST be ignored by receivers (RFC 7741 §4.2), so they are not checked.
        nonReference = (b0 & 0x20) != 0;
        startOfPartition = (b0 & 0x10) != 0;
        partitionIndex = b0 & 0x07;

        if (extended) {
            if (p >= end) {
                return PayloadDropReason.VP8_DESCRIPTOR_TRUNCATED;
            }
            int x = buf[p++] & 0xFF;
            boolean hasPictureId = (x & 0x80) != 0;
            boolean hasTl0PicIdx = (x & 0x40) != 0;
            boolean hasTid = (x & 0x20) != 0;
            boolean hasKeyIdx = (x & 0x10) != 0;
            if (hasPictureId) {
                if (p >= end) {
                    return PayloadDropReason.VP8_DESCRIPTOR_TRUNCATED;
                }
                int pb = buf[p] & 0xFF;
                if ((pb & 0x80) != 0) {
                    // M=1: the picture ID continues into the next octet (15 bits in total).
                    if (p + 1 >= end) {
                        return PayloadDropReason.VP8_DESCRIPTOR_TRUNCATED;
                    }
                    pictureId = ((pb & 0x7F) << 8) | (buf[p + 1] & 0xFF);
                    pictureIdBits = 15;
                    pictureIdOffset = p;
                    p += 2;
                } else {
                    pictureId = pb;
                    pictureIdBits = 7;
                    pictureIdOffset = p;
                    p += 1;
                }
            }
            if (hasTl0PicIdx) {
                if (p >= end) {
                    return PayloadDropReason.VP8_DESCRIPTOR_TRUNCATED;
                }
                tl0PicIdx = buf[p] & 0xFF;
                tl0PicIdxOffset = p;
                p++;
            }
            if (hasTid || hasKeyIdx) {
                // One octet serves both T and K; the half whose bit is clear MUST be ignored (RFC 7741 §4.2).
                if (p >= end) {
                    return PayloadDropReason.VP8_DESCRIPTOR_TRUNCATED;
                }
                int tk = buf[p] & 0xFF;
                if (hasTid) {
                    temporalLayerId = tk >>> 6;
                    layerSync = (tk & 0x20) != 0;
                }
                if (hasKeyIdx) {
                    keyIndex = tk & 0x1F;
                }
                p++;
            }
        }
        descriptorLength = p - off;
        if (p >= end) {
            return PayloadDropReason.VP8_NO_PAYLOAD_DATA;
        }

        if (startOfPartition && partitionIndex == 0) {
            // First packet of a frame: the VP8 payload header must be here (RFC 7741 §4.3).
            if (end - p < PAYLOAD_HEADER_SIZE_BYTES) {
                return PayloadDropReason.VP8_PAYLOAD_HEADER_TRUNCATED;
            }
            int tag = (buf[p] & 0xFF) | (buf[p + 1] & 0xFF) << 8 | (buf[p + 2] & 0xFF) << 16;
            keyframe = (tag & 0x01) == 0;
            showFrame = (tag & 0x10) != 0;
            firstPartitionSizeBytes = tag >>> 5;
            if (keyframe && end - p >= KEYFRAME_HEADER_SIZE_BYTES) {
                if ((buf[p + 3] & 0xFF) != START_CODE_0
                        || (buf[p + 4] & 0xFF) != START_CODE_1
                        || (buf[p + 5] & 0xFF) != START_CODE_2) {
                    keyframe = false;
                    return PayloadDropReason.VP8_BAD_KEYFRAME_START_CODE;
                }
                // 14-bit dimensions; the top 2 bits are the upscaling mode, which does not change
                // the coded size (RFC 6386 §9.1).
                widthPx = ((buf[p + 6] & 0xFF) | (buf[p + 7] & 0xFF) << 8) & DIMENSION_MASK;
                heightPx = ((buf[p + 8] & 0xFF) | (buf[p + 9] & 0xFF) << 8) & DIMENSION_MASK;
            }
        }
        return PayloadDropReason.OK;
    }

    private void clear() {
        buf = null;
        off = 0;
        len = 0;
        extended = false;
        nonReference = false;
        startOfPartition = false;
        partitionIndex = 0;
        pictureId = -1;
        pictureIdBits = 0;
        pictureIdOffset = -1;
        tl0PicIdx = -1;
        tl0PicIdxOffset = -1;
        temporalLayerId = -1;
        layerSync = false;
        keyIndex = -1;
        descriptorLength = 0;
        keyframe = false;
        showFrame = false;
        firstPartitionSizeBytes = 0;
        widthPx = 0;
        heightPx = 0;
    }

    /** X: the extension octet is present. */
    public boolean extended() {
        return extended;
    }

    /** N: the frame is not used as a reference, so dropping it does not break decoding of others. */
    public boolean nonReference() {
        return nonReference;
    }

    /** S: this packet starts a VP8 partition. */
    public boolean startOfPartition() {
        return startOfPartition;
    }

    /** PID: the partition index (0..7) this packet's first byte belongs to. */
    public int partitionIndex() {
        return partitionIndex;
    }

    /** True when this packet carries the first byte of a VP8 frame (S=1 and PID=0, RFC 7741 §4.3). */
    public boolean startOfFrame() {
        return startOfPartition && partitionIndex == 0;
    }

    /** The picture ID (7 or 15 bits wide), or -1 when I=0. */
    public int pictureId() {
        return pictureId;
    }

    /** Width of the picture ID field in bits: 7, 15, or 0 when absent. */
    public int pictureIdBits() {
        return pictureIdBits;
    }

    /** Mask for arithmetic on this packet's picture IDs: 0x7F, 0x7FFF, or 0 when absent. */
    public int pictureIdMask() {
        return pictureIdBits == 0 ? 0 : (1 << pictureIdBits) - 1;
    }

    /** TL0PICIDX, or -1 when L=0. */
    public int tl0PicIdx() {
        return tl0PicIdx;
    }

    /** TID, the temporal layer index (0..3), or -1 when T=0. */
    public int temporalLayerId() {
        return temporalLayerId;
    }

    /** Y, layer sync: the frame depends only on the base layer. False when T=0. */
    public boolean layerSync() {
        return layerSync;
    }

    /** KEYIDX (0..31), or -1 when K=0. */
    public int keyIndex() {
        return keyIndex;
    }

    /** Length of the payload descriptor in bytes (1..6); the VP8 data starts this far into the payload. */
    public int descriptorLength() {
        return descriptorLength;
    }

    /**
     * True when this packet starts a key frame: S=1, PID=0 and the P bit of the VP8 payload header is 0
     * (RFC 7741 §4.3, RFC 6386 §9.1). A key frame can be decoded without any earlier frame, which is
     * what a forwarder waits for before switching a subscriber to this stream.
     */
    public boolean keyframe() {
        return keyframe;
    }

    /** The show_frame bit (H) of the VP8 payload header; false when this packet does not start a frame. */
    public boolean showFrame() {
        return showFrame;
    }

    /** Size of the frame's first partition in bytes, from the payload header; 0 when not a frame start. */
    public int firstPartitionSizeBytes() {
        return firstPartitionSizeBytes;
    }

    /** Coded width of a key frame in pixels, or 0 when this packet does not carry the key frame header. */
    public int keyframeWidthPx() {
        return widthPx;
    }

    /** Coded height of a key frame in pixels, or 0 when this packet does not carry the key frame header. */
    public int keyframeHeightPx() {
        return heightPx;
    }

    /**
     * Overwrites the picture ID of the parsed packet in place, keeping its 7- or 15-bit width.
     *
     * <p>The value is reduced modulo the field's width, so a forwarder can add its offset without
     * caring about the wrap: 128 written into a 7-bit field becomes 0, 32768 into a 15-bit field
     * becomes 0, and -1 becomes 127 or 32767. The M bit is preserved.
     *
     * @param newPictureId the picture ID to write (any int; only the low 7 or 15 bits are kept)
     * @return false, writing nothing, when the packet carries no picture ID
     */
    public boolean rewritePictureId(int newPictureId) {
        if (pictureIdBits == 15) {
            int v = newPictureId & 0x7FFF;
            buf[pictureIdOffset] = (byte) (0x80 | (v >>> 8));
            buf[pictureIdOffset + 1] = (byte) v;
            pictureId = v;
            return true;
        }
        if (pictureIdBits == 7) {
            int v = newPictureId & 0x7F;
            buf[pictureIdOffset] = (byte) v;
            pictureId = v;
            return true;
        }
        return false;
    }

    /**
     * Overwrites TL0PICIDX of the parsed packet in place; the value wraps at 256.
     *
     * @param newTl0PicIdx the index to write (only the low 8 bits are kept)
     * @return false, writing nothing, when the packet carries no TL0PICIDX
     */
    public boolean rewriteTl0PicIdx(int newTl0PicIdx) {
        if (tl0PicIdxOffset < 0) {
            return false;
        }
        int v = newTl0PicIdx & 0xFF;
        buf[tl0PicIdxOffset] = (byte) v;
        tl0PicIdx = v;
        return true;
    }

    /**
     * Forward distance from picture ID {@code from} to {@code to} in a field of {@code bits} bits,
     * in {@code [0, 2^bits)}. For example 127 → 1 in a 7-bit field is 2.
     *
     * @param bits 7 or 15
     */
    public static int pictureIdDistance(int from, int to, int bits) {
        return (to - from) & ((1 << bits) - 1);
    }
}
