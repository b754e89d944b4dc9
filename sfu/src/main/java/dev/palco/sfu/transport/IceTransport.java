package dev.palco.sfu.transport;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.ice4j.ice.CandidatePair;

/**
 * The server-side ICE transport of one participant: full ICE on the shared UDP port (plus passive
 * ICE-TCP), one stream and one component (BUNDLE + rtcp-mux), consent freshness, and ICE restart.
 *
 * <p><b>Signaling flow.</b> Put {@link #localCredentials()} and {@link #localCandidates()} in the SDP;
 * pass the peer's {@code ice-ufrag}/{@code ice-pwd} to {@link #setRemoteCredentials}, each trickled
 * candidate to {@link #addRemoteCandidate} (none are needed: a browser's checks reveal its address as a
 * peer-reflexive candidate) and call {@link #startConnectivityChecks()}.
 *
 * <p><b>ICE restart</b> (RFC 8445 §9, RFC 8839 §4.4): {@link #restart()} creates a second agent with new
 * local credentials and returns them for the new offer/answer; the remote-side calls above then apply to
 * it. Media keeps flowing on the old selected pair until the new agent connects (make-before-break); then
 * sending moves to the new pair, {@link TransportListener#onRestarted} fires, and the old agent keeps
 * answering late checks for {@link IceConfig#restartTransitionMs()} before it is freed. If the new agent
 * fails or times out, the restart is abandoned and the old pair stays in use. Like every agent on
 * ice4j's single-port harvester, the new agent is reached only from a source address the old one has
 * not seen: ice4j demultiplexes by source address before it looks at the ufrag. Browsers allocate new
 * sockets for a restart, so this holds for them.
 *
 * <p><b>Threading.</b> Received UDP datagrams are pushed on the shared harvester thread; ICE-TCP ones on
 * this transport's reader thread (see {@link PacketReceiver}). Listener callbacks run on ice4j or timer
 * threads. {@link #send} may be called from any thread. Everything else is for the signaling thread.
 */
public final class IceTransport implements PacketTransport {
    private static final Logger LOG = Logger.getLogger(IceTransport.class.getName());

    /**
     * Creates the agent session of each ICE generation. The server's factory puts the session's
     * candidates on the shared harvesters; the load-test client's adds hand-made ones.
     */
    public interface SessionFactory {
        /**
         * @param generation 0 for the first session, then one more per restart
         * @param events the transport's callbacks, to pass to the session
         * @param sink the transport's packet dispatcher, to pass to the session
         * @param counters the transport's counters, to pass to the session
         * @return a new session with its local candidates gathered
         * @throws IOException if sockets cannot be created
         */
        IceAgentSession create(int generation, IceAgentSession.Events events, PacketReceiver sink,
                TransportCounters counters) throws IOException;

        /**
         * Called right before a session starts its checks, with remote candidates known (the client
         * opens its active ICE-TCP connections here).
         *
         * @param session the session
         * @throws IOException if that preparation fails
         */
        default void beforeChecks(IceAgentSession session) throws IOException {
        }
    }

    private final String id;
    private final SessionFactory factory;
    private final long connectTimeoutMs;
    private final long restartTransitionMs;
    private final ScheduledExecutorService scheduler;
    private final TransportListener listener;
    private final Runnable onClose;
    private final TransportCounters counters = new TransportCounters();
    private final IceAgentSession.Events sessionEvents = new SessionEvents();
    private final PacketReceiver dispatcher = this::dispatch;
    private final Object lock = new Object();

    private volatile PacketReceiver receiver;
    private volatile IceTransportState state = IceTransportState.NEW;
    /** The session media goes to. */
    private volatile IceAgentSession current;
    /** A restart's session, running checks next to {@link #current}; null when no restart is pending. */
    private IceAgentSession pending;
    private int generation;

