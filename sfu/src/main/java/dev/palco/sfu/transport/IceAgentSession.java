package dev.palco.sfu.transport;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.ice4j.StunMessageEvent;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.ice.Agent;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidatePairState;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceMediaStream;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.KeepAliveStrategy;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.RemoteCandidate;
import org.ice4j.ice.harvest.CandidateHarvester;
import org.ice4j.message.Message;
import org.ice4j.socket.IceSocketWrapper;
import org.ice4j.util.Buffer;
import org.ice4j.util.BufferPool;

/**
 * One ice4j {@link Agent} with its single stream and component (BUNDLE and rtcp-mux: everything on
 * component 1), and the packet plumbing around it. The building block of both the server-side
 * {@link IceTransport} and the client-side agent: an ICE restart creates a second session next to
 * the first, so the owner, not this class, decides which session media goes to.
 *
 * <p><b>Receiving.</b> UDP candidates of the shared {@code SinglePortUdpHarvester} push datagrams to
 * {@link #onPushedBuffer} on the harvester thread (ice4j's push API, no thread per session). Sockets
 * ice4j does not push from (ICE-TCP, the client's own UDP socket) are read by one thread per session
 * started with {@link #startReader}. Either way a datagram is delivered only if its source is the
 * remote side of a pair whose check succeeded ({@link TransportDropReason#UNAUTHORIZED_SOURCE} otherwise), the
 * same rule ice4j's component socket applies.
 *
 * <p><b>Sending</b> goes straight to the selected pair's socket with a per-thread reusable
 * {@link DatagramPacket}, bypassing {@code Component.send}, which allocates a packet per call.
 *
 * <p>ice4j threads used per session: one {@code Connector} thread per socket registered with the
 * agent's STUN stack (it reads STUN only), plus ice4j's shared check and keep-alive executors.
 */
public final class IceAgentSession {
    /** Callbacks from a session to its owner; called on ice4j or scheduler threads. */
    public interface Events {
        /**
         * @param session the session
         * @param selected its selected pair
         */
        void connected(IceAgentSession session, CandidatePair selected);

        /**
         * @param session the session
         * @param reason why, for logs
         */
        void failed(IceAgentSession session, String reason);

        /** @param session the session whose consent expired (RFC 7675) */
        void consentLost(IceAgentSession session);
    }

    /** Where a reader thread reads from: a socket ice4j does not push from. */
    @FunctionalInterface
    public interface DatagramSource {
        /**
         * @param packet filled with the next datagram
         * @throws IOException when the socket is closed
         */
        void receive(DatagramPacket packet) throws IOException;
    }

    /**
     * Test seam: sees every authenticated Binding request on the thread that handles it, just before
     * its source is authorized. Tests use it to stall authorization and so make a race with the
     * peer's first DTLS flight happen every time.
     */
    @FunctionalInterface
    interface AuthenticatedRequestProbe {
        /**
         * @param session the session the request is for
         * @param event the request
         */
        void beforeAuthorizing(IceAgentSession session, StunMessageEvent event);
    }

    /** The installed probe, or null (always null outside tests). */
    static volatile AuthenticatedRequestProbe authenticatedRequestProbe;

    private static final Logger LOG = Logger.getLogger(IceAgentSession.class.getName());
    /** One stream: BUNDLE puts every m-line on one transport. */
    private static final String STREAM_NAME = "bundle";
    private static final InetSocketAddress[] NO_ADDRESSES = new InetSocketAddress[0];
    private static final byte[] NO_BYTES = new byte[0];
    private static final ThreadLocal<DatagramPacket> SEND_PACKET =
            ThreadLocal.withInitial(() -> new DatagramPacket(NO_BYTES, 0));
    /** Reader buffer: larger than any datagram on a 1500-byte MTU path; RFC 4571 frames can be larger. */
    private static final int READ_BUFFER_SIZE_BYTES = 65_535;

    /** The selected pair's socket and remote address, swapped together. */
    private static final class SendTarget {
        final IceSocketWrapper socket;
        final InetSocketAddress remote;
        final String description;

        SendTarget(IceSocketWrapper socket, InetSocketAddress remote, String description) {
            this.socket = socket;
            this.remote = remote;
            this.description = description;
        }
    }

