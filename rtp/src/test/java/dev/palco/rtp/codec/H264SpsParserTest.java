package dev.palco.rtp.codec;

import static dev.palco.rtp.codec.BadInputHarness.fromHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
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

class H264SpsParserTest {

    /**
     * Real SPS NAL units (header byte included, emulation-prevention bytes in place), each cut
     * from the first access unit libx264 (via ffmpeg 5.1) wrote for a one-frame testsrc2 clip;
     * the expected values are what ffprobe reports for the same stream. In every row the first
     * byte is the NAL header (0x67: F=0 NRI=3 type=7) and the next three are profile_idc, the
     * constraint flags octet and level_idc.
     */
    static Stream<Arguments> realSps() {
        return Stream.of(
                // 42 c0 1f: Constrained Baseline (set0+set1), level 3.1; 45x23 MBs, crop bottom 4 (x2 rows).
                // Two 00 00 03 sequences in the VUI.
                Arguments.of("baseline 640x360",
                        "6742c01fd900a02ff970110000030001000003003c0f183248", 66, 0xC0, 31, 640, 360, true),
                // Same SPS with constraint_set2 also set: the 42e01f profile-level-id browsers offer.
                Arguments.of("42e01f 640x360",
                        "6742e01fd900a02ff970110000030001000003003c0f183248", 66, 0xE0, 31, 640, 360, true),
                // 80x45 MBs, no cropping.
                Arguments.of("baseline 1280x720",
                        "6742c01fd9005005bb0110000003001000000303c0f1832480", 66, 0xC0, 31, 1280, 720, true),
                // 120x68 MBs = 1920x1088, crop bottom 4 units of 2 rows = 1080.
                Arguments.of("baseline 1920x1080",
                        "6742c01fdb01e0089f970110000003001000000303c0f1832e", 66, 0xC0, 31, 1920, 1080, true),
                // 64 00 28: High, level 4.0; chroma_format_idc and bit depths present.
                Arguments.of("high 1920x1080",
                        "67640028acd940780227e5c044000003000400000300f03c60c658", 100, 0x00, 40, 1920, 1080, true),
                // 4d 40 0d: Main (constraint_set1), level 1.3; 20x12 MBs, crop bottom 6 units = 180.
                Arguments.of("main 320x180",
                        "674d400deca0a0cfcf8088000003000800000301e078a14cb0", 77, 0x40, 13, 320, 180, true),
                // High, interlaced: frame_mbs_only_flag=0, 34 map units of 2 MB rows = 1088, crop to 1080.
                Arguments.of("high interlaced 1920x1080",
                        "67640028acd94078044fde0220000003002000000783e2c5b2c0", 100, 0x00, 40, 1920, 1080, false),
                // f4 00 1f: High 4:4:4 Predictive (chroma_format_idc=3, crop unit 1 sample).
                Arguments.of("high 4:4:4 1280x720",
                        "67f4001f919b280a00b76022000003000200000300781e30632c", 244, 0x00, 31, 1280, 720, true),
                // 854 is not a multiple of 16: 54 MBs = 864, crop right 5 units of 2 = 854.
                Arguments.of("high 854x480",
                        "6764001facd940d83de6f0110000030001000003003c0f183196", 100, 0x00, 31, 854, 480, true));
    }

    private final H264SpsParser p = new H264SpsParser();

    @ParameterizedTest(name = "{0}")
    @MethodSource("realSps")
    void realSpsFromLibx264(String name, String hex, int profile, int constraints, int level, int width,
            int height, boolean frameMbsOnly) {
        byte[] sps = fromHex(hex);
        byte[] big = new byte[sps.length + 10];
        Arrays.fill(big, (byte) 0xFF);
        System.arraycopy(sps, 0, big, 5, sps.length);
        assertEquals(PayloadDropReason.OK, p.parse(big, 5, sps.length));
        assertEquals(profile, p.profileIdc());
        assertEquals(constraints, p.constraintFlags());
        assertEquals(level, p.levelIdc());
        assertEquals(profile << 16 | constraints << 8 | level, p.profileLevelId());
        assertEquals(0, p.spsId());
        assertEquals(width, p.widthPx());
        assertEquals(height, p.heightPx());
        assertEquals(frameMbsOnly, p.frameMbsOnly());
    }

