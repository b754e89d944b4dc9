package dev.palco.sfu.transport;

/**
 * State callbacks of a transport. Called on ice4j or timer threads: return quickly, never block,
 * and do not call {@link PacketTransport#close()} from inside a callback without handing it to
 * another thread first if the owner's close does blocking work.
 */
public interface TransportListener {
    /**
     * ICE selected a pair; {@link PacketTransport#send} now works.
     *
     * @param selectedPair a short description of the selected pair, for logs
     */
    default void onConnected(String selectedPair) {
    }

    /**
     * An ICE restart connected and media moved to its pair (RFC 8445 §9).
     *
     * @param selectedPair the new pair, for logs
     */
    default void onRestarted(String selectedPair) {
    }

    /**
     * ICE failed: every check failed or the connect timeout elapsed. Terminal.
     *
     * @param reason why, for logs
     */
    default void onFailed(String reason) {
    }

    /** No authenticated consent response within the consent timeout (RFC 7675 §5.1). Terminal. */
    default void onConsentLost() {
    }

    /** The transport was closed by its owner and released its resources. */
    default void onClosed() {
    }
}
