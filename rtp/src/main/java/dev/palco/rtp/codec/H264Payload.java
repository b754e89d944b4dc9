package dev.palco.rtp.codec;

/**
 * A reusable view over an H.264 RTP payload in packetization-mode=1 (RFC 6184 §5.6–5.8, §6.3):
 * a single NAL unit, a STAP-A aggregate, or an FU-A fragment.
 *
 * <p>{@link #parse} validates the structure once and records what a forwarder asks of every packet
 * (is it a key frame, does it carry SPS/PPS, where does a fragment start and end) without allocating.
 * {@link #forEachNalUnit} walks the complete NAL units again for callers that need each one, and
 * {@link #copySps}/{@link #copyPps} copy parameter sets into a buffer the caller owns. Accessors are
 * meaningful only after {@code parse} returned {@link PayloadDropReason#OK}. Not thread-safe.
 *
 * <pre>
 * RFC 6184 §5.3, NAL unit header (first byte of every payload):
 *
 *     +---------------+
 *     |0|1|2|3|4|5|6|7|
 *     +-+-+-+-+-+-+-+-+
 *     |F|NRI|  Type   |     Type 1-23: single NAL unit, 24: STAP-A, 28: FU-A
 *     +---------------+
 *
 * RFC 6184 §5.7.1, STAP-A:
 *
 *      0                   1                   2                   3
 *      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *     |STAP-A NAL HDR |         NALU 1 Size           | NALU 1 HDR    |
 *     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *     |                         NALU 1 Data                           |
 *     :                                                               :
 *     +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *     |               | NALU 2 Size                   | NALU 2 HDR    |
 *     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *     |                         NALU 2 Data                           |
 *     :                                                               :
 *     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * RFC 6184 §5.8, FU-A:
 *
 *      0                   1                   2                   3
 *      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *     | FU indicator  |   FU header   |                               |
 *     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
 *     |                         FU payload                            |
 *     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *     FU indicator: |F|NRI| 28 |        FU header: |S|E|R| original Type |
 * </pre>
 */
public final class H264Payload {

    /** Coded slice of a non-IDR picture. */
    public static final int NAL_TYPE_NON_IDR_SLICE = 1;
    /** Coded slice of an IDR picture: decoding can start here. */
    public static final int NAL_TYPE_IDR_SLICE = 5;
    /** Supplemental enhancement information. */
    public static final int NAL_TYPE_SEI = 6;
    /** Sequence parameter set. */
    public static final int NAL_TYPE_SPS = 7;
    /** Picture parameter set. */
    public static final int NAL_TYPE_PPS = 8;
    /** Single-time aggregation packet, type A (RFC 6184 §5.7.1). */
    public static final int NAL_TYPE_STAP_A = 24;
    /** Single-time aggregation packet, type B: not allowed in packetization-mode=1. */
    public static final int NAL_TYPE_STAP_B = 25;
    /** Multi-time aggregation packet with 16-bit offsets: not allowed in packetization-mode=1. */
    public static final int NAL_TYPE_MTAP16 = 26;
    /** Multi-time aggregation packet with 24-bit offsets: not allowed in packetization-mode=1. */
    public static final int NAL_TYPE_MTAP24 = 27;
    /** Fragmentation unit, type A (RFC 6184 §5.8). */
    public static final int NAL_TYPE_FU_A = 28;
    /** Fragmentation unit, type B: not allowed in packetization-mode=1. */
    public static final int NAL_TYPE_FU_B = 29;

    /** NAL unit header size. */
    public static final int NAL_HEADER_SIZE_BYTES = 1;
    /** Size of each STAP-A NAL unit size field. */
    public static final int STAP_A_SIZE_FIELD_BYTES = 2;
    /** FU indicator plus FU header. */
    public static final int FU_A_HEADER_SIZE_BYTES = 2;

    /**
     * Receives the complete NAL units of a payload, one call per unit, from {@link #forEachNalUnit}.
     * Implementations should be long-lived objects, not capturing lambdas, to keep the packet path
     * free of allocation.
     */
    @FunctionalInterface
    public interface NalUnitConsumer {
        /**
         * Called for one NAL unit.
         *
         * @param nalType NAL unit type (1..23)
         * @param buf the payload's array
         * @param nalOff offset of the NAL unit header byte in {@code buf}
         * @param nalLen NAL unit length in bytes, header included
         */
        void accept(int nalType, byte[] buf, int nalOff, int nalLen);
    }

    private byte[] buf;
    private int off;
    private int len;
    private int packetType;
    private boolean forbiddenBit;
    private int nalUnitCount;
    private boolean fuStart;
    private boolean fuEnd;
    private int fragmentedNalHeader;
    private boolean keyframe;
    private int spsOffset;
    private int spsLength;
    private int ppsOffset;
    private int ppsLength;

