package dev.palco.rtp.codec;

/**
 * A reusable view over an Opus RTP payload, which is exactly one Opus packet (RFC 7587 §4.2):
 * the TOC byte, the frame framing of RFC 6716 §3.2, and the few facts an SFU wants per packet
 * (duration, DTX, in-band FEC).
 *
 * <p>{@link #parse} validates the packet against requirements R1–R7 of RFC 6716 §3.4 and records
 * the position of every frame without allocating (the frame tables are allocated once, with the
 * view). The static {@code toc*} methods decode a TOC byte alone, for code that only peeks.
 * Accessors are meaningful only after {@code parse} returned {@link PayloadDropReason#OK}. Not
 * thread-safe.
 *
 * <pre>
 * RFC 6716 §3.1, TOC byte:                 RFC 6716 §3.2.5, code 3 frame count byte:
 *
 *      0 1 2 3 4 5 6 7                          0 1 2 3 4 5 6 7
 *     +-+-+-+-+-+-+-+-+                        +-+-+-+-+-+-+-+-+
 *     | config  |s| c |                        |v|p|     M     |
 *     +-+-+-+-+-+-+-+-+                        +-+-+-+-+-+-+-+-+
 *
 *   config: mode, bandwidth, frame size (Table 2)   v: VBR, p: padding, M: frame count
 *   s: stereo   c: 0 = 1 frame, 1 = 2 equal frames, 2 = 2 frames, 3 = M frames
 *
 * RFC 6716 §3.2.1, frame length (codes 2 and 3): one byte 0..251, or two bytes b0 in 252..255
 * and b1 giving b0 + 4 * b1 (at most 1275).
 * </pre>
 */
public final class OpusPayload {

    /** Largest frame RFC 6716 §3.4 [R2] allows. */
    public static final int MAX_FRAME_SIZE_BYTES = 1275;
    /** Most frames one packet can hold: 120 ms of 2.5 ms frames (RFC 6716 §3.2.5). */
    public static final int MAX_FRAMES_PER_PACKET = 48;
    /** Longest packet RFC 6716 §3.2.5 allows. */
    public static final int MAX_PACKET_DURATION_US = 120_000;
    /** The Opus RTP clock rate is always 48 kHz, whatever the coded bandwidth (RFC 7587 §4.1). */
    public static final int RTP_CLOCK_RATE_HZ = 48_000;
    /** Longest packet in samples at 48 kHz (120 ms). */
    public static final int MAX_PACKET_SAMPLES_48K = 5760;
    /**
     * Packets of at most this many bytes are DTX packets. With DTX on, libopus sends such packets
     * (a TOC byte and at most one byte of frame data) in silence instead of audio, and WebRTC's
     * Opus encoder wrapper counts any encoded packet of 2 bytes or fewer as DTX. A decoder cannot
     * decode audio from them: a frame of 0 or 1 byte makes libopus run packet loss concealment,
     * which fades into comfort noise.
     */
    public static final int DTX_MAX_PACKET_SIZE_BYTES = 2;

    /** Coding mode selected by the TOC config (RFC 6716 §3.1, Table 2). */
    public enum Mode {
        /** Linear prediction layer only (configs 0–11). */
        SILK,
        /** SILK below 8 kHz plus CELT above it (configs 12–15). */
        HYBRID,
        /** MDCT layer only (configs 16–31). */
        CELT
    }

    /** Audio bandwidth selected by the TOC config (RFC 6716 §2, Table 1, and §3.1, Table 2). */
    public enum Bandwidth {
        /** NB: 4 kHz audio bandwidth, 8 kHz effective sample rate. */
        NARROWBAND(4_000, 8_000),
        /** MB: 6 kHz audio bandwidth, 12 kHz effective sample rate. */
        MEDIUMBAND(6_000, 12_000),
        /** WB: 8 kHz audio bandwidth, 16 kHz effective sample rate. */
        WIDEBAND(8_000, 16_000),
        /** SWB: 12 kHz audio bandwidth, 24 kHz effective sample rate. */
        SUPER_WIDEBAND(12_000, 24_000),
        /** FB: 20 kHz audio bandwidth, 48 kHz effective sample rate. */
        FULLBAND(20_000, 48_000);

