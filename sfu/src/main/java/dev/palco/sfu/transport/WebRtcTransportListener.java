package dev.palco.sfu.transport;

import dev.palco.rtp.srtp.SrtpSession;

/**
 * Life-cycle callbacks of a {@link WebRtcTransport}. Each transport calls exactly one of {@link
 * #onFailed} and {@link #onClosed} (once), after at most one {@link #onSecured}.
 *
 * <p>Called on the handshake executor or on ice4j/timer threads: return quickly, never block.
 * Calling {@link WebRtcTransport#close()} from a callback is allowed.
 */
public interface WebRtcTransportListener {
    /**
     * ICE connected and the DTLS handshake completed: media can flow.
     *
     * @param srtp the session keyed by DTLS-SRTP (also {@link WebRtcTransport#srtp()})
     */
    default void onSecured(SrtpSession srtp) {
    }

    /**
     * The transport failed and released its resources: ICE failed or timed out, consent was lost
     * (RFC 7675), or the DTLS handshake failed (fingerprint mismatch, timeout, alert). Terminal.
     *
     * @param reason a sentence for logs and the signaling error reply
     */
    default void onFailed(String reason) {
    }

    /**
     * The transport was closed, by its owner ({@link WebRtcTransport#close()}) or by the peer's
     * close_notify ({@link WebRtcTransport#terminationReason()} says which). Terminal.
     */
    default void onClosed() {
    }
}