    /** Creates an empty view; call {@link #parse} before reading it. */
    public H264Payload() {
        clear();
    }

    /**
     * Returns the packet type of a payload without validating it: the Type field of the first byte
     * (1..23 for a single NAL unit, 24 for STAP-A, 28 for FU-A...), or -1 for an empty payload.
     */
    public static int packetType(byte[] buf, int off, int len) {
        return len <= 0 ? -1 : buf[off] & 0x1F;
    }

    /**
     * Parses and validates the payload.
     *
     * <p>Reads only {@code buf[off .. off+len-1]} and keeps a reference to {@code buf} for
     * {@link #forEachNalUnit} and the copy methods. Never throws on malformed content.
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
        int header = buf[off] & 0xFF;
        int type = header & 0x1F;
        packetType = type;
        // F=1 means the sender saw bit errors; RFC 6184 §5.3 lets a receiver still pass the unit on.
        forbiddenBit = (header & 0x80) != 0;

        if (type >= 1 && type <= 23) {
            nalUnitCount = 1;
            noteNalUnit(type, off, len);
            return PayloadDropReason.OK;
        }
        switch (type) {
            case NAL_TYPE_STAP_A:
                return parseStapA(buf, off, len);
            case NAL_TYPE_FU_A:
                return parseFuA(buf, off, len);
            case NAL_TYPE_STAP_B:
            case NAL_TYPE_MTAP16:
            case NAL_TYPE_MTAP24:
            case NAL_TYPE_FU_B:
                return PayloadDropReason.H264_UNSUPPORTED_PACKETIZATION;
            default:
                return PayloadDropReason.H264_UNDEFINED_NAL_TYPE;
        }
    }

    private PayloadDropReason parseStapA(byte[] buf, int off, int len) {
        final int end = off + len;
        int p = off + NAL_HEADER_SIZE_BYTES;
        if (p == end) {
            return PayloadDropReason.H264_STAP_A_BAD_UNIT;
        }
        int count = 0;
        while (p < end) {
            if (end - p < STAP_A_SIZE_FIELD_BYTES) {
                return PayloadDropReason.H264_STAP_A_TRUNCATED;
            }
            int size = (buf[p] & 0xFF) << 8 | (buf[p + 1] & 0xFF);
            p += STAP_A_SIZE_FIELD_BYTES;
            if (size == 0) {
                return PayloadDropReason.H264_STAP_A_BAD_UNIT;
            }
            if (size > end - p) {
                return PayloadDropReason.H264_STAP_A_TRUNCATED;
            }
            int unitType = buf[p] & 0x1F;
            // Aggregation and fragmentation packets must not be nested (RFC 6184 §5.7).
            if (unitType < 1 || unitType > 23) {
                return PayloadDropReason.H264_STAP_A_BAD_UNIT;
            }
            noteNalUnit(unitType, p, size);
            count++;
            p += size;
        }
        nalUnitCount = count;
        return PayloadDropReason.OK;
    }

    private PayloadDropReason parseFuA(byte[] buf, int off, int len) {
        if (len < FU_A_HEADER_SIZE_BYTES) {
            return PayloadDropReason.H264_FU_A_TRUNCATED;
        }
        int fuHeader = buf[off + 1] & 0xFF;
        boolean start = (fuHeader & 0x80) != 0;
        boolean end = (fuHeader & 0x40) != 0;
        int originalType = fuHeader & 0x1F;
        // A NAL unit small enough for one FU must not be fragmented (RFC 6184 §5.8), and only
        // types 1..23 may be fragmented.
        if ((start && end) || originalType < 1 || originalType > 23) {
            return PayloadDropReason.H264_FU_A_BAD_HEADER;
        }
        fuStart = start;
        fuEnd = end;
        fragmentedNalHeader = (buf[off] & 0xE0) | originalType;
        // Only the first fragment makes the packet a key frame start; later ones are its tail.
        keyframe = start && originalType == NAL_TYPE_IDR_SLICE;
        return PayloadDropReason.OK;
    }

    private void noteNalUnit(int type, int nalOff, int nalLen) {
        if (type == NAL_TYPE_IDR_SLICE) {
            keyframe = true;
        } else if (type == NAL_TYPE_SPS && spsOffset < 0) {
            spsOffset = nalOff;
            spsLength = nalLen;
        } else if (type == NAL_TYPE_PPS && ppsOffset < 0) {
            ppsOffset = nalOff;
            ppsLength = nalLen;
        }
    }

    private void clear() {
        buf = null;
        off = 0;
        len = 0;
        packetType = -1;
        forbiddenBit = false;
        nalUnitCount = 0;
        fuStart = false;
        fuEnd = false;
        fragmentedNalHeader = -1;
        keyframe = false;
        spsOffset = -1;
        spsLength = 0;
        ppsOffset = -1;
        ppsLength = 0;
    }

    /** Type field of the payload's first byte: 1..23 (single NAL unit), 24 (STAP-A) or 28 (FU-A). */
    public int packetType() {
        return packetType;
    }

