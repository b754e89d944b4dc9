package dev.palco.rtp.dtls;

/**
 * Which side of the DTLS handshake we play. With SDP it follows the a=setup attribute (RFC 5763
 * §5, RFC 4145): "active" is the DTLS client, "passive" the server.
 */
public enum DtlsRole {
    /** Sends the ClientHello (a=setup:active). */
    CLIENT,
    /** Waits for the ClientHello and requests the client's certificate (a=setup:passive). */
    SERVER
}