    private final String name;
    private final Agent agent;
    private final IceMediaStream stream;
    private final Component component;
    private final Events events;
    private final PacketReceiver sink;
    private final TransportCounters counters;
    private final ScheduledExecutorService scheduler;
    private final long consentIntervalMs;
    private final long consentTimeoutMs;
    private final PropertyChangeListener stateListener = this::onAgentStateChange;
    private final PropertyChangeListener pairListener = this::onPairChange;
    private final AtomicBoolean checksStarted = new AtomicBoolean();
    private final AtomicBoolean outcomeReported = new AtomicBoolean();
    private final AtomicBoolean consentLostReported = new AtomicBoolean();
    private final AtomicBoolean freed = new AtomicBoolean();
    private final List<Thread> readers = new ArrayList<>(1);
    private final List<AutoCloseable> closeables = new ArrayList<>(2);
    /** TCP sockets with a reader (guarded by {@link #readers}). */
    private final java.util.Set<IceSocketWrapper> tcpSocketsRead =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final long createdNanos = System.nanoTime();
    /** When the peer last proved itself with an authenticated Binding request (System.nanoTime). */
    private volatile long lastAuthenticatedRequestNanos = createdNanos;

    private volatile InetSocketAddress[] authorizedRemotes = NO_ADDRESSES;
    private volatile SendTarget sendTarget;
    private volatile ConsentFreshnessMonitor consent;

    /**
     * Creates the agent, its stream and component, and gathers candidates from {@code harvesters}
     * (synchronously: all harvesters used here answer from memory).
     *
     * @param name for thread names and logs
     * @param role ICE role
     * @param harvesters candidate harvesters shared with other sessions (may be empty: the owner then
     *        adds candidates to {@link #component()} itself)
     * @param events owner callbacks
     * @param sink where accepted datagrams go (the owner's dispatcher)
     * @param counters shared with the owner
     * @param scheduler shared timer for consent freshness
     * @param consentIntervalMs RFC 7675 mean interval
     * @param consentTimeoutMs RFC 7675 consent lifetime
     * @throws IOException if ice4j fails to create the component
     */
    public IceAgentSession(String name, IceRole role, List<? extends CandidateHarvester> harvesters, Events events,
            PacketReceiver sink, TransportCounters counters, ScheduledExecutorService scheduler,
            long consentIntervalMs, long consentTimeoutMs) throws IOException {
        Ice4jSetup.apply();
        this.name = name;
        this.events = events;
        this.sink = sink;
        this.counters = counters;
        this.scheduler = scheduler;
        this.consentIntervalMs = consentIntervalMs;
        this.consentTimeoutMs = consentTimeoutMs;
        Agent a = new Agent();
        try {
            // No per-agent host sockets: candidates come from the shared harvesters (or by hand).
            a.setUseDynamicPorts(false);
            a.setControlling(role == IceRole.CONTROLLING);
            // ice4j then sends only Binding indications as keep-alives; consent is ours (see the monitor).
            a.setPerformConsentFreshness(false);
            // Ahead of ice4j's check server, before any candidate exists: see onAuthenticatedRequest.
            Ice4jSetup.addRequestListenerAheadOfChecks(a, this::onAuthenticatedRequest);
            for (CandidateHarvester h : harvesters) {
                a.addCandidateHarvester(h);
            }
            a.addStateChangeListener(stateListener);
            this.stream = a.createMediaStream(STREAM_NAME);
            stream.addPairChangeListener(pairListener);
            // useComponentSocket=false: no merging socket and its reader threads; data comes by push.
            // ALL_SUCCEEDED, not SELECTED_ONLY: once ice4j's processing has terminated it answers
            // checks only on the pairs it keeps alive, and refuses the rest with 403. A browser that
            // is controlling may move to another valid pair later (libwebrtc switches when it sees a
            // better one and nominates it); with SELECTED_ONLY its checks there fail, its ICE state
            // goes to "disconnected" and it stops sending media.
            this.component = a.createComponent(stream, KeepAliveStrategy.ALL_SUCCEEDED, false);
            component.setBufferCallback(this::onPushedBuffer);
        } catch (IOException | RuntimeException e) {
            a.free();
            throw e;
        }
        this.agent = a;
    }

    /** @return the ice4j agent (for adding hand-made candidates and STUN sockets) */
    public Agent agent() {
        return agent;
    }

    /** @return the single component */
    public Component component() {
        return component;
    }

    /** @return this session's local credentials */
    public IceCredentials localCredentials() {
        return new IceCredentials(agent.getLocalUfrag(), agent.getLocalPassword());
    }

