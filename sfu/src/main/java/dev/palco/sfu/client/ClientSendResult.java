package dev.palco.sfu.client;

/** Outcome of {@link WebRtcClient#sendRtp} and {@link WebRtcClient#sendRtcp}; never thrown. */
public enum ClientSendResult {
    /** Protected and handed to the socket. */
    SENT,
    /** Not connected and keyed yet. */
    NOT_SECURED,
    /** The client is closed, or the server closed the association. */
    CLOSED,
    /**
     * SRTP refused the packet (counted by status in {@link WebRtcClient.Counters}): most often no
     * tailroom for the tag, or not an RTP/RTCP packet.
     */
    PROTECT_FAILED,
    /** Protected, but ICE could not send it (no selected pair, or a socket error). */
    NOT_SENT
}
