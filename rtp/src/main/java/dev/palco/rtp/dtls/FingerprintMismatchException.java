package dev.palco.rtp.dtls;

/**
 * The peer presented no certificate, or one whose fingerprint is not the one signaled in SDP
 * (RFC 8122 §5, RFC 5763 §5): the handshake is refused with a bad_certificate alert.
 */
public final class FingerprintMismatchException extends DtlsException {
    private static final long serialVersionUID = 1L;

    /** A mismatch described for humans. */
    public FingerprintMismatchException(String message) {
        super(message);
    }
}
