package dev.palco.rtp;

/**
 * A view over one RTP packet in a caller-owned byte array, RFC 3550 §5.1.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |           length              |  } only when X=1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  } RFC 3550 §5.3.1;
 * |                        header extension                       |  } length counts
 * |                             ....                              |  } 32-bit words
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            payload                            |
 * |                             ....              :  padding...   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               padding         | padding count |                  only when P=1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Two ways to use it:
 * <ul>
 *   <li><b>Peek</b> with the static accessors, which take {@code (buf, off)} and read one field.
 *       They do not validate: call {@link #headerLength(byte[], int, int)} first (or know the
 *       packet was validated upstream).</li>
 *   <li><b>Parse once</b> with a reusable instance: {@link #parse(byte[], int, int)} validates the
 *       header, caches the header length, the extension block bounds, the payload bounds and the
 *       padding length, and returns a {@link RtpDropReason}. It never allocates and never throws
 *       on malformed input; keep one instance per packet-processing thread.</li>
 * </ul>
 *
 * <p>Setters write in place. Sequence numbers are {@code int} in 0..65535, timestamps and SSRCs are
 * {@code long} in 0..2^32-1, so no value is ever negative. Field setters take the low bits of
 * their argument, which lets callers pass wrap-around arithmetic results directly.
 *
 * <p>The window {@code [off, off + len)} must lie inside {@code buf}; it is the caller's datagram,
 * and nothing outside it is read or written (editing methods also use the declared capacity).
 */
public final class RtpPacket {
    /** Size of the fixed header (RFC 3550 §5.1). */
    public static final int HEADER_SIZE_BYTES = 12;
    /** The only RTP version in use (RFC 3550 §5.1). */
    public static final int VERSION = 2;
    /** Size of one CSRC identifier. */
    public static final int CSRC_SIZE_BYTES = 4;
    /** Size of the header-extension header: 16-bit profile plus 16-bit length (RFC 3550 §5.3.1). */
    public static final int EXTENSION_HEADER_SIZE_BYTES = 4;
    /** Highest payload type; PT is a 7-bit field. */
    public static final int MAX_PAYLOAD_TYPE = 127;

    private byte[] buf;
    private int off;
    private int len;
    private int headerLength;
    private int extensionProfile;
    private int extensionDataOffset;
    private int extensionDataLength;
    private int payloadOffset;
    private int payloadLength;
    private int paddingLength;

    /** Creates an empty view; call {@link #parse(byte[], int, int)} before using it. */
    public RtpPacket() {
        extensionProfile = -1;
    }

    // ---------------------------------------------------------------- static peekers

    /** The version field, bits 0-1 of byte 0. */
    public static int version(byte[] buf, int off) {
        return (buf[off] & 0xC0) >>> 6;
    }

    /** The P bit: the packet ends with padding whose last byte is its count. */
    public static boolean hasPadding(byte[] buf, int off) {
        return (buf[off] & 0x20) != 0;
    }

    /** The X bit: a header extension follows the CSRC list (RFC 3550 §5.3.1). */
    public static boolean hasExtension(byte[] buf, int off) {
        return (buf[off] & 0x10) != 0;
    }

    /** The CC field: number of CSRC identifiers, 0..15. */
    public static int csrcCount(byte[] buf, int off) {
        return buf[off] & 0x0F;
    }

    /** The M bit, whose meaning the profile defines (end of a video frame in WebRTC). */
    public static boolean marker(byte[] buf, int off) {
        return (buf[off + 1] & 0x80) != 0;
    }

    /** The 7-bit payload type. */
    public static int payloadType(byte[] buf, int off) {
        return buf[off + 1] & 0x7F;
    }

    /** The sequence number, 0..65535. */
    public static int sequenceNumber(byte[] buf, int off) {
        return ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
    }

    /** The media timestamp, 0..2^32-1. */
    public static long timestamp(byte[] buf, int off) {
        return readUint32(buf, off + 4);
    }

    /** The SSRC, 0..2^32-1. */
    public static long ssrc(byte[] buf, int off) {
        return readUint32(buf, off + 8);
    }

    /**
     * The CSRC at {@code index}, 0..2^32-1. The caller checks {@code index < csrcCount} and that the
     * CSRC list fits the packet ({@link #headerLength(byte[], int, int)} does).
     */
    public static long csrc(byte[] buf, int off, int index) {
        return readUint32(buf, off + HEADER_SIZE_BYTES + CSRC_SIZE_BYTES * index);
    }

    /** Sets or clears the M bit in place, keeping the payload type. */
    public static void setMarker(byte[] buf, int off, boolean marker) {
        buf[off + 1] = (byte) (marker ? (buf[off + 1] | 0x80) : (buf[off + 1] & 0x7F));
    }

    /** Sets the payload type in place (low 7 bits of {@code payloadType}), keeping the M bit. */
    public static void setPayloadType(byte[] buf, int off, int payloadType) {
        buf[off + 1] = (byte) ((buf[off + 1] & 0x80) | (payloadType & 0x7F));
    }

