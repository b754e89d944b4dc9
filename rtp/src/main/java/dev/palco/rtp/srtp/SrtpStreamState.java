package dev.palco.rtp.srtp;

/**
 * The per-SSRC state of one AES-CM stream in one direction: the highest packet index seen (which
 * carries the rollover counter), the 64-packet replay window, and for SRTCP the next index to send.
 *
 * <p>The SRTP packet index is 48 bits, {@code i = 2^16 * ROC + SEQ} (RFC 3711 §3.3.1). A receiver
 * never sees the ROC; it estimates the index of each packet from the highest index so far with the
 * algorithm of RFC 3711 Appendix A, and only an authenticated packet may move that state (§3.3.1:
 * "update ROC and s_l ... only after authentication"). A sender runs the same estimate, so that a
 * retransmitted older packet (a NACK answer without RTX) gets the index it had the first time.
 *
 * <p>Replay protection (RFC 3711 §3.3.2) is a sliding bitmask over the 64 indexes up to the highest
 * one, as in libsrtp and jitsi-srtp: bit {@code k} set means index {@code highest - k} was received.
 * Indexes further back are refused as too old. SRTCP uses the same window on its 31-bit index.
 *
 * <p>Plain fields, no allocation; one thread at a time, like its owner.
 */
final class SrtpStreamState {
    /** RFC 3711 §3.3.2 leaves the size open above 64; 64 is what libsrtp and jitsi-srtp use. */
    static final int REPLAY_WINDOW_SIZE = 64;
    private static final int SEQ_HALF_RANGE = 1 << 15;
    private static final int SRTCP_INDEX_MASK = 0x7FFF_FFFF;

    /** Highest authenticated (receive) or sent (send) index; -1 before the first packet. */
    private long highestIndex = -1;
    private long replayWindow;
    private int nextSrtcpIndex;

    /**
     * RFC 3711 Appendix A: the packet index for sequence number {@code seq}, or -1 if the estimate
     * falls before index 0 (a packet "from before" the first one, with ROC - 1 = -1).
     *
     * <pre>
     *   if (s_l &lt; 2^15)
     *       if (SEQ - s_l &gt; 2^15)  v = ROC - 1  else  v = ROC
     *   else
     *       if (s_l - 2^15 &gt; SEQ)  v = ROC + 1  else  v = ROC
     *   i = 2^16 * v + SEQ
     * </pre>
     *
     * Before the first packet, ROC = 0 and the packet is taken as it comes (s_l = SEQ, §3.3.1).
     */
    long estimateRtpIndex(int seq) {
        long highest = highestIndex;
        if (highest < 0) {
            return seq;
        }
        long roc = highest >>> 16;
        int sl = (int) (highest & 0xFFFF);
        long v;
        if (sl < SEQ_HALF_RANGE) {
            v = seq - sl > SEQ_HALF_RANGE ? roc - 1 : roc;
        } else {
            v = sl - SEQ_HALF_RANGE > seq ? roc + 1 : roc;
        }
        return v < 0 ? -1 : (v << 16) | seq;
    }

    /**
     * Send side: {@link #estimateRtpIndex}, except that a resend of something "before" the first
     * packet sent, for which there is no earlier ROC, keeps ROC 0.
     */
    long estimateSendIndex(int seq) {
        long index = estimateRtpIndex(seq);
        return index < 0 ? seq : index;
    }

    /**
     * RFC 3711 §3.3.2: true if {@code index} was received already or lies at or beyond the far
     * end of the window. Negative indexes (see {@link #estimateRtpIndex}) are too old by
     * definition.
     */
    boolean isReplayed(long index) {
        if (index < 0) {
            return true;
        }
        long highest = highestIndex;
        if (highest < 0 || index > highest) {
            return false;
        }
        long behind = highest - index;
        return behind >= REPLAY_WINDOW_SIZE || (replayWindow & (1L << behind)) != 0;
    }

    /**
     * Records an authenticated index that {@link #isReplayed} accepted: slides the window forward
     * for a newer index, marks an older one inside it.
     */
    void acceptReceived(long index) {
        long highest = highestIndex;
        if (highest < 0) {
            highestIndex = index;
            replayWindow = 1L;
        } else if (index > highest) {
            long ahead = index - highest;
            replayWindow = ahead >= REPLAY_WINDOW_SIZE ? 1L : (replayWindow << ahead) | 1L;
            highestIndex = index;
        } else {
            replayWindow |= 1L << (highest - index);
        }
    }

    /** Send side: an index was used; only the highest matters for the next estimate. */
    void recordSent(long index) {
        if (index > highestIndex) {
            highestIndex = index;
        }
    }

    /** Send side: the next SRTCP index (RFC 3711 §3.4: starts at 0, one per packet, 31 bits). */
    int takeSrtcpIndex() {
        int index = nextSrtcpIndex;
        nextSrtcpIndex = (index + 1) & SRTCP_INDEX_MASK;
        return index;
    }
}
