package dev.palco.sfu.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RttEstimatorTest {

    /** RFC 3550 §6.4.1's worked example. */
    @Test
    void rfc3550WorkedExample() {
        long a = 0xB710_8000L;    // A: arrival of the report block, 46864.500 s
        long lsr = 0xB705_2000L;  // LSR: middle 32 bits of the SR, 46853.125 s
        long dlsr = 0x0005_4000L; // DLSR: 5.250 s
        assertEquals(0x0006_2000L, RttEstimator.rttMiddle32Units(a, lsr, dlsr)); // 6.125 s
        RttEstimator rtt = new RttEstimator();
        assertEquals(6125, rtt.onReportBlock(a, lsr, dlsr));
        assertEquals(6125, rtt.smoothedRttMs());
    }

    @Test
    void theRfcExampleSrNtpTimestampGivesItsLsr() {
        // SR sent at 10 Nov 1995 11:33:25.125 UTC: ntp_sec 0xb44db705, ntp_frac 0x20000000.
        long unixMillis = (3_024_992_005L - NtpTime.UNIX_EPOCH_OFFSET_SECONDS) * 1000 + 125;
        long ntp64 = NtpTime.fromUnixMillis(unixMillis);
        assertEquals(0xB44D_B705_2000_0000L, ntp64);
        assertEquals(0xB705_2000L, NtpTime.middle32(ntp64));
    }

    @Test
    void subtractionWrapsModulo2To32() {
        // A just past the 16-bit seconds wrap, LSR just before it.
        long lsr = 0xFFFF_8000L;  // 65535.5 s
        long a = 0x0000_C000L;    // 0.75 s (next wrap)
        long dlsr = 0x0000_4000L; // 0.25 s
        assertEquals(0x0001_0000L, RttEstimator.rttMiddle32Units(a, lsr, dlsr)); // 65536.75 - 65535.5 - 0.25 = 1 s
    }

    @Test
    void noMeasurementWithoutAnSrOrWithANegativeResult() {
        RttEstimator rtt = new RttEstimator();
        assertEquals(RttEstimator.NO_RTT, rtt.onReportBlock(0x1000_0000L, 0, 0));
        assertEquals(RttEstimator.NO_RTT, rtt.onReportBlock(0x1000_0000L, 0x1000_0000L, 0x0001_0000L));
        assertEquals(RttEstimator.NO_RTT, rtt.smoothedRttMs());
        assertEquals(0, rtt.samples());
    }

    @Test
    void smoothsWithGainOneEighth() {
        RttEstimator rtt = new RttEstimator();
        rtt.onRttSampleMs(100);
        rtt.onRttSampleMs(200); // 100 + (200 - 100) / 8
        assertEquals(112, rtt.smoothedRttMs());
        assertEquals(200, rtt.latestRttMs());
        rtt.onRttSampleMs(-5);
        assertEquals(2, rtt.samples());
    }
}