    /** The F bit of the payload's first byte: the sender flagged possible bit errors. */
    public boolean forbiddenBit() {
        return forbiddenBit;
    }

    /** Number of complete NAL units: 1 for a single NAL unit, the unit count for STAP-A, 0 for FU-A. */
    public int nalUnitCount() {
        return nalUnitCount;
    }

    /** FU-A only: S, this fragment starts the NAL unit. */
    public boolean fuStart() {
        return fuStart;
    }

    /** FU-A only: E, this fragment ends the NAL unit. */
    public boolean fuEnd() {
        return fuEnd;
    }

    /** FU-A only: type (1..23) of the fragmented NAL unit, or -1 for other packets. */
    public int fragmentedNalType() {
        return fragmentedNalHeader < 0 ? -1 : fragmentedNalHeader & 0x1F;
    }

    /**
     * FU-A only: the header byte of the fragmented NAL unit, rebuilt from the FU indicator's F and
     * NRI and the FU header's type (RFC 6184 §5.8), or -1 for other packets.
     */
    public int fragmentedNalHeader() {
        return fragmentedNalHeader;
    }

    /**
     * True when the payload carries an IDR slice (type 5) as a single NAL unit or inside STAP-A, or
     * is the first FU-A fragment (S=1) of one. Decoding can start at such a picture.
     */
    public boolean keyframe() {
        return keyframe;
    }

    /** True when a complete SPS (type 7) is in the payload. */
    public boolean hasSps() {
        return spsOffset >= 0;
    }

    /** True when a complete PPS (type 8) is in the payload. */
    public boolean hasPps() {
        return ppsOffset >= 0;
    }

    /** Offset in the payload's array of the first SPS NAL unit (header byte included), or -1. */
    public int spsOffset() {
        return spsOffset;
    }

    /** Length in bytes of the first SPS NAL unit, header byte included, or 0. */
    public int spsLength() {
        return spsLength;
    }

    /** Offset in the payload's array of the first PPS NAL unit (header byte included), or -1. */
    public int ppsOffset() {
        return ppsOffset;
    }

    /** Length in bytes of the first PPS NAL unit, header byte included, or 0. */
    public int ppsLength() {
        return ppsLength;
    }

    /**
     * Copies the first SPS NAL unit (header byte included) into {@code dst}.
     *
     * @return the number of bytes copied, or -1 when there is no SPS or it does not fit
     */
    public int copySps(byte[] dst, int dstOff) {
        return copy(spsOffset, spsLength, dst, dstOff);
    }

    /**
     * Copies the first PPS NAL unit (header byte included) into {@code dst}.
     *
     * @return the number of bytes copied, or -1 when there is no PPS or it does not fit
     */
    public int copyPps(byte[] dst, int dstOff) {
        return copy(ppsOffset, ppsLength, dst, dstOff);
    }

    private int copy(int srcOff, int srcLen, byte[] dst, int dstOff) {
        if (srcOff < 0 || dstOff < 0 || dstOff > dst.length || dst.length - dstOff < srcLen) {
            return -1;
        }
        System.arraycopy(buf, srcOff, dst, dstOff, srcLen);
        return srcLen;
    }

    /**
     * Hands every complete NAL unit of the parsed payload to {@code consumer}, in order: the payload
     * itself for a single NAL unit, each aggregated unit for STAP-A, nothing for FU-A.
     *
     * @return the number of units handed over
     */
    public int forEachNalUnit(NalUnitConsumer consumer) {
        if (nalUnitCount == 0) {
            return 0;
        }
        if (packetType != NAL_TYPE_STAP_A) {
            consumer.accept(packetType, buf, off, len);
            return 1;
        }
        final int end = off + len;
        int p = off + NAL_HEADER_SIZE_BYTES;
        int count = 0;
        // parse() already proved every size field and unit lies inside the payload.
        while (count < nalUnitCount && end - p >= STAP_A_SIZE_FIELD_BYTES) {
            int size = (buf[p] & 0xFF) << 8 | (buf[p + 1] & 0xFF);
            p += STAP_A_SIZE_FIELD_BYTES;
            consumer.accept(buf[p] & 0x1F, buf, p, size);
            count++;
            p += size;
        }
        return count;
    }
}
