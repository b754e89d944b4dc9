package dev.palco.sfu.transport;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.palco.rtp.demux.PacketClassifier;
import dev.palco.rtp.demux.PacketKind;
import dev.palco.rtp.dtls.DtlsCertificate;
import dev.palco.rtp.dtls.DtlsEndpoint;
import dev.palco.rtp.dtls.DtlsException;
import dev.palco.rtp.dtls.DtlsFingerprint;
import dev.palco.rtp.dtls.DtlsRole;
import dev.palco.rtp.dtls.DtlsSettings;
import dev.palco.rtp.dtls.FingerprintMismatchException;
import dev.palco.rtp.srtp.SrtpSession;

/**
 * The server side of one participant's WebRTC transport: ICE on the shared port, DTLS-SRTP, and
 * the RFC 7983 demux between them. With BUNDLE and rtcp-mux (RFC 8843, RFC 5761) this one
 * transport carries all of the participant's RTP and RTCP.
 *
 * <p><b>Signaling.</b> Put {@link #localIceCredentials()}, {@link #localCandidates()} and {@link
 * #localFingerprint()} in the SDP with {@code a=setup:passive}: the SFU answers and is always the
 * DTLS server (RFC 5763 §5). Give it the peer's {@link #setRemoteIceCredentials ICE credentials},
 * {@link #setRemoteFingerprint fingerprint} and {@link #addRemoteCandidate trickled candidates},
 * then {@link #startConnectivityChecks()} (or {@link #endOfRemoteCandidates()}). {@link
 * #restartIce()} passes an ICE restart through; the DTLS association survives it.
 *
 * <p><b>Life cycle.</b> {@link WebRtcTransportState#NEW} → CONNECTING (checks) → HANDSHAKING (ICE
 * connected; the DTLS handshake runs on the caller-supplied executor) → SECURED ({@link
 * WebRtcTransportListener#onSecured}). ICE failure, consent loss or a failed handshake (a peer
 * certificate that is not the signaled one, a timeout, an alert) → FAILED with a reason, and
 * everything is released. {@link #close()} or the peer's close_notify → CLOSED.
 *
 * <p><b>Receive path</b> (the shared UDP reader thread, or this transport's ICE-TCP reader): each
 * datagram is classified by its first byte ({@link PacketClassifier}, RFC 7983 §7 / RFC 9443). RTP
 * and RTCP go, still protected, to the {@link MediaReceiver} with their arrival time once the
 * transport is secured; DTLS is copied into the {@link DtlsChannel}'s queue; everything else is
 * counted in {@link #demuxCounters()} and dropped. Nothing there blocks, throws or allocates,
 * except the copy of a DTLS record (control plane).
 *
 * <p><b>Threads.</b> None of its own. The handshake holds one executor thread for at most
 * {@link DtlsSettings#handshakeTimeoutMs()}; post-handshake DTLS records (a repeated final flight,
 * close_notify) take an executor thread for about a millisecond each.
 */
public final class WebRtcTransport implements MediaTransport {
    private static final Logger LOG = Logger.getLogger(WebRtcTransport.class.getName());

    private final String id;
    private final DtlsCertificate certificate;
    private final DtlsSettings dtlsSettings;
    private final ExecutorService executor;
    private final WebRtcTransportListener listener;
    private final IceTransport ice;
    private final DemuxCounters demuxCounters = new DemuxCounters();
    private final Object lock = new Object();
    private final Object releaseLock = new Object();
    private final long createdNanos = System.nanoTime();

    private volatile WebRtcTransportState state = WebRtcTransportState.NEW;
    private volatile MediaReceiver mediaReceiver;
    private volatile SrtpSession srtp;
    private volatile DtlsChannel dtls;
    // Guarded by lock.
    private DtlsFingerprint remoteFingerprint;
    private String terminationReason;
    private boolean closeCalled;
    private long iceConnectedNanos;
    private long securedNanos;
    // Guarded by releaseLock.
    private boolean released;

    private WebRtcTransport(String id, IceServer iceServer, DtlsCertificate certificate,
            DtlsSettings dtlsSettings, ExecutorService executor, WebRtcTransportListener listener)
            throws IOException {
        this.id = Objects.requireNonNull(id, "id");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.dtlsSettings = Objects.requireNonNull(dtlsSettings, "dtlsSettings");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.ice = iceServer.createTransport(id, new IceEvents());
        ice.setReceiver(this::onDatagram);
    }

