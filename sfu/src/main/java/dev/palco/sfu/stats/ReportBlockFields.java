package dev.palco.sfu.stats;

/**
 * The values of one RTCP reception report block (RFC 3550 §6.4.1), filled by
 * {@link ReceiveStatistics#fillReportBlock} and {@link SenderReportState#fillLsrDlsr}. Caller-owned
 * and reused, so building a receiver report allocates nothing; the RTCP encoder copies the values
 * out.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_1 (SSRC of first source)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |       cumulative number of packets lost       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      interarrival jitter                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         last SR (LSR)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   delay since last SR (DLSR)                  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 */
public final class ReportBlockFields {

    long ssrc;
    int fractionLost;
    int cumulativeLost;
    long extendedHighestSeq;
    long jitter;
    long lastSr;
    long delaySinceLastSr;

    /** SSRC_n: the source this block reports on. */
    public long ssrc() {
        return ssrc;
    }

    /** Fraction lost since the previous report, in 1/256 (8 bits). */
    public int fractionLost() {
        return fractionLost;
    }

    /** Cumulative packets lost, a signed 24-bit value (negative when duplicates outnumber losses). */
    public int cumulativeLost() {
        return cumulativeLost;
    }

    /** Extended highest sequence number received (cycles in the high 16 bits), 32 bits. */
    public long extendedHighestSeq() {
        return extendedHighestSeq;
    }

    /** Interarrival jitter in timestamp units, 32 bits. */
    public long jitter() {
        return jitter;
    }

    /** LSR: middle 32 bits of the last SR's NTP timestamp, or 0 if none was received. */
    public long lastSr() {
        return lastSr;
    }

    /** DLSR: delay since that SR in 1/65536 s, or 0 if none was received. */
    public long delaySinceLastSr() {
        return delaySinceLastSr;
    }
}
