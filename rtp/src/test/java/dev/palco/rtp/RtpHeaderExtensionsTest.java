package dev.palco.rtp;

import static dev.palco.rtp.RtpPacketTest.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RtpHeaderExtensionsTest {
    private static final byte SENTINEL = (byte) 0xEE;

    @Test
    void findsEachChromiumExtension() {
        byte[] buf = RtpFixtures.chromiumOpus();
        int audio = RtpHeaderExtensions.findDataOffset(buf, 0, buf.length, RtpFixtures.AUDIO_LEVEL_ID);
        assertEquals(17, audio);
        assertEquals(1, RtpHeaderExtensions.dataLengthAt(buf, 0, audio));
        int abs = RtpHeaderExtensions.findDataOffset(buf, 0, buf.length, RtpFixtures.ABS_SEND_TIME_ID);
        assertEquals(19, abs);
        assertEquals(3, RtpHeaderExtensions.dataLengthAt(buf, 0, abs));
        int twcc = RtpHeaderExtensions.findDataOffset(buf, 0, buf.length, RtpFixtures.TRANSPORT_CC_ID);
        assertEquals(23, twcc);
        assertEquals(2, RtpHeaderExtensions.dataLengthAt(buf, 0, twcc));
        int mid = RtpHeaderExtensions.findDataOffset(buf, 0, buf.length, RtpFixtures.MID_ID);
        assertEquals(26, mid);
        assertEquals(1, RtpHeaderExtensions.dataLengthAt(buf, 0, mid));
        assertEquals(-1, RtpHeaderExtensions.findDataOffset(buf, 0, buf.length, 5));
        assertEquals(-1, RtpHeaderExtensions.findDataOffset(buf, 0, buf.length, 0));
    }

    @Test
    void cursorIteratesOneByteFormSkippingPadding() {
        byte[] buf = RtpFixtures.chromiumOpus();
        RtpPacket packet = new RtpPacket();
        assertEquals(RtpDropReason.OK, packet.parse(buf, 0, buf.length));
        HeaderExtensionCursor cursor = new HeaderExtensionCursor();
        assertTrue(cursor.reset(packet));
        assertFalse(cursor.isTwoByte());
        int[][] expected = {{1, 17, 1}, {2, 19, 3}, {3, 23, 2}, {4, 26, 1}};
        for (int[] element : expected) {
            assertTrue(cursor.next());
            assertArrayEquals(element,
                    new int[] {cursor.id(), cursor.dataOffset(), cursor.dataLength()});
        }
        assertFalse(cursor.next());
        assertFalse(cursor.malformed());
        assertTrue(cursor.find(3));
        assertEquals(23, cursor.dataOffset());
        assertFalse(cursor.find(9));
    }

    @Test
    void cursorIteratesTwoByteFormWithEmptyElement() {
        byte[] buf = RtpFixtures.twoByteWithCsrcsAndPadding();
        HeaderExtensionCursor cursor = new HeaderExtensionCursor();
        assertTrue(cursor.reset(buf, 0, buf.length));
        assertTrue(cursor.isTwoByte());
        int[][] expected = {{22, 26, 3}, {5, 32, 0}, {7, 34, 2}};
        for (int[] element : expected) {
            assertTrue(cursor.next());
            assertArrayEquals(element,
                    new int[] {cursor.id(), cursor.dataOffset(), cursor.dataLength()});
        }
        assertFalse(cursor.next());
        assertEquals(32, RtpHeaderExtensions.findDataOffset(buf, 0, buf.length, 5));
        assertEquals(0, RtpHeaderExtensions.dataLengthAt(buf, 0, 32));
    }

    @Test
    void cursorResetFailsWithoutRfc8285Block() {
        HeaderExtensionCursor cursor = new HeaderExtensionCursor();
        byte[] minimal = RtpFixtures.minimal();
        assertFalse(cursor.reset(minimal, 0, minimal.length));
        assertFalse(cursor.next());
        // Some other profile (0xABAC): not RFC 8285, nothing is found.
        byte[] other = hex("90000000 00000000 00000000 ABAC0001 10AA0000");
        assertFalse(cursor.reset(other, 0, other.length));
        assertEquals(-1, RtpHeaderExtensions.findDataOffset(other, 0, other.length, 1));
        assertEquals(-1, RtpHeaderExtensions.add(other, 0, other.length, 64, 2, new byte[1], 0, 1));
    }

    @Test
    void reservedId15StopsProcessing() {
        // RFC 8285 §4.2: ID 15 ends processing; elements before it count, those after do not.
        byte[] buf = hex("90000000 00000000 00000000"      // V=2, X=1; header otherwise zero
                + " BEDE 0002"                             // one-byte form, 2 words
                + " 10 AA"                                 // ID=1 L=0, data 0xAA
                + " F3"                                    // ID=15: stop here (its L is ignored)
                + " 20 BB 00 00 00");                      // ID=2 L=0, data 0xBB, padding (ignored)
        HeaderExtensionCursor cursor = new HeaderExtensionCursor();
        assertTrue(cursor.reset(buf, 0, buf.length));
        assertTrue(cursor.next());
        assertEquals(1, cursor.id());
        assertFalse(cursor.next());
        assertFalse(cursor.malformed(), "ID 15 is a defined stop, not malformed");
        assertEquals(-1, RtpHeaderExtensions.findDataOffset(buf, 0, buf.length, 2));
        assertEquals(-1, RtpHeaderExtensions.remove(buf, 0, buf.length, 1), "refuses to edit");
    }

    @Test
    void paddingBytesAnywhereAreSkipped() {
        byte[] buf = hex("90000000 00000000 00000000"
                + " BEDE 0002"                             // one-byte form, 2 words
                + " 00 00"                                 // leading padding
                + " 21 12 34"                              // ID=2 L=1, data 0x1234
                + " 00"                                    // padding between elements
                + " 30 56"                                 // ID=3 L=0, data 0x56
                + " 00");                                  // payload (the block ended)
        assertEquals(19, RtpHeaderExtensions.findDataOffset(buf, 0, buf.length, 2));
        assertEquals(23, RtpHeaderExtensions.findDataOffset(buf, 0, buf.length, 3));
    }

    @Test
    void overrunningElementIsMalformedAndEarlierElementsSurvive() {
        byte[] buf = hex("90000000 00000000 00000000"
                + " BEDE 0001"                             // one-byte form, 1 word
                + " 10 AA"                                 // ID=1 L=0, data 0xAA
                + " 2F 00");                               // ID=2 L=15: 16 bytes, only 1 left
        HeaderExtensionCursor cursor = new HeaderExtensionCursor();
        assertTrue(cursor.reset(buf, 0, buf.length));
        assertTrue(cursor.next());
        assertFalse(cursor.next());
        assertTrue(cursor.malformed());
        assertEquals(17, RtpHeaderExtensions.findDataOffset(buf, 0, buf.length, 1));
        assertEquals(-1, RtpHeaderExtensions.findDataOffset(buf, 0, buf.length, 2));
        assertEquals(-1, RtpHeaderExtensions.add(buf, 0, buf.length, 64, 3, new byte[1], 0, 1));
        // Two-byte form whose last element has its ID but no length byte.
        byte[] two = hex("90000000 00000000 00000000 1000 0001 05 01 AA 06");
        assertTrue(cursor.reset(two, 0, two.length));
        assertTrue(cursor.next());
        assertFalse(cursor.next());
        assertTrue(cursor.malformed());
    }

    @Test
    void addsOneByteExtensionToPacketWithoutBlock() {
        byte[] packet = hex("80 6F 0001 00000002 00000003"    // V=2, PT=111, seq 1, ts 2, SSRC 3
                + " DEADBEEF");                                // payload
        byte[] buf = withCapacity(packet, 64);
        int newLen = RtpHeaderExtensions.add(buf, 0, packet.length, 64, 3, hex("0102"), 0, 2);
        byte[] expected = hex("90 6F 0001 00000002 00000003"  // X now set
                + " BEDE 0001"                                 // one-byte form, 1 word
                + " 31 0102 00"                                // ID=3 L=1, data, padding
                + " DEADBEEF");                                // payload moved up
        assertArrayEquals(expected, Arrays.copyOf(buf, newLen));
        assertSentinels(buf, newLen, 64);
        RtpPacket view = new RtpPacket();
        assertEquals(RtpDropReason.OK, view.parse(buf, 0, newLen));
        assertEquals(4, view.payloadLength());
    }

    @Test
    void addsTwoByteExtensionToPacketWithoutBlockWhenIdAbove14() {
        byte[] packet = hex("80 6F 0001 00000002 00000003 DEADBEEF");
        byte[] buf = withCapacity(packet, 64);
        int newLen = RtpHeaderExtensions.add(buf, 0, packet.length, 64, 200, hex("AA"), 0, 1);
        byte[] expected = hex("90 6F 0001 00000002 00000003"
                + " 1000 0001"                                 // two-byte form, 1 word
                + " C8 01 AA 00"                               // ID=200, length 1, data, padding
                + " DEADBEEF");
        assertArrayEquals(expected, Arrays.copyOf(buf, newLen));
    }

    @Test
    void appendsToExistingOneByteBlockAndRemovesBackToOriginal() {
        byte[] original = RtpFixtures.chromiumOpus();
        byte[] buf = withCapacity(original, 80);
        byte[] rid = {'h', 'i'};
        int grown = RtpHeaderExtensions.add(buf, 0, original.length, 80, 10, rid, 0, 2);
        // Old content (11 used bytes) + 3 new bytes = 14, rounded to 16: one word more.
        assertEquals(original.length + 4, grown);
        assertEquals(4, RtpPacket.readUint16(buf, 14), "4 words");
        assertSentinels(buf, grown, 80);
        int ridOffset = RtpHeaderExtensions.findDataOffset(buf, 0, grown, 10);
        assertEquals(2, RtpHeaderExtensions.dataLengthAt(buf, 0, ridOffset));
        assertTrue(SdesTokenExtension.tokenEquals(buf, ridOffset, 2, rid));
        RtpPacket view = new RtpPacket();
        assertEquals(RtpDropReason.OK, view.parse(buf, 0, grown));
        assertEquals(RtpFixtures.CHROMIUM_OPUS_PAYLOAD_LENGTH, view.payloadLength());
        assertArrayEquals(Arrays.copyOfRange(original, 28, 36),
                Arrays.copyOfRange(buf, view.payloadOffset(), view.payloadOffset() + 8));

        int shrunk = RtpHeaderExtensions.remove(buf, 0, grown, 10);
        assertArrayEquals(original, Arrays.copyOf(buf, shrunk), "add then remove is the identity");
        assertEquals(-1, RtpHeaderExtensions.remove(buf, 0, shrunk, 10), "already gone");
    }

    @Test
    void convertsOneByteBlockToTwoByteFormForLargeId() {
        byte[] original = RtpFixtures.chromiumOpus();
        byte[] buf = withCapacity(original, 96);
        int newLen = RtpHeaderExtensions.add(buf, 0, original.length, 96, 20, hex("0A0B"), 0, 2);
        byte[] expected = RtpPacketTest.concat(hex("90EF5E2A 9B3C1140 2C8F17D1"
                + " 1000 0005"                                 // two-byte form, 5 words
                + " 01 01 A8"                                  // audio level, now ID 1 length 1
                + " 02 03 3F1A7C"                              // abs-send-time
                + " 03 02 029C"                                // transport-cc
                + " 04 01 30"                                  // mid "0"
                + " 14 02 0A0B"                                // the new element, ID 20
                + " 00"),                                      // padding: 19 bytes -> 20
                Arrays.copyOfRange(original, 28, 36));         // payload unchanged
        assertArrayEquals(expected, Arrays.copyOf(buf, newLen));
        assertSentinels(buf, newLen, 96);
        // Every original element is still found with the same data.
        assertEquals(0x029C, TransportCcExtension.sequenceNumber(buf,
                RtpHeaderExtensions.findDataOffset(buf, 0, newLen, 3)));
        // Removing the new element keeps the two-byte form (no conversion back).
        int shrunk = RtpHeaderExtensions.remove(buf, 0, newLen, 20);
        assertEquals(RtpHeaderExtensions.TWO_BYTE_PROFILE, RtpPacket.readUint16(buf, 12));
        assertEquals(original.length + 4, shrunk, "4 elements in two-byte form need 15 -> 16 bytes");
        RtpPacket view = new RtpPacket();
        assertEquals(RtpDropReason.OK, view.parse(buf, 0, shrunk));
        assertArrayEquals(Arrays.copyOfRange(original, 28, 36),
                Arrays.copyOfRange(buf, view.payloadOffset(), view.payloadOffset() + 8));
    }

    @Test
    void convertsOneByteBlockForLongOrEmptyValues() {
        byte[] original = RtpFixtures.chromiumOpus();
        byte[] buf = withCapacity(original, 128);
        byte[] seventeen = new byte[17];
        Arrays.fill(seventeen, (byte) 7);
        int newLen = RtpHeaderExtensions.add(buf, 0, original.length, 128, 9, seventeen, 0, 17);
        assertTrue(newLen > 0);
        HeaderExtensionCursor cursor = new HeaderExtensionCursor();
        assertTrue(cursor.reset(buf, 0, newLen));
        assertTrue(cursor.isTwoByte());
        assertTrue(cursor.find(9));
        assertEquals(17, cursor.dataLength());

        buf = withCapacity(original, 128);
        newLen = RtpHeaderExtensions.add(buf, 0, original.length, 128, 9, seventeen, 0, 0);
        assertTrue(cursor.reset(buf, 0, newLen));
        assertTrue(cursor.isTwoByte(), "an empty element needs the two-byte form");
        assertTrue(cursor.find(9));
        assertEquals(0, cursor.dataLength());
    }

    @Test
    void conversionDropsInteriorPaddingEvenWhenBlockShrinks() {
        byte[] packet = hex("90 00 0001 00000002 00000003"
                + " BEDE 0004"                                 // one-byte form, 4 words
                + " 10 AA"                                     // ID=1 L=0
                + " 00 00 00 00 00 00 00 00 00 00 00 00 00 00" // 14 padding bytes
                + " CAFE");                                    // payload
        byte[] buf = withCapacity(packet, 64);
        int newLen = RtpHeaderExtensions.add(buf, 0, packet.length, 64, 99, hex("BB"), 0, 1);
        byte[] expected = hex("90 00 0001 00000002 00000003"
                + " 1000 0002"                                 // two-byte form, 2 words
                + " 01 01 AA 63 01 BB 00 00"                   // ID 1, ID 99, padding
                + " CAFE");
        assertArrayEquals(expected, Arrays.copyOf(buf, newLen));
        assertSentinels(buf, newLen, 64);
    }

    @Test
    void removingLastElementDropsBlockAndClearsX() {
        byte[] packet = hex("B0 6F 0001 00000002 00000003"    // P=1, X=1
                + " BEDE 0001 31 0102 00"                      // one element, ID 3
                + " DEADBEEF 00 00 03");                       // payload, padding count 3
        byte[] buf = withCapacity(packet, 40);
        int newLen = RtpHeaderExtensions.remove(buf, 0, packet.length, 3);
        byte[] expected = hex("A0 6F 0001 00000002 00000003 DEADBEEF 00 00 03");
        assertArrayEquals(expected, Arrays.copyOf(buf, newLen));
        RtpPacket view = new RtpPacket();
        assertEquals(RtpDropReason.OK, view.parse(buf, 0, newLen));
        assertFalse(view.hasExtension());
        assertEquals(4, view.payloadLength());
        assertEquals(3, view.paddingLength());
        // And back: adding it again restores the original packet byte for byte.
        int again = RtpHeaderExtensions.add(buf, 0, newLen, 40, 3, hex("0102"), 0, 2);
        assertArrayEquals(packet, Arrays.copyOf(buf, again));
    }

    @Test
    void removesFromTwoByteBlockKeepingAppBitsAndPadding() {
        byte[] original = RtpFixtures.twoByteWithCsrcsAndPadding();
        byte[] buf = withCapacity(original, 64);
        int newLen = RtpHeaderExtensions.remove(buf, 0, original.length, 22);
        byte[] expected = RtpPacketTest.concat(Arrays.copyOf(original, 20), hex(
                "1003 0002"                                    // appbits 3 kept, 2 words
                + " 05 00 07 02 1234 00 00"                    // ID 5 (empty), ID 7, padding
                + " 90 01 02 03 04 00 00 00 04"));             // payload and RTP padding
        assertArrayEquals(expected, Arrays.copyOf(buf, newLen));
        RtpPacket view = new RtpPacket();
        assertEquals(RtpDropReason.OK, view.parse(buf, 0, newLen));
        assertEquals(5, view.payloadLength());
        assertEquals(4, view.paddingLength());
        // Add a one-byte-sized element to a two-byte block: it stays two-byte.
        int grown = RtpHeaderExtensions.add(buf, 0, newLen, 64, 1, hex("FF"), 0, 1);
        assertEquals(0x1003, RtpPacket.readUint16(buf, 20));
        assertEquals(original.length, grown, "6 used bytes + 3 = 9, back to 3 words");
    }

    @Test
    void roundTripsEveryIdAndLengthInBothForms() {
        byte[] base = hex("80 60 0001 00000002 00000003 0102030405");
        RtpPacket view = new RtpPacket();
        HeaderExtensionCursor cursor = new HeaderExtensionCursor();
        for (int id = 1; id <= 255; id += (id < 20 ? 1 : 17)) {
            for (int length = 0; length <= 255; length += (length < 20 ? 1 : 47)) {
                byte[] value = new byte[length];
                for (int i = 0; i < length; i++) {
                    value[i] = (byte) (id + i);
                }
                byte[] buf = withCapacity(base, 600);
                int withFirst = RtpHeaderExtensions.add(buf, 0, base.length, 600, 14, hex("77"), 0, 1);
                int withBoth = RtpHeaderExtensions.add(buf, 0, withFirst, 600, id == 14 ? 13 : id, value, 0, length);
                assertTrue(withBoth > 0, "id " + id + " length " + length);
                assertEquals(RtpDropReason.OK, view.parse(buf, 0, withBoth));
                assertEquals(0, view.extensionDataLength() % 4);
                assertTrue(cursor.reset(view));
                assertTrue(cursor.find(id == 14 ? 13 : id));
                assertEquals(length, cursor.dataLength());
                assertArrayEquals(value, Arrays.copyOfRange(buf, cursor.dataOffset(), cursor.dataOffset() + length));
                assertTrue(cursor.find(14));
                assertEquals(0x77, buf[cursor.dataOffset()] & 0xFF);
                assertArrayEquals(hex("0102030405"),
                        Arrays.copyOfRange(buf, view.payloadOffset(), view.payloadOffset() + 5));
                int withoutSecond = RtpHeaderExtensions.remove(buf, 0, withBoth, id == 14 ? 13 : id);
                int bare = RtpHeaderExtensions.remove(buf, 0, withoutSecond, 14);
                assertArrayEquals(base, Arrays.copyOf(buf, bare), "id " + id + " length " + length);
                assertSentinels(buf, bare, 600);
            }
        }
    }

    @Test
    void refusesWhenOutOfCapacityOrArgumentsInvalidAndLeavesPacketUntouched() {
        byte[] original = RtpFixtures.chromiumOpus();
        byte[] buf = withCapacity(original, 64);
        byte[] before = buf.clone();
        // Needs 4 more bytes, only 3 available.
        assertEquals(-1, RtpHeaderExtensions.add(buf, 0, original.length, original.length + 3, 10, hex("AABB"), 0, 2));
        assertEquals(-1, RtpHeaderExtensions.add(buf, 0, original.length, 64, 0, hex("AA"), 0, 1), "ID 0 is padding");
        assertEquals(-1, RtpHeaderExtensions.add(buf, 0, original.length, 64, 256, hex("AA"), 0, 1));
        assertEquals(-1, RtpHeaderExtensions.add(buf, 0, original.length, 64, 5, new byte[300], 0, 256));
        assertEquals(-1, RtpHeaderExtensions.add(buf, 0, original.length, 64, 3, hex("AABB"), 0, 2), "duplicate ID");
        assertEquals(-1, RtpHeaderExtensions.remove(buf, 0, original.length, 9), "absent ID");
        assertEquals(-1, RtpHeaderExtensions.add(buf, 0, 11, 64, 5, hex("AA"), 0, 1), "invalid header");
        assertArrayEquals(before, buf);
        // Exactly enough capacity works.
        assertEquals(original.length + 4,
                RtpHeaderExtensions.add(buf, 0, original.length, original.length + 4, 10, hex("AABB"), 0, 2));
    }

    @Test
    void viewConveniencesReparse() {
        byte[] buf = withCapacity(RtpFixtures.chromiumOpus(), 64);
        RtpPacket view = new RtpPacket();
        assertEquals(RtpDropReason.OK, view.parse(buf, 0, RtpFixtures.chromiumOpus().length));
        assertEquals(40, view.addExtension(64, 7, hex("01020304"), 0, 4));
        assertEquals(40, view.length());
        assertEquals(32, view.payloadOffset());
        assertEquals(36, view.removeExtension(7));
        assertEquals(28, view.payloadOffset());
    }

    private static byte[] withCapacity(byte[] packet, int capacity) {
        byte[] buf = new byte[capacity];
        Arrays.fill(buf, SENTINEL);
        System.arraycopy(packet, 0, buf, 0, packet.length);
        return buf;
    }

    private static void assertSentinels(byte[] buf, int from, int to) {
        // Bytes past the new length are whatever the move left, but nothing past the capacity
        // may be written; withCapacity puts the capacity at the end of the array, so check that
        // the tail beyond the longest packet we could have written still holds sentinels.
        for (int i = Math.max(from, to); i < buf.length; i++) {
            assertEquals(SENTINEL, buf[i], "byte " + i);
        }
    }
}