    /**
     * Creates the transport of one participant, with its ICE candidates on the server's shared
     * ports.
     *
     * @param id participant id, for logs and statistics
     * @param iceServer the shared ICE sockets
     * @param certificate the server's DTLS certificate (its fingerprint goes into every answer)
     * @param dtlsSettings handshake timeouts and the SRTP profiles accepted, in order of preference
     * @param handshakeExecutor shared by all transports; runs handshakes and short DTLS tasks.
     *     Size it for the joins in flight: each handshake holds a thread until it ends.
     * @param listener life-cycle callbacks
     * @throws IOException if ice4j cannot create the agent
     */
    public static WebRtcTransport create(String id, IceServer iceServer, DtlsCertificate certificate,
            DtlsSettings dtlsSettings, ExecutorService handshakeExecutor,
            WebRtcTransportListener listener) throws IOException {
        return new WebRtcTransport(id, iceServer, certificate, dtlsSettings, handshakeExecutor,
                listener);
    }

    @Override
    public String id() {
        return id;
    }

    // ---- Signaling ----

    /** @return {@code a=ice-ufrag}/{@code a=ice-pwd} to signal (a pending restart's, if any) */
    public IceCredentials localIceCredentials() {
        return ice.localCredentials();
    }

    /** @return the candidates to signal (a pending restart's, if any) */
    public List<CandidateDescription> localCandidates() {
        return ice.localCandidates();
    }

    /** @return the {@code a=fingerprint} to signal (SHA-256 of our certificate, RFC 8122) */
    public DtlsFingerprint localFingerprint() {
        return certificate.fingerprint();
    }

    /**
     * @return always {@link DtlsRole#SERVER}: the SFU answers with {@code a=setup:passive}
     *     (RFC 5763 §5), so browsers, which offer {@code actpass}, become the DTLS client
     */
    public DtlsRole dtlsRole() {
        return DtlsRole.SERVER;
    }

    /**
     * @param ufrag the peer's {@code a=ice-ufrag}
     * @param pwd the peer's {@code a=ice-pwd}
     */
    public void setRemoteIceCredentials(String ufrag, String pwd) {
        ice.setRemoteCredentials(ufrag, pwd);
    }

    /**
     * Sets the peer's {@code a=fingerprint}; its certificate must match it or the handshake fails.
     * Setting the same value again is allowed (a renegotiation); another value is not, since it
     * would need a new DTLS association.
     *
     * @throws IllegalStateException if a different fingerprint was set before, or the transport
     *     is closed
     */
    public void setRemoteFingerprint(DtlsFingerprint fingerprint) {
        Objects.requireNonNull(fingerprint, "fingerprint");
        synchronized (lock) {
            ensureOpen();
            if (remoteFingerprint != null) {
                if (!remoteFingerprint.equals(fingerprint)) {
                    throw new IllegalStateException("transport " + id + ": the DTLS fingerprint cannot change from "
                            + remoteFingerprint + " to " + fingerprint + " without a new transport");
                }
                return;
            }
            remoteFingerprint = fingerprint;
            DtlsEndpoint endpoint = new DtlsEndpoint(DtlsRole.SERVER, certificate, fingerprint, dtlsSettings);
            dtls = new DtlsChannel(ice, endpoint, executor, this::onPeerClosed);
        }
    }

    /**
     * Adds a trickled candidate (RFC 8838); unusable ones are ignored.
     *
     * @return whether it was added
     */
    public boolean addRemoteCandidate(CandidateDescription candidate) {
        return ice.addRemoteCandidate(candidate);
    }

    /** The peer signaled end-of-candidates: starts checks if not started yet. */
    public void endOfRemoteCandidates() {
        startConnectivityChecks();
    }

    /**
     * Starts ICE checks (of the pending restart, if any). Idempotent per ICE generation.
     *
     * @throws IllegalStateException if the remote ICE credentials or the remote fingerprint are
     *     not set
     */
    public void startConnectivityChecks() {
        synchronized (lock) {
            ensureOpen();
            if (remoteFingerprint == null) {
                throw new IllegalStateException("transport " + id + ": the remote DTLS fingerprint is not set");
            }
            if (state == WebRtcTransportState.NEW) {
                state = WebRtcTransportState.CONNECTING;
            }
        }
        ice.startConnectivityChecks();
    }