    private IceTransport(String id, SessionFactory factory, long connectTimeoutMs, long restartTransitionMs,
            ScheduledExecutorService scheduler, TransportListener listener, Runnable onClose) throws IOException {
        this.id = id;
        this.factory = factory;
        this.connectTimeoutMs = connectTimeoutMs;
        this.restartTransitionMs = restartTransitionMs;
        this.scheduler = scheduler;
        this.listener = listener;
        this.onClose = onClose;
        this.current = factory.create(0, sessionEvents, dispatcher, counters);
    }

    /**
     * Creates a transport whose sessions come from {@code factory}. {@link IceServer#createTransport}
     * is the way in for the server; the load-test client uses this directly.
     *
     * @param id name for logs and threads
     * @param factory creates the session of each generation
     * @param connectTimeoutMs fail (or abandon a restart) if not connected this long after checks start
     * @param restartTransitionMs how long a replaced session keeps answering checks
     * @param scheduler shared timer
     * @param listener state callbacks
     * @param onClose run once after close, e.g. to unregister from an owner
     * @return the transport, with its first session created
     * @throws IOException if the first session cannot be created
     */
    public static IceTransport create(String id, SessionFactory factory, long connectTimeoutMs,
            long restartTransitionMs, ScheduledExecutorService scheduler, TransportListener listener,
            Runnable onClose) throws IOException {
        return new IceTransport(id, factory, connectTimeoutMs, restartTransitionMs, scheduler, listener, onClose);
    }

    /** @return the session media goes to now (tests look at its agent) */
    IceAgentSession currentSession() {
        return current;
    }

    /** @return the participant id this transport was created for */
    public String id() {
        return id;
    }

    /** @return the credentials to advertise: the pending restart's if one is in flight */
    public IceCredentials localCredentials() {
        synchronized (lock) {
            return target().localCredentials();
        }
    }

    /** @return the candidates to advertise (the pending restart's if one is in flight) */
    public List<CandidateDescription> localCandidates() {
        synchronized (lock) {
            return target().localCandidates();
        }
    }

    /**
     * @param ufrag the peer's {@code a=ice-ufrag}
     * @param pwd the peer's {@code a=ice-pwd}
     */
    public void setRemoteCredentials(String ufrag, String pwd) {
        synchronized (lock) {
            ensureOpen();
            target().setRemoteCredentials(ufrag, pwd);
        }
    }

    /**
     * Adds a remote candidate (trickle ICE, RFC 8838). Unusable candidates (FQDN or mDNS addresses,
     * unreachable address families) are ignored.
     *
     * @param candidate the candidate
     * @return whether it was added
     */
    public boolean addRemoteCandidate(CandidateDescription candidate) {
        synchronized (lock) {
            ensureOpen();
            return target().addRemoteCandidate(candidate);
        }
    }

    /**
     * The peer signalled end-of-candidates (RFC 8838 §4.4). A server agent learns the peer's address
     * from its checks anyway, so this only starts checks if the owner has not yet.
     */
    public void endOfRemoteCandidates() {
        startConnectivityChecks();
    }