    /** @return local candidates in SDP form */
    public List<CandidateDescription> localCandidates() {
        List<LocalCandidate> cands = component.getLocalCandidates();
        List<CandidateDescription> out = new ArrayList<>(cands.size());
        for (LocalCandidate c : cands) {
            out.add(Ice4jCandidates.describe(c));
        }
        return out;
    }

    /**
     * @param ufrag the peer's ufrag
     * @param pwd the peer's password (authenticates our checks and its responses)
     */
    public void setRemoteCredentials(String ufrag, String pwd) {
        stream.setRemoteUfrag(ufrag);
        stream.setRemotePassword(pwd);
    }

    /** @return the peer's password, or null */
    public String remotePassword() {
        return stream.getRemotePassword();
    }

    /**
     * Adds a remote candidate; after checks started it is trickled into the running check list.
     *
     * @param candidate the candidate
     * @return false if it cannot be used (not an IP literal, wrong component, or unreachable from any
     *         local candidate)
     */
    public boolean addRemoteCandidate(CandidateDescription candidate) {
        if (candidate.componentId() != component.getComponentID()) {
            return false;
        }
        RemoteCandidate rc;
        try {
            rc = Ice4jCandidates.toRemote(candidate, component);
        } catch (IllegalArgumentException e) {
            return false;
        }
        boolean reachable = false;
        for (LocalCandidate lc : component.getLocalCandidates()) {
            if (lc.canReach(rc)) {
                reachable = true;
                break;
            }
        }
        if (!reachable) {
            return false;
        }
        synchronized (checksStarted) {
            if (checksStarted.get()) {
                component.addUpdateRemoteCandidates(rc);
                component.updateRemoteCandidates();
            } else {
                component.addRemoteCandidate(rc);
            }
        }
        return true;
    }

    /** Starts connectivity checks once (remote credentials must be set). */
    public void startChecks() {
        synchronized (checksStarted) {
            if (checksStarted.compareAndSet(false, true)) {
                agent.startConnectivityEstablishment();
            }
        }
    }

    /** @return whether {@link #startChecks} ran */
    public boolean checksStarted() {
        return checksStarted.get();
    }

    /** @return whether a pair is selected and consent holds */
    public boolean isConnected() {
        return sendTarget != null;
    }

    /** @return the selected pair as text, or null */
    public String selectedPairDescription() {
        SendTarget t = sendTarget;
        return t == null ? null : t.description;
    }

    /** @return nanoseconds since this session was created */
    public long ageNanos() {
        return System.nanoTime() - createdNanos;
    }

    /**
     * Reports failure unless the session already connected or failed (used for connect timeouts).
     *
     * @param reason why
     */
    public void failIfNotConnected(String reason) {
        if (!freed.get() && outcomeReported.compareAndSet(false, true)) {
            events.failed(this, reason);
        }
    }