    /**
     * Starts an ICE restart (RFC 8445 §9) with new local credentials; the remote-side calls then
     * apply to the new ICE generation. DTLS and SRTP are not affected.
     *
     * @return the new local credentials to signal
     * @throws IOException if the new agent cannot be created
     */
    public IceCredentials restartIce() throws IOException {
        return ice.restart();
    }

    // ---- Media ----

    @Override
    public void setMediaReceiver(MediaReceiver receiver) {
        this.mediaReceiver = receiver;
    }

    /**
     * {@inheritDoc}
     *
     * <p>After close or failure this still returns the session, closed: its keys are zeroed and
     * every operation answers {@link dev.palco.rtp.srtp.SrtpStatus#NO_CONTEXT}, so a pipeline
     * thread that races the close drops packets instead of failing.
     */
    @Override
    public SrtpSession srtp() {
        return srtp;
    }

    @Override
    public SendResult send(byte[] buf, int off, int len) {
        WebRtcTransportState s = state;
        if (s != WebRtcTransportState.SECURED) {
            return s == WebRtcTransportState.CLOSED || s == WebRtcTransportState.FAILED
                    ? SendResult.CLOSED : SendResult.NOT_CONNECTED;
        }
        return ice.send(buf, off, len);
    }

    @Override
    public boolean isSecured() {
        return state == WebRtcTransportState.SECURED;
    }

    // ---- State and statistics ----

    /** @return the current state */
    public WebRtcTransportState state() {
        return state;
    }

    /** @return why the transport failed or closed, or null while it lives */
    public String terminationReason() {
        synchronized (lock) {
            return terminationReason;
        }
    }

    /** @return the demux counters: media passed on and drops by reason */
    public DemuxCounters demuxCounters() {
        return demuxCounters;
    }

    /** @return the ICE layer's counters (sent, received, unauthorized sources, consent) */
    public TransportCounters iceCounters() {
        return ice.counters();
    }

    /** @return the selected ICE pair, for logs; null when not connected */
    public String selectedPair() {
        return ice.selectedPair();
    }

    /** @return milliseconds from creation to SECURED, or -1 if not secured (yet) */
    public long msToSecured() {
        synchronized (lock) {
            return securedNanos == 0 ? -1 : (securedNanos - createdNanos) / 1_000_000;
        }
    }

    /**
     * Closes the transport: close_notify if secured, ICE freed, SRTP keys zeroed. Idempotent;
     * returns when everything is released. Calls {@link WebRtcTransportListener#onClosed()} unless
     * the transport had already failed or closed.
     */
    @Override
    public void close() {
        boolean notify;
        synchronized (lock) {
            if (closeCalled) {
                return;
            }
            closeCalled = true;
            notify = state != WebRtcTransportState.FAILED && state != WebRtcTransportState.CLOSED;
            if (notify) {
                state = WebRtcTransportState.CLOSED;
                terminationReason = "closed by its owner";
            }
        }
        release();
        if (notify) {
            listener.onClosed();
        }
    }

    @Override
    public String toString() {
        return "WebRtcTransport[" + id + ", " + state + "]";
    }

    // ---- Internals ----

    private void ensureOpen() {
        if (state == WebRtcTransportState.CLOSED || state == WebRtcTransportState.FAILED) {
            throw new IllegalStateException("transport " + id + " is " + state);
        }
    }

    /** RFC 7983 demux, on the ICE receive thread. Never blocks, never throws. */
    private void onDatagram(byte[] buf, int off, int len) {
        long arrivalNanos = System.nanoTime();
        PacketKind kind = PacketClassifier.classify(buf, off, len);
        switch (kind) {
            case RTP:
                deliverMedia(buf, off, len, false, arrivalNanos);
                break;
            case RTCP:
                deliverMedia(buf, off, len, true, arrivalNanos);
                break;
            case DTLS:
                DtlsChannel.deliver(dtls, buf, off, len, demuxCounters);
                break;
            case STUN:
                demuxCounters.drop(DemuxDropReason.STRAY_STUN);
                break;
            case TOO_SHORT:
                demuxCounters.drop(DemuxDropReason.TOO_SHORT);
                break;
            default:
                demuxCounters.drop(DemuxDropReason.UNKNOWN_PROTOCOL);
                break;
        }
    }

