package dev.palco.rtp.codec;

import static dev.palco.rtp.codec.BadInputHarness.bytes;
import static dev.palco.rtp.codec.BadInputHarness.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

class RedPayloadTest {

    /** {@code n} bytes counting up from {@code first}, so every block's data is recognisable. */
    static byte[] ramp(int first, int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (first + i);
        }
        return out;
    }

    /** One block for {@link #red}: payload type, timestamp offset (ignored for the primary), data. */
    record Block(int pt, int timestampOffset, byte[] data) {
    }

    /** Builds a RED payload: redundant blocks in the given order, then the primary (RFC 2198 §3). */
    static byte[] red(Block primary, Block... redundant) {
        byte[] headers = new byte[4 * redundant.length + 1];
        byte[][] parts = new byte[redundant.length + 2][];
        parts[0] = headers;
        for (int i = 0; i < redundant.length; i++) {
            Block b = redundant[i];
            int rest = b.timestampOffset() << 10 | b.data().length;
            headers[4 * i] = (byte) (0x80 | b.pt());
            headers[4 * i + 1] = (byte) (rest >>> 16);
            headers[4 * i + 2] = (byte) (rest >>> 8);
            headers[4 * i + 3] = (byte) rest;
            parts[i + 1] = b.data();
        }
        headers[4 * redundant.length] = (byte) primary.pt();
        parts[redundant.length + 1] = primary.data();
        return concat(parts);
    }

    static final byte[] LPC_DATA = ramp(0x10, 14);
    static final byte[] DVI4_DATA = ramp(0x40, 84);

    /**
     * The layout of the example in RFC 2198 §3: a DVI4 primary (PT 5, 84 bytes) carrying the LPC
     * encoding (PT 7, 14 bytes) of the previous packet as redundancy. The RFC's figure gives no
     * offset; 160 is one 20 ms packet at 8 kHz.
     *
     * <pre>
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |1| block PT=7  |  timestamp offset=160     | block length=14   |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |0| block PT=5  |  LPC redundant data (14 bytes) ...
     * +-+-+-+-+-+-+-+-+
     *    ... DVI4 primary data (84 bytes)
     *
     * 1 0000111 = 0x87
     * 00000010100000 (160) 0000001110 (14) = 0000 0010  1000 0000  0000 1110 = 0x02 0x80 0x0e
     * 0 0000101 = 0x05
     * </pre>
     */
    static final byte[] RFC2198_EXAMPLE = concat(
            bytes(0x87, 0x02, 0x80, 0x0E, // F=1, PT 7, offset 160, length 14
                  0x05),                  // F=0, PT 5
            LPC_DATA,
            DVI4_DATA);

    /**
     * What WebRTC sends with {@code a=fmtp:63 111/111}: the previous 20 ms Opus packet (offset 960
     * at 48 kHz) as redundancy, then the current one. Both are Opus packets from OpusPayloadTest.
     *
     * <pre>
     * 1 1101111 = 0xef
     * 00001111000000 (960) 0000010000 (16) = 0000 1111  0000 0000  0001 0000 = 0x0f 0x00 0x10
     * 0 1101111 = 0x6f
     * </pre>
     */
    static final byte[] WEBRTC_OPUS = concat(
            bytes(0xEF, 0x0F, 0x00, 0x10, // F=1, PT 111, offset 960, length 16
                  0x6F),                  // F=0, PT 111
            OpusPayloadTest.MONO_FEC_NONE, // redundant: the previous packet
            OpusPayloadTest.MONO_FEC);     // primary: this packet

    /** Two redundant Opus blocks (40 and 20 ms old), as WebRTC sends with a redundancy of 2. */
    static final byte[] WEBRTC_OPUS_TWO = concat(
            bytes(0xEF, 0x1E, 0x00, 0x05, // F=1, PT 111, offset 1920 (0x780 << 10 = 0x1e0000), length 5
                  0xEF, 0x0F, 0x00, 0x10, // F=1, PT 111, offset 960, length 16
                  0x6F),                  // F=0, PT 111
            OpusPayloadTest.CODE0,
            OpusPayloadTest.MONO_FEC_NONE,
            OpusPayloadTest.MONO_FEC);

    /** No redundancy yet (the first packet of a stream): the 1-byte primary header and the primary. */
    static final byte[] PRIMARY_ONLY = concat(bytes(0x6F), OpusPayloadTest.MONO_FEC);

    /** A redundant block and an empty primary. */
    static final byte[] ZERO_LENGTH_PRIMARY = concat(
            bytes(0xEF, 0x0F, 0x00, 0x05, // F=1, PT 111, offset 960, length 5
                  0x6F),                  // F=0, PT 111
            OpusPayloadTest.CODE0);       // 5 bytes; nothing left for the primary

    /** Every field at its largest: F=1 PT 127, offset 16383, length 1023 is all ones. */
    static final byte[] EXTREMES = concat(
            bytes(0xFF, 0xFF, 0xFF, 0xFF, // F=1, PT 127, offset 16383, length 1023
                  0x80, 0x00, 0x00, 0x00, // F=1, PT 0, offset 0, length 0
                  0x7F),                  // F=0, PT 127
            ramp(0x00, 1023),
            bytes(0xAB));

    /** The most redundant blocks allowed, of 0..15 bytes, with distinct types and offsets. */
    static final byte[] SIXTEEN_BLOCKS = sixteenBlocks();

    private static byte[] sixteenBlocks() {
        Block[] redundant = new Block[RedPayload.MAX_REDUNDANT_BLOCKS];
        for (int i = 0; i < redundant.length; i++) {
            redundant[i] = new Block(96 + i, 960 * (redundant.length - i), ramp(i << 4, i));
        }
        return red(new Block(111, 0, bytes(0xF8, 0x01)), redundant);
    }

    static List<byte[]> validFixtures() {
        return List.of(RFC2198_EXAMPLE, WEBRTC_OPUS, WEBRTC_OPUS_TWO, PRIMARY_ONLY, ZERO_LENGTH_PRIMARY,
                EXTREMES, SIXTEEN_BLOCKS, bytes(0x6F));
    }

    private final RedPayload r = new RedPayload();

    // ---- layouts ------------------------------------------------------------------------------

    @Test
    void builderMatchesTheHandWrittenBytes() {
        assertArrayEquals(RFC2198_EXAMPLE, red(new Block(5, 0, DVI4_DATA), new Block(7, 160, LPC_DATA)));
        assertArrayEquals(WEBRTC_OPUS, red(new Block(111, 0, OpusPayloadTest.MONO_FEC),
                new Block(111, 960, OpusPayloadTest.MONO_FEC_NONE)));
        assertArrayEquals(WEBRTC_OPUS_TWO, red(new Block(111, 0, OpusPayloadTest.MONO_FEC),
                new Block(111, 1920, OpusPayloadTest.CODE0), new Block(111, 960, OpusPayloadTest.MONO_FEC_NONE)));
        assertArrayEquals(EXTREMES, red(new Block(127, 0, bytes(0xAB)),
                new Block(127, 16383, ramp(0x00, 1023)), new Block(0, 0, new byte[0])));
    }

    @Test
    void rfc2198Example() {
        assertEquals(PayloadDropReason.OK, r.parse(RFC2198_EXAMPLE, 0, RFC2198_EXAMPLE.length));
        assertEquals(1, r.redundantBlocks());
        assertEquals(7, r.redundantPayloadType(0));
        assertEquals(160, r.redundantTimestampOffset(0));
        assertEquals(5, r.redundantOffset(0));
        assertEquals(14, r.redundantLength(0));
        assertEquals(5, r.primaryPayloadType());
        assertEquals(19, r.primaryOffset());
        assertEquals(84, r.primaryLength());
        assertEquals(5, r.headerLength());
        assertBlock(LPC_DATA, RFC2198_EXAMPLE, r.redundantOffset(0), r.redundantLength(0));
        assertBlock(DVI4_DATA, RFC2198_EXAMPLE, r.primaryOffset(), r.primaryLength());
    }

    @Test
    void webRtcOpusAtAnOffset() {
        // Inside a larger array, after a 12-byte RTP header and before 7 other bytes.
        int off = 12;
        byte[] buf = new byte[off + WEBRTC_OPUS.length + 7];
        Arrays.fill(buf, (byte) 0x5A);
        System.arraycopy(WEBRTC_OPUS, 0, buf, off, WEBRTC_OPUS.length);
        assertEquals(PayloadDropReason.OK, r.parse(buf, off, WEBRTC_OPUS.length));
        assertEquals(1, r.redundantBlocks());
        assertEquals(111, r.redundantPayloadType(0));
        assertEquals(960, r.redundantTimestampOffset(0));
        assertEquals(off + 5, r.redundantOffset(0));
        assertEquals(16, r.redundantLength(0));
        assertEquals(111, r.primaryPayloadType());
        assertEquals(off + 21, r.primaryOffset());
        assertEquals(16, r.primaryLength());
        assertEquals(5, r.headerLength());
        assertBlock(OpusPayloadTest.MONO_FEC_NONE, buf, r.redundantOffset(0), r.redundantLength(0));
        assertBlock(OpusPayloadTest.MONO_FEC, buf, r.primaryOffset(), r.primaryLength());

        // Each block is an Opus packet of its own.
        OpusPayload opus = new OpusPayload();
        assertEquals(PayloadDropReason.OK, opus.parse(buf, r.primaryOffset(), r.primaryLength()));
        assertTrue(opus.hasInbandFec());
        assertEquals(PayloadDropReason.OK, opus.parse(buf, r.redundantOffset(0), r.redundantLength(0)));
        assertEquals(960, opus.samples48k());
    }

    @Test
    void twoRedundantBlocks() {
        assertEquals(PayloadDropReason.OK, r.parse(WEBRTC_OPUS_TWO, 0, WEBRTC_OPUS_TWO.length));
        assertEquals(2, r.redundantBlocks());
        assertEquals(9, r.headerLength());
        assertEquals(1920, r.redundantTimestampOffset(0));
        assertEquals(9, r.redundantOffset(0));
        assertEquals(5, r.redundantLength(0));
        assertEquals(960, r.redundantTimestampOffset(1));
        assertEquals(14, r.redundantOffset(1));
        assertEquals(16, r.redundantLength(1));
        assertEquals(30, r.primaryOffset());
        assertEquals(16, r.primaryLength());
        assertBlock(OpusPayloadTest.CODE0, WEBRTC_OPUS_TWO, r.redundantOffset(0), r.redundantLength(0));
        assertBlock(OpusPayloadTest.MONO_FEC_NONE, WEBRTC_OPUS_TWO, r.redundantOffset(1), r.redundantLength(1));
        assertBlock(OpusPayloadTest.MONO_FEC, WEBRTC_OPUS_TWO, r.primaryOffset(), r.primaryLength());
    }

    @Test
    void primaryOnly() {
        assertEquals(PayloadDropReason.OK, r.parse(PRIMARY_ONLY, 0, PRIMARY_ONLY.length));
        assertEquals(0, r.redundantBlocks());
        assertEquals(1, r.headerLength());
        assertEquals(111, r.primaryPayloadType());
        assertEquals(1, r.primaryOffset());
        assertEquals(16, r.primaryLength());
        assertBlock(OpusPayloadTest.MONO_FEC, PRIMARY_ONLY, r.primaryOffset(), r.primaryLength());
    }

    @Test
    void zeroLengthPrimaryIsWellFormed() {
        assertEquals(PayloadDropReason.OK, r.parse(ZERO_LENGTH_PRIMARY, 0, ZERO_LENGTH_PRIMARY.length));
        assertEquals(1, r.redundantBlocks());
        assertEquals(5, r.redundantLength(0));
        assertEquals(0, r.primaryLength());
        assertEquals(ZERO_LENGTH_PRIMARY.length, r.primaryOffset());

        byte[] headerOnly = bytes(0x6F); // just the primary header
        assertEquals(PayloadDropReason.OK, r.parse(headerOnly, 0, 1));
        assertEquals(0, r.redundantBlocks());
        assertEquals(1, r.headerLength());
        assertEquals(111, r.primaryPayloadType());
        assertEquals(1, r.primaryOffset());
        assertEquals(0, r.primaryLength());
    }

    @Test
    void fieldExtremes() {
        assertEquals(PayloadDropReason.OK, r.parse(EXTREMES, 0, EXTREMES.length));
        assertEquals(2, r.redundantBlocks());
        assertEquals(127, r.redundantPayloadType(0));
        assertEquals(RedPayload.MAX_TIMESTAMP_OFFSET, r.redundantTimestampOffset(0));
        assertEquals(16383, r.redundantTimestampOffset(0));
        assertEquals(RedPayload.MAX_BLOCK_LENGTH_BYTES, r.redundantLength(0));
        assertEquals(1023, r.redundantLength(0));
        assertEquals(9, r.redundantOffset(0));
        assertEquals(0, r.redundantPayloadType(1));
        assertEquals(0, r.redundantTimestampOffset(1));
        assertEquals(0, r.redundantLength(1));
        assertEquals(9 + 1023, r.redundantOffset(1));
        assertEquals(127, r.primaryPayloadType());
        assertEquals(9 + 1023, r.primaryOffset());
        assertEquals(1, r.primaryLength());
        assertBlock(ramp(0x00, 1023), EXTREMES, r.redundantOffset(0), r.redundantLength(0));

        // The offset and length fields do not bleed into each other: 16383 / 0 and 0 / 1023.
        byte[] offsetOnly = concat(bytes(0x80, 0xFF, 0xFC, 0x00, 0x00)); // offset 16383, length 0
        assertEquals(PayloadDropReason.OK, r.parse(offsetOnly, 0, offsetOnly.length));
        assertEquals(16383, r.redundantTimestampOffset(0));
        assertEquals(0, r.redundantLength(0));
        byte[] lengthOnly = concat(bytes(0x80, 0x00, 0x03, 0xFF, 0x00), new byte[1023]); // offset 0, 1023
        assertEquals(PayloadDropReason.OK, r.parse(lengthOnly, 0, lengthOnly.length));
        assertEquals(0, r.redundantTimestampOffset(0));
        assertEquals(1023, r.redundantLength(0));
        assertEquals(0, r.primaryLength());
    }

    @Test
    void sixteenBlocksIsTheMaximum() {
        assertEquals(PayloadDropReason.OK, r.parse(SIXTEEN_BLOCKS, 0, SIXTEEN_BLOCKS.length));
        assertEquals(RedPayload.MAX_REDUNDANT_BLOCKS, r.redundantBlocks());
        assertEquals(4 * 16 + 1, r.headerLength());
        int expectedOffset = r.headerLength();
        for (int i = 0; i < 16; i++) {
            assertEquals(96 + i, r.redundantPayloadType(i));
            assertEquals(960 * (16 - i), r.redundantTimestampOffset(i));
            assertEquals(expectedOffset, r.redundantOffset(i));
            assertEquals(i, r.redundantLength(i));
            assertBlock(ramp(i << 4, i), SIXTEEN_BLOCKS, r.redundantOffset(i), r.redundantLength(i));
            expectedOffset += i;
        }
        assertEquals(expectedOffset, r.primaryOffset());
        assertEquals(2, r.primaryLength());
    }

    // ---- malformed ----------------------------------------------------------------------------

    static Stream<Arguments> malformed() {
        Block[] seventeen = new Block[RedPayload.MAX_REDUNDANT_BLOCKS + 1];
        Arrays.fill(seventeen, new Block(111, 960, bytes(0x48)));
        return Stream.of(
                Arguments.of("empty", bytes(), PayloadDropReason.EMPTY_PAYLOAD),
                Arguments.of("F=1 and nothing else", bytes(0xEF), PayloadDropReason.RED_HEADER_TRUNCATED),
                Arguments.of("redundant header cut after 3 bytes", bytes(0xEF, 0x0F, 0x00),
                        PayloadDropReason.RED_HEADER_TRUNCATED),
                Arguments.of("no F=0 header", bytes(0xEF, 0x0F, 0x00, 0x00),
                        PayloadDropReason.RED_HEADER_TRUNCATED),
                Arguments.of("two redundant headers, no F=0 header", bytes(0xEF, 0, 0, 0, 0xEF, 0, 0, 0),
                        PayloadDropReason.RED_HEADER_TRUNCATED),
                Arguments.of("second redundant header cut", bytes(0xEF, 0, 0, 0, 0xEF, 0),
                        PayloadDropReason.RED_HEADER_TRUNCATED),
                Arguments.of("block of 20 bytes, 10 follow the headers",
                        concat(bytes(0xEF, 0x0F, 0x00, 0x14, 0x6F), new byte[10]), PayloadDropReason.RED_BLOCK_OVERRUN),
                Arguments.of("block of 1 byte, none follows", bytes(0xEF, 0x0F, 0x00, 0x01, 0x6F),
                        PayloadDropReason.RED_BLOCK_OVERRUN),
                Arguments.of("second block overruns", concat(bytes(0xEF, 0, 0, 2, 0xEF, 0, 0, 3, 0x6F), new byte[4]),
                        PayloadDropReason.RED_BLOCK_OVERRUN),
                Arguments.of("block of 1023 bytes, 1022 follow",
                        concat(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x7F), new byte[1022]),
                        PayloadDropReason.RED_BLOCK_OVERRUN),
                Arguments.of("17 redundant blocks", red(new Block(111, 0, bytes(0x48)), seventeen),
                        PayloadDropReason.RED_TOO_MANY_BLOCKS),
                Arguments.of("a long chain of F=1 headers", filled(4 * 100, 0xFF),
                        PayloadDropReason.RED_TOO_MANY_BLOCKS));
    }

    private static byte[] filled(int n, int value) {
        byte[] out = new byte[n];
        Arrays.fill(out, (byte) value);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedPayloadsAreDropped(String name, byte[] payload, PayloadDropReason expected) {
        assertEquals(expected, r.parse(payload, 0, payload.length));
    }

    @Test
    void failedParseClearsTheView() {
        assertEquals(PayloadDropReason.OK, r.parse(WEBRTC_OPUS, 0, WEBRTC_OPUS.length));
        byte[] bad = bytes(0xEF, 0x0F, 0x00, 0x01, 0x6F);
        assertEquals(PayloadDropReason.RED_BLOCK_OVERRUN, r.parse(bad, 0, bad.length));
        assertEquals(0, r.redundantBlocks());
        assertEquals(-1, r.primaryPayloadType());
        assertEquals(0, r.primaryLength());
        assertEquals(0, r.headerLength());
    }

    @Test
    void everyTruncationIsDroppedOrKeepsAShorterPrimary() {
        // The primary takes what is left, so a cut inside it still parses: only its length changes.
        // A cut in the headers or the redundant blocks is dropped.
        for (byte[] packet : validFixtures()) {
            assertEquals(PayloadDropReason.OK, r.parse(packet, 0, packet.length));
            int headers = r.headerLength();
            int redundantBytes = r.primaryOffset() - headers;
            for (int cut = 0; cut < packet.length; cut++) {
                byte[] truncated = Arrays.copyOf(packet, cut);
                PayloadDropReason reason = r.parse(truncated, 0, cut);
                String where = "cut at " + cut + " of " + BadInputHarness.hex(packet);
                if (cut == 0) {
                    assertEquals(PayloadDropReason.EMPTY_PAYLOAD, reason, where);
                } else if (cut < headers) {
                    assertEquals(PayloadDropReason.RED_HEADER_TRUNCATED, reason, where);
                } else if (cut < headers + redundantBytes) {
                    assertEquals(PayloadDropReason.RED_BLOCK_OVERRUN, reason, where);
                } else {
                    assertEquals(PayloadDropReason.OK, reason, where);
                    assertEquals(cut - headers - redundantBytes, r.primaryLength(), where);
                }
            }
        }
    }

    // ---- rewriting ----------------------------------------------------------------------------

    @Test
    void rewriteChangesOnlyMatchingTypesAndKeepsTheFBits() {
        byte[] packet = red(new Block(111, 0, OpusPayloadTest.MONO_FEC),
                new Block(111, 1920, OpusPayloadTest.CODE0),
                new Block(13, 960, bytes(0x01, 0x02)), // another encoding: left alone
                new Block(111, 960, OpusPayloadTest.MONO_FEC_NONE));
        int off = 3;
        byte[] buf = new byte[off + packet.length + 4];
        Arrays.fill(buf, (byte) 0xC3);
        System.arraycopy(packet, 0, buf, off, packet.length);
        byte[] before = buf.clone();

        assertEquals(PayloadDropReason.OK, r.parse(buf, off, packet.length));
        r.rewritePayloadTypes(buf, 111, 109);

        // Only the PT bits of the matching header bytes change; the F bits stay.
        byte[] expected = before.clone();
        expected[off] = (byte) (0x80 | 109);
        expected[off + 8] = (byte) (0x80 | 109);
        expected[off + 12] = (byte) 109;
        assertArrayEquals(expected, buf);
        assertEquals(109, r.redundantPayloadType(0));
        assertEquals(13, r.redundantPayloadType(1));
        assertEquals(109, r.redundantPayloadType(2));
        assertEquals(109, r.primaryPayloadType());

        RedPayload again = new RedPayload();
        assertEquals(PayloadDropReason.OK, again.parse(buf, off, packet.length));
        assertEquals(3, again.redundantBlocks());
        assertEquals(109, again.redundantPayloadType(0));
        assertEquals(13, again.redundantPayloadType(1));
        assertEquals(109, again.redundantPayloadType(2));
        assertEquals(109, again.primaryPayloadType());
        assertEquals(1920, again.redundantTimestampOffset(0));
        assertEquals(960, again.redundantTimestampOffset(2));
        assertEquals(r.primaryOffset(), again.primaryOffset());

        // No header matches: nothing is written.
        byte[] unchanged = buf.clone();
        r.rewritePayloadTypes(buf, 111, 96);
        assertArrayEquals(unchanged, buf);

        // Back again, and to the extremes of the 7-bit field.
        r.rewritePayloadTypes(buf, 109, 111);
        assertArrayEquals(before, buf);
        r.rewritePayloadTypes(buf, 13, 127);
        assertEquals((byte) 0xFF, buf[off + 4]);
        r.rewritePayloadTypes(buf, 127, 0);
        assertEquals((byte) 0x80, buf[off + 4]);
    }

    @Test
    void rewriteOfThePrimaryOnly() {
        byte[] buf = PRIMARY_ONLY.clone();
        assertEquals(PayloadDropReason.OK, r.parse(buf, 0, buf.length));
        r.rewritePayloadTypes(buf, 111, 0);
        assertEquals(0x00, buf[0]);
        assertEquals(0, r.primaryPayloadType());
        assertArrayEquals(Arrays.copyOfRange(PRIMARY_ONLY, 1, PRIMARY_ONLY.length),
                Arrays.copyOfRange(buf, 1, buf.length));
    }

    @Test
    void rewriteWritesNothingAfterAFailedParse() {
        byte[] bad = bytes(0xEF, 0x0F, 0x00, 0x01, 0x6F);
        byte[] copy = bad.clone();
        assertEquals(PayloadDropReason.RED_BLOCK_OVERRUN, r.parse(bad, 0, bad.length));
        r.rewritePayloadTypes(bad, 111, 96);
        assertArrayEquals(copy, bad);
        assertEquals(-1, r.stripToPrimary(bad));
        assertArrayEquals(copy, bad);
    }

    @Test
    void rewriteRejectsPayloadTypesOutsideSevenBits() {
        byte[] buf = WEBRTC_OPUS.clone();
        assertEquals(PayloadDropReason.OK, r.parse(buf, 0, buf.length));
        assertThrows(IllegalArgumentException.class, () -> r.rewritePayloadTypes(buf, 111, 128));
        assertThrows(IllegalArgumentException.class, () -> r.rewritePayloadTypes(buf, 111, -1));
        assertThrows(IllegalArgumentException.class, () -> r.rewritePayloadTypes(buf, 239, 111));
        assertArrayEquals(WEBRTC_OPUS, buf);
    }

    // ---- stripping ----------------------------------------------------------------------------

    @Test
    void stripLeavesExactlyThePrimary() {
        int off = 12;
        int tail = 6;
        for (byte[] packet : validFixtures()) {
            byte[] buf = new byte[off + packet.length + tail];
            Arrays.fill(buf, (byte) 0x99);
            System.arraycopy(packet, 0, buf, off, packet.length);
            byte[] before = buf.clone();
            assertEquals(PayloadDropReason.OK, r.parse(buf, off, packet.length));
            byte[] primary = Arrays.copyOfRange(buf, r.primaryOffset(), r.primaryOffset() + r.primaryLength());
            int primaryPt = r.primaryPayloadType();

            int n = r.stripToPrimary(buf);
            assertEquals(primary.length, n);
            assertArrayEquals(primary, Arrays.copyOfRange(buf, off, off + n));
            assertArrayEquals(Arrays.copyOfRange(before, 0, off), Arrays.copyOfRange(buf, 0, off),
                    "bytes before the payload changed");
            assertArrayEquals(Arrays.copyOfRange(before, off + n, buf.length),
                    Arrays.copyOfRange(buf, off + n, buf.length), "bytes past the primary changed");
            assertEquals(primaryPt, r.primaryPayloadType());
            assertEquals(n, r.primaryLength());

            // Stripped once: a second strip or a rewrite writes nothing.
            byte[] stripped = buf.clone();
            assertEquals(-1, r.stripToPrimary(buf));
            r.rewritePayloadTypes(buf, primaryPt, (primaryPt + 1) & 0x7F);
            assertArrayEquals(stripped, buf);
        }
    }

    @Test
    void strippedWebRtcPacketIsPlainOpus() {
        byte[] buf = WEBRTC_OPUS_TWO.clone();
        assertEquals(PayloadDropReason.OK, r.parse(buf, 0, buf.length));
        int n = r.stripToPrimary(buf);
        assertArrayEquals(OpusPayloadTest.MONO_FEC, Arrays.copyOf(buf, n));
        assertEquals(111, r.primaryPayloadType());
        OpusPayload opus = new OpusPayload();
        assertEquals(PayloadDropReason.OK, opus.parse(buf, 0, n));
        assertTrue(opus.hasInbandFec());
    }

    @Test
    void stripOfAnEmptyPrimaryReturnsZero() {
        byte[] buf = ZERO_LENGTH_PRIMARY.clone();
        assertEquals(PayloadDropReason.OK, r.parse(buf, 0, buf.length));
        assertEquals(0, r.stripToPrimary(buf));
        assertArrayEquals(ZERO_LENGTH_PRIMARY, buf);
    }

    // ---- bad input ----------------------------------------------------------------------------

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void badInputNeverThrowsOrReadsOutsideItsWindow() {
        List<byte[]> seeds = new ArrayList<>(validFixtures());
        malformed().forEach(a -> seeds.add((byte[]) a.get()[1]));
        seeds.removeIf(b -> b.length == 0);
        RedPayload view = new RedPayload();
        int n = BadInputHarness.run(0x5EED_2198L, seeds, 100_000, 200, (buf, off, len) -> {
            PayloadDropReason reason = view.parse(buf, off, len);
            long d = reason.ordinal();
            if (reason == PayloadDropReason.OK) {
                int blocks = view.redundantBlocks();
                assertTrue(blocks >= 0 && blocks <= RedPayload.MAX_REDUNDANT_BLOCKS);
                assertEquals(4 * blocks + 1, view.headerLength());
                // The blocks tile the payload after the headers, with no gap and no overlap.
                int next = off + view.headerLength();
                for (int i = 0; i < blocks; i++) {
                    int bo = view.redundantOffset(i);
                    int bl = view.redundantLength(i);
                    assertEquals(next, bo, "gap before block " + i);
                    assertTrue(bl >= 0 && bl <= RedPayload.MAX_BLOCK_LENGTH_BYTES);
                    assertTrue(view.redundantPayloadType(i) >= 0 && view.redundantPayloadType(i) <= 127);
                    assertTrue(view.redundantTimestampOffset(i) >= 0
                            && view.redundantTimestampOffset(i) <= RedPayload.MAX_TIMESTAMP_OFFSET);
                    d = d * 31 + view.redundantPayloadType(i);
                    d = d * 31 + view.redundantTimestampOffset(i);
                    d = d * 31 + (bo - off);
                    d = d * 31 + bl;
                    for (int j = 0; j < bl; j++) {
                        d = d * 31 + buf[bo + j];
                    }
                    next = bo + bl;
                }
                assertEquals(next, view.primaryOffset());
                assertTrue(view.primaryLength() >= 0);
                assertEquals(off + len, view.primaryOffset() + view.primaryLength(), "primary must end the payload");
                d = d * 31 + view.primaryPayloadType();
                d = d * 31 + (view.primaryOffset() - off);
                d = d * 31 + view.primaryLength();
                for (int j = 0; j < view.primaryLength(); j++) {
                    d = d * 31 + buf[view.primaryOffset() + j];
                }
            }
            return d;
        });
        assertEquals(100_000, n);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void rewriteAndStripOfRandomPayloadsStayInsideThePayload() {
        SplittableRandom rnd = new SplittableRandom(0x5EED_2199L);
        List<byte[]> seeds = validFixtures();
        RedPayload view = new RedPayload();
        RedPayload again = new RedPayload();
        int parsed = 0;
        for (int i = 0; i < 50_000; i++) {
            // A valid packet with a few bit flips, or random bytes; some parse, most do not.
            byte[] payload;
            if (rnd.nextBoolean()) {
                payload = seeds.get(rnd.nextInt(seeds.size())).clone();
                for (int f = rnd.nextInt(3); f > 0; f--) {
                    int bit = rnd.nextInt(payload.length * 8);
                    payload[bit >>> 3] ^= (byte) (1 << (bit & 7));
                }
            } else {
                payload = new byte[rnd.nextInt(24)];
                for (int j = 0; j < payload.length; j++) {
                    payload[j] = (byte) rnd.nextInt(256);
                }
            }
            int off = rnd.nextInt(8);
            byte[] buf = new byte[off + payload.length + rnd.nextInt(4)];
            for (int j = 0; j < buf.length; j++) {
                buf[j] = (byte) rnd.nextInt(256);
            }
            System.arraycopy(payload, 0, buf, off, payload.length);
            byte[] before = buf.clone();
            if (view.parse(buf, off, payload.length) != PayloadDropReason.OK) {
                view.rewritePayloadTypes(buf, rnd.nextInt(128), rnd.nextInt(128));
                assertEquals(-1, view.stripToPrimary(buf));
                assertArrayEquals(before, buf, "a failed parse left something to write");
                continue;
            }
            parsed++;
            int blocks = view.redundantBlocks();
            int from = rnd.nextBoolean() ? view.primaryPayloadType() : rnd.nextInt(128);
            int to = rnd.nextInt(128);
            view.rewritePayloadTypes(buf, from, to);
            for (int j = 0; j < buf.length; j++) {
                boolean headerByte = j >= off && j < off + 4 * blocks + 1 && (j - off) % 4 == 0;
                if (!headerByte) {
                    assertEquals(before[j], buf[j], "a byte other than a header's first changed");
                } else {
                    assertEquals(before[j] & 0x80, buf[j] & 0x80, "an F bit changed");
                    int oldPt = before[j] & 0x7F;
                    assertEquals(oldPt == from ? to : oldPt, buf[j] & 0x7F);
                }
            }
            assertEquals(PayloadDropReason.OK, again.parse(buf, off, payload.length));
            assertEquals(blocks, again.redundantBlocks());
            assertEquals(view.primaryPayloadType(), again.primaryPayloadType());
            assertEquals(view.primaryOffset(), again.primaryOffset());

            byte[] primary = Arrays.copyOfRange(buf, view.primaryOffset(), view.primaryOffset() + view.primaryLength());
            byte[] rewritten = buf.clone();
            int n = view.stripToPrimary(buf);
            assertArrayEquals(primary, Arrays.copyOfRange(buf, off, off + n));
            assertArrayEquals(Arrays.copyOfRange(rewritten, 0, off), Arrays.copyOfRange(buf, 0, off));
            assertArrayEquals(Arrays.copyOfRange(rewritten, off + n, buf.length),
                    Arrays.copyOfRange(buf, off + n, buf.length));
        }
        assertTrue(parsed > 5_000, "too few payloads parsed: " + parsed);
    }

    private static void assertBlock(byte[] expected, byte[] buf, int blockOff, int blockLen) {
        assertEquals(expected.length, blockLen);
        assertArrayEquals(expected, Arrays.copyOfRange(buf, blockOff, blockOff + blockLen));
    }
}