        private final int audioBandwidthHz;
        private final int effectiveSampleRateHz;

        Bandwidth(int audioBandwidthHz, int effectiveSampleRateHz) {
            this.audioBandwidthHz = audioBandwidthHz;
            this.effectiveSampleRateHz = effectiveSampleRateHz;
        }

        /** Upper edge of the coded audio band. */
        public int audioBandwidthHz() {
            return audioBandwidthHz;
        }

        /** Sample rate that fully represents the band (Table 1). */
        public int effectiveSampleRateHz() {
            return effectiveSampleRateHz;
        }
    }

    private static final Mode[] MODE_BY_CONFIG = new Mode[32];
    private static final Bandwidth[] BANDWIDTH_BY_CONFIG = new Bandwidth[32];
    private static final int[] FRAME_SAMPLES_48K_BY_CONFIG = new int[32];

    static {
        // RFC 6716 §3.1, Table 2.
        int[] silkSamples = {480, 960, 1920, 2880}; // 10, 20, 40, 60 ms
        int[] hybridSamples = {480, 960}; // 10, 20 ms
        int[] celtSamples = {120, 240, 480, 960}; // 2.5, 5, 10, 20 ms
        Bandwidth[] silkBandwidths = {Bandwidth.NARROWBAND, Bandwidth.MEDIUMBAND, Bandwidth.WIDEBAND};
        Bandwidth[] hybridBandwidths = {Bandwidth.SUPER_WIDEBAND, Bandwidth.FULLBAND};
        Bandwidth[] celtBandwidths = {
            Bandwidth.NARROWBAND, Bandwidth.WIDEBAND, Bandwidth.SUPER_WIDEBAND, Bandwidth.FULLBAND
        };
        for (int config = 0; config < 32; config++) {
            if (config < 12) {
                MODE_BY_CONFIG[config] = Mode.SILK;
                BANDWIDTH_BY_CONFIG[config] = silkBandwidths[config / 4];
                FRAME_SAMPLES_48K_BY_CONFIG[config] = silkSamples[config % 4];
            } else if (config < 16) {
                MODE_BY_CONFIG[config] = Mode.HYBRID;
                BANDWIDTH_BY_CONFIG[config] = hybridBandwidths[(config - 12) / 2];
                FRAME_SAMPLES_48K_BY_CONFIG[config] = hybridSamples[config % 2];
            } else {
                MODE_BY_CONFIG[config] = Mode.CELT;
                BANDWIDTH_BY_CONFIG[config] = celtBandwidths[(config - 16) / 4];
                FRAME_SAMPLES_48K_BY_CONFIG[config] = celtSamples[config % 4];
            }
        }
    }

    private final int[] frameOffsets = new int[MAX_FRAMES_PER_PACKET];
    private final int[] frameLengths = new int[MAX_FRAMES_PER_PACKET];
    private int toc;
    private int len;
    private int frameCount;
    private boolean vbr;
    private int paddingLengthBytes;
    private boolean inbandFec;

    /** Creates an empty view; call {@link #parse} before reading it. */
    public OpusPayload() {
        clear();
    }

    /** config, the top five bits of the TOC byte (0..31). */
    public static int tocConfig(int toc) {
        return (toc & 0xFF) >>> 3;
    }

    /** Coding mode of a TOC byte. */
    public static Mode tocMode(int toc) {
        return MODE_BY_CONFIG[tocConfig(toc)];
    }

    /** Audio bandwidth of a TOC byte. */
    public static Bandwidth tocBandwidth(int toc) {
        return BANDWIDTH_BY_CONFIG[tocConfig(toc)];
    }

    /** Samples per frame at 48 kHz: 120, 240, 480, 960, 1920 or 2880. */
    public static int tocFrameSamples48k(int toc) {
        return FRAME_SAMPLES_48K_BY_CONFIG[tocConfig(toc)];
    }

