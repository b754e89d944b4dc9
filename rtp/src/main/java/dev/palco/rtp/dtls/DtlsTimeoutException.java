package dev.palco.rtp.dtls;

/** The handshake did not complete within the configured overall timeout (silent or lost peer). */
public final class DtlsTimeoutException extends DtlsException {
    private static final long serialVersionUID = 1L;

    /** A timeout described for humans, with Bouncy Castle's exception as the cause. */
    public DtlsTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
