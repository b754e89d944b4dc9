/**
 * Server-side ICE for the SFU (RFC 8445 full ICE, RFC 8839 SDP values, RFC 7675 consent freshness,
 * RFC 6544 ICE-TCP) on ice4j: everything between a participant's UDP/TCP packets and the DTLS layer.
 *
 * <h2>What it owns</h2>
 * <ul>
 *   <li>{@link dev.palco.sfu.transport.IceServer}: the shared sockets. One UDP port for every
 *       participant (ice4j {@code SinglePortUdpHarvester}, bound to the configured addresses,
 *       loopback included), passive ICE-TCP on one port, 1:1 NAT mappings advertised as
 *       server-reflexive candidates, and one timer thread.</li>
 *   <li>{@link dev.palco.sfu.transport.IceTransport}: one participant; one ice4j agent per ICE
 *       generation with one stream and one component (BUNDLE + rtcp-mux), trickle, end-of-candidates,
 *       make-before-break ICE restart, connect timeout, and close that frees everything.</li>
 *   <li>{@link dev.palco.sfu.transport.ConsentFreshnessMonitor}: RFC 7675 checks on the selected pair,
 *       with authenticated responses and a per-transport timeout.</li>
 *   <li>{@link dev.palco.sfu.transport.PacketTransport}: the interface the DTLS/SRTP layer uses,
 *       implemented the same way by the load-test client in {@code dev.palco.sfu.client}.</li>
 * </ul>
 * ICE parameters cross the package boundary as plain values ({@link dev.palco.sfu.transport.IceCredentials},
 * {@link dev.palco.sfu.transport.CandidateDescription}), so the SDP layer never sees ice4j.
 *
 * <h2>Threading model</h2>
 * <ul>
 *   <li><b>UDP receive:</b> ice4j's push API. The single-port harvester's one reader thread per bind
 *       address reads every participant's datagrams, demultiplexes them by source address, keeps STUN
 *       for ice4j and calls {@link dev.palco.sfu.transport.PacketReceiver#onPacket} for everything else,
 *       on that same thread. No thread per participant, packet or track. A receiver must therefore never
 *       block and must copy what it keeps, since the buffer returns to a pool when it returns.</li>
 *   <li><b>ICE-TCP receive:</b> ice4j cannot push from TCP connections, so a TCP transport has one
 *       reader thread, started when its TCP pair is selected.</li>
 *   <li><b>STUN:</b> ice4j runs one {@code Connector} thread per socket registered with an agent's STUN
 *       stack (one per remote address on the shared port) and shared executors for checks.</li>
 *   <li><b>Timers:</b> consent checks, connect timeouts and restart cut-overs run on the server's single
 *       timer thread.</li>
 *   <li><b>Send:</b> {@link dev.palco.sfu.transport.PacketTransport#send} is thread-safe and writes
 *       straight to the selected pair's socket from the caller's thread.</li>
 *   <li><b>DTLS on top:</b> the DTLS layer runs its blocking handshake on a thread it owns. Its
 *       {@code PacketReceiver} copies DTLS records (RFC 7983: first byte 20-63) into a queue that the
 *       handshake thread's {@code DatagramTransport.receive} polls with a timeout, and its
 *       {@code send} calls {@link dev.palco.sfu.transport.PacketTransport#send}. After the handshake,
 *       SRTP packets are processed directly on the receiving thread.</li>
 *   <li><b>Callbacks</b> of {@link dev.palco.sfu.transport.TransportListener} arrive on ice4j or timer
 *       threads.</li>
 * </ul>
 *
 * <h2>Known limits of ice4j 3.2-15-g6da2b08 handled here</h2>
 * ice4j's own consent freshness is process-wide and never reports expiry (replaced by the monitor);
 * ice4j routes a source to an agent after any STUN request naming its ufrag, even an unauthenticated one
 * (data from such sources is dropped as {@link dev.palco.sfu.transport.TransportDropReason#UNAUTHORIZED_SOURCE});
 * ice4j's TCP listener and host harvester skip loopback (the server binds what is configured).
 */
package dev.palco.sfu.transport;
