package dev.palco.sfu.transport;

/** Life cycle of a {@link WebRtcTransport}. */
public enum WebRtcTransportState {
    /** Created; waiting for the remote ICE parameters and DTLS fingerprint. */
    NEW,
    /** ICE connectivity checks running. */
    CONNECTING,
    /** ICE connected; the DTLS handshake runs on the handshake executor. */
    HANDSHAKING,
    /** DTLS done, SRTP keyed: media flows. */
    SECURED,
    /** ICE failed, consent was lost, or the DTLS handshake failed. Terminal. */
    FAILED,
    /** Closed by its owner or by the peer (close_notify). Terminal. */
    CLOSED
}
