package dev.palco.rtp;

/**
 * RFC 8285 header extensions inside the RTP extension block: find, add and remove, in place and
 * without allocating. Iterate with a {@link HeaderExtensionCursor}.
 *
 * <p>One-byte form (RFC 8285 §4.2), profile {@code 0xBEDE}; IDs 1..14, 1..16 data bytes (L is the
 * length minus one):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       0xBE    |    0xDE       |           length=3            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ID   | L=0   |     data      |  ID   |  L=1  |   data...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       ...data   |    0 (pad)    |    0 (pad)    |  ID   | L=3   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          data                                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Two-byte form (RFC 8285 §4.3), profile {@code 0x100} followed by 4 "appbits"; IDs 1..255,
 * 0..255 data bytes:
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       0x10    |    0x00       |           length=3            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      ID       |     L=0       |     ID        |     L=1       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       data    |    0 (pad)    |       ID      |      L=4      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          data                                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Walking rules shared by every method here and by the cursor:
 * <ul>
 *   <li>A byte whose ID is 0 is one byte of padding (RFC 8285 §4.1: padding may sit between
 *       elements and after the last one). Its length nibble is ignored, so a sender's non-zero
 *       nibble cannot desynchronise the walk.</li>
 *   <li>In the one-byte form, ID 15 is reserved: processing stops there and only the elements
 *       before it count (RFC 8285 §4.2).</li>
 *   <li>An element whose data would run past the block is malformed: the walk stops there and only
 *       the elements before it count.</li>
 *   <li>Blocks with any other profile are not RFC 8285 blocks: nothing is found in them and they are
 *       never edited.</li>
 * </ul>
 *
 * <p>Editing ({@link #add} and {@link #remove}) rewrites the block compactly: padding between
 * elements is dropped and the block is zero-padded to a 32-bit boundary, as RFC 3550 §5.3.1 needs.
 * Editors refuse (return -1, leaving the packet untouched) when the header is invalid or when the
 * block is malformed or reserved-ID-terminated, since its remaining bytes could not be preserved
 * faithfully.
 */
public final class RtpHeaderExtensions {
    /** Profile value of the one-byte form (RFC 8285 §4.2). */
    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    /** Profile value of the two-byte form with appbits 0 (RFC 8285 §4.3). */
    public static final int TWO_BYTE_PROFILE = 0x1000;
    /** Mask that removes the appbits from a two-byte-form profile value. */
    public static final int TWO_BYTE_PROFILE_MASK = 0xFFF0;
    /** Highest ID the one-byte form can carry (15 is reserved). */
    public static final int ONE_BYTE_MAX_ID = 14;
    /** The one-byte form's reserved ID that stops processing (RFC 8285 §4.2). */
    public static final int ONE_BYTE_RESERVED_ID = 15;
    /** Most data bytes one element of the one-byte form can carry. */
    public static final int ONE_BYTE_MAX_DATA_BYTES = 16;
    /** Highest ID the two-byte form can carry. */
    public static final int TWO_BYTE_MAX_ID = 255;
    /** Most data bytes one element of the two-byte form can carry. */
    public static final int TWO_BYTE_MAX_DATA_BYTES = 255;

    /** Walk result: the element at the position is padding. */
    static final int PADDING = -1;
    /** Walk result: processing stops here (reserved ID 15 or end of block). */
    static final int STOP = -2;
    /** Walk result: the element at the position overruns the block. */
    static final int MALFORMED = -3;

    private RtpHeaderExtensions() {
    }

    /** Whether {@code profile} announces the one-byte form. */
    public static boolean isOneByteProfile(int profile) {
        return profile == ONE_BYTE_PROFILE;
    }

    /** Whether {@code profile} announces the two-byte form (any appbits). */
    public static boolean isTwoByteProfile(int profile) {
        return (profile & TWO_BYTE_PROFILE_MASK) == TWO_BYTE_PROFILE;
    }

