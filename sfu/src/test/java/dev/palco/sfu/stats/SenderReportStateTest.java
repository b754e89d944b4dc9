package dev.palco.sfu.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SenderReportStateTest {

    private static final long RFC_SR_NTP = 0xB44D_B705_2000_0000L; // RFC 3550 §6.4.1's SR

    @Test
    void lsrAndDlsrOfOurReceiverReportFollowTheRfcExample() {
        SenderReportState state = new SenderReportState();
        ReportBlockFields block = new ReportBlockFields();
        state.fillLsrDlsr(1000, block);
        assertEquals(0, block.lastSr());          // no SR yet: both zero
        assertEquals(0, block.delaySinceLastSr());
        assertFalse(state.hasReceivedSenderReport());

        state.onSenderReportReceived(RFC_SR_NTP, 0xDEAD_BEEFL, 5_000);
        state.fillLsrDlsr(10_250, block);          // 5.250 s later
        assertEquals(0xB705_2000L, block.lastSr());
        assertEquals(0x0005_4000L, block.delaySinceLastSr());
        assertTrue(state.hasReceivedSenderReport());
        assertEquals(RFC_SR_NTP, state.lastReceivedNtp64());
        assertEquals(0xDEAD_BEEFL, state.lastReceivedRtpTimestamp());
    }

    @Test
    void rttFromAReportBlockUsesOurSendTime() {
        SenderReportState state = new SenderReportState();
        state.onSenderReportSent(RFC_SR_NTP, 1_000);
        long later = NtpTime.fromUnixMillis(1_700_000_000_000L);
        state.onSenderReportSent(later, 2_000);
        // The subscriber held our first SR for 100 ms (6554 units) and answered; it arrives at 1250 ms.
        assertEquals(150, state.rttMsFromReportBlock(0xB705_2000L, NtpTime.millisToMiddle32Units(100), 1_250));
        // An answer to the second SR.
        assertEquals(40, state.rttMsFromReportBlock(NtpTime.middle32(later), NtpTime.millisToMiddle32Units(10),
                2_050));
        // LSR 0, unknown LSR, or an impossible DLSR: no measurement.
        assertEquals(RttEstimator.NO_RTT, state.rttMsFromReportBlock(0, 0, 3_000));
        assertEquals(RttEstimator.NO_RTT, state.rttMsFromReportBlock(0x1234_5678L, 0, 3_000));
        assertEquals(RttEstimator.NO_RTT, state.rttMsFromReportBlock(0xB705_2000L,
                NtpTime.millisToMiddle32Units(500), 1_250));
    }

    @Test
    void remembersOnlyTheLastFewSrs() {
        SenderReportState state = new SenderReportState();
        for (int i = 0; i < SenderReportState.SENT_HISTORY + 1; i++) {
            state.onSenderReportSent(NtpTime.fromUnixMillis(1_000_000L * (i + 1)), i * 1000L);
        }
        long first = NtpTime.middle32(NtpTime.fromUnixMillis(1_000_000L));
        long second = NtpTime.middle32(NtpTime.fromUnixMillis(2_000_000L));
        assertEquals(RttEstimator.NO_RTT, state.rttMsFromReportBlock(first, 0, 20_000));
        assertEquals(19_000, state.rttMsFromReportBlock(second, 0, 20_000));
    }

    @Test
    void ntpConversions() {
        assertEquals(NtpTime.UNIX_EPOCH_OFFSET_SECONDS << 32, NtpTime.fromUnixMillis(0));
        assertEquals(0x8000_0000L, NtpTime.fromUnixMillis(500) & 0xFFFF_FFFFL); // half a second
        assertEquals(6554, NtpTime.millisToMiddle32Units(100));
        assertEquals(100, NtpTime.middle32UnitsToMillis(6554));
        assertEquals(5250, NtpTime.middle32UnitsToMillis(0x0005_4000L));
    }
}
