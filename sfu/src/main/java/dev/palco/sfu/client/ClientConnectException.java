package dev.palco.sfu.client;

/**
 * {@link WebRtcClient#connect} did not reach the secured state. The message says why in one
 * sentence; the cause, if any, is the DTLS layer's exception ({@code dev.palco.rtp.dtls}).
 */
public final class ClientConnectException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The stage that failed. */
    public enum Stage {
        /** ICE did not connect: checks failed or timed out. */
        ICE,
        /** The DTLS handshake failed: fingerprint mismatch, alert, timeout, no SRTP profile. */
        DTLS
    }

    private final Stage stage;

    /**
     * @param stage what failed
     * @param message why
     * @param cause the underlying exception, or null
     */
    public ClientConnectException(Stage stage, String message, Throwable cause) {
        super(stage + ": " + message, cause);
        this.stage = stage;
    }

    /** @return the stage that failed */
    public Stage stage() {
        return stage;
    }
}
