/**
 * The generator's lean client transport: many simulated WebRTC clients on a small fixed pool of
 * NIO selector threads and one timer thread. Owns the STUN codec for ICE connectivity checks ({@link
 * dev.palco.loadtest.generator.net.StunMessage}, {@link
 * dev.palco.loadtest.generator.net.StunMessageWriter}), the shared receive loop ({@link
 * dev.palco.loadtest.generator.net.ClientNetwork}) and the client itself ({@link
 * dev.palco.loadtest.generator.net.LeanWebRtcClient}), which speaks real ICE (RFC 8445, controlling),
 * DTLS-SRTP (through {@link dev.palco.rtp.dtls.DtlsEndpoint}) and SRTP/SRTCP to the server.
 */
package dev.palco.loadtest.generator.net;
