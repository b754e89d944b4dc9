package dev.palco.sfu.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DuplicateFilterTest {

    @Test
    void acceptsEachNumberOnce() {
        DuplicateFilter filter = new DuplicateFilter(64);
        assertTrue(filter.accept(10));
        assertTrue(filter.accept(12));
        assertTrue(filter.accept(11)); // reordered, first time
        assertFalse(filter.accept(11));
        assertFalse(filter.accept(12));
        assertFalse(filter.accept(10));
        assertEquals(3, filter.duplicates());
        assertEquals(3, filter.accepted());
    }

    @Test
    void worksAcrossTheWrap() {
        DuplicateFilter filter = new DuplicateFilter(64);
        assertTrue(filter.accept(65_534));
        assertTrue(filter.accept(1));      // 65535 and 0 still missing
        assertTrue(filter.accept(65_535)); // late, across the wrap
        assertTrue(filter.accept(0));
        assertFalse(filter.accept(65_535)); // RTX duplicate
        assertFalse(filter.accept(0));
        assertFalse(filter.accept(1));
        assertEquals(3, filter.duplicates());
    }

    @Test
    void bitsReusedAfterTheWindowMovesOnAreClear() {
        DuplicateFilter filter = new DuplicateFilter(64);
        for (int seq = 0; seq < 64; seq++) {
            assertTrue(filter.accept(seq));
        }
        // 64..127 reuse the same bits: 100 is new even though bit (100 % 64) was set for 36.
        assertTrue(filter.accept(101));
        assertTrue(filter.accept(100));
        assertFalse(filter.accept(100));
    }

    @Test
    void refusesPacketsOlderThanTheWindow() {
        DuplicateFilter filter = new DuplicateFilter(64);
        filter.accept(1000);
        assertFalse(filter.accept(936));
        assertTrue(filter.accept(937));
        assertEquals(1, filter.tooOld());
    }

    @Test
    void aForwardJumpBeyondTheWindowClearsIt() {
        DuplicateFilter filter = new DuplicateFilter(64);
        filter.accept(5);
        filter.accept(6);
        assertTrue(filter.accept(5 + 64 * 3));
        assertTrue(filter.accept(5 + 64 * 3 - 1));
    }

    @Test
    void followsABackwardResetAfterARunOfTooOldPackets() {
        DuplicateFilter filter = new DuplicateFilter(64);
        filter.accept(30_000);
        for (int i = 0; i < DuplicateFilter.TOO_OLD_RESYNC_PACKETS - 1; i++) {
            assertFalse(filter.accept(100 + i));
        }
        assertTrue(filter.accept(100 + DuplicateFilter.TOO_OLD_RESYNC_PACKETS - 1));
        assertTrue(filter.accept(100 + DuplicateFilter.TOO_OLD_RESYNC_PACKETS));
        assertEquals(1, filter.resyncs());
    }

    @Test
    void replayOfAWholeRunIsRefused() {
        DuplicateFilter filter = new DuplicateFilter();
        for (int i = 0; i < 70_000; i++) {
            assertTrue(filter.accept(i & 0xFFFF));
        }
        for (int i = 70_000 - 1000; i < 70_000; i++) {
            assertFalse(filter.accept(i & 0xFFFF));
        }
        assertEquals(1000, filter.duplicates());
    }
}
