package dev.palco.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Jazzer target for the RTP parser and the RFC 8285 walker and editors. In a plain {@code mvn test}
 * it runs in regression mode over the seeds in {@code RtpPacketFuzzTestInputs/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes.
 *
 * <p>Input layout: byte 0 is the ID to add and remove, byte 1 the value length, byte 2 the spare
 * capacity; the rest is the packet.
 */
class RtpPacketFuzzTest {
    private static final int LEAD = 7;
    private static final int TRAIL = 9;
    private static final byte SENTINEL = (byte) 0xC7;

    private final RtpPacket view = new RtpPacket();
    private final HeaderExtensionCursor cursor = new HeaderExtensionCursor();

    @FuzzTest(maxDuration = "30s")
    void parseAndEditExtensions(byte[] input) {
        if (input.length < 3) {
            return;
        }
        int id = input[0] & 0xFF;
        int valueLen = input[1] & 0xFF;
        int spare = input[2] & 0xFF;
        int len = input.length - 3;
        int capacity = len + spare;
        byte[] buf = new byte[LEAD + capacity + TRAIL];
        Arrays.fill(buf, SENTINEL);
        System.arraycopy(input, 3, buf, LEAD, len);
        byte[] packet = Arrays.copyOfRange(buf, LEAD, LEAD + len);

        RtpDropReason reason = view.parse(buf, LEAD, len);
        if (reason == RtpDropReason.OK) {
            assertEquals(len, view.headerLength() + view.payloadLength() + view.paddingLength());
            view.sequenceNumber();
            view.timestamp();
            view.ssrc();
            for (int c = 0; c < view.csrcCount(); c++) {
                view.csrc(c);
            }
        }
        int elements = 0;
        if (cursor.reset(buf, LEAD, len)) {
            while (cursor.next()) {
                elements++;
                assertTrue(cursor.dataOffset() >= LEAD && cursor.dataOffset() + cursor.dataLength() <= LEAD + len);
                int found = RtpHeaderExtensions.findDataOffset(buf, LEAD, len, cursor.id());
                assertTrue(found >= LEAD && found <= cursor.dataOffset());
            }
        }

        byte[] value = new byte[valueLen];
        Arrays.fill(value, (byte) 0x5A);
        int added = RtpHeaderExtensions.add(buf, LEAD, len, capacity, id, value, 0, valueLen);
        assertSentinels(buf, capacity);
        if (added < 0) {
            assertArrayEquals(packet, Arrays.copyOfRange(buf, LEAD, LEAD + len));
            return;
        }
        // Adding may reuse padding and even shrink a padding-heavy block, so only capacity bounds it.
        assertTrue(added <= capacity);
        assertTrue(cursor.reset(buf, LEAD, added));
        assertTrue(cursor.find(id));
        assertEquals(valueLen, cursor.dataLength());
        int after = 0;
        cursor.rewind();
        while (cursor.next()) {
            after++;
        }
        assertEquals(elements + 1, after);

        int removed = RtpHeaderExtensions.remove(buf, LEAD, added, id);
        assertTrue(removed >= 0 && removed <= added);
        assertSentinels(buf, capacity);
        assertEquals(-1, RtpHeaderExtensions.findDataOffset(buf, LEAD, removed, id));
    }

    private static void assertSentinels(byte[] buf, int capacity) {
        for (int k = 0; k < LEAD; k++) {
            assertEquals(SENTINEL, buf[k]);
        }
        for (int k = LEAD + capacity; k < buf.length; k++) {
            assertEquals(SENTINEL, buf[k]);
        }
    }
}