    @Test
    void chromeStyleProfileLevelId() {
        assertEquals(PayloadDropReason.OK, p.parse(fromHex("6742e01fd900a02ff970110000030001000003003c0f183248"), 0, 25));
        assertEquals(0x42E01F, p.profileLevelId());
        assertEquals(1, p.chromaFormatIdc());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("realSps")
    void everyShortPrefixIsTruncatedNeverWrong(String name, String hex) {
        byte[] sps = fromHex(hex);
        boolean sawOk = false;
        for (int len = 1; len <= sps.length; len++) {
            byte[] cut = Arrays.copyOf(sps, len);
            PayloadDropReason r = p.parse(cut, 0, len);
            if (r == PayloadDropReason.OK) {
                sawOk = true;
            } else {
                assertFalse(sawOk, "a longer prefix must not fail once a shorter one parsed");
                assertEquals(PayloadDropReason.H264_SPS_TRUNCATED, r, "prefix of " + len + " bytes");
            }
        }
        assertTrue(sawOk);
    }

    @Test
    void notAnSps() {
        assertEquals(PayloadDropReason.H264_SPS_NOT_SPS, p.parse(fromHex("68cb83cb20"), 0, 5));
        assertEquals(PayloadDropReason.EMPTY_PAYLOAD, p.parse(new byte[0], 0, 0));
    }

    // ---- synthetic SPS written field by field ------------------------------------------------

    /** MSB-first bit writer with exp-Golomb codes (ITU-T H.264 §9.1), for building SPS fixtures. */
    static final class SpsWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int cur;
        private int n;

        SpsWriter u(int bits, long value) {
            for (int i = bits - 1; i >= 0; i--) {
                cur = (cur << 1) | (int) ((value >>> i) & 1);
                if (++n == 8) {
                    out.write(cur);
                    cur = 0;
                    n = 0;
                }
            }
            return this;
        }

        SpsWriter ue(long v) {
            long x = v + 1;
            int bits = 64 - Long.numberOfLeadingZeros(x);
            u(bits - 1, 0);
            return u(bits, x);
        }

        SpsWriter se(long v) {
            return ue(v > 0 ? 2 * v - 1 : -2 * v);
        }

        /** rbsp_trailing_bits, then emulation prevention over the RBSP (§7.4.1). */
        byte[] finish() {
            u(1, 1);
            while (n != 0) {
                u(1, 0);
            }
            byte[] rbsp = out.toByteArray();
            ByteArrayOutputStream nal = new ByteArrayOutputStream();
            nal.write(0x67); // F=0 NRI=3 type=7
            int zeros = 0;
            for (byte b : rbsp) {
                if (zeros >= 2 && (b & 0xFF) <= 3) {
                    nal.write(0x03);
                    zeros = 0;
                }
                nal.write(b);
                zeros = b == 0 ? zeros + 1 : 0;
            }
            return nal.toByteArray();
        }
    }

    /** A synthetic SPS, its expected picture size, and whether escaping inserted any 0x03. */
    record Synthetic(byte[] nal, int width, int height, boolean escaped, int profile, int chroma) {
    }

