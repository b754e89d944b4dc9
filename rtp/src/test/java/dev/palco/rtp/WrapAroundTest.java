package dev.palco.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WrapAroundTest {

    @ParameterizedTest(name = "diff({0}, {1}) = {2}")
    @CsvSource({
        "0, 65535, 1",          // 65535 -> 0 is one step forward
        "65535, 0, -1",
        "5, 65530, 11",
        "65530, 5, -11",
        "100, 100, 0",
        "32767, 0, 32767",      // largest forward distance
        "32768, 0, -32768",     // exactly half: ambiguous, reported as -32768
        "0, 32768, -32768",
        "32769, 0, -32767",
    })
    void sequenceDiff(int a, int b, int expected) {
        assertEquals(expected, RtpSequence.diff(a, b));
        assertEquals(expected > 0, RtpSequence.isNewer(a, b));
    }

    @Test
    void sequenceIsNewerAtTheWrap() {
        assertTrue(RtpSequence.isNewer(0, 65535));
        assertFalse(RtpSequence.isNewer(65535, 0));
        assertFalse(RtpSequence.isNewer(7, 7));
        assertFalse(RtpSequence.isNewer(32768, 0), "half-way is ambiguous: neither is newer");
        assertFalse(RtpSequence.isNewer(0, 32768));
        assertTrue(RtpSequence.isNewer(65536 + 1, 0), "high bits ignored");
    }

    @Test
    void sequenceAdd() {
        assertEquals(0, RtpSequence.add(65535, 1));
        assertEquals(65535, RtpSequence.add(0, -1));
        assertEquals(4, RtpSequence.add(65530, 10));
        assertEquals(65530, RtpSequence.add(4, -10));
        assertEquals(1, RtpSequence.add(1, 65536 * 3));
    }

    @ParameterizedTest(name = "diff({0}, {1}) = {2}")
    @CsvSource({
        "0, 4294967295, 1",
        "4294967295, 0, -1",
        "90000, 4294930000, 127296",
        "2147483647, 0, 2147483647",
        "2147483648, 0, -2147483648",
    })
    void timestampDiff(long a, long b, int expected) {
        assertEquals(expected, RtpTimestamp.diff(a, b));
        assertEquals(expected > 0, RtpTimestamp.isNewer(a, b));
    }

    @Test
    void timestampAdd() {
        assertEquals(0L, RtpTimestamp.add(0xFFFFFFFFL, 1));
        assertEquals(0xFFFFFFFFL, RtpTimestamp.add(0, -1));
        assertEquals(2999L, RtpTimestamp.add(0xFFFFFFFFL - 1000, 4000));
    }

    @Test
    void sequenceUnwrapperCrossesWrapForward() {
        SequenceUnwrapper unwrapper = new SequenceUnwrapper();
        assertFalse(unwrapper.started());
        assertEquals(65534, unwrapper.unwrap(65534));
        assertEquals(65535, unwrapper.unwrap(65535));
        assertEquals(65536, unwrapper.unwrap(0));
        assertEquals(65537, unwrapper.unwrap(1));
        // A second full cycle.
        long ext = 65537;
        for (int i = 0; i < 70_000; i++) {
            ext++;
            assertEquals(ext, unwrapper.unwrap((int) (ext & 0xFFFF)));
        }
        assertEquals(ext, unwrapper.highest());
    }

    @Test
    void sequenceUnwrapperHandlesReorderingStraddlingTheWrap() {
        SequenceUnwrapper unwrapper = new SequenceUnwrapper();
        assertEquals(65533, unwrapper.unwrap(65533));
        assertEquals(65536, unwrapper.unwrap(0));       // arrives before 65534 and 65535
        assertEquals(65535, unwrapper.unwrap(65535));   // late, from before the wrap
        assertEquals(65537, unwrapper.unwrap(1));
        assertEquals(65534, unwrapper.unwrap(65534));   // later still
        assertEquals(65537, unwrapper.highest(), "late packets do not move the reference");
        assertEquals(65538, unwrapper.peek(2));
        assertEquals(65537, unwrapper.highest(), "peek changes nothing");
    }

    @Test
    void sequenceUnwrapperFirstValueIsBaseAndOlderPacketsGoBelowIt() {
        SequenceUnwrapper unwrapper = new SequenceUnwrapper();
        assertEquals(3, unwrapper.unwrap(3));
        assertEquals(-2, unwrapper.unwrap(65534), "a packet from before the first one");
        assertEquals(3, unwrapper.highest());
        unwrapper.reset();
        assertEquals(40000, unwrapper.unwrap(40000), "a new base after reset");
    }

    @Test
    void sequenceUnwrapperHugeJumps() {
        SequenceUnwrapper unwrapper = new SequenceUnwrapper();
        assertEquals(0, unwrapper.unwrap(0));
        assertEquals(32767, unwrapper.unwrap(32767), "largest jump still taken as forward");
        // Exactly half the space further is ambiguous and resolves backward.
        assertEquals(-1, unwrapper.unwrap(65535));
        assertEquals(32767, unwrapper.highest());
        // A jump of 40000 forward is indistinguishable from 25536 backward, and resolves to it.
        assertEquals(32767 - 25536, unwrapper.unwrap((32767 + 40000) & 0xFFFF));
        assertEquals(32767, unwrapper.highest());
        // A stream that really jumps keeps moving by steps below half the space and is followed.
        assertEquals(32767 + 30000, unwrapper.unwrap((32767 + 30000) & 0xFFFF));
        assertEquals(32767 + 60000, unwrapper.unwrap((32767 + 60000) & 0xFFFF));
    }

    @Test
    void timestampUnwrapperCrossesWrapWithReordering() {
        TimestampUnwrapper unwrapper = new TimestampUnwrapper();
        long nearWrap = 0xFFFFFFFFL - 2999;             // 3000 ticks before the wrap
        assertEquals(nearWrap, unwrapper.unwrap(nearWrap));
        assertEquals(0x1_0000_0000L + 3000, unwrapper.unwrap(3000));   // next frame, wrapped
        assertEquals(0xFFFFFFFFL, unwrapper.unwrap(0xFFFFFFFFL));    // reordered, before the wrap
        assertEquals(0x1_0000_0000L + 6000, unwrapper.unwrap(6000));
        assertEquals(0x1_0000_0000L + 6000, unwrapper.highest());
        // Many wraps at 90 kHz, one frame every 3000 ticks.
        long ext = unwrapper.highest();
        for (int i = 0; i < 5_000; i++) {
            ext += 3000 * 1000;
            assertEquals(ext, unwrapper.unwrap(ext & 0xFFFFFFFFL));
        }
        unwrapper.reset();
        assertFalse(unwrapper.started());
        assertEquals(0xFFFFFFFFL, unwrapper.peek(-1L), "the first value is masked to 32 bits");
    }
}
