package dev.palco.rtp.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3711 Appendix A index estimation and the §3.3.2 replay window, wrap-arounds explicit. */
class SrtpStreamStateTest {

    /** A receive state whose highest authenticated index is {@code highest}. */
    private static SrtpStreamState receivedUpTo(long highest) {
        SrtpStreamState s = new SrtpStreamState();
        s.acceptReceived(highest);
        return s;
    }

    @ParameterizedTest(name = "ROC {0}, s_l {1}, SEQ {2} -> index {3}")
    @CsvSource({
        // ROC, s_l (highest SEQ), arriving SEQ, expected index = 2^16 * v + SEQ
        "0, 100,   101,   101", // next packet, same ROC
        "0, 100,   50,    50", // late packet, same ROC
        "0, 65535, 0,     65536", // the wrap: s_l >= 2^15 and s_l - 2^15 > SEQ, v = ROC + 1
        "0, 65535, 65534, 65534", // late packet just before the wrap
        "0, 40000, 7231,  72767", // 40000 - 32768 = 7232 > 7231: counted as after the wrap
        "0, 40000, 7232,  7232", // 7232 is not > 7232: same ROC
        "1, 0,     65535, 65535", // first packet of ROC 1 seen, then 65535 of ROC 0 arrives late
        "1, 10,    32779, 32779", // SEQ - s_l = 32769 > 2^15: v = ROC - 1 = 0
        "1, 10,    32778, 98314", // SEQ - s_l = 32768, not > 2^15: v = ROC = 1
        "5, 32768, 0,     327680", // s_l = 2^15 exactly: second branch, 0 is not < 0
        "0, 10,    40000, -1", // v = ROC - 1 = -1: before the first index
    })
    void appendixAEstimate(long roc, int sl, int seq, long expected) {
        long highest = (roc << 16) | sl;
        SrtpStreamState s = receivedUpTo(highest);
        assertEquals(expected, s.estimateRtpIndex(seq));
    }

    @Test
    void theFirstPacketIsTakenWithRocZero() {
        SrtpStreamState s = new SrtpStreamState();
        assertEquals(0xFFFF, s.estimateRtpIndex(0xFFFF));
        assertFalse(s.isReplayed(0xFFFF));
        s.acceptReceived(0xFFFF);
        assertEquals(0x10000, s.estimateRtpIndex(0));
    }

    @Test
    void windowSlidesAndRemembersSixtyFourIndexes() {
        SrtpStreamState s = receivedUpTo(65_530);
        assertTrue(s.isReplayed(65_530), "the highest itself");
        assertFalse(s.isReplayed(65_529), "inside the window, not seen");
        s.acceptReceived(65_529);
        assertTrue(s.isReplayed(65_529));
        // Across the wrap: 65536 (ROC 1, SEQ 0) moves the window by 6.
        assertFalse(s.isReplayed(65_536));
        s.acceptReceived(65_536);
        assertTrue(s.isReplayed(65_530));
        assertTrue(s.isReplayed(65_529));
        assertFalse(s.isReplayed(65_535));
        // 65536 - 63 is the far end of the window; 65536 - 64 is outside.
        assertFalse(s.isReplayed(65_536 - 63));
        assertTrue(s.isReplayed(65_536 - 64));
        // A jump past the whole window clears it.
        s.acceptReceived(65_536 + 200);
        assertFalse(s.isReplayed(65_536 + 199));
        assertTrue(s.isReplayed(65_536));
        assertTrue(s.isReplayed(-1), "an index before 0 is always too old");
    }

    @Test
    void senderKeepsTheRocOfARetransmissionAcrossTheWrap() {
        SrtpStreamState s = new SrtpStreamState();
        s.recordSent(s.estimateRtpIndex(65_535));
        long next = s.estimateRtpIndex(0);
        assertEquals(65_536, next);
        s.recordSent(next);
        // A NACK answer re-sends 65535: it keeps ROC 0; the highest stays where it was.
        assertEquals(65_535, s.estimateRtpIndex(65_535));
        s.recordSent(65_535);
        assertEquals(65_537, s.estimateRtpIndex(1));
    }

    @Test
    void srtcpIndexStartsAtZeroAndCountsEveryPacket() {
        SrtpStreamState s = new SrtpStreamState();
        assertEquals(0, s.takeSrtcpIndex());
        assertEquals(1, s.takeSrtcpIndex());
        for (int i = 2; i < 100; i++) {
            s.takeSrtcpIndex();
        }
        assertEquals(100, s.takeSrtcpIndex());
    }
}
