/**
 * The generator's lean client transport: many simulated WebRTC clients on a small fixed pool of
 * NIO selector threads and one timer thread. Owns the shared receive loop ({@link
 * dev.palco.loadtest.generator.net.ClientNetwork}) and the client itself ({@link
 * dev.palco.loadtest.generator.net.LeanWebRtcClient}), which speaks real ICE (RFC 8445,
 * controlling; checks written and read with {@link dev.palco.rtp.stun.StunMessageWriter} and {@link
 * dev.palco.rtp.stun.StunMessage}), DTLS-SRTP (through {@link dev.palco.rtp.dtls.DtlsEndpoint}) and SRTP/SRTCP to the server.
 */
package dev.palco.loadtest.generator.net;
