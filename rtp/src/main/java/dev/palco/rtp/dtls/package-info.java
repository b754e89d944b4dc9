/**
 * The DTLS-SRTP endpoint (RFC 5763, RFC 5764) on Bouncy Castle: our certificate and its SDP
 * fingerprint, the handshake in either role over a caller-supplied datagram transport, use_srtp
 * negotiation, peer fingerprint verification and the SRTP key export.
 *
 * <p>{@link dev.palco.rtp.dtls.DtlsCertificate} is the ECDSA P-256 self-signed certificate whose
 * {@link dev.palco.rtp.dtls.DtlsFingerprint} we signal; {@link dev.palco.rtp.dtls.DtlsEndpoint}
 * runs one handshake and hands back a keyed {@link dev.palco.rtp.srtp.SrtpSession}. Failures are
 * control plane and surface as the small {@link dev.palco.rtp.dtls.DtlsException} tree.
 *
 * <p>No threads, sockets or clocks of our own: the handshake blocks the caller's thread, the
 * caller supplies the {@link org.bouncycastle.tls.DatagramTransport} (the SFU adapts its ICE
 * socket), and Bouncy Castle keeps the retransmission and overall handshake timers.
 */
package dev.palco.rtp.dtls;
