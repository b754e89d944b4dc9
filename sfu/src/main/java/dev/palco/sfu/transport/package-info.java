/**
 * The SFU's side of each participant's network path: ICE (RFC 8445 full ICE, RFC 8839 SDP values,
 * RFC 7675 consent freshness, RFC 6544 ICE-TCP) on ice4j, DTLS-SRTP (RFC 5763, RFC 5764) on top of
 * it, and the RFC 7983 demux between them. Everything between a participant's UDP/TCP packets and
 * the packet pipelines.
 *
 * <h2>What it owns</h2>
 * <ul>
 *   <li>{@link dev.palco.sfu.transport.WebRtcTransport}: one participant's secured transport, the
 *       {@link dev.palco.sfu.transport.MediaTransport} the pipelines use. BUNDLE + rtcp-mux, so one
 *       transport carries all of a participant's media. The SFU answers with
 *       {@code a=setup:passive} and is always the DTLS server. Its life cycle is
 *       {@link dev.palco.sfu.transport.WebRtcTransportState}, reported through
 *       {@link dev.palco.sfu.transport.WebRtcTransportListener}; its drops are counted by
 *       {@link dev.palco.sfu.transport.DemuxDropReason} in {@link dev.palco.sfu.transport.DemuxCounters}.</li>
 *   <li>{@link dev.palco.sfu.transport.DtlsChannel}: Bouncy Castle's blocking datagram transport
 *       on top of the push-driven ICE receive path (a bounded queue of copied records), and the
 *       servicing of DTLS records after the handshake (a repeated final flight, close_notify).</li>
 *   <li>{@link dev.palco.sfu.transport.IceServer}: the shared sockets. One UDP port for every
 *       participant (ice4j {@code SinglePortUdpHarvester}, bound to the configured addresses,
 *       loopback included), passive ICE-TCP on one port, 1:1 NAT mappings advertised as
 *       server-reflexive candidates, and one timer thread.</li>
 *   <li>{@link dev.palco.sfu.transport.IceTransport}: one participant's ICE; one ice4j agent per ICE
 *       generation with one stream and one component, trickle, end-of-candidates,
 *       make-before-break ICE restart, connect timeout, and close that frees everything.</li>
 *   <li>{@link dev.palco.sfu.transport.ConsentFreshnessMonitor}: RFC 7675 checks on the selected pair,
 *       with authenticated responses and a per-transport timeout.</li>
 *   <li>{@link dev.palco.sfu.transport.PacketTransport}: the datagram interface the DTLS layer uses,
 *       implemented the same way by the client in {@code dev.palco.sfu.client}.</li>
 * </ul>
 * ICE and DTLS parameters cross the package boundary as plain values ({@link dev.palco.sfu.transport.IceCredentials},
 * {@link dev.palco.sfu.transport.CandidateDescription}, {@code DtlsFingerprint}), so the SDP layer never sees
 * ice4j or Bouncy Castle.
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
 *   <li><b>The receive thread only copies and hands off.</b> {@link dev.palco.sfu.transport.WebRtcTransport}
 *       classifies each datagram by its first byte (RFC 7983 §7, RFC 9443). RTP and RTCP go, still
 *       encrypted, to the {@link dev.palco.sfu.transport.MediaTransport.MediaReceiver} with their arrival
 *       time (only once secured; before that they are counted and dropped). DTLS records are copied
 *       into the {@link dev.palco.sfu.transport.DtlsChannel}'s bounded queue. Anything else is counted
 *       and dropped. Nothing there blocks or throws.</li>
 *   <li><b>DTLS handshake:</b> on the shared handshake executor the owner supplies, started when ICE
 *       connects. Bouncy Castle blocks that thread, polling the record queue with the timeouts it
 *       chooses; the handshake ends on success, failure, its overall timeout or close (which wakes
 *       the poll), and the thread returns to the pool. After the handshake each DTLS record
 *       schedules a task of about a millisecond on the same executor. No thread per participant.</li>
 *   <li><b>Media crypto</b> happens in the packet pipelines, on the media workers: they decrypt with
 *       {@code srtp().receiver()} what the media receiver handed them and encrypt with
 *       {@code srtp().sender()} before {@link dev.palco.sfu.transport.MediaTransport#send}.</li>
 *   <li><b>Callbacks</b> of {@link dev.palco.sfu.transport.TransportListener} arrive on ice4j or timer
 *       threads; those of {@link dev.palco.sfu.transport.WebRtcTransportListener} on those or on the
 *       handshake executor.</li>
 * </ul>
 *
 * <h2>Known limits of ice4j 3.2-15-g6da2b08 handled here</h2>
 * ice4j's own consent freshness is process-wide and never reports expiry (replaced by the monitor);
 * ice4j routes a source to an agent after any STUN request naming its ufrag, even an unauthenticated one
 * (data from such sources is dropped as {@link dev.palco.sfu.transport.TransportDropReason#UNAUTHORIZED_SOURCE};
 * a source is authorized once its check succeeded or it sent a Binding request that passed
 * MESSAGE-INTEGRITY, so that a peer's first DTLS flight is not lost);
 * ice4j calls Binding-request listeners in registration order and its own connectivity-check server,
 * registered first, sends the success response, so the listener that authorizes a request's source is
 * moved ahead of it ({@code Ice4jSetup.addRequestListenerAheadOfChecks}): a client that sends its
 * ClientHello as soon as its check is answered finds its address already authorized;
 * ice4j keeps a source routed to the first agent that learned it for as long as that agent lives, so a
 * client that comes back on the address of one that vanished (a reused port or NAT mapping) had its
 * checks answered 401 by the dead session until consent expired; the shared port's harvester
 * ({@code org.ice4j.ice.harvest.AddressHandoverUdpHarvester}) gives a check that names another session
 * to {@code AddressHandover}, which moves the address once the owner's peer is
 * silent and the check authenticates;
 * ice4j's TCP listener and host harvester skip loopback (the server binds what is configured).
 */
package dev.palco.sfu.transport;
