package dev.palco.rtp;

/**
 * A reusable, allocation-free cursor over the RFC 8285 elements of one RTP packet, for iterating
 * or for finding one element with both its data offset and length. Walking rules (padding,
 * reserved ID 15, malformed elements) are those of {@link RtpHeaderExtensions}.
 *
 * <pre>{@code
 * HeaderExtensionCursor cursor = new HeaderExtensionCursor();   // one per thread, reused
 * if (cursor.reset(packet) && cursor.find(transportCcId)) {
 *     int seq = TransportCcExtension.sequenceNumber(packet.buffer(), cursor.dataOffset());
 * }
 * cursor.rewind();
 * while (cursor.next()) { use(cursor.id(), cursor.dataOffset(), cursor.dataLength()); }
 * }</pre>
 *
 * <p>A cursor reads the packet's bytes lazily: editing the packet invalidates it until the next
 * {@code reset}.
 */
public final class HeaderExtensionCursor {
    private byte[] buf;
    private int start;
    private int end;
    private int pos;
    private boolean twoByte;
    private boolean malformed;
    private int id;
    private int dataOffset;
    private int dataLength;

    /** Creates a cursor with nothing to walk; call a {@code reset} method. */
    public HeaderExtensionCursor() {
        clear();
    }

    /**
     * Points the cursor at the extension block of a successfully parsed packet.
     *
     * @return false (and an empty cursor) when the packet has no RFC 8285 block
     */
    public boolean reset(RtpPacket packet) {
        int profile = packet.extensionProfile();
        return reset(packet.buffer(), packet.extensionDataOffset(),
                packet.extensionDataOffset() + packet.extensionDataLength(), profile);
    }

    /**
     * Validates the header of the packet at {@code buf[off, off + len)} and points the cursor at
     * its extension block.
     *
     * @return false (and an empty cursor) when the header is invalid or there is no RFC 8285 block
     */
    public boolean reset(byte[] buf, int off, int len) {
        int headerLength = RtpPacket.headerLength(buf, off, len);
        if (headerLength < 0 || !RtpPacket.hasExtension(buf, off)) {
            clear();
            return false;
        }
        int blockStart = off + RtpPacket.HEADER_SIZE_BYTES
                + RtpPacket.CSRC_SIZE_BYTES * RtpPacket.csrcCount(buf, off);
        return reset(buf, blockStart + RtpPacket.EXTENSION_HEADER_SIZE_BYTES, off + headerLength,
                RtpPacket.readUint16(buf, blockStart));
    }

    private boolean reset(byte[] buf, int contentStart, int contentEnd, int profile) {
        boolean two = RtpHeaderExtensions.isTwoByteProfile(profile);
        if (!two && !RtpHeaderExtensions.isOneByteProfile(profile)) {
            clear();
            return false;
        }
        this.buf = buf;
        this.start = contentStart;
        this.end = contentEnd;
        this.twoByte = two;
        rewind();
        return true;
    }

    /** Goes back to before the first element of the current block. */
    public void rewind() {
        pos = start;
        malformed = false;
        id = 0;
        dataOffset = -1;
        dataLength = 0;
    }

    /**
     * Moves to the next element, skipping padding.
     *
     * @return false at the end of processing: end of block, reserved ID 15, or a malformed element
     *     (then {@link #malformed()} is true)
     */
    public boolean next() {
        while (pos < end) {
            int elementId = RtpHeaderExtensions.elementId(buf, pos, end, twoByte);
            if (elementId == RtpHeaderExtensions.PADDING) {
                pos++;
                continue;
            }
            if (elementId < 0) {
                malformed = elementId == RtpHeaderExtensions.MALFORMED;
                break;
            }
            id = elementId;
            dataOffset = RtpHeaderExtensions.dataOffset(pos, twoByte);
            dataLength = RtpHeaderExtensions.dataLength(buf, pos, twoByte);
            pos = dataOffset + dataLength;
            return true;
        }
        pos = end;
        id = 0;
        dataOffset = -1;
        dataLength = 0;
        return false;
    }

    /**
     * Rewinds and moves to the first element with {@code id}.
     *
     * @return whether it was found; if so {@link #dataOffset()} and {@link #dataLength()} describe it
     */
    public boolean find(int id) {
        rewind();
        while (next()) {
            if (this.id == id) {
                return true;
            }
        }
        return false;
    }

    /** Whether the block uses the two-byte form (RFC 8285 §4.3) rather than the one-byte form. */
    public boolean isTwoByte() {
        return twoByte;
    }

    /** Whether the last walk stopped on an element whose data runs past the block. */
    public boolean malformed() {
        return malformed;
    }

    /** ID of the current element (0 before the first {@link #next()} and after the end). */
    public int id() {
        return id;
    }

    /** Absolute offset of the current element's data in the packet's array, or -1. */
    public int dataOffset() {
        return dataOffset;
    }

    /** Length of the current element's data (0 is possible in the two-byte form). */
    public int dataLength() {
        return dataLength;
    }

    private void clear() {
        buf = null;
        start = 0;
        end = 0;
        twoByte = false;
        rewind();
    }
}
