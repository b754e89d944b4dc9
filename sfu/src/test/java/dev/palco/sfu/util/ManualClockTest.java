package dev.palco.sfu.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ManualClockTest {

    @Test
    void movesOnlyWhenAdvanced() {
        ManualClock clock = new ManualClock(1_000, 1_700_000_000_000L);
        assertEquals(1_000, clock.nowMillis());
        assertEquals(1_000_000, clock.nowMicros());
        assertEquals(1_700_000_000_000L, clock.wallClockMillis());
        clock.advanceMillis(20);
        clock.advanceMicros(500);
        clock.advanceNanos(7);
        assertEquals(1_020_500_007L, clock.nowNanos());
        assertEquals(1_020, clock.nowMillis());
        assertEquals(1_700_000_000_020L, clock.wallClockMillis());
    }

    @Test
    void refusesToGoBack() {
        ManualClock clock = new ManualClock(0);
        assertThrows(IllegalArgumentException.class, () -> clock.advanceMillis(-1));
    }

    @Test
    void systemClockIsMonotonic() {
        long a = Clock.SYSTEM.nowNanos();
        long b = Clock.SYSTEM.nowNanos();
        assertTrue(b >= a);
        assertTrue(Clock.SYSTEM.wallClockMillis() > 1_600_000_000_000L);
    }
}