    /**
     * Finds the first element with {@code id} and returns the absolute offset of its data in
     * {@code buf}, or -1 if the header is invalid, there is no RFC 8285 block, or no such element
     * precedes the end of processing. Get the data length with {@link #dataLengthAt}.
     */
    public static int findDataOffset(byte[] buf, int off, int len, int id) {
        int headerLength = RtpPacket.headerLength(buf, off, len);
        if (headerLength < 0 || id <= 0 || !RtpPacket.hasExtension(buf, off)) {
            return -1;
        }
        int blockStart = off + RtpPacket.HEADER_SIZE_BYTES
                + RtpPacket.CSRC_SIZE_BYTES * RtpPacket.csrcCount(buf, off);
        int profile = RtpPacket.readUint16(buf, blockStart);
        boolean twoByte = isTwoByteProfile(profile);
        if (!twoByte && !isOneByteProfile(profile)) {
            return -1;
        }
        int end = off + headerLength;
        int pos = blockStart + RtpPacket.EXTENSION_HEADER_SIZE_BYTES;
        while (pos < end) {
            int elementId = elementId(buf, pos, end, twoByte);
            if (elementId == PADDING) {
                pos++;
                continue;
            }
            if (elementId < 0) {
                return -1;
            }
            if (elementId == id) {
                return dataOffset(pos, twoByte);
            }
            pos = dataOffset(pos, twoByte) + dataLength(buf, pos, twoByte);
        }
        return -1;
    }

    /**
     * Length of the element data at {@code dataOffset}, an offset returned by
     * {@link #findDataOffset} for the packet at {@code off}. The form is read from the packet's
     * profile field, so this is only valid for offsets found in that packet.
     */
    public static int dataLengthAt(byte[] buf, int off, int dataOffset) {
        int blockStart = off + RtpPacket.HEADER_SIZE_BYTES
                + RtpPacket.CSRC_SIZE_BYTES * RtpPacket.csrcCount(buf, off);
        boolean twoByte = isTwoByteProfile(RtpPacket.readUint16(buf, blockStart));
        return twoByte ? buf[dataOffset - 1] & 0xFF : (buf[dataOffset - 1] & 0x0F) + 1;
    }