    /**
     * Starts checks (once per generation) and the connect timer. Remote credentials must be set.
     */
    public void startConnectivityChecks() {
        IceAgentSession s;
        synchronized (lock) {
            ensureOpen();
            s = target();
            if (s.checksStarted()) {
                return;
            }
            if (s.remotePassword() == null) {
                throw new IllegalStateException("remote ICE credentials are not set");
            }
            if (s == current && state == IceTransportState.NEW) {
                state = IceTransportState.CHECKING;
            }
            try {
                factory.beforeChecks(s);
            } catch (IOException e) {
                // Reported like any other failure to connect, on the timer thread.
                scheduler.execute(() -> s.failIfNotConnected("cannot prepare checks: " + e));
                return;
            }
            s.startChecks();
        }
        scheduler.schedule(() -> s.failIfNotConnected("not connected within " + connectTimeoutMs + " ms"),
                connectTimeoutMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts an ICE restart with new local credentials (RFC 8445 §9). A restart still pending is
     * superseded.
     *
     * @return the new local credentials to signal
     * @throws IOException if the new agent cannot be created
     */
    public IceCredentials restart() throws IOException {
        IceAgentSession superseded;
        IceAgentSession fresh;
        synchronized (lock) {
            ensureOpen();
            superseded = pending;
            generation++;
            fresh = factory.create(generation, sessionEvents, dispatcher, counters);
            pending = fresh;
        }
        if (superseded != null) {
            superseded.free();
        }
        return fresh.localCredentials();
    }

    /** @return whether an ICE restart is in flight */
    public boolean restartPending() {
        synchronized (lock) {
            return pending != null;
        }
    }

    @Override
    public SendResult send(byte[] buf, int off, int len) {
        if (state == IceTransportState.CLOSED) {
            return SendResult.CLOSED;
        }
        return current.send(buf, off, len);
    }

    @Override
    public void setReceiver(PacketReceiver newReceiver) {
        this.receiver = newReceiver;
    }

    @Override
    public IceTransportState state() {
        return state;
    }

    @Override
    public TransportCounters counters() {
        return counters;
    }

    /** @return the selected pair, for logs and stats; null when not connected */
    public String selectedPair() {
        return current.selectedPairDescription();
    }

    @Override
    public void close() {
        IceAgentSession a;
        IceAgentSession b;
        synchronized (lock) {
            if (state == IceTransportState.CLOSED) {
                return;
            }
            state = IceTransportState.CLOSED;
            a = current;
            b = pending;
            pending = null;
        }
        a.free();
        if (b != null) {
            b.free();
        }
        onClose.run();
        listener.onClosed();
    }

    private IceAgentSession target() {
        return pending != null ? pending : current;
    }

    private void ensureOpen() {
        if (state == IceTransportState.CLOSED) {
            throw new IllegalStateException("transport " + id + " is closed");
        }
    }

    private void dispatch(byte[] buf, int off, int len) {
        PacketReceiver r = receiver;
        if (r == null) {
            counters.drop(TransportDropReason.NO_RECEIVER);
            return;
        }
        counters.received(len);
        r.onPacket(buf, off, len);
    }

    private final class SessionEvents implements IceAgentSession.Events {
        @Override
        public void connected(IceAgentSession session, CandidatePair selected) {
            IceAgentSession retired = null;
            boolean initial = false;
            synchronized (lock) {
                if (state == IceTransportState.CLOSED) {
                    return;
                }
                if (session == pending) {
                    retired = current;
                    current = session;
                    pending = null;
                    state = IceTransportState.CONNECTED;
                } else if (session == current && (state == IceTransportState.CHECKING
                        || state == IceTransportState.NEW)) {
                    state = IceTransportState.CONNECTED;
                    initial = true;
                } else {
                    return;
                }
            }
            String pair = session.selectedPairDescription();
            if (initial) {
                listener.onConnected(pair);
                return;
            }
            LOG.fine(() -> id + ": ICE restart connected after " + session.ageNanos() / 1_000_000 + " ms on " + pair);
            IceAgentSession old = retired;
            // Keep answering old-generation checks in flight for a while (make-before-break).
            scheduler.schedule(old::free, restartTransitionMs, TimeUnit.MILLISECONDS);
            listener.onRestarted(pair);
        }

        @Override
        public void failed(IceAgentSession session, String reason) {
            boolean report = false;
            synchronized (lock) {
                if (session == pending) {
                    // Only the restart failed: the established pair stays in use.
                    pending = null;
                } else if (session == current && (state == IceTransportState.CHECKING
                        || state == IceTransportState.NEW)) {
                    state = IceTransportState.FAILED;
                    report = true;
                } else {
                    return;
                }
            }
            if (report) {
                listener.onFailed(reason);
            } else {
                scheduler.execute(session::free); // not on the agent's own event thread
            }
        }

        @Override
        public void consentLost(IceAgentSession session) {
            synchronized (lock) {
                if (session != current || state != IceTransportState.CONNECTED) {
                    return;
                }
                state = IceTransportState.FAILED;
            }
            listener.onConsentLost();
        }
    }
}
