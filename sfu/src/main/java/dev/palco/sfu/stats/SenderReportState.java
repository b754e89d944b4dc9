package dev.palco.sfu.stats;

/**
 * The sender report bookkeeping of one stream, on both sides of RFC 3550 §6.4.1's LSR/DLSR
 * exchange.
 *
 * <p><b>Toward a subscriber</b> (we send SRs, it answers with report blocks): each SR we send is
 * remembered as its NTP middle 32 bits and our monotonic send time. When a report block comes back
 * with that LSR, the RTT is the monotonic time since we sent it minus the DLSR the subscriber
 * held it, immune to jumps of our wall clock. A few SRs are remembered, since a report block may
 * answer one that is not the latest.
 *
 * <p><b>From a publisher</b> (it sends SRs, we send report blocks): the last SR received, as its
 * NTP timestamp, its RTP timestamp (the NTP↔RTP pair that maps the stream's media time to wall
 * time, RFC 3550 §6.4.1) and our arrival time, yields the LSR and DLSR of our next report block.
 *
 * <p>Thread-safe: methods are synchronized (SRs and report blocks are a few per second).
 */
public final class SenderReportState {

    /** SRs sent that are remembered for matching LSRs. */
    public static final int SENT_HISTORY = 8;

    private final long[] sentMiddle32 = new long[SENT_HISTORY];
    private final long[] sentAtMs = new long[SENT_HISTORY];
    private int sentCount;
    private int sentNext;

    private boolean haveReceived;
    private long receivedNtp64;
    private long receivedRtpTimestamp;
    private long receivedAtMs;
    private long receivedCount;

    /** Records an SR we sent: its 64-bit NTP timestamp and our monotonic time of sending. */
    public synchronized void onSenderReportSent(long ntp64, long nowMs) {
        sentMiddle32[sentNext] = NtpTime.middle32(ntp64);
        sentAtMs[sentNext] = nowMs;
        sentNext = (sentNext + 1) % SENT_HISTORY;
        if (sentCount < SENT_HISTORY) {
            sentCount++;
        }
    }

    /**
     * RTT from a report block answering one of our SRs.
     *
     * @param lsr   the block's LSR (middle 32 bits of our SR's NTP timestamp)
     * @param dlsr  the block's DLSR, in 1/65536 s
     * @param nowMs monotonic time of the block's arrival
     * @return the RTT in milliseconds, or {@link RttEstimator#NO_RTT} if LSR is 0, matches no
     *     remembered SR, or the result is negative
     */
    public synchronized long rttMsFromReportBlock(long lsr, long dlsr, long nowMs) {
        if (lsr == 0) {
            return RttEstimator.NO_RTT;
        }
        lsr &= 0xFFFF_FFFFL;
        for (int i = 0; i < sentCount; i++) {
            if (sentMiddle32[i] == lsr) {
                long rttMs = nowMs - sentAtMs[i] - NtpTime.middle32UnitsToMillis(dlsr & 0xFFFF_FFFFL);
                return rttMs < 0 ? RttEstimator.NO_RTT : rttMs;
            }
        }
        return RttEstimator.NO_RTT;
    }

    /** Records an SR received from the publisher: its NTP and RTP timestamps and our arrival time. */
    public synchronized void onSenderReportReceived(long ntp64, long rtpTimestamp, long nowMs) {
        haveReceived = true;
        receivedNtp64 = ntp64;
        receivedRtpTimestamp = rtpTimestamp & 0xFFFF_FFFFL;
        receivedAtMs = nowMs;
        receivedCount++;
    }

    /**
     * Fills LSR and DLSR of a report block about the publisher's stream: the middle 32 bits of its
     * last SR and the delay since it arrived in 1/65536 s, or both 0 when no SR arrived yet
     * (RFC 3550 §6.4.1).
     */
    public synchronized void fillLsrDlsr(long nowMs, ReportBlockFields out) {
        if (!haveReceived) {
            out.lastSr = 0;
            out.delaySinceLastSr = 0;
            return;
        }
        out.lastSr = NtpTime.middle32(receivedNtp64);
        long delayMs = Math.max(0L, nowMs - receivedAtMs);
        out.delaySinceLastSr = Math.min(0xFFFF_FFFFL, NtpTime.millisToMiddle32Units(delayMs));
    }

    /** Whether an SR was received from the publisher. */
    public synchronized boolean hasReceivedSenderReport() {
        return haveReceived;
    }

    /** NTP timestamp of the last SR received (valid if {@link #hasReceivedSenderReport()}). */
    public synchronized long lastReceivedNtp64() {
        return receivedNtp64;
    }

    /** RTP timestamp paired with {@link #lastReceivedNtp64()}. */
    public synchronized long lastReceivedRtpTimestamp() {
        return receivedRtpTimestamp;
    }

    /** The last SR received as one consistent snapshot, or null before the first. */
    public synchronized SenderReportInfo lastReceived() {
        return haveReceived ? new SenderReportInfo(receivedNtp64, receivedRtpTimestamp, receivedCount) : null;
    }

    /** SRs received. */
    public synchronized long senderReportsReceived() {
        return receivedCount;
    }
}
