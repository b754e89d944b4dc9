package dev.palco.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtpPacketTest {

    @Test
    void parsesChromiumOpusPacket() {
        byte[] buf = RtpFixtures.chromiumOpus();
        RtpPacket packet = new RtpPacket();
        assertEquals(RtpDropReason.OK, packet.parse(buf, 0, buf.length));
        assertEquals(2, RtpPacket.version(buf, 0));
        assertFalse(RtpPacket.hasPadding(buf, 0));
        assertTrue(RtpPacket.hasExtension(buf, 0));
        assertEquals(0, packet.csrcCount());
        assertTrue(packet.marker());
        assertEquals(111, packet.payloadType());
        assertEquals(24106, packet.sequenceNumber());
        assertEquals(2604405056L, packet.timestamp());
        assertEquals(747575249L, packet.ssrc());
        assertEquals(RtpHeaderExtensions.ONE_BYTE_PROFILE, packet.extensionProfile());
        assertEquals(16, packet.extensionDataOffset());
        assertEquals(12, packet.extensionDataLength());
        assertEquals(RtpFixtures.CHROMIUM_OPUS_PAYLOAD_OFFSET, packet.headerLength());
        assertEquals(RtpFixtures.CHROMIUM_OPUS_PAYLOAD_OFFSET, packet.payloadOffset());
        assertEquals(RtpFixtures.CHROMIUM_OPUS_PAYLOAD_LENGTH, packet.payloadLength());
        assertEquals(0, packet.paddingLength());
        assertEquals(RtpFixtures.CHROMIUM_OPUS_PAYLOAD_OFFSET,
                RtpPacket.headerLength(buf, 0, buf.length));
    }

    @Test
    void parsesCsrcsTwoByteExtensionAndPadding() {
        byte[] buf = RtpFixtures.twoByteWithCsrcsAndPadding();
        RtpPacket packet = new RtpPacket();
        assertEquals(RtpDropReason.OK, packet.parse(buf, 0, buf.length));
        assertEquals(2, packet.csrcCount());
        assertEquals(0x11223344L, packet.csrc(0));
        assertEquals(0xAABBCCDDL, packet.csrc(1));
        assertThrows(IndexOutOfBoundsException.class, () -> packet.csrc(2));
        assertFalse(packet.marker());
        assertEquals(96, packet.payloadType());
        assertEquals(65535, packet.sequenceNumber());
        assertEquals(4294967280L, packet.timestamp());
        assertEquals(1L, packet.ssrc());
        assertEquals(0x1003, packet.extensionProfile());
        assertEquals(36, packet.headerLength());
        assertEquals(36, packet.payloadOffset());
        assertEquals(5, packet.payloadLength());
        assertEquals(4, packet.paddingLength());
    }

    @Test
    void parsesAtNonZeroOffset() {
        byte[] packet = RtpFixtures.chromiumOpus();
        byte[] buf = MalformedInputGenerator.place(packet, 100, 50, (byte) 0x5A);
        RtpPacket view = new RtpPacket();
        assertEquals(RtpDropReason.OK, view.parse(buf, 100, packet.length));
        assertEquals(100, view.offset());
        assertEquals(116, view.extensionDataOffset());
        assertEquals(128, view.payloadOffset());
        assertEquals(24106, view.sequenceNumber());
    }

    @Test
    void minimalPacketHasEmptyPayload() {
        byte[] buf = RtpFixtures.minimal();
        RtpPacket packet = new RtpPacket();
        assertEquals(RtpDropReason.OK, packet.parse(buf, 0, buf.length));
        assertEquals(12, packet.payloadOffset());
        assertEquals(0, packet.payloadLength());
        assertFalse(packet.hasExtension());
        assertEquals(-1, packet.extensionProfile());
    }

    @Test
    void paddingOnlyPacketIsValid() {
        // A bandwidth probe: header, no payload, 4 bytes of padding whose last byte is the count.
        byte[] buf = {
            (byte) 0xA0,                    // V=2, P=1, X=0, CC=0
            0x60,                           // M=0, PT=96
            0x00, 0x07,                     // sequence number 7
            0x00, 0x00, 0x00, 0x00,         // timestamp 0
            0x00, 0x00, 0x00, 0x09,         // SSRC 9
            0x00, 0x00, 0x00, 0x04          // padding: 3 zero bytes + count 4
        };
        RtpPacket packet = new RtpPacket();
        assertEquals(RtpDropReason.OK, packet.parse(buf, 0, buf.length));
        assertEquals(0, packet.payloadLength());
        assertEquals(4, packet.paddingLength());
    }

    @Test
    void settersRewriteInPlaceAndKeepNeighbouringBits() {
        byte[] buf = RtpFixtures.chromiumOpus();
        byte[] before = buf.clone();
        RtpPacket packet = new RtpPacket();
        assertEquals(RtpDropReason.OK, packet.parse(buf, 0, buf.length));
        packet.setSequenceNumber(65536 + 3);      // high bits ignored
        packet.setTimestamp(0x1_0000_0005L);      // high bits ignored
        packet.setSsrc(0xFFFFFFFFL);
        packet.setPayloadType(100);
        assertTrue(packet.marker(), "setPayloadType keeps M");
        packet.setMarker(false);
        assertEquals(100, packet.payloadType(), "setMarker keeps PT");
        assertEquals(3, packet.sequenceNumber());
        assertEquals(5L, packet.timestamp());
        assertEquals(0xFFFFFFFFL, packet.ssrc());
        assertFalse(packet.marker());
        assertEquals(before[0], buf[0]);
        for (int i = 12; i < buf.length; i++) {
            assertEquals(before[i], buf[i], "byte " + i + " untouched");
        }
    }

    @Test
    void fixedHeaderBuildParseRoundTrip() {
        byte[] buf = new byte[40];
        int written = RtpPacket.writeFixedHeader(buf, 3, true, 127, 65535, 0xFFFFFFFFL, 0x80000000L);
        assertEquals(RtpPacket.HEADER_SIZE_BYTES, written);
        RtpPacket packet = new RtpPacket();
        assertEquals(RtpDropReason.OK, packet.parse(buf, 3, written + 10));
        assertTrue(packet.marker());
        assertEquals(127, packet.payloadType());
        assertEquals(65535, packet.sequenceNumber());
        assertEquals(0xFFFFFFFFL, packet.timestamp());
        assertEquals(0x80000000L, packet.ssrc());
        assertEquals(10, packet.payloadLength());
        // parse -> build -> parse: rebuilding the Chromium header from its parsed fields gives
        // the same 12 bytes once the X bit is accounted for.
        byte[] chromium = RtpFixtures.chromiumOpus();
        assertEquals(RtpDropReason.OK, packet.parse(chromium, 0, chromium.length));
        byte[] rebuilt = new byte[12];
        RtpPacket.writeFixedHeader(rebuilt, 0, packet.marker(), packet.payloadType(),
                packet.sequenceNumber(), packet.timestamp(), packet.ssrc());
        rebuilt[0] |= 0x10;
        byte[] original = new byte[12];
        System.arraycopy(chromium, 0, original, 0, 12);
        assertArrayEquals(original, rebuilt);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("empty", new byte[0], RtpDropReason.TOO_SHORT),
                Arguments.of("11 bytes", hex("80000000000000000000 00"), RtpDropReason.TOO_SHORT),
                Arguments.of("version 0", hex("00000000 00000000 00000000"), RtpDropReason.BAD_VERSION),
                Arguments.of("version 1", hex("40000000 00000000 00000000"), RtpDropReason.BAD_VERSION),
                Arguments.of("version 3", hex("C0000000 00000000 00000000"), RtpDropReason.BAD_VERSION),
                // CC=1 announces a CSRC that is missing.
                Arguments.of("CSRC missing", hex("81000000 00000000 00000000"), RtpDropReason.CSRC_OVERRUN),
                // CC=15 with only 14 CSRCs present.
                Arguments.of("CSRC list short", concat(hex("8F000000 00000000 00000000"), new byte[56]),
                        RtpDropReason.CSRC_OVERRUN),
                // X=1 but no room for the 4-byte extension header.
                Arguments.of("extension header missing", hex("90000000 00000000 00000000 BEDE00"),
                        RtpDropReason.EXTENSION_OVERRUN),
                // X=1, length 1 word, but no data.
                Arguments.of("extension data missing", hex("90000000 00000000 00000000 BEDE0001"),
                        RtpDropReason.EXTENSION_OVERRUN),
                // X=1, length 0xFFFF words.
                Arguments.of("extension length huge", hex("90000000 00000000 00000000 BEDEFFFF 10AA0000"),
                        RtpDropReason.EXTENSION_OVERRUN),
                // P=1 with a count of 0: the count includes itself, so 0 is impossible.
                Arguments.of("padding count 0", hex("A0000000 00000000 00000000 00"), RtpDropReason.BAD_PADDING),
                // P=1 with no byte after the header at all.
                Arguments.of("padding without bytes", hex("A0000000 00000000 00000001"), RtpDropReason.BAD_PADDING),
                // P=1 with a count of 5 but only 4 bytes after the header.
                Arguments.of("padding count too big", hex("A0000000 00000000 00000000 00000005"),
                        RtpDropReason.BAD_PADDING),
                // P=1, X=1: padding count reaching into the extension block.
                Arguments.of("padding into extension", hex("B0000000 00000000 00000000 BEDE0001 10AA0002"),
                        RtpDropReason.BAD_PADDING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedWithReason(String name, byte[] packet, RtpDropReason expected) {
        RtpPacket view = new RtpPacket();
        assertEquals(expected, view.parse(packet, 0, packet.length));
        // The same bytes inside a larger array with an exact window give the same verdict.
        byte[] placed = MalformedInputGenerator.place(packet, 9, 0, (byte) 0xFF);
        assertEquals(expected, view.parse(placed, 9, packet.length));
        if (expected != RtpDropReason.BAD_PADDING) {
            assertEquals(-1, RtpPacket.headerLength(placed, 9, packet.length));
        }
    }

    @Test
    void headerLengthCountsCsrcsAndExtension() {
        byte[] buf = RtpFixtures.twoByteWithCsrcsAndPadding();
        assertEquals(36, RtpPacket.headerLength(buf, 0, buf.length));
        assertEquals(36, RtpPacket.headerLength(buf, 0, 36), "header alone (padding not checked)");
        assertEquals(-1, RtpPacket.headerLength(buf, 0, 35));
    }

    /** Parses hex digits, ignoring spaces. */
    static byte[] hex(String text) {
        String digits = text.replace(" ", "");
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