    /**
     * Sends on the selected pair.
     *
     * @param buf array
     * @param off start
     * @param len length
     * @return the result; never throws for network reasons
     */
    public SendResult send(byte[] buf, int off, int len) {
        SendTarget t = sendTarget;
        if (t == null) {
            return freed.get() ? SendResult.CLOSED : SendResult.NOT_CONNECTED;
        }
        DatagramPacket p = SEND_PACKET.get();
        p.setData(buf, off, len);
        p.setSocketAddress(t.remote);
        try {
            t.socket.send(p);
            counters.sent(len);
            return SendResult.SENT;
        } catch (IOException e) {
            counters.sendFailed();
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine(name + ": send failed: " + e);
            }
            return SendResult.IO_ERROR;
        } finally {
            p.setData(NO_BYTES); // do not keep the caller's array reachable from this thread
        }
    }

    /**
     * Starts one thread that reads a socket ice4j does not push from and delivers its datagrams.
     *
     * @param threadName thread name
     * @param source the socket
     * @param checkSource whether to apply the authorized-source rule (not needed for a TCP connection,
     *        which only ever carries one peer)
     */
    public void startReader(String threadName, DatagramSource source, boolean checkSource) {
        Thread t = new Thread(() -> readLoop(source, checkSource), threadName);
        t.setDaemon(true);
        synchronized (readers) {
            if (freed.get()) {
                return;
            }
            readers.add(t);
        }
        t.start();
    }

    /** @return reader threads still alive (for leak checks) */
    public int liveReaders() {
        int n = 0;
        synchronized (readers) {
            for (Thread t : readers) {
                if (t.isAlive()) {
                    n++;
                }
            }
        }
        return n;
    }

    private void readLoop(DatagramSource source, boolean checkSource) {
        byte[] buf = new byte[READ_BUFFER_SIZE_BYTES];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!freed.get()) {
            p.setData(buf, 0, buf.length);
            try {
                source.receive(p);
            } catch (IOException | RuntimeException e) {
                break; // socket closed by free(), or the peer closed the TCP connection
            }
            if (checkSource && !isAuthorized(p.getAddress(), p.getPort())) {
                counters.drop(TransportDropReason.UNAUTHORIZED_SOURCE);
                continue;
            }
            deliver(p.getData(), p.getOffset(), p.getLength());
        }
    }

    /** ice4j push API entry point, on the single-port harvester thread. Must never throw. */
    private void onPushedBuffer(Buffer buffer) {
        try {
            SocketAddress from = buffer.getRemoteAddress();
            if (from instanceof InetSocketAddress) {
                InetSocketAddress isa = (InetSocketAddress) from;
                if (isAuthorized(isa.getAddress(), isa.getPort())) {
                    deliver(buffer.getBuffer(), buffer.getOffset(), buffer.getLength());
                } else {
                    counters.drop(TransportDropReason.UNAUTHORIZED_SOURCE);
                }
            } else {
                counters.drop(TransportDropReason.UNAUTHORIZED_SOURCE);
            }
        } finally {
            BufferPool.returnBuffer.invoke(buffer);
        }
    }

    private void deliver(byte[] buf, int off, int len) {
        if (freed.get()) {
            counters.drop(TransportDropReason.CLOSED);
            return;
        }
        try {
            sink.onPacket(buf, off, len);
        } catch (RuntimeException e) {
            counters.drop(TransportDropReason.RECEIVER_FAILED);
        }
    }

    private boolean isAuthorized(InetAddress address, int port) {
        InetSocketAddress[] allowed = authorizedRemotes;
        for (InetSocketAddress a : allowed) {
            if (a.getPort() == port && a.getAddress().equals(address)) {
                return true;
            }
        }
        return false;
    }

    private void authorize(TransportAddress remote) {
        synchronized (this) {
            InetSocketAddress[] current = authorizedRemotes;
            for (InetSocketAddress a : current) {
                if (a.getPort() == remote.getPort() && a.getAddress().equals(remote.getAddress())) {
                    return;
                }
            }
            InetSocketAddress[] next = java.util.Arrays.copyOf(current, current.length + 1);
            next[current.length] = new InetSocketAddress(remote.getAddress(), remote.getPort());
            authorizedRemotes = next;
        }
    }

    /**
     * A Binding request that passed ice4j's USERNAME and MESSAGE-INTEGRITY validation (ice4j
     * answers a failed one with 401 and never calls request listeners). Its sender knows our ICE
     * password, the same proof on which ICE learns it as a peer-reflexive candidate (RFC 8445
     * §7.3.1.3), so data from it is accepted from now on. Waiting for our triggered check on that
     * pair to succeed as well would drop the peer's first DTLS flight: a controlling peer sends it
     * as soon as its own check succeeds, about one round trip before ours does, and would then
     * wait for its DTLS retransmission timer.
     *
     * <p><b>Before the response.</b> This listener runs ahead of ice4j's check server ({@link
     * Ice4jSetup#addRequestListenerAheadOfChecks}), on the same thread, so the address is
     * authorized before the success response leaves. RFC 8445 §7.3 has the agent process a check
     * before it answers; the peer may send data once the answer makes the pair valid (§7.2.5.3.2,
     * §12.1), and a browser sends its ClientHello at once (RFC 8842 §4: the DTLS client starts when
     * ICE has a valid pair). Authorizing after the response, as ice4j's listener order would have
     * it, let the ClientHello win the race to the receive thread about one connect in ten under
     * load, which cost the peer one DTLS retransmission timeout. Holding unauthorized DTLS
     * datagrams until authorization lands would also cover that race, but needs memory per session,
     * a timer and a replay path, and would store data from sources that never prove anything;
     * putting the cause before its effect needs none of that. Spoofing gains nothing: without our
     * password a request fails validation and never reaches this listener. This runs for every
     * request, so it must never throw: ice4j would then skip its check server.
     */
    private void onAuthenticatedRequest(StunMessageEvent ev) {
        try {
            authorizeIfAuthenticated(ev);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, name + ": authorizing a check's source failed", e);
        }
    }

    private void authorizeIfAuthenticated(StunMessageEvent ev) {
        Message request = ev.getMessage();
        // ice4j lets a request without MESSAGE-INTEGRITY through validation; ICE checks carry it.
        if (request.getMessageType() == Message.BINDING_REQUEST
                && request.getAttribute(Attribute.MESSAGE_INTEGRITY) != null
                && request.getAttribute(Attribute.USERNAME) != null) {
            AuthenticatedRequestProbe probe = authenticatedRequestProbe;
            if (probe != null) {
                probe.beforeAuthorizing(this, ev);
            }
            lastAuthenticatedRequestNanos = System.nanoTime();
            authorize(ev.getRemoteAddress());
        }
    }

    /**
     * @return how long since the peer last proved it is there: an authenticated Binding request
     *     from it, or an authenticated response to our consent check (RFC 7675 §5.1), whichever
     *     is later; the session's age if neither happened yet
     */
    long nanosSincePeerHeard() {
        long sinceRequest = System.nanoTime() - lastAuthenticatedRequestNanos;
        ConsentFreshnessMonitor monitor = consent;
        return monitor == null ? sinceRequest : Math.min(sinceRequest, monitor.nanosSinceLastConsent());
    }

    /**
     * {@code remote} now belongs to another ICE session, which authenticated a check from it after
     * this session's peer had gone quiet ({@link AddressHandover} decides that). Data from it is no
     * longer accepted here; and if it was the selected pair's address, consent on that pair can no
     * longer be obtained (the agent there is not our peer), so it is lost now instead of when the
     * consent timer runs out (RFC 7675 §5.1).
     *
     * @param local the shared socket's address
     * @param remote the address handed over
     */
    void addressTakenOver(TransportAddress local, InetSocketAddress remote) {
        // Our STUN stack stops reading the socket of that address before it closes under it.
        agent.getStunStack().removeSocket(local, new TransportAddress(remote, Transport.UDP));
        synchronized (this) {
            InetSocketAddress[] current = authorizedRemotes;
            int kept = 0;
            InetSocketAddress[] next = new InetSocketAddress[current.length];
            for (InetSocketAddress a : current) {
                if (!a.equals(remote)) {
                    next[kept++] = a;
                }
            }
            authorizedRemotes = java.util.Arrays.copyOf(next, kept);
        }
        SendTarget target = sendTarget;
        if (target != null && target.remote.equals(remote)) {
            if (LOG.isLoggable(Level.INFO)) {
                LOG.info(name + ": " + remote + " was taken over by a new ICE session; consent lost");
            }
            ConsentFreshnessMonitor monitor = consent;
            if (monitor != null) {
                monitor.stop();
            }
            onConsentExpired();
        }
    }

    private void onPairChange(PropertyChangeEvent ev) {
        if (!(ev.getSource() instanceof CandidatePair)) {
            return;
        }
        CandidatePair pair = (CandidatePair) ev.getSource();
        if (IceMediaStream.PROPERTY_PAIR_STATE_CHANGED.equals(ev.getPropertyName())
                && ev.getNewValue() == CandidatePairState.SUCCEEDED) {
            // RFC 8445 §11: data may arrive on any pair whose check succeeded.
            authorize(pair.getRemoteCandidate().getTransportAddress());
        } else if (IceMediaStream.PROPERTY_PAIR_NOMINATED.equals(ev.getPropertyName())
                && Boolean.TRUE.equals(ev.getNewValue())) {
            followNomination(pair);
        }
    }

    /**
     * The controlling side nominated {@code pair} after this session connected. ice4j selects only
     * the first nominated pair (it ignores later nominations once its check list has completed), but
     * libwebrtc as the controlling agent moves to a better valid pair when it finds one and nominates
     * it with USE-CANDIDATE (the "regular nomination" of RFC 8445 §8.1.1 that browsers apply per
     * selected pair). Media and consent checks follow the peer's choice, as a browser would.
     */
    private void followNomination(CandidatePair pair) {
        SendTarget current = sendTarget;
        if (current == null || consentLostReported.get() || freed.get()
                || pair.getState() != CandidatePairState.SUCCEEDED) {
            return;
        }
        SendTarget next = targetFor(pair);
        if (next.socket == null || (next.socket == current.socket && next.remote.equals(current.remote))) {
            return;
        }
        authorize(pair.getRemoteCandidate().getTransportAddress());
        startTcpReaderIfNeeded(pair, next.socket);
        sendTarget = next;
        ConsentFreshnessMonitor monitor = consent;
        if (monitor != null) {
            monitor.follow(pair);
        }
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine(name + ": the peer nominated " + next.description + "; sending there");
        }
    }

    private void onAgentStateChange(PropertyChangeEvent ev) {
        IceProcessingState oldState = (IceProcessingState) ev.getOldValue();
        IceProcessingState newState = (IceProcessingState) ev.getNewValue();
        if (newState == IceProcessingState.COMPLETED) {
            onCompleted();
        } else if (newState == IceProcessingState.FAILED
                || (oldState == IceProcessingState.RUNNING && newState == IceProcessingState.TERMINATED)) {
            if (!freed.get() && outcomeReported.compareAndSet(false, true)) {
                events.failed(this, "ICE " + newState);
            }
        }
    }

    private void onCompleted() {
        CandidatePair selected = component.getSelectedPair();
        if (selected == null || freed.get()) {
            return;
        }
        authorize(selected.getRemoteCandidate().getTransportAddress());
        SendTarget target = targetFor(selected);
        if (target.socket == null) {
            if (outcomeReported.compareAndSet(false, true)) {
                events.failed(this, "selected pair has no socket");
            }
            return;
        }
        if (!outcomeReported.compareAndSet(false, true)) {
            return; // timed out just before completing; the owner already gave up on this session
        }
        sendTarget = target;
        startTcpReaderIfNeeded(selected, target.socket);
        ConsentFreshnessMonitor monitor = new ConsentFreshnessMonitor(agent, stream, selected, scheduler,
                consentIntervalMs, consentTimeoutMs, System::nanoTime, counters, this::onConsentExpired);
        consent = monitor;
        monitor.start();
        events.connected(this, selected);
    }

    /** ice4j pushes only from the single UDP port; each ICE-TCP connection that carries media needs a reader. */
    private void startTcpReaderIfNeeded(CandidatePair pair, IceSocketWrapper socket) {
        if (pair.getLocalCandidate().getTransport() != Transport.TCP) {
            return;
        }
        synchronized (readers) {
            if (!tcpSocketsRead.add(socket)) {
                return;
            }
        }
        startReader("palco-ice-tcp-" + name, socket::receive, false);
    }

    private static SendTarget targetFor(CandidatePair pair) {
        TransportAddress remote = pair.getRemoteCandidate().getTransportAddress();
        return new SendTarget(pair.getIceSocketWrapper(), new InetSocketAddress(remote.getAddress(), remote.getPort()),
                pair.getLocalCandidate().getTransportAddress() + " <-> " + remote);
    }

    private void onConsentExpired() {
        // RFC 7675 §5.1: once consent expires, stop sending on the pair.
        sendTarget = null;
        if (!freed.get() && consentLostReported.compareAndSet(false, true)) {
            events.consentLost(this);
        }
    }

    /** @return the consent monitor of the selected pair, or null before connecting */
    public ConsentFreshnessMonitor consentMonitor() {
        return consent;
    }

    /**
     * Frees the agent: its candidates (and so the harvester registrations of its ufrag), sockets, STUN
     * stack and timers; reader threads exit when their sockets close. Idempotent; call it from a
     * thread that is not an ice4j event thread of this agent when possible.
     */
    public void free() {
        if (!freed.compareAndSet(false, true)) {
            return;
        }
        sendTarget = null;
        ConsentFreshnessMonitor monitor = consent;
        if (monitor != null) {
            monitor.stop();
        }
        agent.removeStateChangeListener(stateListener);
        stream.removePairStateChangeListener(pairListener);
        component.setBufferCallback(null);
        agent.free();
        synchronized (readers) {
            for (AutoCloseable c : closeables) {
                closeQuietly(c);
            }
            closeables.clear();
            for (Thread t : readers) {
                t.interrupt();
            }
        }
    }

    /**
     * Registers a resource the owner created for this session (a hand-made socket) to close on
     * {@link #free}; closed at once if the session is already freed.
     *
     * @param resource the resource
     */
    public void closeOnFree(AutoCloseable resource) {
        synchronized (readers) {
            if (!freed.get()) {
                closeables.add(resource);
                return;
            }
        }
        closeQuietly(resource);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Closing a socket twice or after its peer reset it is not an error here.
        }
    }

    /** @return whether {@link #free} ran */
    public boolean isFreed() {
        return freed.get();
    }

    @Override
    public String toString() {
        return "IceAgentSession[" + name + ", ufrag=" + agent.getLocalUfrag() + "]";
    }
}