    /**
     * Adds one element in place, moving the payload (and any RTP padding) up by the growth of the
     * block.
     *
     * <p>With no extension block yet, a new one is created, in the one-byte form when the element
     * fits it (ID 1..14, 1..16 bytes) and in the two-byte form otherwise. A one-byte block that
     * must take an element that does not fit it (ID above 14, or 0 or more than 16 bytes) is
     * converted to the two-byte form: RFC 8285 §4.3 allows only one form per packet, so every
     * element gets a two-byte header. Sending the two-byte form needs the peer to accept it,
     * which RFC 8285 §6 ties to {@code a=extmap-allow-mixed} (or to both sides choosing it); that
     * negotiation is the caller's business. Two-byte blocks are never converted back.
     *
     * @param capacity bytes usable from {@code off} (the packet may grow up to this length)
     * @param id element ID, 1..255
     * @param value source of the element data; it must not overlap the packet
     * @param valueLen data length, 0..255
     * @return the new packet length, or -1 (packet untouched) when the header is invalid, the
     *     block is not an editable RFC 8285 block, the ID is already present, the arguments are
     *     out of range, or the packet would exceed {@code capacity}
     */
    public static int add(
            byte[] buf, int off, int len, int capacity, int id, byte[] value, int valueOff,
            int valueLen) {
        if (id < 1 || id > TWO_BYTE_MAX_ID || valueLen < 0 || valueLen > TWO_BYTE_MAX_DATA_BYTES) {
            return -1;
        }
        int headerLength = RtpPacket.headerLength(buf, off, len);
        if (headerLength < 0) {
            return -1;
        }
        boolean fitsOneByte = id <= ONE_BYTE_MAX_ID && valueLen >= 1
                && valueLen <= ONE_BYTE_MAX_DATA_BYTES;
        int blockStart = off + RtpPacket.HEADER_SIZE_BYTES
                + RtpPacket.CSRC_SIZE_BYTES * RtpPacket.csrcCount(buf, off);
        int end = off + len;

        if (!RtpPacket.hasExtension(buf, off)) {
            int contentLength = (fitsOneByte ? 1 : 2) + valueLen;
            int blockContent = roundUpTo4(contentLength);
            int growth = RtpPacket.EXTENSION_HEADER_SIZE_BYTES + blockContent;
            if (capacity - len < growth) {
                return -1;
            }
            System.arraycopy(buf, blockStart, buf, blockStart + growth, end - blockStart);
            RtpPacket.writeUint16(buf, blockStart, fitsOneByte ? ONE_BYTE_PROFILE : TWO_BYTE_PROFILE);
            RtpPacket.writeUint16(buf, blockStart + 2, blockContent / 4);
            int content = blockStart + RtpPacket.EXTENSION_HEADER_SIZE_BYTES;
            int pos = writeElement(buf, content, !fitsOneByte, id, value, valueOff, valueLen);
            zero(buf, pos, content + blockContent);
            buf[off] |= 0x10;
            return len + growth;
        }

        int profile = RtpPacket.readUint16(buf, blockStart);
        boolean twoByte = isTwoByteProfile(profile);
        if (!twoByte && !isOneByteProfile(profile)) {
            return -1;
        }
        int content = blockStart + RtpPacket.EXTENSION_HEADER_SIZE_BYTES;
        int contentEnd = off + headerLength;
        // Measuring pass: element count and data bytes; also refuses duplicates and bad blocks.
        int count = 0;
        int dataBytes = 0;
        int pos = content;
        while (pos < contentEnd) {
            int elementId = elementId(buf, pos, contentEnd, twoByte);
            if (elementId == PADDING) {
                pos++;
                continue;
            }
            if (elementId < 0 || elementId == id) {
                return -1;
            }
            int dataLength = dataLength(buf, pos, twoByte);
            count++;
            dataBytes += dataLength;
            pos = dataOffset(pos, twoByte) + dataLength;
        }
        boolean convert = !twoByte && !fitsOneByte;
        boolean newTwoByte = twoByte || convert;
        int elementHeader = newTwoByte ? 2 : 1;
        int newContentLength = count * elementHeader + dataBytes + elementHeader + valueLen;
        int newBlockContent = roundUpTo4(newContentLength);
        if (newBlockContent / 4 > 0xFFFF) {
            return -1;
        }
        int growth = newBlockContent - (contentEnd - content);
        if (capacity - len < growth) {
            return -1;
        }
        // 1. Squeeze out padding so the old elements are contiguous at the block start. The
        //    writer never passes the reader, so this is safe in place.
        int compacted = compact(buf, content, contentEnd, twoByte, -1);
        // 2. Move payload and RTP padding to where the new block ends. Step 1 left the bytes past
        //    `compacted` unused, and the new block is longer than `compacted`, so nothing is lost.
        System.arraycopy(buf, contentEnd, buf, contentEnd + growth, end - contentEnd);
        if (convert) {
            // 3. One-byte to two-byte: each element grows by one byte. Park the compacted elements
            //    `count` bytes further up, then rewrite them forward: before element k is written,
            //    count - k bytes of slack separate the writer from the unread bytes, so no unread
            //    byte is overwritten (System.arraycopy copes with the overlap inside one element).
            System.arraycopy(buf, content, buf, content + count, compacted);
            int read = content + count;
            int write = content;
            for (int i = 0; i < count; i++) {
                int elementId = (buf[read] & 0xF0) >>> 4;
                int dataLength = (buf[read] & 0x0F) + 1;
                buf[write] = (byte) elementId;
                buf[write + 1] = (byte) dataLength;
                System.arraycopy(buf, read + 1, buf, write + 2, dataLength);
                read += 1 + dataLength;
                write += 2 + dataLength;
            }
            RtpPacket.writeUint16(buf, blockStart, TWO_BYTE_PROFILE);
        }
        int appendAt = content + count * elementHeader + dataBytes;
        int written = writeElement(buf, appendAt, newTwoByte, id, value, valueOff, valueLen);
        zero(buf, written, content + newBlockContent);
        RtpPacket.writeUint16(buf, blockStart + 2, newBlockContent / 4);
        return len + growth;
    }

