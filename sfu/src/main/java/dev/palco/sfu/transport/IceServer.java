package dev.palco.sfu.transport;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.CandidateHarvester;
import org.ice4j.ice.harvest.AddressHandoverUdpHarvester;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.ice4j.ice.harvest.StaticMappingCandidateHarvester;
import org.ice4j.ice.harvest.TcpHarvester;

/**
 * The server side of Palco's ICE: the shared sockets every participant's {@link IceTransport} uses.
 *
 * <ul>
 *   <li>One {@link AddressHandoverUdpHarvester} (ice4j's {@link SinglePortUdpHarvester}) per bind
 *       address, all on the one UDP port. Its constructor binds whatever address it is given,
 *       loopback included; only ice4j's interface discovery ({@code createHarvesters}, {@code
 *       HostCandidateHarvester}) skips loopback, so we construct it directly. It demultiplexes by
 *       source address, learning each new one from a STUN request that carries a local ufrag it
 *       knows; an address whose session's peer went silent passes to a new session that
 *       authenticates a check from it ({@link AddressHandover}).</li>
 *   <li>An optional {@link TcpHarvester} for passive ICE-TCP candidates (RFC 6544) on every bind
 *       address, for networks that block UDP.</li>
 *   <li>A {@link StaticMappingCandidateHarvester} per {@link NatMapping}: a server-reflexive candidate
 *       on the public address, related to the host candidate, as Jitsi Videobridge advertises a bridge
 *       behind 1:1 NAT. The TCP harvester gets the same mapping as an extra passive candidate.</li>
 *   <li>One timer thread shared by every transport (consent freshness, connect timeouts, the end of
 *       restart transitions).</li>
 * </ul>
 */
public final class IceServer implements AutoCloseable {
    private static final int BIND_ATTEMPTS = 5;

    private final IceConfig config;
    private final List<SinglePortUdpHarvester> udpHarvesters;
    private final TcpHarvester tcpHarvester;
    private final List<CandidateHarvester> allHarvesters;
    private final List<InetSocketAddress> udpAddresses;
    private final List<InetSocketAddress> tcpAddresses;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Set<IceTransport> transports = ConcurrentHashMap.newKeySet();
    private final AddressHandover handover;
    private volatile boolean closed;

