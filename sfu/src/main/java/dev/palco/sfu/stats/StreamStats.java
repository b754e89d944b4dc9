package dev.palco.sfu.stats;

/**
 * A snapshot of one stream's statistics for the stats API. Built on request, not per packet.
 *
 * @param ssrc            the stream's SSRC
 * @param packets         packets received (incoming stream) or sent (outgoing stream)
 * @param bytes           bytes received or sent
 * @param packetsLost     cumulative packets lost (RFC 3550 A.3; as reported by the receiver for an outgoing stream)
 * @param jitterMs        interarrival jitter in milliseconds (RFC 3550 A.8)
 * @param rttMs           smoothed round-trip time in milliseconds, or -1 if unknown
 * @param nacksSent       sequence numbers requested in NACKs we sent
 * @param nacksReceived   sequence numbers requested in NACKs we received
 * @param plis            keyframe requests (PLI and FIR) sent or received
 * @param retransmissions packets retransmitted (RFC 4588) or received as retransmissions
 * @param retransmissionsSuppressedRecent NACKed packets not retransmitted because they were
 *                        retransmitted less than one RTT before (0 for an incoming stream)
 * @param retransmissionsRateLimited NACKed packets not retransmitted because the receiver's
 *                        retransmission budget was spent (0 for an incoming stream)
 */
public record StreamStats(
        long ssrc,
        long packets,
        long bytes,
        long packetsLost,
        double jitterMs,
        long rttMs,
        long nacksSent,
        long nacksReceived,
        long plis,
        long retransmissions,
        long retransmissionsSuppressedRecent,
        long retransmissionsRateLimited) {
}
