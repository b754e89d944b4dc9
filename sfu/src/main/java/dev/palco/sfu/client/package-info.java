/**
 * Palco's own client-side ICE stack, used by the loopback tests and the load generator: a controlling
 * full-ICE agent ({@link dev.palco.sfu.client.IceClientAgent}) that connects to the SFU the way a
 * browser does and offers the same {@link dev.palco.sfu.transport.PacketTransport} interface as the
 * server, so the DTLS/SRTP layers above run unchanged on both ends.
 *
 * <p>It owns what ice4j does not do for a client on loopback: a UDP host candidate on a hand-bound
 * socket (ice4j's host harvester skips loopback interfaces) and the active side of ICE-TCP (RFC 6544;
 * ice4j only implements passive). Each ICE generation has one reader thread for its socket; consent
 * checks and timers of all clients share one scheduler thread.
 */
package dev.palco.sfu.client;
