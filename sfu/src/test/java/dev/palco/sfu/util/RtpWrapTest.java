package dev.palco.sfu.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RtpWrapTest {

    @ParameterizedTest(name = "seqDelta({0}, {1}) = {2}")
    @CsvSource({
            "5, 3, 2",
            "3, 5, -2",
            "0, 65535, 1",        // forward across the wrap
            "65535, 0, -1",       // backward across the wrap
            "5, 65530, 11",
            "32767, 0, 32767",    // largest forward distance
            "32768, 0, -32768",   // half way round counts as backward
    })
    void seqDelta(int a, int b, int expected) {
        assertEquals(expected, RtpWrap.seqDelta(a, b));
    }

    @Test
    void seqNewerAcrossWrap() {
        assertTrue(RtpWrap.isSeqNewer(2, 65534));
        assertFalse(RtpWrap.isSeqNewer(65534, 2));
        assertFalse(RtpWrap.isSeqNewer(7, 7));
    }

    @ParameterizedTest(name = "extendSeq({0}, {1}) = {2}")
    @CsvSource({
            "65535, 0, 65536",          // wraps forward into cycle 1
            "65536, 65535, 65535",      // late packet from cycle 0
            "131071, 3, 131075",        // cycle 1 -> cycle 2
            "5, 65530, -6",             // reordered before the first wrap: negative but consistent low bits
            "100, 100, 100",
    })
    void extendSeq(long reference, int seq, long expected) {
        assertEquals(expected, RtpWrap.extendSeq(reference, seq));
        assertEquals(seq, (int) (expected & RtpWrap.SEQ_MASK));
    }

    @ParameterizedTest(name = "tsDelta({0}, {1}) = {2}")
    @CsvSource({
            "100, 10, 90",
            "10, 4294967286, 20",        // forward across the 32-bit wrap
            "4294967286, 10, -20",
            "2147483647, 0, 2147483647",
    })
    void tsDelta(long a, long b, long expected) {
        assertEquals(expected, RtpWrap.tsDelta(a, b));
    }

    @Test
    void extendTsAcrossWrap() {
        assertEquals((1L << 32) + 5, RtpWrap.extendTs(0xFFFF_FFF0L, 5));
        assertEquals(0xFFFF_FFF0L, RtpWrap.extendTs((1L << 32) + 5, 0xFFFF_FFF0L));
    }
}