    static Synthetic randomSps(SplittableRandom rnd) {
        int[] profiles = {66, 77, 88, 100, 110, 122, 244, 44, 118, 128};
        int profile = profiles[rnd.nextInt(profiles.length)];
        SpsWriter w = new SpsWriter();
        int rbspBits = 0;
        w.u(8, profile).u(8, rnd.nextInt(256) & 0xFC).u(8, 10 + rnd.nextInt(52));
        w.ue(rnd.nextInt(32)); // seq_parameter_set_id
        int chroma = 1;
        boolean separate = false;
        boolean high = profile == 100 || profile == 110 || profile == 122 || profile == 244 || profile == 44
                || profile == 118 || profile == 128;
        if (high) {
            chroma = rnd.nextInt(4);
            w.ue(chroma);
            if (chroma == 3) {
                separate = rnd.nextBoolean();
                w.u(1, separate ? 1 : 0);
            }
            w.ue(rnd.nextInt(7)).ue(rnd.nextInt(7)); // bit depths
            w.u(1, rnd.nextInt(2)); // qpprime_y_zero_transform_bypass_flag
            boolean scaling = rnd.nextBoolean();
            w.u(1, scaling ? 1 : 0);
            if (scaling) {
                int lists = chroma != 3 ? 8 : 12;
                for (int i = 0; i < lists; i++) {
                    boolean present = rnd.nextBoolean();
                    w.u(1, present ? 1 : 0);
                    if (present) {
                        int size = i < 6 ? 16 : 64;
                        int last = 8;
                        int next = 8;
                        for (int j = 0; j < size; j++) {
                            if (next != 0) {
                                // Mostly small deltas; sometimes jump to 0 to end the list early.
                                int target = rnd.nextInt(20) == 0 ? 0 : 1 + rnd.nextInt(255);
                                int delta = ((target - last + 128) & 0xFF) - 128;
                                w.se(delta);
                                next = (last + delta + 256) % 256;
                            }
                            last = next == 0 ? last : next;
                        }
                    }
                }
            }
        }
        w.ue(rnd.nextInt(13)); // log2_max_frame_num_minus4
        int pocType = rnd.nextInt(3);
        w.ue(pocType);
        if (pocType == 0) {
            w.ue(rnd.nextInt(13));
        } else if (pocType == 1) {
            w.u(1, rnd.nextInt(2));
            // Large offsets make long runs of zero bits, which forces emulation prevention.
            w.se(rnd.nextInt(1 << 22) - (1 << 21));
            w.se(rnd.nextInt(1 << 22) - (1 << 21));
            int cycle = rnd.nextInt(6);
            w.ue(cycle);
            for (int i = 0; i < cycle; i++) {
                w.se(rnd.nextInt(1 << 24) - (1 << 23));
            }
        }
        w.ue(rnd.nextInt(17)); // max_num_ref_frames
        w.u(1, rnd.nextInt(2)); // gaps_in_frame_num_value_allowed_flag
        int widthMbs = 1 + rnd.nextInt(rnd.nextInt(8) == 0 ? 1055 : 120);
        boolean frameMbs = rnd.nextBoolean();
        int maxMapUnits = frameMbs ? 1055 : 527;
        int mapUnits = 1 + rnd.nextInt(rnd.nextInt(8) == 0 ? maxMapUnits : 68);
        w.ue(widthMbs - 1).ue(mapUnits - 1);
        w.u(1, frameMbs ? 1 : 0);
        if (!frameMbs) {
            w.u(1, rnd.nextInt(2));
        }
        w.u(1, rnd.nextInt(2)); // direct_8x8_inference_flag
        int arrayType = separate ? 0 : chroma;
        int cropX = arrayType == 0 ? 1 : (chroma == 3 ? 1 : 2);
        int cropY = (arrayType == 0 ? 1 : (chroma == 1 ? 2 : 1)) * (frameMbs ? 1 : 2);
        int codedW = widthMbs * 16;
        int codedH = mapUnits * (frameMbs ? 1 : 2) * 16;
        int left = 0;
        int right = 0;
        int top = 0;
        int bottom = 0;
        boolean crop = rnd.nextBoolean();
        w.u(1, crop ? 1 : 0);
        if (crop) {
            int maxX = codedW / cropX - 1;
            int maxY = codedH / cropY - 1;
            left = rnd.nextInt(Math.min(maxX, 20) + 1);
            right = rnd.nextInt(Math.min(maxX - left, 20) + 1);
            top = rnd.nextInt(Math.min(maxY, 20) + 1);
            bottom = rnd.nextInt(Math.min(maxY - top, 20) + 1);
            w.ue(left).ue(right).ue(top).ue(bottom);
        }
        w.u(1, 0); // vui_parameters_present_flag
        byte[] nal = w.finish();
        boolean escaped = false;
        for (int i = 3; i < nal.length; i++) {
            if (nal[i] == 3 && nal[i - 1] == 0 && nal[i - 2] == 0) {
                escaped = true;
            }
        }
        return new Synthetic(nal, codedW - cropX * (left + right), codedH - cropY * (top + bottom), escaped,
                profile, chroma);
    }

