package dev.palco.rtp.codec;

import static dev.palco.rtp.codec.BadInputHarness.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Vp8PayloadDescriptorTest {

    /** Continuation packet: the shortest descriptor, then VP8 data from the middle of a frame. */
    static final byte[] MIDDLE_OF_FRAME = bytes(
            0x00,             // X=0 R=0 N=0 S=0 R=0 PID=0: not a partition start, no extension
            0xAA, 0xBB);      // VP8 data (middle of partition 0)

    /** First packet of a delta frame, no extension. Frame tag taken from a libvpx 640x360 stream. */
    static final byte[] DELTA_FRAME_START = bytes(
            0x10,             // X=0 R=0 N=0 S=1 R=0 PID=0: start of partition 0 = start of frame
            0xB1, 0x27, 0x00, // frame tag 0x0027b1: P=1 (inter frame), VER=0, H=1 (shown), size 317
            0x0C, 0x11, 0x34);// start of the first partition

    /**
     * First packet of a key frame, every optional field present with a 15-bit picture ID. The VP8
     * bytes are the first 12 bytes of a libvpx 640x360 key frame.
     */
    static final byte[] KEYFRAME_ALL_FIELDS = bytes(
            0x90,             // X=1 R=0 N=0 S=1 R=0 PID=0
            0xF0,             // I=1 L=1 T=1 K=1 RSV=0
            0x92, 0x34,       // M=1, PictureID = 0x1234 (15 bits)
            0x05,             // TL0PICIDX = 5
            0xA3,             // TID=2 (10) Y=1 KEYIDX=3 (00011)
            0xF0, 0xC6, 0x00, // frame tag 0x00c6f0: P=0 (key frame), VER=0, H=1, size 1591
            0x9D, 0x01, 0x2A, // key frame start code (RFC 6386 §9.1)
            0x80, 0x02,       // width 0x0280 = 640, horizontal scale 0
            0x68, 0x01,       // height 0x0168 = 360, vertical scale 0
            0x00, 0x07);      // first partition data

    /** 7-bit picture ID at its largest value, middle of a frame. */
    static final byte[] PICTURE_ID_7BIT = bytes(
            0x80,             // X=1 S=0 PID=0
            0x80,             // I=1 L=0 T=0 K=0
            0x7F,             // M=0, PictureID = 127 (7 bits)
            0x42);            // VP8 data

    /** 15-bit picture ID at its largest value, middle of a frame. */
    static final byte[] PICTURE_ID_15BIT = bytes(
            0x80,             // X=1 S=0 PID=0
            0x80,             // I=1 L=0 T=0 K=0
            0xFF, 0xFF,       // M=1, PictureID = 0x7fff (15 bits)
            0x42);            // VP8 data

    /** Extension octet with nothing announced. */
    static final byte[] EXTENSION_EMPTY = bytes(
            0x80,             // X=1 S=0 PID=0
            0x00,             // I=0 L=0 T=0 K=0
            0x42);            // VP8 data

    /** TL0PICIDX only. */
    static final byte[] TL0PICIDX_ONLY = bytes(
            0x80,             // X=1 S=0 PID=0
            0x40,             // I=0 L=1 T=0 K=0
            0xFF,             // TL0PICIDX = 255
            0x42);            // VP8 data

    /** TID/Y only (T=1 K=0): KEYIDX bits must be ignored. */
    static final byte[] TID_ONLY = bytes(
            0x80,             // X=1 S=0 PID=0
            0x20,             // I=0 L=0 T=1 K=0
            0x5F,             // TID=1 (01) Y=0 KEYIDX bits 11111 (ignored, K=0)
            0x42);            // VP8 data

    /** KEYIDX only (T=0 K=1): TID and Y bits must be ignored. */
    static final byte[] KEYIDX_ONLY = bytes(
            0x80,             // X=1 S=0 PID=0
            0x10,             // I=0 L=0 T=0 K=1
            0xFF,             // TID bits 11, Y bit 1 (both ignored, T=0), KEYIDX=31
            0x42);            // VP8 data

    /** A packet of a non-reference frame that starts partition 4, not the frame. */
    static final byte[] NON_REFERENCE_PARTITION_4 = bytes(
            0x34,             // X=0 R=0 N=1 S=1 R=0 PID=4 (0011 0100)
            0x42);            // VP8 data of partition 4

    /** Key frame start where the packet ends after the frame tag: key frame, size unknown. */
    static final byte[] KEYFRAME_TAG_ONLY = bytes(
            0x10,             // X=0 S=1 PID=0
            0xF0, 0xC6, 0x00);// frame tag: P=0 (key frame); start code and size are in the next packet

    static List<byte[]> validFixtures() {
        return List.of(MIDDLE_OF_FRAME, DELTA_FRAME_START, KEYFRAME_ALL_FIELDS, PICTURE_ID_7BIT,
                PICTURE_ID_15BIT, EXTENSION_EMPTY, TL0PICIDX_ONLY, TID_ONLY, KEYIDX_ONLY,
                NON_REFERENCE_PARTITION_4, KEYFRAME_TAG_ONLY);
    }

    private final Vp8PayloadDescriptor d = new Vp8PayloadDescriptor();

    @Test
    void middleOfFrame() {
        assertEquals(PayloadDropReason.OK, d.parse(MIDDLE_OF_FRAME, 0, MIDDLE_OF_FRAME.length));
        assertFalse(d.extended());
        assertFalse(d.startOfPartition());
        assertFalse(d.startOfFrame());
        assertFalse(d.keyframe());
        assertEquals(0, d.partitionIndex());
        assertEquals(1, d.descriptorLength());
        assertEquals(-1, d.pictureId());
        assertEquals(0, d.pictureIdBits());
        assertEquals(-1, d.tl0PicIdx());
        assertEquals(-1, d.temporalLayerId());
        assertEquals(-1, d.keyIndex());
    }

    @Test
    void deltaFrameStart() {
        assertEquals(PayloadDropReason.OK, d.parse(DELTA_FRAME_START, 0, DELTA_FRAME_START.length));
        assertTrue(d.startOfFrame());
        assertFalse(d.keyframe());
        assertTrue(d.showFrame());
        assertEquals(317, d.firstPartitionSizeBytes());
        assertEquals(0, d.keyframeWidthPx());
        assertEquals(0, d.keyframeHeightPx());
    }

    @Test
    void keyframeWithEveryField() {
        assertEquals(PayloadDropReason.OK, d.parse(KEYFRAME_ALL_FIELDS, 0, KEYFRAME_ALL_FIELDS.length));
        assertTrue(d.extended());
        assertFalse(d.nonReference());
        assertTrue(d.startOfFrame());
        assertEquals(0x1234, d.pictureId());
        assertEquals(15, d.pictureIdBits());
        assertEquals(0x7FFF, d.pictureIdMask());
        assertEquals(5, d.tl0PicIdx());
        assertEquals(2, d.temporalLayerId());
        assertTrue(d.layerSync());
        assertEquals(3, d.keyIndex());
        assertEquals(6, d.descriptorLength());
        assertTrue(d.keyframe());
        assertTrue(d.showFrame());
        assertEquals(1591, d.firstPartitionSizeBytes());
        assertEquals(640, d.keyframeWidthPx());
        assertEquals(360, d.keyframeHeightPx());
    }

    @Test
    void keyframeScaleBitsAreNotPartOfTheSize() {
        byte[] p = KEYFRAME_ALL_FIELDS.clone();
        p[13] |= (byte) 0xC0; // horizontal scale = 3
        p[15] |= (byte) 0x40; // vertical scale = 1
        assertEquals(PayloadDropReason.OK, d.parse(p, 0, p.length));
        assertEquals(640, d.keyframeWidthPx());
        assertEquals(360, d.keyframeHeightPx());
    }

    @Test
    void keyframeWhoseHeaderIsCutAfterTheTag() {
        assertEquals(PayloadDropReason.OK, d.parse(KEYFRAME_TAG_ONLY, 0, KEYFRAME_TAG_ONLY.length));
        assertTrue(d.keyframe());
        assertEquals(0, d.keyframeWidthPx());
    }

    @Test
    void sevenAndFifteenBitPictureIds() {
        assertEquals(PayloadDropReason.OK, d.parse(PICTURE_ID_7BIT, 0, PICTURE_ID_7BIT.length));
        assertEquals(127, d.pictureId());
        assertEquals(7, d.pictureIdBits());
        assertEquals(0x7F, d.pictureIdMask());
        assertEquals(3, d.descriptorLength());

        assertEquals(PayloadDropReason.OK, d.parse(PICTURE_ID_15BIT, 0, PICTURE_ID_15BIT.length));
        assertEquals(0x7FFF, d.pictureId());
        assertEquals(15, d.pictureIdBits());
        assertEquals(4, d.descriptorLength());
    }

    @Test
    void optionalFieldsOneAtATime() {
        assertEquals(PayloadDropReason.OK, d.parse(EXTENSION_EMPTY, 0, EXTENSION_EMPTY.length));
        assertEquals(2, d.descriptorLength());
        assertEquals(-1, d.pictureId());

        assertEquals(PayloadDropReason.OK, d.parse(TL0PICIDX_ONLY, 0, TL0PICIDX_ONLY.length));
        assertEquals(255, d.tl0PicIdx());
        assertEquals(3, d.descriptorLength());

        assertEquals(PayloadDropReason.OK, d.parse(TID_ONLY, 0, TID_ONLY.length));
        assertEquals(1, d.temporalLayerId());
        assertFalse(d.layerSync());
        assertEquals(-1, d.keyIndex());

        assertEquals(PayloadDropReason.OK, d.parse(KEYIDX_ONLY, 0, KEYIDX_ONLY.length));
        assertEquals(-1, d.temporalLayerId());
        assertFalse(d.layerSync());
        assertEquals(31, d.keyIndex());
    }

    @Test
    void partitionStartThatIsNotAFrameStart() {
        assertEquals(PayloadDropReason.OK, d.parse(NON_REFERENCE_PARTITION_4, 0, NON_REFERENCE_PARTITION_4.length));
        assertTrue(d.nonReference());
        assertTrue(d.startOfPartition());
        assertEquals(4, d.partitionIndex());
        assertFalse(d.startOfFrame());
        assertFalse(d.keyframe());
    }

    @Test
    void parsesAtAnOffset() {
        byte[] big = new byte[40];
        Arrays.fill(big, (byte) 0xEE);
        System.arraycopy(KEYFRAME_ALL_FIELDS, 0, big, 7, KEYFRAME_ALL_FIELDS.length);
        assertEquals(PayloadDropReason.OK, d.parse(big, 7, KEYFRAME_ALL_FIELDS.length));
        assertEquals(0x1234, d.pictureId());
        assertEquals(640, d.keyframeWidthPx());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty", bytes(), PayloadDropReason.EMPTY_PAYLOAD),
                Arguments.of("X=1, extension octet missing", bytes(0x80), PayloadDropReason.VP8_DESCRIPTOR_TRUNCATED),
                Arguments.of("I=1, picture ID missing", bytes(0x80, 0x80), PayloadDropReason.VP8_DESCRIPTOR_TRUNCATED),
                Arguments.of("M=1, second picture ID octet missing", bytes(0x80, 0x80, 0x80),
                        PayloadDropReason.VP8_DESCRIPTOR_TRUNCATED),
                Arguments.of("L=1, TL0PICIDX missing", bytes(0x80, 0x40), PayloadDropReason.VP8_DESCRIPTOR_TRUNCATED),
                Arguments.of("T=1, TID octet missing", bytes(0x80, 0x20), PayloadDropReason.VP8_DESCRIPTOR_TRUNCATED),
                Arguments.of("K=1, KEYIDX octet missing", bytes(0x80, 0x10), PayloadDropReason.VP8_DESCRIPTOR_TRUNCATED),
                Arguments.of("I+L+T, T/K octet missing", bytes(0x80, 0xE0, 0x81, 0x00, 0x05),
                        PayloadDropReason.VP8_DESCRIPTOR_TRUNCATED),
                Arguments.of("descriptor only, S=1", bytes(0x10), PayloadDropReason.VP8_NO_PAYLOAD_DATA),
                Arguments.of("descriptor only, 7-bit picture ID", bytes(0x80, 0x80, 0x05),
                        PayloadDropReason.VP8_NO_PAYLOAD_DATA),
                Arguments.of("frame start with 2 of 3 tag bytes", bytes(0x10, 0xF0, 0xC6),
                        PayloadDropReason.VP8_PAYLOAD_HEADER_TRUNCATED),
                Arguments.of("key frame with wrong start code",
                        bytes(0x10, 0xF0, 0xC6, 0x00, 0x9D, 0x01, 0x2B, 0x80, 0x02, 0x68, 0x01),
                        PayloadDropReason.VP8_BAD_KEYFRAME_START_CODE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedDescriptorsAreDropped(String name, byte[] payload, PayloadDropReason expected) {
        assertEquals(expected, d.parse(payload, 0, payload.length));
    }

    // ---- in-place rewriting -------------------------------------------------------------------

    @Test
    void sevenBitPictureIdWrapsAt128() {
        byte[] p = PICTURE_ID_7BIT.clone(); // picture ID 127
        d.parse(p, 0, p.length);
        assertTrue(d.rewritePictureId(d.pictureId() + 1));
        assertEquals(0, d.pictureId());
        assertArrayEquals(bytes(0x80, 0x80, 0x00, 0x42), p);

        assertTrue(d.rewritePictureId(-1)); // one before 0
        assertArrayEquals(bytes(0x80, 0x80, 0x7F, 0x42), p);

        assertTrue(d.rewritePictureId(128 + 5));
        assertEquals(5, d.pictureId());
        assertEquals(PayloadDropReason.OK, d.parse(p, 0, p.length));
        assertEquals(5, d.pictureId());
        assertEquals(7, d.pictureIdBits());
    }

    @Test
    void fifteenBitPictureIdWrapsAt32768AndKeepsTheMBit() {
        byte[] p = PICTURE_ID_15BIT.clone(); // picture ID 32767
        d.parse(p, 0, p.length);
        assertTrue(d.rewritePictureId(d.pictureId() + 1));
        assertEquals(0, d.pictureId());
        assertArrayEquals(bytes(0x80, 0x80, 0x80, 0x00, 0x42), p); // M=1, ID 0

        assertTrue(d.rewritePictureId(0x1234 + 0x10000));
        assertArrayEquals(bytes(0x80, 0x80, 0x92, 0x34, 0x42), p);
        assertEquals(PayloadDropReason.OK, d.parse(p, 0, p.length));
        assertEquals(0x1234, d.pictureId());
        assertEquals(15, d.pictureIdBits());
    }

    @Test
    void forwarderOffsetAcrossTheSevenBitWrap() {
        // A subscriber switched streams; the forwarder adds +10 to keep its picture IDs continuous.
        int[] source = {125, 126, 127, 0, 1};
        int[] expected = {7, 8, 9, 10, 11};
        for (int i = 0; i < source.length; i++) {
            byte[] p = bytes(0x80, 0x80, source[i], 0x42);
            d.parse(p, 0, p.length);
            d.rewritePictureId(d.pictureId() + 10);
            assertEquals(expected[i], p[2] & 0xFF);
        }
    }

    @Test
    void tl0PicIdxWrapsAt256() {
        byte[] p = TL0PICIDX_ONLY.clone(); // TL0PICIDX 255
        d.parse(p, 0, p.length);
        assertTrue(d.rewriteTl0PicIdx(d.tl0PicIdx() + 1));
        assertArrayEquals(bytes(0x80, 0x40, 0x00, 0x42), p);
        assertEquals(0, d.tl0PicIdx());
    }

    @Test
    void rewriteTouchesOnlyItsField() {
        byte[] big = new byte[50];
        Arrays.fill(big, (byte) 0x5A);
        System.arraycopy(KEYFRAME_ALL_FIELDS, 0, big, 11, KEYFRAME_ALL_FIELDS.length);
        byte[] expected = big.clone();
        d.parse(big, 11, KEYFRAME_ALL_FIELDS.length);
        d.rewritePictureId(0x0102);
        d.rewriteTl0PicIdx(0x99);
        expected[11 + 2] = (byte) 0x81; // M=1 | 0x01
        expected[11 + 3] = 0x02;
        expected[11 + 4] = (byte) 0x99;
        assertArrayEquals(expected, big);
        // parse → rewrite → parse: everything but the two rewritten fields is unchanged.
        assertEquals(PayloadDropReason.OK, d.parse(big, 11, KEYFRAME_ALL_FIELDS.length));
        assertEquals(0x0102, d.pictureId());
        assertEquals(0x99, d.tl0PicIdx());
        assertEquals(2, d.temporalLayerId());
        assertEquals(3, d.keyIndex());
        assertEquals(640, d.keyframeWidthPx());
    }

    @Test
    void rewriteWithoutTheFieldWritesNothing() {
        byte[] p = MIDDLE_OF_FRAME.clone();
        d.parse(p, 0, p.length);
        assertFalse(d.rewritePictureId(3));
        assertFalse(d.rewriteTl0PicIdx(3));
        assertArrayEquals(MIDDLE_OF_FRAME, p);
    }

    @Test
    void pictureIdDistanceWraps() {
        assertEquals(2, Vp8PayloadDescriptor.pictureIdDistance(127, 1, 7));
        assertEquals(1, Vp8PayloadDescriptor.pictureIdDistance(0x7FFF, 0, 15));
        assertEquals(0, Vp8PayloadDescriptor.pictureIdDistance(5, 5, 7));
        assertEquals(127, Vp8PayloadDescriptor.pictureIdDistance(1, 0, 7));
    }

    // ---- bad input ----------------------------------------------------------------------------

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void badInputNeverThrowsOrReadsOutsideItsWindow() {
        Vp8PayloadDescriptor view = new Vp8PayloadDescriptor();
        int n = BadInputHarness.run(0x5EED_0008L, validFixtures(), 150_000, 40, (buf, off, len) -> {
            PayloadDropReason r = view.parse(buf, off, len);
            long h = r.ordinal();
            if (r == PayloadDropReason.OK) {
                h = h * 31 + view.descriptorLength();
                h = h * 31 + view.pictureId();
                h = h * 31 + view.pictureIdBits();
                h = h * 31 + view.tl0PicIdx();
                h = h * 31 + view.temporalLayerId();
                h = h * 31 + (view.layerSync() ? 1 : 0);
                h = h * 31 + view.keyIndex();
                h = h * 31 + (view.keyframe() ? 1 : 0);
                h = h * 31 + view.firstPartitionSizeBytes();
                h = h * 31 + view.keyframeWidthPx();
                h = h * 31 + view.keyframeHeightPx();
                assertTrue(view.descriptorLength() >= 1 && view.descriptorLength() < len);
            }
            return h;
        });
        assertEquals(150_000, n);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void rewriteOfRandomDescriptorsStaysInsideTheDescriptor() {
        SplittableRandom rnd = new SplittableRandom(0x5EED_0009L);
        Vp8PayloadDescriptor view = new Vp8PayloadDescriptor();
        int rewritten = 0;
        for (int i = 0; i < 100_000; i++) {
            int len = rnd.nextInt(12);
            int off = 1 + rnd.nextInt(8);
            byte[] buf = new byte[off + len + rnd.nextInt(3)];
            for (int j = 0; j < buf.length; j++) {
                buf[j] = (byte) rnd.nextInt(256);
            }
            byte[] before = buf.clone();
            if (view.parse(buf, off, len) != PayloadDropReason.OK) {
                continue;
            }
            int bits = view.pictureIdBits();
            boolean hadTl0 = view.tl0PicIdx() >= 0;
            int newId = rnd.nextInt();
            boolean ok = view.rewritePictureId(newId);
            view.rewriteTl0PicIdx(rnd.nextInt());
            assertEquals(bits != 0, ok);
            for (int j = 0; j < buf.length; j++) {
                if (j < off + 2 || j >= off + view.descriptorLength()) {
                    assertEquals(before[j], buf[j], "byte outside the rewritable fields changed");
                }
            }
            Vp8PayloadDescriptor again = new Vp8PayloadDescriptor();
            assertEquals(PayloadDropReason.OK, again.parse(buf, off, len));
            assertEquals(bits, again.pictureIdBits());
            if (ok) {
                assertEquals(newId & (bits == 7 ? 0x7F : 0x7FFF), again.pictureId());
                rewritten++;
            }
            assertEquals(hadTl0, again.tl0PicIdx() >= 0);
        }
        assertTrue(rewritten > 1000, "too few descriptors with a picture ID: " + rewritten);
    }
}
