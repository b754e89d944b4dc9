package dev.palco.sfu.client;

import dev.palco.sfu.transport.CandidateDescription;
import dev.palco.sfu.transport.IceAgentSession;
import dev.palco.sfu.transport.IceCredentials;
import dev.palco.sfu.transport.IceRole;
import dev.palco.sfu.transport.IceTransport;
import dev.palco.sfu.transport.IceTransportState;
import dev.palco.sfu.transport.PacketReceiver;
import dev.palco.sfu.transport.PacketTransport;
import dev.palco.sfu.transport.SendResult;
import dev.palco.sfu.transport.TransportCounters;
import dev.palco.sfu.transport.TransportListener;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.ice.CandidateTcpType;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.TcpHostCandidate;
import org.ice4j.socket.IceTcpSocketWrapper;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.socket.MultiplexingDatagramSocket;
import org.ice4j.socket.MultiplexingSocket;
import org.ice4j.socket.StunDatagramPacketFilter;

/**
 * A controlling full-ICE agent for tests and the load generator, speaking to Palco's server the way a
 * browser does, with the same {@link PacketTransport} interface as the server side.
 *
 * <p><b>Candidates.</b> ice4j's host harvester skips loopback interfaces, so in {@link
 * IceClientOptions.Mode#UDP UDP} mode the client binds its own socket on the configured address, wraps it
 * in a {@link MultiplexingDatagramSocket} (STUN and data share it), and registers it by hand: as a
 * {@link HostCandidate} of the component, and (through its STUN-filtered view) with the agent's STUN
 * stack. A second single-port-harvester agent would not do: such agents never start checks towards each
 * other. In {@link IceClientOptions.Mode#TCP TCP} mode the client offers an active candidate
 * (RFC 6544 §4.5, port 9) and, when checks start, connects to each passive TCP candidate of the server;
 * ice4j has no active-TCP support, so the connection is registered by hand in the same way.
 *
 * <p><b>Threads.</b> One reader thread per ICE generation reads data from the client's socket; ice4j adds
 * one STUN reader per socket. Consent and timers run on one scheduler thread shared by all clients in the
 * JVM.
 *
 * <p><b>Flow.</b> Give it the server's credentials and candidates, call {@link #start()}. For an ICE
 * restart call {@link #restart()} (a new socket, like a browser), then set the server's new credentials
 * and {@link #start()} again; the old socket keeps receiving until the new pair is up.
 */
public final class IceClientAgent implements PacketTransport {
    private static final ScheduledExecutorService SCHEDULER = newScheduler();

    private final String name;
    private final IceClientOptions options;
    private final IceTransport transport;
    private final List<CandidateDescription> remoteTcpCandidates = new ArrayList<>();

    private IceClientAgent(String name, IceClientOptions options, TransportListener listener) throws IOException {
        this.name = name;
        this.options = options;
        this.transport = IceTransport.create(name, new Factory(), options.connectTimeoutMs(),
                options.restartTransitionMs(), SCHEDULER, listener, () -> { });
    }

    /**
     * Creates the agent and its first local candidate.
     *
     * @param name for logs and thread names
     * @param options mode, address, timers
     * @param listener state callbacks
     * @return the agent
     * @throws IOException if the socket cannot be bound
     */
    public static IceClientAgent create(String name, IceClientOptions options, TransportListener listener)
            throws IOException {
        return new IceClientAgent(name, options, listener);
    }