    @Test
    void randomSyntheticSpsRoundTrip() {
        SplittableRandom rnd = new SplittableRandom(0x5EED_5B5L);
        int escapedCount = 0;
        int scalingHigh = 0;
        for (int i = 0; i < 20_000; i++) {
            Synthetic s = randomSps(rnd);
            assertEquals(PayloadDropReason.OK, p.parse(s.nal(), 0, s.nal().length), () -> BadInputHarness.hex(s.nal()));
            assertEquals(s.width(), p.widthPx(), () -> BadInputHarness.hex(s.nal()));
            assertEquals(s.height(), p.heightPx(), () -> BadInputHarness.hex(s.nal()));
            assertEquals(s.profile(), p.profileIdc());
            if (s.escaped()) {
                escapedCount++;
            }
            if (s.chroma() != 1) {
                scalingHigh++;
            }
        }
        // The property test must actually exercise emulation prevention and non-4:2:0 chroma.
        assertTrue(escapedCount > 1000, "escaped SPS count " + escapedCount);
        assertTrue(scalingHigh > 1000, "non-4:2:0 SPS count " + scalingHigh);
    }

    @Test
    void emulationPreventionBytesAreSkipped() {
        // POC type 1 with offset_for_non_ref_pic = -2^30: its se(v) code starts with 31 zero
        // bits, so the RBSP holds 00 00 00 and the NAL gets an emulation-prevention byte inside
        // the fields read before the picture size.
        byte[] nal = new SpsWriter()
                .u(8, 66).u(8, 0xC0).u(8, 31) // profile 66, set0+set1, level 3.1
                .ue(0)                           // seq_parameter_set_id
                .ue(0)                           // log2_max_frame_num_minus4
                .ue(1)                           // pic_order_cnt_type = 1
                .u(1, 0)                         // delta_pic_order_always_zero_flag
                .se(-(1L << 30))                 // offset_for_non_ref_pic
                .se(0)                           // offset_for_top_to_bottom_field
                .ue(0)                           // num_ref_frames_in_pic_order_cnt_cycle
                .ue(1)                           // max_num_ref_frames
                .u(1, 0)                         // gaps_in_frame_num_value_allowed_flag
                .ue(79).ue(44)                   // 80 x 45 MBs
                .u(1, 1)                         // frame_mbs_only_flag
                .u(1, 1)                         // direct_8x8_inference_flag
                .u(1, 0)                         // frame_cropping_flag
                .u(1, 0)                         // vui_parameters_present_flag
                .finish();
        boolean hasEpb = false;
        for (int i = 2; i < nal.length; i++) {
            hasEpb |= nal[i] == 3 && nal[i - 1] == 0 && nal[i - 2] == 0;
        }
        assertTrue(hasEpb, BadInputHarness.hex(nal));
        assertEquals(PayloadDropReason.OK, p.parse(nal, 0, nal.length));
        assertEquals(1280, p.widthPx());
        assertEquals(720, p.heightPx());
    }

