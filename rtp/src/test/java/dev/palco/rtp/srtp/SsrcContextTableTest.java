package dev.palco.rtp.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The primitive-keyed SSRC table: every key findable, the bound enforced. */
class SsrcContextTableTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 64, 1000, 40_000})
    void holdsExactlyItsBoundIncludingEdgeSsrcs(int max) {
        SsrcContextTable<String> table = new SsrcContextTable<>(max);
        SplittableRandom random = new SplittableRandom(max);
        int[] keys = new int[max];
        for (int i = 0; i < max; i++) {
            // SSRC 0, -1 (0xFFFFFFFF), sequential and random values.
            keys[i] = i == 0 ? 0 : i == 1 ? -1 : (i % 2 == 0 ? i : random.nextInt());
            if (table.get(keys[i]) != null) {
                keys[i] = i; // a random collision with an earlier key: use a fresh one
            }
            assertFalse(table.isFull());
            table.put(keys[i], "v" + keys[i]);
        }
        assertTrue(table.isFull());
        assertEquals(max, table.size());
        for (int k : keys) {
            assertEquals("v" + k, table.get(k));
        }
        assertNull(table.get(Integer.MIN_VALUE + 12345));
        assertThrows(IllegalStateException.class, () -> table.put(7_777_777, "x"));
        table.clear();
        assertEquals(0, table.size());
        assertNull(table.get(keys[0]));
    }
}