    /** Frame duration in microseconds: 2500, 5000, 10000, 20000, 40000 or 60000. */
    public static int tocFrameDurationUs(int toc) {
        // 48 samples per millisecond, so one sample lasts 1000/48 us.
        return tocFrameSamples48k(toc) * 1000 / 48;
    }

    /** s: the packet codes stereo. */
    public static boolean tocStereo(int toc) {
        return (toc & 0x04) != 0;
    }

    /** c: the frame count code (0: one frame, 1: two equal, 2: two different, 3: arbitrary). */
    public static int tocFrameCountCode(int toc) {
        return toc & 0x03;
    }

    /**
     * Parses and validates one Opus packet.
     *
     * <p>Reads only {@code buf[off .. off+len-1]}. Never throws on malformed content.
     *
     * @param buf array holding the RTP payload
     * @param off first byte of the RTP payload (the TOC byte)
     * @param len RTP payload length in bytes, without RTP padding
     * @return {@link PayloadDropReason#OK} or why the payload must be dropped
     */
    public PayloadDropReason parse(byte[] buf, int off, int len) {
        clear();
        if (len <= 0) {
            return PayloadDropReason.EMPTY_PAYLOAD; // [R1]
        }
        final int t = buf[off] & 0xFF;
        final int end = off + len;
        int p = off + 1;
        switch (t & 0x03) {
            case 0: {
                // One frame filling the rest of the packet (§3.2.2). Zero bytes is a DTX frame.
                int frameLen = len - 1;
                if (frameLen > MAX_FRAME_SIZE_BYTES) {
                    return PayloadDropReason.OPUS_FRAME_TOO_LONG; // [R2]
                }
                setFrame(0, p, frameLen);
                frameCount = 1;
                break;
            }
            case 1: {
                // Two frames of equal size (§3.2.3).
                if (((len - 1) & 1) != 0) {
                    return PayloadDropReason.OPUS_CODE1_ODD_LENGTH; // [R3]
                }
                int frameLen = (len - 1) / 2;
                if (frameLen > MAX_FRAME_SIZE_BYTES) {
                    return PayloadDropReason.OPUS_FRAME_TOO_LONG; // [R2]
                }
                setFrame(0, p, frameLen);
                setFrame(1, p + frameLen, frameLen);
                frameCount = 2;
                break;
            }
            case 2: {
                // Two frames; the first one's length is coded, the second takes the rest (§3.2.4).
                int first = readFrameLength(buf, p, end);
                if (first < 0) {
                    return PayloadDropReason.OPUS_TRUNCATED; // [R4]
                }
                p += first >= 252 ? 2 : 1;
                if (first > end - p) {
                    return PayloadDropReason.OPUS_TRUNCATED; // [R4]
                }
                int second = end - p - first;
                if (second > MAX_FRAME_SIZE_BYTES) {
                    return PayloadDropReason.OPUS_FRAME_TOO_LONG; // [R2]
                }
                setFrame(0, p, first);
                setFrame(1, p + first, second);
                frameCount = 2;
                break;
            }
            default: {
                PayloadDropReason r = parseCode3(buf, t, p, end);
                if (r != PayloadDropReason.OK) {
                    return r;
                }
                break;
            }
        }
        toc = t;
        this.len = len;
        inbandFec = firstFrameHasLbrr(buf, t);
        return PayloadDropReason.OK;
    }

