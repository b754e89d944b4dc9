package dev.palco.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * 120,000 seeded hostile inputs through the RFC 8285 walker, {@code findDataOffset}, {@code add}
 * and {@code remove}. Reads are checked by comparing two placements of the same bytes; writes are
 * checked by sentinels on both sides of the capacity window and by an element-level round trip
 * (what add appends, remove takes away; nothing else changes, payload included).
 */
class RtpHeaderExtensionsBadInputTest {
    private static final int INPUTS = 120_000;
    private static final int LEAD = 11;
    private static final int TRAIL = 13;
    /** Signature marker bytes; element IDs are 1..255 so they never collide with 0. */
    private static final byte NONE = 0;

    private final HeaderExtensionCursor cursor = new HeaderExtensionCursor();

    @Test
    void walkFindAddRemoveSurviveHostileInputs() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            MalformedInputGenerator generator = new MalformedInputGenerator(0x5EED_0002L, RtpFixtures.all());
            int edited = 0;
            int converted = 0;
            for (int i = 0; i < INPUTS; i++) {
                byte[] packet = generator.next();
                int id = 1 + generator.nextInt(generator.nextInt(4) == 0 ? 255 : 14);
                int valueLen = generator.nextInt(generator.nextInt(4) == 0 ? 256 : 17);
                int capacity = packet.length + generator.nextInt(300);
                try {
                    int outcome = check(packet, id, valueLen, capacity);
                    edited += outcome > 0 ? 1 : 0;
                    converted += outcome > 1 ? 1 : 0;
                } catch (AssertionError e) {
                    throw new AssertionError("input " + i + ": " + hex(packet, 0, packet.length)
                            + " id " + id + " valueLen " + valueLen + " capacity " + capacity, e);
                }
            }
            assertTrue(edited > 10_000, "edits exercised: " + edited);
            assertTrue(converted > 500, "conversions exercised: " + converted);
        });
    }

    /** Returns 0 if add refused, 1 if it added, 2 if it also converted the block's form. */
    private int check(byte[] packet, int id, int valueLen, int capacity) {
        int len = packet.length;
        byte[] a = MalformedInputGenerator.place(packet, 3, 0, (byte) 0x00);
        byte[] b = MalformedInputGenerator.place(packet, 29, 17, (byte) 0xFF);
        byte[] original = signature(a, 3, len);
        assertArrayEquals(original, signature(b, 29, len));
        for (int findId = 1; findId <= 15; findId++) {
            int fa = RtpHeaderExtensions.findDataOffset(a, 3, len, findId);
            int fb = RtpHeaderExtensions.findDataOffset(b, 29, len, findId);
            assertEquals(fa < 0 ? -1 : fa - 3, fb < 0 ? -1 : fb - 29);
        }

        byte[] value = new byte[valueLen];
        Arrays.fill(value, (byte) (0x40 + id));
        byte[] c = new byte[LEAD + capacity + TRAIL];
        Arrays.fill(c, (byte) 0xA5);
        System.arraycopy(packet, 0, c, LEAD, len);
        boolean wasTwoByte = cursor.reset(c, LEAD, len) && cursor.isTwoByte();
        int added = RtpHeaderExtensions.add(c, LEAD, len, capacity, id, value, 0, valueLen);
        assertSentinels(c, capacity);
        if (added < 0) {
            assertArrayEquals(packet, Arrays.copyOfRange(c, LEAD, LEAD + len), "refused add changed input");
            return 0;
        }
        assertTrue(added <= capacity);
        byte[] afterAdd = signature(c, LEAD, added);
        boolean converted = !wasTwoByte && cursor.isTwoByte();
        assertArrayEquals(appended(original, id, value), afterAdd);
        assertArrayEquals(payload(packet, 0, len), payload(c, LEAD, added));

        int removed = RtpHeaderExtensions.remove(c, LEAD, added, id);
        assertTrue(removed >= 0 && removed <= added);
        assertSentinels(c, capacity);
        assertArrayEquals(original, signature(c, LEAD, removed));
        assertArrayEquals(payload(packet, 0, len), payload(c, LEAD, removed));
        return converted ? 2 : 1;
    }

    /**
     * The elements the cursor yields, as (id, length, data...) triples, ending in 0 (end of block or
     * no elements at all: remove drops an emptied block) or 0, 0 (stopped on a malformed element).
     * An invalid header gives {0, 0, 0}.
     */
    private byte[] signature(byte[] buf, int off, int len) {
        if (RtpPacket.headerLength(buf, off, len) < 0) {
            return new byte[] {NONE, NONE, NONE};
        }
        byte[] out = new byte[len + 2];
        int n = 0;
        if (cursor.reset(buf, off, len)) {
            while (cursor.next()) {
                assertTrue(cursor.dataOffset() >= off && cursor.dataOffset() + cursor.dataLength() <= off + len);
                if (n + 2 + cursor.dataLength() > out.length) {
                    out = Arrays.copyOf(out, out.length * 2 + cursor.dataLength());
                }
                out[n++] = (byte) cursor.id();
                out[n++] = (byte) cursor.dataLength();
                System.arraycopy(buf, cursor.dataOffset(), out, n, cursor.dataLength());
                n += cursor.dataLength();
            }
            if (cursor.malformed()) {
                out[n++] = NONE;
            }
        }
        out[n++] = NONE;
        return Arrays.copyOf(out, n);
    }

    private static byte[] appended(byte[] signature, int id, byte[] value) {
        byte[] out = new byte[signature.length + 2 + value.length];
        int n = signature.length - 1;           // drop the terminating 0
        System.arraycopy(signature, 0, out, 0, n);
        out[n++] = (byte) id;
        out[n++] = (byte) value.length;
        System.arraycopy(value, 0, out, n, value.length);
        out[n + value.length] = NONE;
        return out;
    }

    /** The bytes after the header, or an empty array when the header does not parse. */
    private static byte[] payload(byte[] buf, int off, int len) {
        int header = RtpPacket.headerLength(buf, off, len);
        return header < 0 ? new byte[0] : Arrays.copyOfRange(buf, off + header, off + len);
    }

    private static void assertSentinels(byte[] c, int capacity) {
        for (int k = 0; k < LEAD; k++) {
            assertEquals((byte) 0xA5, c[k], "lead sentinel");
        }
        for (int k = LEAD + capacity; k < c.length; k++) {
            assertEquals((byte) 0xA5, c[k], "trail sentinel");
        }
    }

    private static String hex(byte[] buf, int off, int len) {
        StringBuilder sb = new StringBuilder(len * 2);
        for (int k = 0; k < len; k++) {
            sb.append(Character.forDigit((buf[off + k] >> 4) & 0xF, 16))
                    .append(Character.forDigit(buf[off + k] & 0xF, 16));
        }
        return sb.toString();
    }
}
