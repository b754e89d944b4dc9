package dev.palco.rtp.codec;

import static dev.palco.rtp.codec.BadInputHarness.bytes;
import static dev.palco.rtp.codec.BadInputHarness.concat;
import static dev.palco.rtp.codec.BadInputHarness.fromHex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class H264PayloadTest {

    /**
     * SPS NAL unit written by libx264 for a 640x360 Constrained Baseline stream (25 bytes):
     * 67 = F=0 NRI=3 type=7; 42 c0 1f = profile 66, constraint_set0+1, level 3.1; the rest is
     * exp-Golomb coded, with two emulation-prevention bytes (00 00 03) in the VUI.
     */
    static final byte[] SPS_640X360 = fromHex("6742c01fd900a02ff970110000030001000003003c0f183248");
    /** PPS NAL unit from the same stream: 68 = F=0 NRI=3 type=8, then the PPS RBSP. */
    static final byte[] PPS = fromHex("68cb83cb20");
    /** Start of an IDR slice: 65 = F=0 NRI=3 type=5, then the first slice data bytes. */
    static final byte[] IDR_SLICE = bytes(0x65, 0x88, 0x84, 0x00, 0x33);

    /** Single NAL unit packet carrying a (short) IDR slice. */
    static final byte[] SINGLE_IDR = IDR_SLICE;

    /** Single NAL unit packet carrying a non-IDR slice. */
    static final byte[] SINGLE_NON_IDR = bytes(
            0x41,             // F=0 NRI=2 type=1 (non-IDR slice)
            0x9A, 0x02, 0x11);// slice data

    /** STAP-A with SPS, PPS and IDR slice, the way browsers start a key frame. */
    static final byte[] STAP_A_SPS_PPS_IDR = concat(
            bytes(0x78),       // STAP-A NAL header: F=0 NRI=3 type=24
            bytes(0x00, 0x19), // NALU 1 size = 25
            SPS_640X360,       // NALU 1: SPS
            bytes(0x00, 0x05), // NALU 2 size = 5
            PPS,               // NALU 2: PPS
            bytes(0x00, 0x05), // NALU 3 size = 5
            IDR_SLICE);        // NALU 3: IDR slice

    /** FU-A, first fragment of an IDR slice. */
    static final byte[] FU_A_IDR_START = bytes(
            0x7C,             // FU indicator: F=0 NRI=3 type=28
            0x85,             // FU header: S=1 E=0 R=0 type=5 (IDR slice)
            0x88, 0x84, 0x00);// first bytes of the IDR slice (its NAL header byte is not sent)

    /** FU-A, middle fragment of an IDR slice. */
    static final byte[] FU_A_IDR_MIDDLE = bytes(
            0x7C,             // FU indicator: F=0 NRI=3 type=28
            0x05,             // FU header: S=0 E=0 R=0 type=5
            0x12, 0x34);      // slice data

    /** FU-A, last fragment of an IDR slice. */
    static final byte[] FU_A_IDR_END = bytes(
            0x7C,             // FU indicator: F=0 NRI=3 type=28
            0x45,             // FU header: S=0 E=1 R=0 type=5
            0x56, 0x78);      // slice data

    /** FU-A, first fragment of a non-IDR slice. */
    static final byte[] FU_A_NON_IDR_START = bytes(
            0x5C,             // FU indicator: F=0 NRI=2 type=28
            0x81,             // FU header: S=1 E=0 R=0 type=1 (non-IDR slice)
            0x9A);            // slice data

    static List<byte[]> validFixtures() {
        return List.of(SINGLE_IDR, SINGLE_NON_IDR, STAP_A_SPS_PPS_IDR, FU_A_IDR_START, FU_A_IDR_MIDDLE,
                FU_A_IDR_END, FU_A_NON_IDR_START, SPS_640X360, PPS);
    }

    private final H264Payload h = new H264Payload();

    @Test
    void singleNalIdrIsAKeyframe() {
        assertEquals(PayloadDropReason.OK, h.parse(SINGLE_IDR, 0, SINGLE_IDR.length));
        assertEquals(5, h.packetType());
        assertEquals(1, h.nalUnitCount());
        assertTrue(h.keyframe());
        assertFalse(h.hasSps());
        assertFalse(h.hasPps());
        assertEquals(-1, h.fragmentedNalType());
        assertFalse(h.forbiddenBit());
    }

    @Test
    void singleNalNonIdrIsNotAKeyframe() {
        assertEquals(PayloadDropReason.OK, h.parse(SINGLE_NON_IDR, 0, SINGLE_NON_IDR.length));
        assertEquals(1, h.packetType());
        assertFalse(h.keyframe());
        assertEquals(1, H264Payload.packetType(SINGLE_NON_IDR, 0, SINGLE_NON_IDR.length));
        assertEquals(-1, H264Payload.packetType(SINGLE_NON_IDR, 0, 0));
    }

    @Test
    void singleNalSpsIsReported() {
        assertEquals(PayloadDropReason.OK, h.parse(SPS_640X360, 0, SPS_640X360.length));
        assertTrue(h.hasSps());
        assertEquals(0, h.spsOffset());
        assertEquals(25, h.spsLength());
        assertFalse(h.keyframe());
    }

    @Test
    void stapAWithSpsPpsIdr() {
        byte[] big = new byte[STAP_A_SPS_PPS_IDR.length + 20];
        Arrays.fill(big, (byte) 0xEE);
        int off = 9;
        System.arraycopy(STAP_A_SPS_PPS_IDR, 0, big, off, STAP_A_SPS_PPS_IDR.length);

        assertEquals(PayloadDropReason.OK, h.parse(big, off, STAP_A_SPS_PPS_IDR.length));
        assertEquals(24, h.packetType());
        assertEquals(3, h.nalUnitCount());
        assertTrue(h.keyframe());
        assertTrue(h.hasSps());
        assertTrue(h.hasPps());
        assertEquals(off + 3, h.spsOffset());       // after the STAP-A header and the size field
        assertEquals(25, h.spsLength());
        assertEquals(off + 3 + 25 + 2, h.ppsOffset());
        assertEquals(5, h.ppsLength());

        byte[] sps = new byte[64];
        assertEquals(25, h.copySps(sps, 3));
        assertArrayEquals(SPS_640X360, Arrays.copyOfRange(sps, 3, 28));
        byte[] pps = new byte[5];
        assertEquals(5, h.copyPps(pps, 0));
        assertArrayEquals(PPS, pps);

        List<String> seen = new ArrayList<>();
        int count = h.forEachNalUnit((type, buf, nalOff, nalLen) ->
                seen.add(type + "@" + (nalOff - off) + "+" + nalLen + ":" + (buf[nalOff] & 0x1F)));
        assertEquals(3, count);
        assertEquals(List.of("7@3+25:7", "8@30+5:8", "5@37+5:5"), seen);

        // The SPS found in the packet parses to the stream's picture size.
        H264SpsParser sp = new H264SpsParser();
        assertEquals(PayloadDropReason.OK, sp.parse(big, h.spsOffset(), h.spsLength()));
        assertEquals(640, sp.widthPx());
        assertEquals(360, sp.heightPx());
    }

    @Test
    void copyIntoTooSmallBufferFails() {
        h.parse(STAP_A_SPS_PPS_IDR, 0, STAP_A_SPS_PPS_IDR.length);
        assertEquals(-1, h.copySps(new byte[24], 0));
        assertEquals(-1, h.copySps(new byte[30], 6));
        assertEquals(-1, h.copySps(new byte[30], 31));
        assertEquals(-1, h.copyPps(new byte[10], -1));
        h.parse(SINGLE_IDR, 0, SINGLE_IDR.length);
        assertEquals(-1, h.copySps(new byte[100], 0)); // no SPS in the packet
    }

    @Test
    void fuAStartMiddleEnd() {
        assertEquals(PayloadDropReason.OK, h.parse(FU_A_IDR_START, 0, FU_A_IDR_START.length));
        assertEquals(28, h.packetType());
        assertTrue(h.fuStart());
        assertFalse(h.fuEnd());
        assertEquals(5, h.fragmentedNalType());
        assertEquals(0x65, h.fragmentedNalHeader()); // F=0 NRI=3 from the indicator, type 5
        assertTrue(h.keyframe());
        assertEquals(0, h.nalUnitCount());
        assertEquals(0, h.forEachNalUnit((type, buf, o, l) -> {
            throw new AssertionError("FU-A has no complete NAL unit");
        }));

        assertEquals(PayloadDropReason.OK, h.parse(FU_A_IDR_MIDDLE, 0, FU_A_IDR_MIDDLE.length));
        assertFalse(h.fuStart());
        assertFalse(h.fuEnd());
        assertEquals(5, h.fragmentedNalType());
        assertFalse(h.keyframe()); // only the first fragment marks the key frame start

        assertEquals(PayloadDropReason.OK, h.parse(FU_A_IDR_END, 0, FU_A_IDR_END.length));
        assertFalse(h.fuStart());
        assertTrue(h.fuEnd());
        assertFalse(h.keyframe());

        assertEquals(PayloadDropReason.OK, h.parse(FU_A_NON_IDR_START, 0, FU_A_NON_IDR_START.length));
        assertTrue(h.fuStart());
        assertEquals(1, h.fragmentedNalType());
        assertEquals(0x41, h.fragmentedNalHeader()); // NRI=2, type 1
        assertFalse(h.keyframe());
    }

    @Test
    void forbiddenBitIsReportedNotDropped() {
        byte[] p = bytes(0xE5, 0x88); // F=1 NRI=3 type=5
        assertEquals(PayloadDropReason.OK, h.parse(p, 0, p.length));
        assertTrue(h.forbiddenBit());
        assertTrue(h.keyframe());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty", bytes(), PayloadDropReason.EMPTY_PAYLOAD),
                Arguments.of("type 0", bytes(0x00, 0x01), PayloadDropReason.H264_UNDEFINED_NAL_TYPE),
                Arguments.of("type 30", bytes(0x1E, 0x01), PayloadDropReason.H264_UNDEFINED_NAL_TYPE),
                Arguments.of("type 31", bytes(0x7F, 0x01), PayloadDropReason.H264_UNDEFINED_NAL_TYPE),
                Arguments.of("STAP-B", bytes(0x79, 0x00, 0x00, 0x00, 0x01, 0x65),
                        PayloadDropReason.H264_UNSUPPORTED_PACKETIZATION),
                Arguments.of("MTAP16", bytes(0x7A, 0x00), PayloadDropReason.H264_UNSUPPORTED_PACKETIZATION),
                Arguments.of("MTAP24", bytes(0x7B, 0x00), PayloadDropReason.H264_UNSUPPORTED_PACKETIZATION),
                Arguments.of("FU-B", bytes(0x7D, 0x85, 0x00, 0x00, 0x11),
                        PayloadDropReason.H264_UNSUPPORTED_PACKETIZATION),
                Arguments.of("STAP-A with no unit", bytes(0x78), PayloadDropReason.H264_STAP_A_BAD_UNIT),
                Arguments.of("STAP-A, one stray byte after the last unit", bytes(0x78, 0x00, 0x02, 0x65, 0x88, 0x00),
                        PayloadDropReason.H264_STAP_A_TRUNCATED),
                Arguments.of("STAP-A, unit of size 0", bytes(0x78, 0x00, 0x00, 0x65),
                        PayloadDropReason.H264_STAP_A_BAD_UNIT),
                Arguments.of("STAP-A, size past the end", bytes(0x78, 0x00, 0x05, 0x65, 0x88),
                        PayloadDropReason.H264_STAP_A_TRUNCATED),
                Arguments.of("STAP-A, size 0xffff", bytes(0x78, 0xFF, 0xFF, 0x65, 0x88),
                        PayloadDropReason.H264_STAP_A_TRUNCATED),
                Arguments.of("STAP-A inside STAP-A", bytes(0x78, 0x00, 0x02, 0x78, 0x00),
                        PayloadDropReason.H264_STAP_A_BAD_UNIT),
                Arguments.of("FU-A inside STAP-A", bytes(0x78, 0x00, 0x02, 0x7C, 0x85),
                        PayloadDropReason.H264_STAP_A_BAD_UNIT),
                Arguments.of("type 0 inside STAP-A", bytes(0x78, 0x00, 0x01, 0x00),
                        PayloadDropReason.H264_STAP_A_BAD_UNIT),
                Arguments.of("FU-A without FU header", bytes(0x7C), PayloadDropReason.H264_FU_A_TRUNCATED),
                Arguments.of("FU-A with S and E", bytes(0x7C, 0xC5, 0x00), PayloadDropReason.H264_FU_A_BAD_HEADER),
                Arguments.of("FU-A of type 0", bytes(0x7C, 0x80, 0x00), PayloadDropReason.H264_FU_A_BAD_HEADER),
                Arguments.of("FU-A of an FU-A", bytes(0x7C, 0x9C, 0x00), PayloadDropReason.H264_FU_A_BAD_HEADER),
                Arguments.of("FU-A of a STAP-A", bytes(0x7C, 0x98, 0x00), PayloadDropReason.H264_FU_A_BAD_HEADER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedPayloadsAreDropped(String name, byte[] payload, PayloadDropReason expected) {
        assertEquals(expected, h.parse(payload, 0, payload.length));
    }

    @Test
    void fuAWithEmptyFragmentIsAccepted() {
        byte[] p = bytes(0x7C, 0x05); // FU indicator, FU header S=0 E=0 type 5, no data
        assertEquals(PayloadDropReason.OK, h.parse(p, 0, p.length));
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void badInputNeverThrowsOrReadsOutsideItsWindow() {
        H264Payload view = new H264Payload();
        long[] acc = new long[1];
        H264Payload.NalUnitConsumer consumer = (type, buf, nalOff, nalLen) -> {
            // Fold the units' contents in, so a unit reaching outside the window would change the digest.
            acc[0] = acc[0] * 31 + type;
            acc[0] = acc[0] * 31 + nalLen;
            for (int i = 0; i < nalLen; i++) {
                acc[0] = acc[0] * 31 + buf[nalOff + i];
            }
        };
        byte[] copy = new byte[2048];
        int n = BadInputHarness.run(0x5EED_0264L, validFixtures(), 150_000, 120, (buf, off, len) -> {
            PayloadDropReason r = view.parse(buf, off, len);
            long d = r.ordinal();
            if (r == PayloadDropReason.OK) {
                acc[0] = 0;
                int units = view.forEachNalUnit(consumer);
                assertEquals(view.nalUnitCount(), units);
                d = d * 31 + acc[0];
                d = d * 31 + view.packetType();
                d = d * 31 + (view.keyframe() ? 1 : 0);
                d = d * 31 + view.fragmentedNalHeader();
                d = d * 31 + (view.fuStart() ? 2 : 0) + (view.fuEnd() ? 1 : 0);
                d = d * 31 + (view.spsOffset() < 0 ? -1 : view.spsOffset() - off);
                d = d * 31 + view.spsLength();
                d = d * 31 + (view.ppsOffset() < 0 ? -1 : view.ppsOffset() - off);
                d = d * 31 + view.ppsLength();
                int copied = view.copySps(copy, 0);
                for (int i = 0; i < copied; i++) {
                    d = d * 31 + copy[i];
                }
                copied = view.copyPps(copy, 0);
                for (int i = 0; i < copied; i++) {
                    d = d * 31 + copy[i];
                }
            }
            return d;
        });
        assertEquals(150_000, n);
    }
}