    private IceServer(IceConfig config, AddressHandover handover, List<SinglePortUdpHarvester> udp,
            TcpHarvester tcp, List<InetSocketAddress> tcpAddresses) {
        this.config = config;
        this.handover = handover;
        this.udpHarvesters = udp;
        this.tcpHarvester = tcp;
        this.tcpAddresses = tcpAddresses;
        List<CandidateHarvester> all = new ArrayList<>(udp);
        List<InetSocketAddress> udpAddrs = new ArrayList<>();
        for (SinglePortUdpHarvester h : udp) {
            TransportAddress a = h.getLocalAddress();
            udpAddrs.add(new InetSocketAddress(a.getAddress(), a.getPort()));
        }
        if (tcp != null) {
            all.add(tcp);
        }
        for (NatMapping m : config.natMappings()) {
            for (InetSocketAddress local : udpAddrs) {
                if (local.getAddress().equals(m.localAddress())) {
                    all.add(new StaticMappingCandidateHarvester(
                            new TransportAddress(m.publicAddress(), local.getPort(), Transport.UDP),
                            new TransportAddress(m.localAddress(), local.getPort(), Transport.UDP),
                            "nat-" + m.localAddress().getHostAddress()));
                }
            }
        }
        this.allHarvesters = List.copyOf(all);
        this.udpAddresses = List.copyOf(udpAddrs);
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "palco-ice-timer");
            t.setDaemon(true);
            return t;
        };
        this.scheduler = new ScheduledThreadPoolExecutor(1, tf);
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /**
     * Binds the shared UDP port (and the ICE-TCP port) on every configured address.
     *
     * @param config the configuration
     * @return the running server
     * @throws IOException if a port cannot be bound
     */
    public static IceServer start(IceConfig config) throws IOException {
        Ice4jSetup.apply();
        // A peer that answers consent is heard from at least once per interval (±20 %, RFC 7675
        // §5.1); two intervals of silence tolerate one lost response before its address may go.
        AddressHandover handover = new AddressHandover(2 * config.consentIntervalMs());
        List<SinglePortUdpHarvester> udp = bindUdp(config, handover);
        TcpHarvester tcp = null;
        List<InetSocketAddress> tcpAddresses = List.of();
        try {
            if (config.tcpEnabled()) {
                int port = config.tcpPort();
                for (int attempt = 1; ; attempt++) {
                    int tryPort = port != 0 ? port : freeTcpPort(config.bindAddresses().get(0));
                    List<TransportAddress> addrs = new ArrayList<>();
                    for (InetAddress a : config.bindAddresses()) {
                        addrs.add(new TransportAddress(a, tryPort, Transport.TCP));
                    }
                    try {
                        tcp = new ConfiguredAddressTcpHarvester(addrs);
                        List<InetSocketAddress> bound = new ArrayList<>();
                        for (TransportAddress a : addrs) {
                            bound.add(new InetSocketAddress(a.getAddress(), a.getPort()));
                        }
                        tcpAddresses = List.copyOf(bound);
                        break;
                    } catch (BindException e) {
                        if (port != 0 || attempt == BIND_ATTEMPTS) {
                            throw e;
                        }
                    }
                }
                for (NatMapping m : config.natMappings()) {
                    tcp.addMappedAddress(m.publicAddress(), m.localAddress());
                }
            }
        } catch (IOException | RuntimeException e) {
            for (SinglePortUdpHarvester h : udp) {
                h.close();
            }
            throw e;
        }
        return new IceServer(config, handover, udp, tcp, tcpAddresses);
    }

    private static List<SinglePortUdpHarvester> bindUdp(IceConfig config, AddressHandover handover)
            throws IOException {
        // ice4j's SocketPool binds several sockets to the candidate's address (SO_REUSEADDR) to spread
        // sends; with port 0 each would get its own port, so an ephemeral port is chosen first.
        for (int attempt = 1; ; attempt++) {
            int port = config.udpPort() != 0 ? config.udpPort() : freeUdpPort(config.bindAddresses().get(0));
            List<SinglePortUdpHarvester> bound = new ArrayList<>();
            try {
                for (InetAddress a : config.bindAddresses()) {
                    bound.add(new AddressHandoverUdpHarvester(new TransportAddress(a, port, Transport.UDP), handover));
                }
                return bound;
            } catch (IOException e) {
                for (SinglePortUdpHarvester h : bound) {
                    h.close();
                }
                if (config.udpPort() != 0 || attempt == BIND_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static int freeUdpPort(InetAddress address) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(address, 0))) {
            return s.getLocalPort();
        }
    }

    private static int freeTcpPort(InetAddress address) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, address)) {
            return s.getLocalPort();
        }
    }

    /**
     * Creates the transport of one participant: an agent with its candidates on the shared ports.
     *
     * @param participantId for logs and thread names
     * @param listener state callbacks
     * @return the transport, in state {@link IceTransportState#NEW}
     * @throws IOException if ice4j cannot create the agent
     */
    public IceTransport createTransport(String participantId, TransportListener listener) throws IOException {
        if (closed) {
            throw new IllegalStateException("ICE server is closed");
        }
        IceTransport[] self = new IceTransport[1];
        IceTransport.SessionFactory factory = (generation, events, sink, counters) -> {
            IceAgentSession session = new IceAgentSession(participantId + "-g" + generation, config.role(),
                    allHarvesters, events, sink, counters, scheduler, config.consentIntervalMs(),
                    config.consentTimeoutMs());
            handover.register(session);
            return session;
        };
        IceTransport t = IceTransport.create(participantId, factory, config.connectTimeoutMs(),
                config.restartTransitionMs(), scheduler, listener, () -> transports.remove(self[0]));
        self[0] = t;
        transports.add(t);
        return t;
    }

    /** @return the bound UDP addresses (the shared port) */
    public List<InetSocketAddress> udpAddresses() {
        return udpAddresses;
    }

    /** @return the bound ICE-TCP addresses, empty if disabled */
    public List<InetSocketAddress> tcpAddresses() {
        return tcpAddresses;
    }

    /**
     * @return remote addresses handed from a session whose peer went silent to a new session that
     *     authenticated a check from them (see {@link AddressHandover})
     */
    public long addressHandovers() {
        return handover.handovers();
    }

    /**
     * @return Binding requests that named another session than the one their address belongs to,
     *     and were dropped: the owner still hears from its peer, the named session does not exist,
     *     or the request failed MESSAGE-INTEGRITY
     */
    public long foreignChecksDropped() {
        return handover.droppedOwnerAlive() + handover.droppedUnknownSession() + handover.droppedUnauthenticated();
    }

    /** @return the address hand-over policy and its counters (for tests) */
    AddressHandover handover() {
        return handover;
    }

    /** @return transports not yet closed */
    public int openTransports() {
        return transports.size();
    }

    /** @return the configuration */
    public IceConfig config() {
        return config;
    }

    /** Closes every transport, the shared sockets and the timer. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (IceTransport t : new ArrayList<>(transports)) {
            t.close();
        }
        for (SinglePortUdpHarvester h : udpHarvesters) {
            h.close();
        }
        if (tcpHarvester != null) {
            tcpHarvester.close();
        }
        scheduler.shutdownNow();
    }

    /** @return an unmodifiable view of the harvesters every agent uses (for tests) */
    List<CandidateHarvester> harvesters() {
        return Collections.unmodifiableList(allHarvesters);
    }
}
