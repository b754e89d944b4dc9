/**
 * Palco's own client-side WebRTC stack, used by the loopback tests and the load generator. It
 * connects to the SFU the way a browser does, and runs the same DTLS layer as the server.
 *
 * <h2>What it owns</h2>
 * <ul>
 *   <li>{@link dev.palco.sfu.client.WebRtcClient}: a controlling ICE agent, a DTLS client
 *       ({@code a=setup:active}) and the SRTP session. {@code connect} blocks until secured or throws
 *       {@link dev.palco.sfu.client.ClientConnectException} naming the stage. {@code sendRtp} and
 *       {@code sendRtcp} protect in place (the caller leaves {@link
 *       dev.palco.sfu.client.WebRtcClient#MAX_SRTP_OVERHEAD_BYTES} of tailroom). The receiver gets
 *       decrypted packets. A {@link dev.palco.sfu.client.WebRtcClient.ReceiveFilter} can drop
 *       datagrams before decryption, to inject loss.</li>
 *   <li>{@link dev.palco.sfu.client.IceClientAgent}: the controlling full-ICE agent, with the same
 *       {@link dev.palco.sfu.transport.PacketTransport} interface as the server. It owns what ice4j does
 *       not do for a client on loopback: a UDP host candidate on a hand-bound socket (ice4j's host
 *       harvester skips loopback interfaces) and the active side of ICE-TCP (RFC 6544; ice4j only
 *       implements passive).</li>
 *   <li>{@link dev.palco.sfu.client.SrtpInbound}: a client's SRTP receive side: decrypts SRTP and
 *       SRTCP and hands them to the media receiver, and holds the media that arrives between the
 *       server's end of the DTLS handshake and the client's. Shared with the load generator's lean
 *       client.</li>
 *   <li>{@link dev.palco.sfu.client.ClientSdp}: the client's SDP offer (publishing or playing, as
 *       WHIP and WHEP tools send it) from its credentials, candidates and fingerprint, and the
 *       server's answer read back into what {@code connect} takes.</li>
 * </ul>
 *
 * <h2>Threading model</h2>
 * Each ICE generation has one reader thread for its socket. That thread classifies each datagram
 * (RFC 7983), decrypts SRTP/SRTCP in place and calls the media receiver, and copies DTLS records
 * into the {@link dev.palco.sfu.transport.DtlsChannel} queue. The DTLS handshake runs on the thread
 * that calls {@code connect}. Records after the handshake (close_notify) are serviced on a shared
 * pool whose idle threads end after a second. Consent checks and timers of all clients share one
 * scheduler thread. Sends may come from any thread.
 */
package dev.palco.sfu.client;
