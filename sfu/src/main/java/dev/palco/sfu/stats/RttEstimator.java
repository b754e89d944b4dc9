package dev.palco.sfu.stats;

/**
 * Round-trip time toward one peer, from the LSR and DLSR of the report blocks it sends back
 * (RFC 3550 §6.4.1):
 *
 * <pre>
 *       [10 Nov 1995 11:33:25.125 UTC]       [10 Nov 1995 11:33:36.5 UTC]
 *       n                 SR(n)              A=b710:8000 (46864.500 s)
 *  ----------------------------------------------------------------&gt;
 *                      v                 ^
 *  ntp_sec =0xb44db705 v               ^ dlsr=0x0005:4000 (    5.250s)
 *  ntp_frac=0x20000000  v             ^  lsr =0xb705:2000 (46853.125s)
 *    (3024992005.125 s)  v           ^
 *  r                      v         ^ RR(n)
 *  ----------------------------------------------------------------&gt;
 *                         |&lt;-DLSR-&gt;|
 *                          (5.250 s)
 *
 *  A     0xb710:8000 (46864.500 s)
 *  DLSR -0x0005:4000 (    5.250 s)
 *  LSR  -0xb705:2000 (46853.125 s)
 *  -------------------------------
 *  delay 0x0006:2000 (    6.125 s)
 * </pre>
 *
 * All three values are the middle 32 bits of NTP timestamps (unit 1/65536 s), so the subtraction
 * is modulo 2^32. A block with LSR = 0 carries no measurement (no SR was received yet). The
 * smoothed value is an exponentially weighted moving average with gain 1/8, as TCP's SRTT
 * (RFC 6298 §2), so one delayed report does not swing the NACK and keyframe timers.
 *
 * <p>Thread-safe for one writer and any number of readers (the values are volatile).
 */
public final class RttEstimator {

    /** Returned when a report block yields no valid measurement. */
    public static final long NO_RTT = -1;

    private volatile long latestRttMs = NO_RTT;
    private volatile long smoothedRttMs = NO_RTT;
    private volatile long samples;

    /**
     * RFC 3550 §6.4.1 round-trip time in 1/65536 s: {@code A - LSR - DLSR}, modulo 2^32.
     *
     * @param arrivalMiddle32 A: middle 32 bits of the NTP time when the report block arrived
     * @param lsr             the block's LSR
     * @param dlsr            the block's DLSR
     * @return the delay in 1/65536 s, or {@link #NO_RTT} if LSR is 0 or the result is negative
     *     (clocks out of step, or a corrupted block)
     */
    public static long rttMiddle32Units(long arrivalMiddle32, long lsr, long dlsr) {
        if (lsr == 0) {
            return NO_RTT;
        }
        long rtt = (arrivalMiddle32 - lsr - dlsr) & 0xFFFF_FFFFL;
        // A negative result wraps to a huge value: more than half the range is not a plausible delay.
        return rtt >= 0x8000_0000L ? NO_RTT : rtt;
    }

    /**
     * Computes the RTT of one report block and folds it into the estimate.
     *
     * @return the measured RTT in milliseconds, or {@link #NO_RTT}
     */
    public long onReportBlock(long arrivalMiddle32, long lsr, long dlsr) {
        long units = rttMiddle32Units(arrivalMiddle32, lsr, dlsr);
        if (units == NO_RTT) {
            return NO_RTT;
        }
        long rttMs = NtpTime.middle32UnitsToMillis(units);
        onRttSampleMs(rttMs);
        return rttMs;
    }

    /** Folds one RTT measurement in milliseconds into the estimate (negative values are ignored). */
    public void onRttSampleMs(long rttMs) {
        if (rttMs < 0) {
            return;
        }
        latestRttMs = rttMs;
        long smoothed = smoothedRttMs;
        smoothedRttMs = smoothed == NO_RTT ? rttMs : smoothed + (rttMs - smoothed) / 8;
        samples++;
    }

    /** The last measurement in milliseconds, or {@link #NO_RTT}. */
    public long latestRttMs() {
        return latestRttMs;
    }

    /** The smoothed RTT in milliseconds, or {@link #NO_RTT} before the first measurement. */
    public long smoothedRttMs() {
        return smoothedRttMs;
    }

    /** Measurements folded in. */
    public long samples() {
        return samples;
    }
}