    private static ScheduledExecutorService newScheduler() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "palco-ice-client-timer");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        return s;
    }

    /** @return local credentials to give the server (the pending restart's, if any) */
    public IceCredentials localCredentials() {
        return transport.localCredentials();
    }

    /** @return local candidates to give the server */
    public List<CandidateDescription> localCandidates() {
        return transport.localCandidates();
    }

    /**
     * @param ufrag the server's ufrag
     * @param pwd the server's password
     */
    public void setRemoteCredentials(String ufrag, String pwd) {
        transport.setRemoteCredentials(ufrag, pwd);
    }

    /**
     * Adds a server candidate. In TCP mode only passive TCP candidates are kept (they are connected to
     * at {@link #start()}); in UDP mode only UDP ones.
     *
     * @param candidate the candidate
     * @return whether it will be used
     */
    public boolean addRemoteCandidate(CandidateDescription candidate) {
        boolean tcp = candidate.protocol() == CandidateDescription.Protocol.TCP;
        if (options.mode() == IceClientOptions.Mode.TCP) {
            if (!tcp || candidate.tcpType() != CandidateDescription.TcpType.PASSIVE) {
                return false;
            }
            synchronized (remoteTcpCandidates) {
                remoteTcpCandidates.add(candidate);
            }
            return true;
        }
        return !tcp && transport.addRemoteCandidate(candidate);
    }

    /** Starts connectivity checks (of the pending restart, if any). */
    public void start() {
        transport.startConnectivityChecks();
    }

    /**
     * Starts an ICE restart from a new socket with new credentials.
     *
     * @return the new local credentials to signal
     * @throws IOException if the socket cannot be bound
     */
    public IceCredentials restart() throws IOException {
        synchronized (remoteTcpCandidates) {
            remoteTcpCandidates.clear();
        }
        return transport.restart();
    }

    @Override
    public SendResult send(byte[] buf, int off, int len) {
        return transport.send(buf, off, len);
    }

    @Override
    public void setReceiver(PacketReceiver receiver) {
        transport.setReceiver(receiver);
    }

    @Override
    public IceTransportState state() {
        return transport.state();
    }

    @Override
    public TransportCounters counters() {
        return transport.counters();
    }

    /** @return the selected pair as text, or null */
    public String selectedPair() {
        return transport.selectedPair();
    }

    @Override
    public void close() {
        transport.close();
    }

    /** Builds each generation's session with hand-made candidates. */
    private final class Factory implements IceTransport.SessionFactory {
        @Override
        public IceAgentSession create(int generation, IceAgentSession.Events events, PacketReceiver sink,
                TransportCounters counters) throws IOException {
            IceAgentSession session = new IceAgentSession(name + "-g" + generation, IceRole.CONTROLLING, List.of(),
                    events, sink, counters, SCHEDULER, options.consentIntervalMs(), options.consentTimeoutMs());
            try {
                if (options.mode() == IceClientOptions.Mode.UDP) {
                    addUdpHostCandidate(session, generation);
                } else {
                    addActiveTcpPlaceholder(session);
                }
            } catch (IOException | RuntimeException e) {
                session.free();
                throw e;
            }
            return session;
        }

        @Override
        public void beforeChecks(IceAgentSession session) throws IOException {
            if (options.mode() != IceClientOptions.Mode.TCP) {
                return;
            }
            List<CandidateDescription> passive;
            synchronized (remoteTcpCandidates) {
                passive = new ArrayList<>(remoteTcpCandidates);
            }
            for (CandidateDescription remote : passive) {
                connectTcp(session, remote);
            }
        }
    }

    private void addUdpHostCandidate(IceAgentSession session, int generation) throws IOException {
        Component component = session.component();
        // A restart binds a new socket while the old one still receives (RFC 8445 §9).
        int port = generation == 0 ? options.localPort() : 0;
        DatagramSocket raw = new DatagramSocket(new InetSocketAddress(options.bindAddress(), port));
        MultiplexingDatagramSocket mux;
        try {
            mux = new MultiplexingDatagramSocket(raw);
        } catch (IOException e) {
            raw.close();
            throw e;
        }
        session.closeOnFree(mux);
        HostCandidate host = new HostCandidate(new IceUdpSocketWrapper(mux), component, Transport.UDP);
        component.addLocalCandidate(host);
        // The STUN stack reads the STUN-filtered view of the socket; data is read from the mux itself,
        // which only returns what no filter took.
        session.agent().getStunStack().addSocket(host.getStunSocket(null));
        session.startReader("palco-ice-client-" + name + "-g" + generation, mux::receive, true);
    }

    /** RFC 6544 §4.5: an active candidate is advertised with port 9; its real port is known after connect. */
    private void addActiveTcpPlaceholder(IceAgentSession session) {
        Component component = session.component();
        TcpHostCandidate placeholder = new TcpHostCandidate(
                new TransportAddress(options.bindAddress(), 9, Transport.TCP), component);
        placeholder.setTcpType(CandidateTcpType.ACTIVE);
        component.addLocalCandidate(placeholder);
    }

    private void connectTcp(IceAgentSession session, CandidateDescription remote) throws IOException {
        TransportAddress remoteAddress = new TransportAddress(remote.address(), remote.port(), Transport.TCP);
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(options.bindAddress(), 0));
            socket.connect(remoteAddress, (int) Math.min(Integer.MAX_VALUE, options.connectTimeoutMs()));
            socket.setTcpNoDelay(true);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        MultiplexingSocket mux = new MultiplexingSocket(socket);
        session.closeOnFree(mux);
        Component component = session.component();
        TcpHostCandidate local = new TcpHostCandidate(
                new TransportAddress(socket.getLocalAddress(), socket.getLocalPort(), Transport.TCP), component);
        local.setTcpType(CandidateTcpType.ACTIVE);
        // Data (RFC 4571 framed) is read through the candidate's socket, STUN through the filtered view.
        local.addSocket(new IceTcpSocketWrapper(mux));
        component.addLocalCandidate(local);
        session.agent().getStunStack().addSocket(
                new IceTcpSocketWrapper(mux.getSocket(new StunDatagramPacketFilter())), remoteAddress);
        session.addRemoteCandidate(remote);
    }
}
