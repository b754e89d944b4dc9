package dev.palco.sfu.stats;

/**
 * Reception statistics of one incoming RTP stream, as RFC 3550 defines them for report blocks:
 * sequence number validation and the extended highest sequence number (Appendix A.1), the number
 * of packets expected and lost, cumulatively and since the last report (Appendix A.3), and the
 * interarrival jitter (Appendix A.8). Also counts packets and bytes.
 *
 * <p>Appendix A.1 keeps a new source on probation until {@code minSequential} packets arrived in
 * sequence. That guards against spoofed or garbled SSRCs; SRTP already authenticates ours, so the
 * default is 1 (the first packet makes the source valid).
 *
 * <p>Jitter (A.8) is the smoothed absolute difference of relative transit times,
 * {@code J += (|D| - J) / 16}, kept scaled by 16 in an integer as the appendix's integer variant
 * does. Retransmitted packets count as received but are left out of the jitter: their arrival time
 * reflects the repair, not the network's timing.
 *
 * <p>Not thread-safe: confine to the stream's receive thread (which also builds its reports).
 */
public final class ReceiveStatistics {

    /** RFC 3550 A.1: a forward jump larger than this is not trusted until confirmed. */
    public static final int MAX_DROPOUT = 3000;
    /** RFC 3550 A.1: a backward jump up to this is reordering; beyond, a restart is suspected. */
    public static final int MAX_MISORDER = 100;

    private static final int RTP_SEQ_MOD = 1 << 16;

    private final long ssrc;
    private final long clockRateHz;
    private final int minSequential;

    // RFC 3550 A.1 "source" fields.
    private int maxSeq;
    private long cycles;
    private long baseSeq;
    private int badSeq;
    private int probation;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    // RFC 3550 A.8: last relative transit time, and jitter scaled by 16.
    private long transit;
    private boolean haveTransit;
    private long jitterScaled;

    private boolean started;
    private boolean valid;
    private long firstArrivalUs;
    private long packets;
    private long bytes;

    /**
     * @param ssrc          SSRC of the stream, copied into report blocks
     * @param clockRateHz   RTP clock rate, to express arrival times in timestamp units
     * @param minSequential packets in sequence before the source is valid (RFC 3550 A.1's MIN_SEQUENTIAL)
     */
    public ReceiveStatistics(long ssrc, int clockRateHz, int minSequential) {
        if (clockRateHz <= 0 || minSequential < 1) {
            throw new IllegalArgumentException("clockRateHz=" + clockRateHz + " minSequential=" + minSequential);
        }
        this.ssrc = ssrc & 0xFFFF_FFFFL;
        this.clockRateHz = clockRateHz;
        this.minSequential = minSequential;
    }

    /** Statistics whose source is valid from its first packet. */
    public ReceiveStatistics(long ssrc, int clockRateHz) {
        this(ssrc, clockRateHz, 1);
    }

    /**
     * Accounts for one received packet.
     *
     * @param seq           RTP sequence number
     * @param rtpTimestamp  RTP timestamp
     * @param sizeBytes     packet size, for the byte counter
     * @param arrivalUs     monotonic arrival time in microseconds
     * @param retransmitted whether the packet was recovered by retransmission (excluded from jitter)
     * @return whether RFC 3550 A.1 considers the packet valid (counted as received)
     */
    public boolean onPacket(int seq, long rtpTimestamp, int sizeBytes, long arrivalUs, boolean retransmitted) {
        seq &= 0xFFFF;
        packets++;
        bytes += sizeBytes;
        if (!started) {
            started = true;
            firstArrivalUs = arrivalUs;
            // RFC 3550 A.1: on the first packet, init_seq(s, seq); s->max_seq = seq - 1; s->probation = MIN_SEQUENTIAL.
            initSeq(seq);
            maxSeq = (seq - 1) & 0xFFFF;
            probation = minSequential;
        }
        boolean ok = updateSeq(seq);
        if (ok) {
            valid = true;
            if (!retransmitted) {
                updateJitter(rtpTimestamp, arrivalUs);
            }
        }
        return ok;
    }

    /** RFC 3550 A.1 init_seq(). */
    private void initSeq(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = RTP_SEQ_MOD + 1; // so seq == bad_seq is false
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
    }