    private void deliverMedia(byte[] buf, int off, int len, boolean rtcp, long arrivalNanos) {
        if (state != WebRtcTransportState.SECURED) {
            demuxCounters.drop(DemuxDropReason.NOT_SECURED);
            return;
        }
        MediaReceiver receiver = mediaReceiver;
        if (receiver == null) {
            demuxCounters.drop(DemuxDropReason.NO_MEDIA_RECEIVER);
            return;
        }
        // Counted before the hand-over, so that whoever has seen the packet also sees the count.
        demuxCounters.media(rtcp, len);
        try {
            receiver.onMedia(buf, off, len, rtcp, arrivalNanos);
        } catch (RuntimeException e) {
            demuxCounters.drop(DemuxDropReason.MEDIA_RECEIVER_FAILED);
        }
    }


    private void onIceConnected(String pair) {
        synchronized (lock) {
            if (state != WebRtcTransportState.CONNECTING) {
                return;
            }
            state = WebRtcTransportState.HANDSHAKING;
            iceConnectedNanos = System.nanoTime();
        }
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine(id + ": ICE connected on " + pair + ", starting the DTLS handshake");
        }
        try {
            executor.execute(this::runHandshake);
        } catch (RejectedExecutionException e) {
            fail("the DTLS handshake executor refused the handshake (shutting down?)");
        }
    }

    /** On the handshake executor. */
    private void runHandshake() {
        SrtpSession session;
        try {
            session = dtls.handshake();
        } catch (FingerprintMismatchException e) {
            fail("DTLS fingerprint mismatch: " + e.getMessage());
            return;
        } catch (DtlsException e) {
            fail(e.getMessage());
            return;
        } catch (RuntimeException e) {
            fail("DTLS handshake failed: " + e);
            return;
        }
        long iceMs;
        long dtlsMs;
        synchronized (lock) {
            if (state != WebRtcTransportState.HANDSHAKING) {
                session.close(); // closed or failed while the handshake finished
                return;
            }
            srtp = session;
            securedNanos = System.nanoTime();
            state = WebRtcTransportState.SECURED;
            iceMs = (iceConnectedNanos - createdNanos) / 1_000_000;
            dtlsMs = (securedNanos - iceConnectedNanos) / 1_000_000;
        }
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine(id + ": secured with " + session.profile() + " (ICE after " + iceMs + " ms, DTLS "
                    + dtlsMs + " ms)");
        }
        listener.onSecured(session);
    }

    private void onPeerClosed() {
        synchronized (lock) {
            if (state != WebRtcTransportState.SECURED) {
                return;
            }
            state = WebRtcTransportState.CLOSED;
            terminationReason = "closed by the peer (DTLS close_notify or fatal alert)";
        }
        release();
        listener.onClosed();
    }

    private void fail(String reason) {
        synchronized (lock) {
            if (state == WebRtcTransportState.FAILED || state == WebRtcTransportState.CLOSED) {
                return;
            }
            state = WebRtcTransportState.FAILED;
            terminationReason = reason;
        }
        LOG.info(id + ": transport failed: " + reason);
        // Not on the caller's thread: this may be an ice4j agent thread, which must not free its
        // own agent.
        try {
            executor.execute(this::release);
        } catch (RejectedExecutionException e) {
            release();
        }
        listener.onFailed(reason);
    }

    /** Frees DTLS, ICE and the SRTP keys. Idempotent; the second caller waits for the first. */
    private void release() {
        synchronized (releaseLock) {
            if (released) {
                return;
            }
            released = true;
            DtlsChannel channel = dtls;
            if (channel != null) {
                channel.close(); // close_notify if established
            }
            ice.close();
            SrtpSession session = srtp;
            if (session != null) {
                session.close();
            }
        }
    }

    /** The ICE layer's callbacks (ice4j and timer threads). */
    private final class IceEvents implements TransportListener {
        @Override
        public void onConnected(String selectedPair) {
            onIceConnected(selectedPair);
        }

        @Override
        public void onRestarted(String selectedPair) {
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine(id + ": ICE restarted on " + selectedPair + "; DTLS and SRTP carry on");
            }
        }

        @Override
        public void onFailed(String reason) {
            fail("ICE failed: " + reason);
        }

        @Override
        public void onConsentLost() {
            fail("ICE consent lost: no authenticated consent response in time (RFC 7675 §5.1)");
        }
    }
}
