package dev.palco.rtp.dtls;

/**
 * The peer did not negotiate use_srtp (RFC 5764 §4.1.1), or offered or selected no protection
 * profile we support.
 */
public final class SrtpNegotiationException extends DtlsException {
    private static final long serialVersionUID = 1L;

    /** A negotiation failure described for humans. */
    public SrtpNegotiationException(String message) {
        super(message);
    }
}