    /** Code 3: M frames, CBR or VBR, optionally padded (§3.2.5). */
    private PayloadDropReason parseCode3(byte[] buf, int t, int p, int end) {
        if (p >= end) {
            return PayloadDropReason.OPUS_TRUNCATED; // [R6]/[R7]: the frame count byte is missing
        }
        int countByte = buf[p++] & 0xFF;
        boolean isVbr = (countByte & 0x80) != 0;
        boolean hasPadding = (countByte & 0x40) != 0;
        int m = countByte & 0x3F;
        if (m == 0 || m * tocFrameSamples48k(t) > MAX_PACKET_SAMPLES_48K) {
            return PayloadDropReason.OPUS_BAD_FRAME_COUNT; // [R5]
        }
        int padding = 0;
        if (hasPadding) {
            // Each 255 means 254 bytes of padding and one more length byte; bounded by the packet.
            int lengthByte;
            do {
                if (p >= end) {
                    return PayloadDropReason.OPUS_TRUNCATED;
                }
                lengthByte = buf[p++] & 0xFF;
                padding += lengthByte == 255 ? 254 : lengthByte;
            } while (lengthByte == 255);
        }
        if (padding > end - p) {
            return PayloadDropReason.OPUS_PADDING_OVERFLOW;
        }
        // Padding sits at the very end of the packet, after the last frame.
        final int dataEnd = end - padding;
        if (isVbr) {
            // M-1 coded lengths, then the frames back to back; the last frame takes what is left.
            int lengthsEnd = p;
            int total = 0;
            for (int i = 0; i < m - 1; i++) {
                int frameLen = readFrameLength(buf, lengthsEnd, dataEnd);
                if (frameLen < 0) {
                    return PayloadDropReason.OPUS_TRUNCATED; // [R7]
                }
                lengthsEnd += frameLen >= 252 ? 2 : 1;
                frameLengths[i] = frameLen;
                total += frameLen;
            }
            int last = dataEnd - lengthsEnd - total;
            if (last < 0) {
                return PayloadDropReason.OPUS_TRUNCATED; // [R7]
            }
            if (last > MAX_FRAME_SIZE_BYTES) {
                return PayloadDropReason.OPUS_FRAME_TOO_LONG; // [R7]
            }
            int q = lengthsEnd;
            for (int i = 0; i < m - 1; i++) {
                frameOffsets[i] = q;
                q += frameLengths[i];
            }
            setFrame(m - 1, q, last);
        } else {
            int available = dataEnd - p;
            if (available % m != 0) {
                return PayloadDropReason.OPUS_CBR_NOT_DIVISIBLE; // [R6]
            }
            int frameLen = available / m;
            if (frameLen > MAX_FRAME_SIZE_BYTES) {
                return PayloadDropReason.OPUS_FRAME_TOO_LONG; // [R6]
            }
            for (int i = 0; i < m; i++) {
                setFrame(i, p + i * frameLen, frameLen);
            }
        }
        frameCount = m;
        vbr = isVbr;
        paddingLengthBytes = padding;
        return PayloadDropReason.OK;
    }

    /** One- or two-byte frame length (§3.2.1), or -1 when its bytes run past {@code end}. */
    private static int readFrameLength(byte[] buf, int p, int end) {
        if (p >= end) {
            return -1;
        }
        int b0 = buf[p] & 0xFF;
        if (b0 < 252) {
            return b0;
        }
        if (p + 1 >= end) {
            return -1;
        }
        return b0 + 4 * (buf[p + 1] & 0xFF);
    }

    /**
     * Reads the LBRR flags of the first frame's SILK layer (RFC 6716 §4.2.3).
     *
     * <p>The SILK layer opens with one VAD flag per 20 ms SILK frame (1 to 3 of them) and then one
     * LBRR flag, for the mid channel and, in stereo, again for the side channel. All of these are
     * range coded with probability 1/2 (ec_dec_bit_logp with logp=1, §4.1.3.1). For symbols of
     * probability exactly 1/2 read from a freshly initialised range decoder (§4.1.1: rng=128,
     * val=127-(b0>>1), normalised to rng=2^31), the decision {@code val < rng/2} is exactly the next
     * raw bit of the frame, MSB first, and the state after it is the same decoder shifted by one
     * bit. So the at most 8 header bits are the bits of the first frame byte. (libopus's
     * opus_packet_has_lbrr reads them the same way; the unit test checks the shortcut against a
     * literal range decoder.)
     *
     * <p>Only the first frame is read: a decoder recovering a lost packet with FEC decodes the LBRR
     * data of the first frame of the following packet (libopus opus_decode with decode_fec=1). A
     * frame of 0 or 1 byte is never decoded (libopus conceals it instead), so it carries no FEC.
     */
    private boolean firstFrameHasLbrr(byte[] buf, int t) {
        if (tocMode(t) == Mode.CELT || frameLengths[0] < 2) {
            return false;
        }
        int silkFrames = Math.max(1, tocFrameSamples48k(t) / 960);
        int header = buf[frameOffsets[0]] & 0xFF;
        boolean midLbrr = ((header >>> (7 - silkFrames)) & 1) != 0;
        if (!tocStereo(t)) {
            return midLbrr;
        }
        boolean sideLbrr = ((header >>> (6 - 2 * silkFrames)) & 1) != 0;
        return midLbrr || sideLbrr;
    }