    /** Sets the sequence number in place (low 16 bits of {@code sequenceNumber}). */
    public static void setSequenceNumber(byte[] buf, int off, int sequenceNumber) {
        buf[off + 2] = (byte) (sequenceNumber >>> 8);
        buf[off + 3] = (byte) sequenceNumber;
    }

    /** Sets the timestamp in place (low 32 bits of {@code timestamp}). */
    public static void setTimestamp(byte[] buf, int off, long timestamp) {
        writeUint32(buf, off + 4, timestamp);
    }

    /** Sets the SSRC in place (low 32 bits of {@code ssrc}). */
    public static void setSsrc(byte[] buf, int off, long ssrc) {
        writeUint32(buf, off + 8, ssrc);
    }

    /**
     * Length of the whole header (fixed part, CSRC list and extension block), or -1 if the header
     * is not valid RTP: shorter than 12 bytes, not version 2, or a CSRC list or extension block
     * that runs past {@code len}. Padding is not checked here (it is not part of the header); use
     * {@link #parse(byte[], int, int)} for that.
     */
    public static int headerLength(byte[] buf, int off, int len) {
        if (len < HEADER_SIZE_BYTES || version(buf, off) != VERSION) {
            return -1;
        }
        int headerLength = HEADER_SIZE_BYTES + CSRC_SIZE_BYTES * csrcCount(buf, off);
        if (headerLength > len) {
            return -1;
        }
        if (hasExtension(buf, off)) {
            if (headerLength + EXTENSION_HEADER_SIZE_BYTES > len) {
                return -1;
            }
            int words = readUint16(buf, off + headerLength + 2);
            headerLength += EXTENSION_HEADER_SIZE_BYTES + 4 * words;
            if (headerLength > len) {
                return -1;
            }
        }
        return headerLength;
    }