    /**
     * Removes the first element with {@code id} in place, moving the payload (and any RTP padding)
     * down. When no element is left, the whole extension block goes and the X bit is cleared. The
     * form of the block is kept.
     *
     * @return the new packet length, or -1 (packet untouched) when the header is invalid, there is
     *     no editable RFC 8285 block, or it holds no element with {@code id}
     */
    public static int remove(byte[] buf, int off, int len, int id) {
        int headerLength = RtpPacket.headerLength(buf, off, len);
        if (headerLength < 0 || id < 1 || !RtpPacket.hasExtension(buf, off)) {
            return -1;
        }
        int blockStart = off + RtpPacket.HEADER_SIZE_BYTES
                + RtpPacket.CSRC_SIZE_BYTES * RtpPacket.csrcCount(buf, off);
        int profile = RtpPacket.readUint16(buf, blockStart);
        boolean twoByte = isTwoByteProfile(profile);
        if (!twoByte && !isOneByteProfile(profile)) {
            return -1;
        }
        int content = blockStart + RtpPacket.EXTENSION_HEADER_SIZE_BYTES;
        int contentEnd = off + headerLength;
        int end = off + len;
        int remaining = 0;
        boolean found = false;
        int pos = content;
        while (pos < contentEnd) {
            int elementId = elementId(buf, pos, contentEnd, twoByte);
            if (elementId == PADDING) {
                pos++;
                continue;
            }
            if (elementId < 0) {
                return -1;
            }
            if (elementId == id && !found) {
                found = true;
            } else {
                remaining++;
            }
            pos = dataOffset(pos, twoByte) + dataLength(buf, pos, twoByte);
        }
        if (!found) {
            return -1;
        }
        if (remaining == 0) {
            // RFC 3550 §5.3.1: with no extension left, drop the block and clear X.
            int shrink = contentEnd - blockStart;
            System.arraycopy(buf, contentEnd, buf, blockStart, end - contentEnd);
            buf[off] &= (byte) ~0x10;
            return len - shrink;
        }
        int compacted = compact(buf, content, contentEnd, twoByte, id);
        int newBlockContent = roundUpTo4(compacted);
        zero(buf, content + compacted, content + newBlockContent);
        int shrink = (contentEnd - content) - newBlockContent;
        System.arraycopy(buf, contentEnd, buf, contentEnd - shrink, end - contentEnd);
        RtpPacket.writeUint16(buf, blockStart + 2, newBlockContent / 4);
        return len - shrink;
    }

    // ---------------------------------------------------------------- walking primitives

    /**
     * The ID of the element at {@code pos} (which must be below {@code end}), or {@link #PADDING},
     * {@link #STOP} (reserved ID 15 in the one-byte form) or {@link #MALFORMED} (the element's
     * length byte or data runs past {@code end}).
     */
    static int elementId(byte[] buf, int pos, int end, boolean twoByte) {
        int first = buf[pos] & 0xFF;
        if (twoByte) {
            if (first == 0) {
                return PADDING;
            }
            if (pos + 2 > end || pos + 2 + (buf[pos + 1] & 0xFF) > end) {
                return MALFORMED;
            }
            return first;
        }
        int id = first >>> 4;
        if (id == 0) {
            return PADDING;
        }
        if (id == ONE_BYTE_RESERVED_ID) {
            return STOP;
        }
        if (pos + 1 + (first & 0x0F) + 1 > end) {
            return MALFORMED;
        }
        return id;
    }

    /** Offset of the data of the (non-padding) element at {@code pos}. */
    static int dataOffset(int pos, boolean twoByte) {
        return pos + (twoByte ? 2 : 1);
    }

    /** Data length of the (non-padding, validated) element at {@code pos}. */
    static int dataLength(byte[] buf, int pos, boolean twoByte) {
        return twoByte ? buf[pos + 1] & 0xFF : (buf[pos] & 0x0F) + 1;
    }

    /**
     * Rewrites the validated block content {@code [content, contentEnd)} without padding and
     * without the first element whose ID is {@code skipId} (-1: skip none); returns the number of
     * bytes now used from {@code content}. Safe in place because the writer never passes the
     * reader.
     */
    private static int compact(byte[] buf, int content, int contentEnd, boolean twoByte, int skipId) {
        int read = content;
        int write = content;
        boolean skipped = false;
        while (read < contentEnd) {
            int elementId = elementId(buf, read, contentEnd, twoByte);
            if (elementId == PADDING) {
                read++;
                continue;
            }
            int size = dataOffset(read, twoByte) - read + dataLength(buf, read, twoByte);
            if (elementId == skipId && !skipped) {
                skipped = true;
            } else {
                System.arraycopy(buf, read, buf, write, size);
                write += size;
            }
            read += size;
        }
        return write - content;
    }

    private static int writeElement(
            byte[] buf, int pos, boolean twoByte, int id, byte[] value, int valueOff, int valueLen) {
        if (twoByte) {
            buf[pos] = (byte) id;
            buf[pos + 1] = (byte) valueLen;
            pos += 2;
        } else {
            buf[pos] = (byte) ((id << 4) | (valueLen - 1));
            pos += 1;
        }
        System.arraycopy(value, valueOff, buf, pos, valueLen);
        return pos + valueLen;
    }

    private static void zero(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            buf[i] = 0;
        }
    }

    private static int roundUpTo4(int n) {
        return (n + 3) & ~3;
    }
}