    private void setFrame(int i, int frameOff, int frameLen) {
        frameOffsets[i] = frameOff;
        frameLengths[i] = frameLen;
    }

    private void clear() {
        toc = -1;
        len = 0;
        frameCount = 0;
        vbr = false;
        paddingLengthBytes = 0;
        inbandFec = false;
    }

    /** The TOC byte (0..255). */
    public int toc() {
        return toc;
    }

    /** config (0..31). */
    public int config() {
        return tocConfig(toc);
    }

    /** Coding mode. */
    public Mode mode() {
        return tocMode(toc);
    }

    /** Audio bandwidth. */
    public Bandwidth bandwidth() {
        return tocBandwidth(toc);
    }

    /** s: the packet codes stereo. */
    public boolean stereo() {
        return tocStereo(toc);
    }

    /** c: the frame count code (0..3). */
    public int frameCountCode() {
        return tocFrameCountCode(toc);
    }

    /** Number of frames in the packet (1..48). */
    public int frameCount() {
        return frameCount;
    }

    /** Code 3 only: v, the frames have individual lengths. */
    public boolean vbr() {
        return vbr;
    }

    /** Code 3 only: bytes of padding at the end of the packet, not counting the padding length bytes. */
    public int paddingLengthBytes() {
        return paddingLengthBytes;
    }

    /** Duration of one frame in microseconds. */
    public int frameDurationUs() {
        return tocFrameDurationUs(toc);
    }

    /** Samples the packet decodes to at 48 kHz, which is also its RTP timestamp span (RFC 7587 §4.1). */
    public int samples48k() {
        return frameCount * tocFrameSamples48k(toc);
    }

    /** Duration of the packet in microseconds (at most 120 ms). */
    public int durationUs() {
        return frameCount * tocFrameDurationUs(toc);
    }

    /** Offset of frame {@code i} (0-based, below {@link #frameCount()}) in the payload's array. */
    public int frameOffset(int i) {
        return frameOffsets[i];
    }

    /** Length in bytes of frame {@code i}; 0 means a DTX or lost frame (RFC 6716 §3.2.1). */
    public int frameLength(int i) {
        return frameLengths[i];
    }

    /**
     * True for a DTX packet: {@value #DTX_MAX_PACKET_SIZE_BYTES} bytes or fewer, the rule WebRTC
     * uses (see {@link #DTX_MAX_PACKET_SIZE_BYTES}). Such packets carry no audio; a forwarder may
     * pass them on or drop them, and a mixer treats them as comfort noise.
     */
    public boolean dtx() {
        return len <= DTX_MAX_PACKET_SIZE_BYTES;
    }

    /**
     * True when the first frame's SILK layer carries LBRR data (in-band FEC) for the mid or side
     * channel, i.e. this packet can stand in, at lower quality, for a lost predecessor.
     * Always false for CELT-only packets, which have no SILK layer, and for first frames of 0 or
     * 1 byte. Only the flags are read; the LBRR frames themselves are not decoded, so a corrupt
     * SILK layer is not detected here.
     */
    public boolean hasInbandFec() {
        return inbandFec;
    }
}