    /** RFC 3550 A.1 update_seq(). */
    private boolean updateSeq(int seq) {
        int udelta = (seq - maxSeq) & 0xFFFF;
        // Source is not valid until minSequential packets with sequential sequence numbers arrived.
        if (probation > 0) {
            if (seq == ((maxSeq + 1) & 0xFFFF)) {
                probation--;
                maxSeq = seq;
                if (probation == 0) {
                    initSeq(seq);
                    received++;
                    return true;
                }
            } else {
                probation = minSequential - 1;
                maxSeq = seq;
            }
            return false;
        } else if (udelta < MAX_DROPOUT) {
            // In order, with permissible gap.
            if (seq < maxSeq) {
                // Sequence number wrapped: count another 64K cycle.
                cycles += RTP_SEQ_MOD;
            }
            maxSeq = seq;
        } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
            // The sequence number made a very large jump.
            if (seq == badSeq) {
                // Two sequential packets: assume the other side restarted without telling us,
                // so just re-sync (i.e., pretend this was the first packet).
                initSeq(seq);
                // Jitter restarts too: the old transit times belong to the old numbering.
                haveTransit = false;
            } else {
                badSeq = (seq + 1) & (RTP_SEQ_MOD - 1);
                return false;
            }
        }
        // Otherwise a duplicate or reordered packet.
        received++;
        return true;
    }

    /** RFC 3550 A.8, integer variant. */
    private void updateJitter(long rtpTimestamp, long arrivalUs) {
        // Arrival time in timestamp units, relative to the first packet so the product cannot overflow.
        long arrival = (arrivalUs - firstArrivalUs) * clockRateHz / 1_000_000L;
        long transitNow = (arrival - rtpTimestamp) & 0xFFFF_FFFFL;
        if (haveTransit) {
            long d = (int) (transitNow - transit); // 32-bit wrap-aware difference
            if (d < 0) {
                d = -d;
            }
            jitterScaled += d - ((jitterScaled + 8) >> 4);
        }
        transit = transitNow;
        haveTransit = true;
    }

    /**
     * Fills the block's SSRC, fraction lost, cumulative lost, extended highest sequence number and
     * jitter (RFC 3550 A.3), and starts a new reporting interval for the fraction lost. LSR/DLSR
     * come from {@link SenderReportState#fillLsrDlsr}.
     */
    public void fillReportBlock(ReportBlockFields out) {
        long extendedMax = extendedHighestSeq();
        long expected = valid ? extendedMax - baseSeq + 1 : 0;
        long lost = expected - received;
        // RFC 3550 A.3: clamp to the 24-bit signed field.
        if (lost > 0x7FFFFF) {
            lost = 0x7FFFFF;
        } else if (lost < -0x800000) {
            lost = -0x800000;
        }
        long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = 0;
        if (expectedInterval != 0 && lostInterval > 0) {
            fraction = (int) ((lostInterval << 8) / expectedInterval);
        }
        out.ssrc = ssrc;
        out.fractionLost = fraction;
        out.cumulativeLost = (int) lost;
        out.extendedHighestSeq = extendedMax & 0xFFFF_FFFFL;
        out.jitter = jitterTimestampUnits();
    }

    /** Extended highest sequence number received (RFC 3550 A.1: cycles + max_seq). */
    public long extendedHighestSeq() {
        return cycles + maxSeq;
    }

    /** Packets expected so far (RFC 3550 A.3), 0 before the source is valid. */
    public long expected() {
        return valid ? extendedHighestSeq() - baseSeq + 1 : 0;
    }

    /** Packets counted as received by RFC 3550 A.1 (valid packets, duplicates included). */
    public long received() {
        return received;
    }

    /** Cumulative packets lost (RFC 3550 A.3), not clamped; negative if duplicates outnumber losses. */
    public long cumulativeLost() {
        return expected() - received;
    }

    /** Interarrival jitter in timestamp units (RFC 3550 A.8). */
    public long jitterTimestampUnits() {
        return jitterScaled >> 4;
    }

    /** Interarrival jitter in milliseconds. */
    public double jitterMs() {
        return (jitterScaled / 16.0) * 1000.0 / clockRateHz;
    }

    /** All packets seen, valid or not. */
    public long packets() {
        return packets;
    }

    /** Bytes of all packets seen. */
    public long bytes() {
        return bytes;
    }

    /** SSRC of the stream. */
    public long ssrc() {
        return ssrc;
    }
}