    /**
     * Writes a 12-byte fixed header with V=2 and P=0, X=0, CC=0 at {@code buf[off]}: the start of a
     * packet the caller then fills with a payload.
     *
     * @return {@link #HEADER_SIZE_BYTES}, the number of bytes written
     */
    public static int writeFixedHeader(
            byte[] buf, int off, boolean marker, int payloadType, int sequenceNumber, long timestamp,
            long ssrc) {
        buf[off] = (byte) (VERSION << 6);
        buf[off + 1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
        setSequenceNumber(buf, off, sequenceNumber);
        setTimestamp(buf, off, timestamp);
        setSsrc(buf, off, ssrc);
        return HEADER_SIZE_BYTES;
    }

    // ---------------------------------------------------------------- parse once

    /**
     * Validates the packet in {@code buf[off, off + len)} and caches its layout in this view.
     * Allocation-free; never throws on malformed input. After a result other than
     * {@link RtpDropReason#OK} the view's accessors are meaningless until the next successful parse.
     *
     * @return {@link RtpDropReason#OK}, or why the packet must be dropped
     */
    public RtpDropReason parse(byte[] buf, int off, int len) {
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.extensionProfile = -1;
        this.extensionDataOffset = 0;
        this.extensionDataLength = 0;
        if (len < HEADER_SIZE_BYTES) {
            return RtpDropReason.TOO_SHORT;
        }
        if (version(buf, off) != VERSION) {
            return RtpDropReason.BAD_VERSION;
        }
        int header = HEADER_SIZE_BYTES + CSRC_SIZE_BYTES * csrcCount(buf, off);
        if (header > len) {
            return RtpDropReason.CSRC_OVERRUN;
        }
        if (hasExtension(buf, off)) {
            if (header + EXTENSION_HEADER_SIZE_BYTES > len) {
                return RtpDropReason.EXTENSION_OVERRUN;
            }
            int profile = readUint16(buf, off + header);
            int dataLength = 4 * readUint16(buf, off + header + 2);
            int dataOffset = header + EXTENSION_HEADER_SIZE_BYTES;
            if (dataOffset + dataLength > len) {
                return RtpDropReason.EXTENSION_OVERRUN;
            }
            extensionProfile = profile;
            extensionDataOffset = off + dataOffset;
            extensionDataLength = dataLength;
            header = dataOffset + dataLength;
        }
        int padding = 0;
        if (hasPadding(buf, off)) {
            // RFC 3550 §5.1: the last octet counts the padding octets including itself, so it is
            // at least 1, and padding can only follow the header.
            padding = buf[off + len - 1] & 0xFF;
            if (padding == 0 || padding > len - header) {
                extensionProfile = -1;
                return RtpDropReason.BAD_PADDING;
            }
        }
        headerLength = header;
        paddingLength = padding;
        payloadOffset = off + header;
        payloadLength = len - header - padding;
        return RtpDropReason.OK;
    }

    /** The array this view reads. */
    public byte[] buffer() {
        return buf;
    }

    /** Offset of the first header byte in {@link #buffer()}. */
    public int offset() {
        return off;
    }

    /** Length of the whole packet, header to last padding byte. */
    public int length() {
        return len;
    }

    /** Length of the header including the CSRC list and the extension block. */
    public int headerLength() {
        return headerLength;
    }

    /** Whether the packet carries a header-extension block (the X bit). */
    public boolean hasExtension() {
        return extensionProfile >= 0;
    }

    /** The 16-bit "defined by profile" field of the extension block, or -1 when there is none. */
    public int extensionProfile() {
        return extensionProfile;
    }

    /** Absolute offset in {@link #buffer()} of the extension data (after its 4-byte header). */
    public int extensionDataOffset() {
        return extensionDataOffset;
    }

    /** Length in bytes of the extension data, a multiple of 4 (0 when there is no extension). */
    public int extensionDataLength() {
        return extensionDataLength;
    }

    /** Absolute offset in {@link #buffer()} of the payload. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Length of the payload, excluding padding (may be 0, for example in padding-only probes). */
    public int payloadLength() {
        return payloadLength;
    }

    /** Number of padding bytes at the end including the count byte, 0 when P is clear. */
    public int paddingLength() {
        return paddingLength;
    }

    /** See {@link #marker(byte[], int)}. */
    public boolean marker() {
        return marker(buf, off);
    }

    /** See {@link #payloadType(byte[], int)}. */
    public int payloadType() {
        return payloadType(buf, off);
    }

    /** See {@link #sequenceNumber(byte[], int)}. */
    public int sequenceNumber() {
        return sequenceNumber(buf, off);
    }

    /** See {@link #timestamp(byte[], int)}. */
    public long timestamp() {
        return timestamp(buf, off);
    }

    /** See {@link #ssrc(byte[], int)}. */
    public long ssrc() {
        return ssrc(buf, off);
    }

    /** See {@link #csrcCount(byte[], int)}. */
    public int csrcCount() {
        return csrcCount(buf, off);
    }

    /**
     * The CSRC at {@code index}.
     *
     * @throws IndexOutOfBoundsException if {@code index} is not below {@link #csrcCount()}; that is
     *     a caller bug, not malformed input, since the count was validated by parse
     */
    public long csrc(int index) {
        if (index < 0 || index >= csrcCount()) {
            throw new IndexOutOfBoundsException(index);
        }
        return csrc(buf, off, index);
    }

    /** See {@link #setMarker(byte[], int, boolean)}. */
    public void setMarker(boolean marker) {
        setMarker(buf, off, marker);
    }

    /** See {@link #setPayloadType(byte[], int, int)}. */
    public void setPayloadType(int payloadType) {
        setPayloadType(buf, off, payloadType);
    }

    /** See {@link #setSequenceNumber(byte[], int, int)}. */
    public void setSequenceNumber(int sequenceNumber) {
        setSequenceNumber(buf, off, sequenceNumber);
    }

    /** See {@link #setTimestamp(byte[], int, long)}. */
    public void setTimestamp(long timestamp) {
        setTimestamp(buf, off, timestamp);
    }

    /** See {@link #setSsrc(byte[], int, long)}. */
    public void setSsrc(long ssrc) {
        setSsrc(buf, off, ssrc);
    }

    /**
     * Adds one header extension in place and re-parses this view; see
     * {@link RtpHeaderExtensions#add(byte[], int, int, int, int, byte[], int, int)}.
     *
     * @param capacity bytes available from {@link #offset()} (at least {@link #length()})
     * @return the new packet length, or -1 when nothing was changed
     */
    public int addExtension(int capacity, int id, byte[] value, int valueOff, int valueLen) {
        int newLen = RtpHeaderExtensions.add(buf, off, len, capacity, id, value, valueOff, valueLen);
        if (newLen >= 0) {
            parse(buf, off, newLen);
        }
        return newLen;
    }

    /**
     * Removes one header extension in place and re-parses this view; see
     * {@link RtpHeaderExtensions#remove(byte[], int, int, int)}.
     *
     * @return the new packet length, or -1 when nothing was changed
     */
    public int removeExtension(int id) {
        int newLen = RtpHeaderExtensions.remove(buf, off, len, id);
        if (newLen >= 0) {
            parse(buf, off, newLen);
        }
        return newLen;
    }

    // ---------------------------------------------------------------- byte helpers

    static int readUint16(byte[] buf, int pos) {
        return ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
    }

    static void writeUint16(byte[] buf, int pos, int value) {
        buf[pos] = (byte) (value >>> 8);
        buf[pos + 1] = (byte) value;
    }

    static long readUint32(byte[] buf, int pos) {
        return ((long) (buf[pos] & 0xFF) << 24)
                | ((buf[pos + 1] & 0xFF) << 16)
                | ((buf[pos + 2] & 0xFF) << 8)
                | (buf[pos + 3] & 0xFF);
    }

    static void writeUint32(byte[] buf, int pos, long value) {
        buf[pos] = (byte) (value >>> 24);
        buf[pos + 1] = (byte) (value >>> 16);
        buf[pos + 2] = (byte) (value >>> 8);
        buf[pos + 3] = (byte) value;
    }

    static long readInt64(byte[] buf, int pos) {
        return (readUint32(buf, pos) << 32) | readUint32(buf, pos + 4);
    }

    static void writeInt64(byte[] buf, int pos, long value) {
        writeUint32(buf, pos, value >>> 32);
        writeUint32(buf, pos + 4, value);
    }
}
