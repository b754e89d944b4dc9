package dev.palco.rtp.codec;

import static dev.palco.rtp.codec.BadInputHarness.bytes;
import static dev.palco.rtp.codec.BadInputHarness.concat;
import static dev.palco.rtp.codec.BadInputHarness.fromHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.codec.OpusPayload.Bandwidth;
import dev.palco.rtp.codec.OpusPayload.Mode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OpusPayloadTest {

    /** RFC 6716 §3.1, Table 2, one row per config: mode, bandwidth, frame duration. */
    static Stream<Arguments> table2() {
        return Stream.of(
                Arguments.of(0, Mode.SILK, Bandwidth.NARROWBAND, 10_000),       // SILK-only NB 10 ms
                Arguments.of(1, Mode.SILK, Bandwidth.NARROWBAND, 20_000),       // SILK-only NB 20 ms
                Arguments.of(2, Mode.SILK, Bandwidth.NARROWBAND, 40_000),       // SILK-only NB 40 ms
                Arguments.of(3, Mode.SILK, Bandwidth.NARROWBAND, 60_000),       // SILK-only NB 60 ms
                Arguments.of(4, Mode.SILK, Bandwidth.MEDIUMBAND, 10_000),       // SILK-only MB 10 ms
                Arguments.of(5, Mode.SILK, Bandwidth.MEDIUMBAND, 20_000),       // SILK-only MB 20 ms
                Arguments.of(6, Mode.SILK, Bandwidth.MEDIUMBAND, 40_000),       // SILK-only MB 40 ms
                Arguments.of(7, Mode.SILK, Bandwidth.MEDIUMBAND, 60_000),       // SILK-only MB 60 ms
                Arguments.of(8, Mode.SILK, Bandwidth.WIDEBAND, 10_000),         // SILK-only WB 10 ms
                Arguments.of(9, Mode.SILK, Bandwidth.WIDEBAND, 20_000),         // SILK-only WB 20 ms
                Arguments.of(10, Mode.SILK, Bandwidth.WIDEBAND, 40_000),        // SILK-only WB 40 ms
                Arguments.of(11, Mode.SILK, Bandwidth.WIDEBAND, 60_000),        // SILK-only WB 60 ms
                Arguments.of(12, Mode.HYBRID, Bandwidth.SUPER_WIDEBAND, 10_000),// Hybrid SWB 10 ms
                Arguments.of(13, Mode.HYBRID, Bandwidth.SUPER_WIDEBAND, 20_000),// Hybrid SWB 20 ms
                Arguments.of(14, Mode.HYBRID, Bandwidth.FULLBAND, 10_000),      // Hybrid FB 10 ms
                Arguments.of(15, Mode.HYBRID, Bandwidth.FULLBAND, 20_000),      // Hybrid FB 20 ms
                Arguments.of(16, Mode.CELT, Bandwidth.NARROWBAND, 2_500),       // CELT-only NB 2.5 ms
                Arguments.of(17, Mode.CELT, Bandwidth.NARROWBAND, 5_000),       // CELT-only NB 5 ms
                Arguments.of(18, Mode.CELT, Bandwidth.NARROWBAND, 10_000),      // CELT-only NB 10 ms
                Arguments.of(19, Mode.CELT, Bandwidth.NARROWBAND, 20_000),      // CELT-only NB 20 ms
                Arguments.of(20, Mode.CELT, Bandwidth.WIDEBAND, 2_500),         // CELT-only WB 2.5 ms
                Arguments.of(21, Mode.CELT, Bandwidth.WIDEBAND, 5_000),         // CELT-only WB 5 ms
                Arguments.of(22, Mode.CELT, Bandwidth.WIDEBAND, 10_000),        // CELT-only WB 10 ms
                Arguments.of(23, Mode.CELT, Bandwidth.WIDEBAND, 20_000),        // CELT-only WB 20 ms
                Arguments.of(24, Mode.CELT, Bandwidth.SUPER_WIDEBAND, 2_500),   // CELT-only SWB 2.5 ms
                Arguments.of(25, Mode.CELT, Bandwidth.SUPER_WIDEBAND, 5_000),   // CELT-only SWB 5 ms
                Arguments.of(26, Mode.CELT, Bandwidth.SUPER_WIDEBAND, 10_000),  // CELT-only SWB 10 ms
                Arguments.of(27, Mode.CELT, Bandwidth.SUPER_WIDEBAND, 20_000),  // CELT-only SWB 20 ms
                Arguments.of(28, Mode.CELT, Bandwidth.FULLBAND, 2_500),         // CELT-only FB 2.5 ms
                Arguments.of(29, Mode.CELT, Bandwidth.FULLBAND, 5_000),         // CELT-only FB 5 ms
                Arguments.of(30, Mode.CELT, Bandwidth.FULLBAND, 10_000),        // CELT-only FB 10 ms
                Arguments.of(31, Mode.CELT, Bandwidth.FULLBAND, 20_000));       // CELT-only FB 20 ms
    }

    @ParameterizedTest(name = "config {0}: {1} {2} {3} us")
    @MethodSource("table2")
    void tocMatchesRfc6716Table2(int config, Mode mode, Bandwidth bandwidth, int frameDurationUs) {
        for (int s = 0; s <= 1; s++) {
            for (int c = 0; c <= 3; c++) {
                int toc = config << 3 | s << 2 | c;
                assertEquals(config, OpusPayload.tocConfig(toc));
                assertEquals(mode, OpusPayload.tocMode(toc));
                assertEquals(bandwidth, OpusPayload.tocBandwidth(toc));
                assertEquals(frameDurationUs, OpusPayload.tocFrameDurationUs(toc));
                assertEquals(frameDurationUs * 48 / 1000, OpusPayload.tocFrameSamples48k(toc));
                assertEquals(s == 1, OpusPayload.tocStereo(toc));
                assertEquals(c, OpusPayload.tocFrameCountCode(toc));
            }
        }
        // A code 0 packet with this TOC parses to the same facts.
        OpusPayload o = new OpusPayload();
        byte[] p = bytes(config << 3, 0x11, 0x22);
        assertEquals(PayloadDropReason.OK, o.parse(p, 0, p.length));
        assertEquals(mode, o.mode());
        assertEquals(bandwidth, o.bandwidth());
        assertEquals(frameDurationUs, o.durationUs());
    }

    @Test
    void bandwidthRates() {
        assertEquals(4_000, Bandwidth.NARROWBAND.audioBandwidthHz());
        assertEquals(8_000, Bandwidth.NARROWBAND.effectiveSampleRateHz());
        assertEquals(20_000, Bandwidth.FULLBAND.audioBandwidthHz());
        assertEquals(48_000, Bandwidth.FULLBAND.effectiveSampleRateHz());
    }

    // ---- frame packing, codes 0-3 -------------------------------------------------------------

    /** Code 0: one frame. TOC and first bytes of a libopus SILK packet (the rest cut off). */
    static final byte[] CODE0 = bytes(
            0x48,             // TOC: config 9 (SILK WB 20 ms), s=0, c=0
            0xC1, 0xA8, 0x28, 0x35); // the frame: 4 bytes

    /** Code 1: two frames of equal size. */
    static final byte[] CODE1 = bytes(
            0xFD,             // TOC: config 31 (CELT FB 20 ms), s=1, c=1
            0x01, 0x02, 0x03, // frame 1: 3 bytes
            0x04, 0x05, 0x06);// frame 2: 3 bytes

    /** Code 2: two frames, the first one's length coded in one byte. */
    static final byte[] CODE2 = bytes(
            0xFE,             // TOC: config 31 (CELT FB 20 ms), s=1, c=2
            0x02,             // N1 = 2
            0xAA, 0xBB,       // frame 1: 2 bytes
            0xCC, 0xDD, 0xEE);// frame 2: the remaining 3 bytes

    /** Code 2 with a two-byte length: 0xFC 0x01 = 252 + 4 * 1 = 256. */
    static final byte[] CODE2_LONG = concat(
            bytes(0xFE,       // TOC: config 31, s=1, c=2
                  0xFC, 0x01),// N1 = 252 + 4 * 1 = 256
            new byte[256],    // frame 1: 256 bytes
            bytes(0x77));     // frame 2: 1 byte

    /** Code 3 CBR: three 3-byte frames. */
    static final byte[] CODE3_CBR = bytes(
            0x4B,             // TOC: config 9 (SILK WB 20 ms), s=0, c=3
            0x03,             // v=0 (CBR), p=0, M=3
            0x01, 0x02, 0x03, // frame 1
            0x04, 0x05, 0x06, // frame 2
            0x07, 0x08, 0x09);// frame 3

    /** Code 3 VBR: frames of 1, 2 and 4 bytes. */
    static final byte[] CODE3_VBR = bytes(
            0x4B,             // TOC: config 9, s=0, c=3
            0x83,             // v=1 (VBR), p=0, M=3
            0x01,             // N1 = 1
            0x02,             // N2 = 2
            0xA1,             // frame 1
            0xB1, 0xB2,       // frame 2
            0xC1, 0xC2, 0xC3, 0xC4); // frame 3: what is left

    /** Code 3 VBR with padding. */
    static final byte[] CODE3_VBR_PADDED = bytes(
            0x4B,             // TOC: config 9, s=0, c=3
            0xC2,             // v=1, p=1, M=2
            0x03,             // padding length 3
            0x02,             // N1 = 2
            0xA1, 0xA2,       // frame 1
            0xB1,             // frame 2: up to the padding
            0x00, 0x00, 0x00);// 3 bytes of padding

    /** Code 3 CBR with a 255 padding chain: 0xFF 0x01 = 254 + 1 = 255 bytes of padding. */
    static final byte[] CODE3_CBR_LONG_PADDING = concat(
            bytes(0x4B,       // TOC: config 9, s=0, c=3
                  0x42,       // v=0, p=1, M=2
                  0xFF, 0x01, // padding length 254 + 1 = 255
                  0x11, 0x12, // frame 1
                  0x21, 0x22),// frame 2
            new byte[255]);   // padding

    /** Code 3 with 48 frames of 2.5 ms: exactly 120 ms, the most a packet may hold. */
    static final byte[] CODE3_48_FRAMES = concat(
            bytes(0x83,       // TOC: config 16 (CELT NB 2.5 ms), s=0, c=3
                  0x30),      // v=0, p=0, M=48
            new byte[48]);    // 48 frames of 1 byte

    static List<byte[]> validFixtures() {
        return List.of(CODE0, CODE1, CODE2, CODE2_LONG, CODE3_CBR, CODE3_VBR, CODE3_VBR_PADDED,
                CODE3_CBR_LONG_PADDING, CODE3_48_FRAMES, MONO_FEC, STEREO_FEC, SILK60_FEC);
    }

    private final OpusPayload o = new OpusPayload();

    private void assertFrames(byte[] packet, int packetOff, int... offsetsAndLengths) {
        assertEquals(offsetsAndLengths.length / 2, o.frameCount());
        for (int i = 0; i < o.frameCount(); i++) {
            assertEquals(offsetsAndLengths[2 * i], o.frameOffset(i) - packetOff, "offset of frame " + i);
            assertEquals(offsetsAndLengths[2 * i + 1], o.frameLength(i), "length of frame " + i);
        }
    }

    @Test
    void code0() {
        assertEquals(PayloadDropReason.OK, o.parse(CODE0, 0, CODE0.length));
        assertEquals(0, o.frameCountCode());
        assertEquals(9, o.config());
        assertFalse(o.stereo());
        assertFrames(CODE0, 0, 1, 4);
        assertEquals(960, o.samples48k());
        assertEquals(20_000, o.durationUs());
        assertFalse(o.dtx());
    }

    @Test
    void code1() {
        assertEquals(PayloadDropReason.OK, o.parse(CODE1, 0, CODE1.length));
        assertTrue(o.stereo());
        assertEquals(1, o.frameCountCode());
        assertFrames(CODE1, 0, 1, 3, 4, 3);
        assertEquals(1920, o.samples48k());
    }

    @Test
    void code2() {
        assertEquals(PayloadDropReason.OK, o.parse(CODE2, 0, CODE2.length));
        assertFrames(CODE2, 0, 2, 2, 4, 3);
        assertEquals(PayloadDropReason.OK, o.parse(CODE2_LONG, 0, CODE2_LONG.length));
        assertFrames(CODE2_LONG, 0, 3, 256, 259, 1);
    }

    @Test
    void code3CbrAndVbr() {
        assertEquals(PayloadDropReason.OK, o.parse(CODE3_CBR, 0, CODE3_CBR.length));
        assertFalse(o.vbr());
        assertFrames(CODE3_CBR, 0, 2, 3, 5, 3, 8, 3);
        assertEquals(2880, o.samples48k());
        assertEquals(60_000, o.durationUs());

        assertEquals(PayloadDropReason.OK, o.parse(CODE3_VBR, 0, CODE3_VBR.length));
        assertTrue(o.vbr());
        assertEquals(0, o.paddingLengthBytes());
        assertFrames(CODE3_VBR, 0, 4, 1, 5, 2, 7, 4);
    }

    @Test
    void code3Padding() {
        byte[] big = new byte[CODE3_VBR_PADDED.length + 9];
        Arrays.fill(big, (byte) 0x33);
        System.arraycopy(CODE3_VBR_PADDED, 0, big, 4, CODE3_VBR_PADDED.length);
        assertEquals(PayloadDropReason.OK, o.parse(big, 4, CODE3_VBR_PADDED.length));
        assertEquals(3, o.paddingLengthBytes());
        assertFrames(big, 4, 4, 2, 6, 1);

        assertEquals(PayloadDropReason.OK, o.parse(CODE3_CBR_LONG_PADDING, 0, CODE3_CBR_LONG_PADDING.length));
        assertEquals(255, o.paddingLengthBytes());
        assertFalse(o.vbr());
        assertFrames(CODE3_CBR_LONG_PADDING, 0, 4, 2, 6, 2);
    }

    @Test
    void packetDurationLimitIs120Ms() {
        assertEquals(PayloadDropReason.OK, o.parse(CODE3_48_FRAMES, 0, CODE3_48_FRAMES.length));
        assertEquals(48, o.frameCount());
        assertEquals(5760, o.samples48k());
        assertEquals(120_000, o.durationUs());

        byte[] fortyNine = concat(bytes(0x83, 0x31), new byte[49]); // M=49 frames of 2.5 ms
        assertEquals(PayloadDropReason.OPUS_BAD_FRAME_COUNT, o.parse(fortyNine, 0, fortyNine.length));

        byte[] twoOf60 = bytes(0x1B, 0x02, 0x01, 0x02); // config 3 (SILK NB 60 ms), c=3, M=2: 120 ms
        assertEquals(PayloadDropReason.OK, o.parse(twoOf60, 0, twoOf60.length));
        assertEquals(120_000, o.durationUs());
        byte[] threeOf60 = bytes(0x1B, 0x03, 0x01, 0x02, 0x03); // M=3: 180 ms
        assertEquals(PayloadDropReason.OPUS_BAD_FRAME_COUNT, o.parse(threeOf60, 0, threeOf60.length));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("[R1] empty", bytes(), PayloadDropReason.EMPTY_PAYLOAD),
                Arguments.of("[R2] code 0 frame of 1276 bytes", concat(bytes(0x48), new byte[1276]),
                        PayloadDropReason.OPUS_FRAME_TOO_LONG),
                Arguments.of("[R3] code 1 with 3 data bytes", bytes(0x49, 0x01, 0x02, 0x03),
                        PayloadDropReason.OPUS_CODE1_ODD_LENGTH),
                Arguments.of("[R2] code 1 frames of 1276 bytes", concat(bytes(0x49), new byte[2 * 1276]),
                        PayloadDropReason.OPUS_FRAME_TOO_LONG),
                Arguments.of("[R4] code 2 without length", bytes(0x4A), PayloadDropReason.OPUS_TRUNCATED),
                Arguments.of("[R4] code 2, two-byte length cut", bytes(0x4A, 0xFC), PayloadDropReason.OPUS_TRUNCATED),
                Arguments.of("[R4] code 2, first frame past the end", bytes(0x4A, 0x05, 0x01, 0x02, 0x03),
                        PayloadDropReason.OPUS_TRUNCATED),
                Arguments.of("[R2] code 2, second frame of 1276 bytes", concat(bytes(0x4A, 0x00), new byte[1276]),
                        PayloadDropReason.OPUS_FRAME_TOO_LONG),
                Arguments.of("[R6] code 3 without frame count", bytes(0x4B), PayloadDropReason.OPUS_TRUNCATED),
                Arguments.of("[R5] code 3, M=0", bytes(0x4B, 0x00), PayloadDropReason.OPUS_BAD_FRAME_COUNT),
                Arguments.of("[R5] code 3, 7 frames of 20 ms", concat(bytes(0x4B, 0x07), new byte[7]),
                        PayloadDropReason.OPUS_BAD_FRAME_COUNT),
                Arguments.of("code 3, padding length missing", bytes(0x4B, 0x41), PayloadDropReason.OPUS_TRUNCATED),
                Arguments.of("code 3, padding chain cut after 255", bytes(0x4B, 0x41, 0xFF),
                        PayloadDropReason.OPUS_TRUNCATED),
                Arguments.of("code 3, padding longer than the packet", bytes(0x4B, 0x41, 0x05, 0x01, 0x02),
                        PayloadDropReason.OPUS_PADDING_OVERFLOW),
                Arguments.of("[R6] code 3 CBR, 7 bytes for 2 frames", bytes(0x4B, 0x02, 1, 2, 3, 4, 5, 6, 7),
                        PayloadDropReason.OPUS_CBR_NOT_DIVISIBLE),
                Arguments.of("[R6] code 3 CBR, frame of 1276 bytes", concat(bytes(0x4B, 0x01), new byte[1276]),
                        PayloadDropReason.OPUS_FRAME_TOO_LONG),
                Arguments.of("[R7] code 3 VBR, lengths missing", bytes(0x4B, 0x83, 0x01),
                        PayloadDropReason.OPUS_TRUNCATED),
                Arguments.of("[R7] code 3 VBR, frames past the end", bytes(0x4B, 0x83, 0x05, 0x05, 0x01),
                        PayloadDropReason.OPUS_TRUNCATED),
                Arguments.of("[R7] code 3 VBR, length bytes in the padding", bytes(0x4B, 0xC2, 0x01, 0x01),
                        PayloadDropReason.OPUS_TRUNCATED),
                Arguments.of("[R7] code 3 VBR, last frame of 1276 bytes", concat(bytes(0x4B, 0x82, 0x00), new byte[1276]),
                        PayloadDropReason.OPUS_FRAME_TOO_LONG));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedPacketsAreDropped(String name, byte[] packet, PayloadDropReason expected) {
        assertEquals(expected, o.parse(packet, 0, packet.length));
    }

    @Test
    void edgeCasesThatAreValid() {
        byte[] code1Empty = bytes(0x49); // code 1 with no data: two frames of 0 bytes
        assertEquals(PayloadDropReason.OK, o.parse(code1Empty, 0, 1));
        assertFrames(code1Empty, 0, 1, 0, 1, 0);
        byte[] code3CbrEmpty = bytes(0x4B, 0x02); // code 3 CBR, M=2, no data: two empty frames
        assertEquals(PayloadDropReason.OK, o.parse(code3CbrEmpty, 0, 2));
        assertFrames(code3CbrEmpty, 0, 2, 0, 2, 0);
        byte[] maxFrame = concat(bytes(0x48), new byte[1275]); // code 0, largest frame
        assertEquals(PayloadDropReason.OK, o.parse(maxFrame, 0, maxFrame.length));
    }

    // ---- DTX ----------------------------------------------------------------------------------

    @Test
    void dtxPackets() {
        byte[] tocOnly = bytes(0x48); // TOC, no frame data: the DTX packet libopus emits in silence
        assertEquals(PayloadDropReason.OK, o.parse(tocOnly, 0, 1));
        assertTrue(o.dtx());
        assertEquals(1, o.frameCount());
        assertEquals(0, o.frameLength(0));
        assertEquals(960, o.samples48k()); // still advances the RTP timestamp by 20 ms

        byte[] twoBytes = bytes(0x48, 0x00);
        assertEquals(PayloadDropReason.OK, o.parse(twoBytes, 0, 2));
        assertTrue(o.dtx());

        assertEquals(PayloadDropReason.OK, o.parse(CODE0, 0, 3));
        assertFalse(o.dtx());
    }

    // ---- in-band FEC (LBRR flags) -------------------------------------------------------------

    /**
     * Packets from libopus 1.3 (ffmpeg 5.1 libopus, application=voip, 24-32 kb/s, fec=1,
     * packet_loss=20, a 300/500 Hz tone), cut to their first 16 bytes: only the TOC and the first
     * frame's first byte matter here, and a code 0 packet of any length is well formed.
     */
    static final byte[] MONO_FEC = fromHex(
            "48"            // TOC: config 9 (SILK WB 20 ms), mono, code 0
            + "c1"          // 1100 0001: VAD=1, LBRR=1, then SILK data
            + "a82835507983e0e4c5de353c45d5");
    static final byte[] MONO_FEC_NONE = fromHex(
            "48"            // TOC: config 9, mono, code 0
            + "9a"          // 1001 1010: VAD=1, LBRR=0
            + "f518007c379f70b00b4b3ffbb007");
    static final byte[] MONO_FEC_OFF = fromHex( // same source, fec=0
            "48"            // TOC: config 9, mono, code 0
            + "9b"          // 1001 1011: VAD=1, LBRR=0
            + "e58124dfad5bc76f9f4497ce53d5");
    static final byte[] STEREO_FEC = fromHex(
            "4c"            // TOC: config 9 (SILK WB 20 ms), stereo, code 0
            + "f4"          // 1111 0100: mid VAD=1 LBRR=1, side VAD=1 LBRR=1
            + "6a9a8f73b94132d53fa8bb2b96c1");
    static final byte[] STEREO_FIRST_PACKET = fromHex(
            "4c"            // TOC: config 9, stereo, code 0
            + "a4"          // 1010 0100: mid VAD=1 LBRR=0, side VAD=1 LBRR=0 (nothing to protect yet)
            + "6a92a0a1d9a3d072049eb59244f4");
    static final byte[] STEREO_MID_FEC_ONLY = fromHex(
            "4c"            // TOC: config 9, stereo, code 0
            + "c4"          // 1100 0100: mid VAD=1 LBRR=1, side VAD=0 LBRR=0
            + "66f1023a3835a7965e8c3dad0ab3");
    static final byte[] SILK60_FEC = fromHex(
            "58"            // TOC: config 11 (SILK WB 60 ms), mono, code 0: 3 SILK frames
            + "fb"          // 1111 1011: VAD=1,1,1, LBRR=1
            + "058e1dc4f44f258a69b6874d99c9");
    static final byte[] SILK60_FEC_OFF = fromHex( // fec=0
            "58"            // TOC: config 11, mono, code 0
            + "e6"          // 1110 0110: VAD=1,1,1, LBRR=0 (bit 6 is SILK data, not a flag)
            + "38ad738a6e50ac900526890f4e75");

    static Stream<Arguments> lbrrPackets() {
        return Stream.of(
                Arguments.of("mono, LBRR", MONO_FEC, true),
                Arguments.of("mono, no LBRR", MONO_FEC_NONE, false),
                Arguments.of("mono, fec off", MONO_FEC_OFF, false),
                Arguments.of("stereo, both LBRR", STEREO_FEC, true),
                Arguments.of("stereo, none", STEREO_FIRST_PACKET, false),
                Arguments.of("stereo, mid only", STEREO_MID_FEC_ONLY, true),
                Arguments.of("stereo, side only", bytes(0x4C, 0xB4, 0x00), true), // 1011 0100
                Arguments.of("60 ms, LBRR", SILK60_FEC, true),
                Arguments.of("60 ms, fec off", SILK60_FEC_OFF, false),
                Arguments.of("CELT never has LBRR", bytes(0xF8, 0xFF, 0xFF), false), // config 31
                Arguments.of("1-byte frame is not decoded", bytes(0x48, 0xFF), false),
                Arguments.of("hybrid FB 20 ms, LBRR", bytes(0x78, 0x40, 0x00), true)); // config 15, 01..
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lbrrPackets")
    void inbandFecFlag(String name, byte[] packet, boolean expected) {
        assertEquals(PayloadDropReason.OK, o.parse(packet, 0, packet.length));
        assertEquals(expected, o.hasInbandFec());
    }

    @Test
    void inbandFecLooksOnlyAtTheFirstFrame() {
        // Code 1, two 2-byte SILK frames; only the second one has LBRR set.
        byte[] p = bytes(0x49, 0x80, 0x00, 0xC0, 0x00); // config 9 c=1; frame 1: 10.., frame 2: 11..
        assertEquals(PayloadDropReason.OK, o.parse(p, 0, p.length));
        assertFalse(o.hasInbandFec());
    }

    /**
     * The literal range decoder of RFC 6716 §4.1 (ec_dec_init, ec_dec_bit_logp), to check that
     * reading the SILK header flags as raw bits gives the same answer.
     */
    static final class ReferenceRangeDecoder {
        private final byte[] buf;
        private int pos;
        private final int end;
        private long rng;
        private long val;
        private int rem;

        ReferenceRangeDecoder(byte[] buf, int off, int len) {
            this.buf = buf;
            this.pos = off;
            this.end = off + len;
            rng = 128;
            rem = readByte();
            val = rng - 1 - (rem >> 1);
            normalize();
        }

        private int readByte() {
            return pos < end ? buf[pos++] & 0xFF : 0;
        }

        private void normalize() {
            while (rng <= (1L << 23)) {
                rng <<= 8;
                int sym = rem;
                rem = readByte();
                sym = ((sym << 8) | rem) >> 1;
                val = ((val << 8) + (0xFF & ~sym)) & ((1L << 31) - 1);
            }
        }

        int bitLogp(int logp) {
            long s = rng >>> logp;
            boolean one = val < s;
            if (!one) {
                val -= s;
            }
            rng = one ? s : rng - s;
            normalize();
            return one ? 1 : 0;
        }
    }

    @Test
    void lbrrShortcutMatchesTheRangeDecoder() {
        SplittableRandom rnd = new SplittableRandom(0x5EED_0905L);
        int withFec = 0;
        for (int i = 0; i < 20_000; i++) {
            int config = rnd.nextInt(16); // SILK and Hybrid configs
            boolean stereo = rnd.nextBoolean();
            byte[] frame = new byte[2 + rnd.nextInt(6)];
            for (int j = 0; j < frame.length; j++) {
                frame[j] = (byte) rnd.nextInt(256);
            }
            byte[] packet = concat(bytes(config << 3 | (stereo ? 4 : 0)), frame);

            // silk_Decode: for each channel, one VAD flag per SILK frame, then the LBRR flag.
            int silkFrames = Math.max(1, OpusPayload.tocFrameSamples48k(packet[0]) / 960);
            ReferenceRangeDecoder rd = new ReferenceRangeDecoder(frame, 0, frame.length);
            boolean lbrr = false;
            for (int ch = 0; ch < (stereo ? 2 : 1); ch++) {
                for (int f = 0; f < silkFrames; f++) {
                    rd.bitLogp(1);
                }
                lbrr |= rd.bitLogp(1) == 1;
            }
            assertEquals(PayloadDropReason.OK, o.parse(packet, 0, packet.length));
            assertEquals(lbrr, o.hasInbandFec(), () -> "packet " + BadInputHarness.hex(packet));
            if (lbrr) {
                withFec++;
            }
        }
        assertTrue(withFec > 5000);
    }

    // ---- bad input ----------------------------------------------------------------------------

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void badInputNeverThrowsOrReadsOutsideItsWindow() {
        List<byte[]> seeds = new ArrayList<>(validFixtures());
        malformed().forEach(a -> seeds.add((byte[]) a.get()[1]));
        seeds.removeIf(b -> b.length == 0);
        OpusPayload view = new OpusPayload();
        int n = BadInputHarness.run(0x5EED_0906L, seeds, 100_000, 400, (buf, off, len) -> {
            PayloadDropReason r = view.parse(buf, off, len);
            long d = r.ordinal();
            if (r == PayloadDropReason.OK) {
                int frames = view.frameCount();
                assertTrue(frames >= 1 && frames <= OpusPayload.MAX_FRAMES_PER_PACKET);
                assertTrue(view.samples48k() <= OpusPayload.MAX_PACKET_SAMPLES_48K);
                int prevEnd = off + 1;
                for (int i = 0; i < frames; i++) {
                    int fo = view.frameOffset(i);
                    int fl = view.frameLength(i);
                    assertTrue(fl >= 0 && fl <= OpusPayload.MAX_FRAME_SIZE_BYTES);
                    assertTrue(fo >= prevEnd && fo + fl <= off + len, "frame outside the packet");
                    prevEnd = fo + fl;
                    d = d * 31 + (fo - off);
                    d = d * 31 + fl;
                    for (int j = 0; j < fl; j++) {
                        d = d * 31 + buf[fo + j];
                    }
                }
                assertTrue(prevEnd + view.paddingLengthBytes() <= off + len);
                d = d * 31 + view.toc();
                d = d * 31 + view.paddingLengthBytes();
                d = d * 31 + (view.vbr() ? 1 : 0);
                d = d * 31 + (view.hasInbandFec() ? 1 : 0);
                d = d * 31 + (view.dtx() ? 1 : 0);
            }
            return d;
        });
        assertEquals(100_000, n);
    }
}
