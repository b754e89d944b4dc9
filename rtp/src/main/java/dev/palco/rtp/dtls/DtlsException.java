package dev.palco.rtp.dtls;

/**
 * A DTLS-SRTP handshake failed. Control plane: signaling maps the subclasses to clear replies.
 *
 * <pre>
 * DtlsException
 *  ├── FingerprintMismatchException   the peer's certificate is not the one signaled
 *  ├── DtlsTimeoutException           no complete handshake within the configured time
 *  └── SrtpNegotiationException       no use_srtp, or no protection profile in common
 * </pre>
 */
public class DtlsException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A failure with a message for humans and the underlying cause (may be null). */
    public DtlsException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure with a message for humans. */
    public DtlsException(String message) {
        super(message);
    }
}