    static Stream<Arguments> outOfRange() {
        return Stream.of(
                Arguments.of("seq_parameter_set_id 32", new SpsWriter().u(8, 66).u(8, 0).u(8, 31).ue(32)
                        .ue(0).ue(2).ue(1).u(1, 0).ue(0).ue(0).u(1, 1).u(1, 1).u(1, 0).u(1, 0).finish()),
                Arguments.of("chroma_format_idc 4", new SpsWriter().u(8, 100).u(8, 0).u(8, 31).ue(0)
                        .ue(4).ue(0).ue(0).u(1, 0).u(1, 0)
                        .ue(0).ue(2).ue(1).u(1, 0).ue(0).ue(0).u(1, 1).u(1, 1).u(1, 0).u(1, 0).finish()),
                Arguments.of("pic_order_cnt_type 3", new SpsWriter().u(8, 66).u(8, 0).u(8, 31).ue(0)
                        .ue(0).ue(3).ue(1).u(1, 0).ue(0).ue(0).u(1, 1).u(1, 1).u(1, 0).u(1, 0).finish()),
                Arguments.of("1056 MBs wide", new SpsWriter().u(8, 66).u(8, 0).u(8, 31).ue(0)
                        .ue(0).ue(2).ue(1).u(1, 0).ue(1055).ue(0).u(1, 1).u(1, 1).u(1, 0).u(1, 0).finish()),
                Arguments.of("field pictures 1056 MBs tall", new SpsWriter().u(8, 66).u(8, 0).u(8, 31).ue(0)
                        .ue(0).ue(2).ue(1).u(1, 0).ue(0).ue(527).u(1, 0).u(1, 0).u(1, 1).u(1, 0).u(1, 0).finish()),
                Arguments.of("crop as wide as the picture", new SpsWriter().u(8, 66).u(8, 0).u(8, 31).ue(0)
                        .ue(0).ue(2).ue(1).u(1, 0).ue(0).ue(0).u(1, 1).u(1, 1)
                        .u(1, 1).ue(4).ue(4).ue(0).ue(0).u(1, 0).finish()),
                Arguments.of("exp-Golomb code with 32 leading zeros", new SpsWriter().u(8, 66).u(8, 0).u(8, 31)
                        .u(32, 0).u(1, 1).u(32, 0).u(16, 0xFFFF).finish()),
                Arguments.of("num_ref_frames_in_pic_order_cnt_cycle 256", new SpsWriter().u(8, 66).u(8, 0)
                        .u(8, 31).ue(0).ue(0).ue(1).u(1, 0).se(0).se(0).ue(256).u(32, 0xFFFFFFFFL).finish()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfRange")
    void outOfRangeFieldsAreRejected(String name, byte[] nal) {
        assertEquals(PayloadDropReason.H264_SPS_OUT_OF_RANGE, p.parse(nal, 0, nal.length));
    }

    @Test
    void smallestPictureIsAccepted() {
        byte[] nal = new SpsWriter().u(8, 66).u(8, 0).u(8, 10).ue(0)
                .ue(0).ue(2).ue(1).u(1, 0).ue(0).ue(0).u(1, 1).u(1, 1)
                .u(1, 1).ue(3).ue(4).ue(0).ue(7).u(1, 0).finish(); // 16x16, crop 7 of 8 chroma columns/rows
        assertEquals(PayloadDropReason.OK, p.parse(nal, 0, nal.length));
        assertEquals(2, p.widthPx());
        assertEquals(2, p.heightPx());
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void badInputNeverThrowsOrReadsOutsideItsWindow() {
        List<byte[]> seeds = new ArrayList<>();
        realSps().forEach(a -> seeds.add(fromHex((String) a.get()[1])));
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 40; i++) {
            seeds.add(randomSps(rnd).nal());
        }
        H264SpsParser parser = new H264SpsParser();
        int[] ok = new int[1];
        int n = BadInputHarness.run(0x5EED_0007L, seeds, 100_000, 160, (buf, off, len) -> {
            PayloadDropReason r = parser.parse(buf, off, len);
            long d = r.ordinal();
            if (r == PayloadDropReason.OK) {
                ok[0]++;
                assertTrue(parser.widthPx() > 0 && parser.widthPx() <= 1055 * 16);
                assertTrue(parser.heightPx() > 0 && parser.heightPx() <= 1055 * 16);
                d = d * 31 + parser.profileLevelId();
                d = d * 31 + parser.widthPx();
                d = d * 31 + parser.heightPx();
                d = d * 31 + parser.chromaFormatIdc();
                d = d * 31 + parser.spsId();
            }
            return d;
        });
        assertEquals(100_000, n);
        assertNotEquals(0, ok[0]);
    }
}
