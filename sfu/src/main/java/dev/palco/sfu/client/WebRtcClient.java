package dev.palco.sfu.client;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.palco.rtp.demux.PacketClassifier;
import dev.palco.rtp.demux.PacketKind;
import dev.palco.rtp.dtls.DtlsCertificate;
import dev.palco.rtp.dtls.DtlsEndpoint;
import dev.palco.rtp.dtls.DtlsException;
import dev.palco.rtp.dtls.DtlsFingerprint;
import dev.palco.rtp.dtls.DtlsRole;
import dev.palco.rtp.dtls.DtlsSettings;
import dev.palco.rtp.srtp.SrtpProfile;
import dev.palco.rtp.srtp.SrtpSender;
import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.rtp.srtp.SrtpStatus;
import dev.palco.sfu.transport.CandidateDescription;
import dev.palco.sfu.transport.DemuxCounters;
import dev.palco.sfu.transport.DemuxDropReason;
import dev.palco.sfu.transport.DtlsChannel;
import dev.palco.sfu.transport.IceCredentials;
import dev.palco.sfu.transport.SendResult;
import dev.palco.sfu.transport.TransportCounters;
import dev.palco.sfu.transport.TransportListener;

/**
 * Palco's own WebRTC endpoint, the browser's side of a {@link
 * dev.palco.sfu.transport.WebRtcTransport}: a controlling {@link IceClientAgent} (UDP or ICE-TCP),
 * a {@link DtlsEndpoint} in the DTLS client role ({@code a=setup:active}) and the resulting
 * {@link SrtpSession}. For tests and the load generator.
 *
 * <p><b>Flow.</b> {@link #create}, signal {@link #localCredentials()}, {@link #localCandidates()} and
 * {@link #localFingerprint()} to the server, then {@link #connect} with the server's values; it
 * blocks until SRTP is keyed or throws {@link ClientConnectException}. Then {@link #sendRtp} /
 * {@link #sendRtcp}, and receive decrypted packets through {@link #setMediaReceiver}. {@link
 * #close()} sends close_notify and frees everything; call it after a failed connect too.
 *
 * <p><b>Tailroom.</b> {@link #sendRtp} and {@link #sendRtcp} protect in place and append the SRTP
 * trailer right after the packet: leave at least {@link SrtpProfile#rtpOverheadBytes()} (RTP) or
 * {@link SrtpProfile#rtcpOverheadBytes()} (RTCP) of the negotiated profile free in the array after
 * {@code off + len}; {@link #MAX_SRTP_OVERHEAD_BYTES} covers every profile and both.
 *
 * <p><b>Loss injection.</b> A {@link ReceiveFilter} sees every datagram from the server (DTLS,
 * SRTP, SRTCP) before anything else and may drop it, counted as {@link DemuxDropReason#FILTERED}.
 *
 * <p><b>Threads.</b> The handshake runs on the thread that calls {@link #connect}. Received SRTP is
 * decrypted on the ICE reader thread of the client and handed to the {@link MediaReceiver} there.
 * The server may send media the moment its side of the handshake ends, a round trip before this
 * side has its keys; a browser, whose one network thread handles DTLS and SRTP in arrival order,
 * loses none of it, and neither does this client: its {@link SrtpInbound} holds up to {@value
 * SrtpInbound#EARLY_MEDIA_PACKETS} such datagrams and hands them over, in order and before any
 * later one, when the keys arrive (on the connecting thread). Beyond that, or when the handshake
 * fails, they are dropped as {@link DemuxDropReason#NOT_SECURED}.
 * Sends may come from any thread (the SRTP sender is locked, as it serves one thread at a time).
 */
public final class WebRtcClient implements AutoCloseable {
    /**
     * Tailroom that suffices for any profile and packet kind: AEAD_AES_128_GCM SRTCP appends a
     * 16-byte tag and the 4-byte SRTCP index (RFC 7714 §9.1).
     */
    public static final int MAX_SRTP_OVERHEAD_BYTES = maxOverheadBytes();

    private static final Executor SHARED_DTLS_EXECUTOR = newSharedExecutor();


    /** Receives the server's RTP and RTCP, decrypted. */
    @FunctionalInterface
    public interface MediaReceiver {
        /**
         * Called on the client's ICE reader thread; must not keep {@code buf}.
         *
         * @param buf the array holding the plaintext packet
         * @param off where it starts
         * @param len its length (the SRTP trailer removed)
         * @param rtcp true for RTCP (RFC 5761 §4)
         * @param arrivalNanos when the datagram arrived, in {@link System#nanoTime()} units
         */
        void onMedia(byte[] buf, int off, int len, boolean rtcp, long arrivalNanos);
    }

    /** Decides, before anything else, whether a datagram from the server is processed at all. */
    @FunctionalInterface
    public interface ReceiveFilter {
        /**
         * Called on the client's ICE reader thread.
         *
         * @param buf the array holding the datagram, still protected
         * @param off where it starts
         * @param len its length
         * @param kind its RFC 7983 class (DTLS, RTP, RTCP, ...)
         * @return false to drop it, as if the network had lost it
         */
        boolean accept(byte[] buf, int off, int len, PacketKind kind);
    }

    /** Counters of one client, beyond the demux and ICE ones. */
    public static final class Counters {
        private final SrtpInbound inbound;
        private final LongAdder rtpSent = new LongAdder();
        private final LongAdder rtcpSent = new LongAdder();
        private final LongAdder[] protectFailures = adders();

        private Counters(SrtpInbound inbound) {
            this.inbound = inbound;
        }

        private static LongAdder[] adders() {
            LongAdder[] a = new LongAdder[SrtpStatus.values().length];
            for (int i = 0; i < a.length; i++) {
                a[i] = new LongAdder();
            }
            return a;
        }

        /** @return RTP packets decrypted and delivered */
        public long rtpReceived() {
            return inbound.rtpReceived();
        }

        /** @return RTCP packets decrypted and delivered */
        public long rtcpReceived() {
            return inbound.rtcpReceived();
        }

        /** @return RTP packets protected and sent */
        public long rtpSent() {
            return rtpSent.sum();
        }

        /** @return RTCP packets protected and sent */
        public long rtcpSent() {
            return rtcpSent.sum();
        }

        /** @return received packets dropped because unprotect returned {@code status} */
        public long unprotectFailures(SrtpStatus status) {
            return inbound.unprotectFailures(status);
        }

        /** @return packets not sent because protect returned {@code status} */
        public long protectFailures(SrtpStatus status) {
            return protectFailures[status.ordinal()].sum();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("WebRtcClient.Counters[rtpRx=").append(rtpReceived())
                    .append(", rtcpRx=").append(rtcpReceived())
                    .append(", rtpTx=").append(rtpSent())
                    .append(", rtcpTx=").append(rtcpSent());
            for (SrtpStatus s : SrtpStatus.values()) {
                if (unprotectFailures(s) != 0) {
                    sb.append(", unprotect.").append(s).append('=').append(unprotectFailures(s));
                }
                if (protectFailures(s) != 0) {
                    sb.append(", protect.").append(s).append('=').append(protectFailures(s));
                }
            }
            return sb.append(']').toString();
        }
    }

    private final String name;
    private final WebRtcClientOptions options;
    private final DtlsCertificate certificate;
    private final IceClientAgent ice;
    private final DemuxCounters demuxCounters = new DemuxCounters();
    /** Decrypts and delivers what the reader thread classed as media; holds it until the keys arrive. */
    private final SrtpInbound inbound = new SrtpInbound(demuxCounters);
    private final Counters counters = new Counters(inbound);
    private final CountDownLatch iceOutcome = new CountDownLatch(1);
    private final AtomicBoolean connectCalled = new AtomicBoolean();
    private final AtomicBoolean closeCalled = new AtomicBoolean();

    private volatile String iceFailure;
    private volatile DtlsChannel dtls;
    private volatile SrtpSession srtp;
    private volatile boolean closed;
    private volatile ReceiveFilter receiveFilter;

    private WebRtcClient(String name, WebRtcClientOptions options) throws IOException {
        this.name = name;
        this.options = options;
        this.certificate = options.certificate() != null ? options.certificate()
                : DtlsCertificate.generate(Instant.now());
        this.ice = IceClientAgent.create(name, options.ice(), new IceEvents());
        ice.setReceiver(this::onDatagram);
    }

    /**
     * Creates the client and its local ICE candidate.
     *
     * @param name for logs and thread names
     * @param options ICE mode and timers, DTLS settings, certificate
     * @return the client, not yet connected
     * @throws IOException if the socket cannot be bound
     */
    public static WebRtcClient create(String name, WebRtcClientOptions options) throws IOException {
        return new WebRtcClient(Objects.requireNonNull(name, "name"), Objects.requireNonNull(options, "options"));
    }

    /** @return the ICE credentials to signal */
    public IceCredentials localCredentials() {
        return ice.localCredentials();
    }

    /** @return the candidates to signal */
    public List<CandidateDescription> localCandidates() {
        return ice.localCandidates();
    }

    /** @return the fingerprint to signal, with {@code a=setup:active} */
    public DtlsFingerprint localFingerprint() {
        return certificate.fingerprint();
    }

    /**
     * Connects ICE (controlling) and runs the DTLS handshake as the client, on this thread, with
     * {@code timeout} for both together. Call once.
     *
     * @param remoteUfrag the server's {@code a=ice-ufrag}
     * @param remotePwd the server's {@code a=ice-pwd}
     * @param remoteFingerprint the server's {@code a=fingerprint}
     * @param remoteCandidates the server's candidates (only those of the client's mode are used)
     * @param timeout overall limit
     * @return the keyed SRTP session
     * @throws ClientConnectException if ICE or DTLS failed or timed out; the message says which and why
     */
    public SrtpSession connect(String remoteUfrag, String remotePwd, DtlsFingerprint remoteFingerprint,
            List<CandidateDescription> remoteCandidates, Duration timeout) throws ClientConnectException {
        Objects.requireNonNull(remoteFingerprint, "remoteFingerprint");
        if (!connectCalled.compareAndSet(false, true)) {
            throw new IllegalStateException("connect already called");
        }
        if (closed) {
            throw new IllegalStateException("client " + name + " is closed");
        }
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        // Set up before checks start: the server may answer the ClientHello at once.
        DtlsChannel channel = new DtlsChannel(ice, new DtlsEndpoint(DtlsRole.CLIENT, certificate,
                remoteFingerprint, dtlsSettingsWithin(deadlineNanos)), dtlsExecutor(), this::onPeerClosed);
        dtls = channel;
        inbound.beginHandshake();
        ice.setRemoteCredentials(remoteUfrag, remotePwd);
        for (CandidateDescription c : remoteCandidates) {
            ice.addRemoteCandidate(c);
        }
        ice.start();
        try {
            long waitNanos = deadlineNanos - System.nanoTime();
            if (!iceOutcome.await(Math.max(0, waitNanos), TimeUnit.NANOSECONDS)) {
                throw new ClientConnectException(ClientConnectException.Stage.ICE,
                        "not connected within " + timeout.toMillis() + " ms", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientConnectException(ClientConnectException.Stage.ICE, "interrupted", e);
        }
        String failure = iceFailure;
        if (failure != null) {
            throw new ClientConnectException(ClientConnectException.Stage.ICE, failure, null);
        }
        SrtpSession session;
        try {
            session = channel.handshake();
        } catch (DtlsException e) {
            throw new ClientConnectException(ClientConnectException.Stage.DTLS, e.getMessage(), e);
        }
        synchronized (this) {
            if (closed) {
                session.close();
                throw new ClientConnectException(ClientConnectException.Stage.DTLS, "closed during connect", null);
            }
            srtp = session;
        }
        inbound.release(session);
        return session;
    }

    private DtlsSettings dtlsSettingsWithin(long deadlineNanos) {
        long remainingMs = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
        DtlsSettings settings = options.dtls();
        return remainingMs < settings.handshakeTimeoutMs()
                ? settings.withHandshakeTimeoutMs((int) remainingMs) : settings;
    }

    private Executor dtlsExecutor() {
        return options.dtlsExecutor() != null ? options.dtlsExecutor() : SHARED_DTLS_EXECUTOR;
    }

    /**
     * Starts an ICE restart (RFC 8445 §9) from a new socket with new credentials, as a browser
     * does; media keeps flowing on the old pair until the new one is selected. DTLS and SRTP carry
     * on unchanged. Signal the returned credentials and {@link #localCandidates()}, then call
     * {@link #continueIceRestart} with the server's new values.
     *
     * @return the new local credentials
     * @throws IOException if the new socket cannot be bound
     */
    public IceCredentials restartIce() throws IOException {
        return ice.restart();
    }

    /**
     * Gives the restarting ICE agent the server's new credentials and candidates and starts its
     * checks.
     */
    public void continueIceRestart(String remoteUfrag, String remotePwd, List<CandidateDescription> remoteCandidates) {
        ice.setRemoteCredentials(remoteUfrag, remotePwd);
        for (CandidateDescription c : remoteCandidates) {
            ice.addRemoteCandidate(c);
        }
        ice.start();
    }

    /** @return the SRTP session, or null until connected */
    public SrtpSession srtp() {
        return srtp;
    }

    /** @return whether SRTP is keyed and the association is open */
    public boolean isSecured() {
        return inbound.isSecured();
    }

    /** @return whether the server closed the DTLS association (close_notify) */
    public boolean isClosedByPeer() {
        DtlsChannel channel = dtls;
        return channel != null && channel.isClosedByPeer();
    }

    /** Replaces the receiver of decrypted RTP and RTCP. */
    public void setMediaReceiver(MediaReceiver receiver) {
        inbound.setReceiver(receiver);
    }

    /** Sets (or, with null, removes) the receive-side drop filter. */
    public void setReceiveFilter(ReceiveFilter filter) {
        this.receiveFilter = filter;
    }

    /**
     * Protects an RTP packet in place and sends it. Needs the profile's tailroom (class comment).
     *
     * @return the outcome; never throws
     */
    public ClientSendResult sendRtp(byte[] buf, int off, int len) {
        return protectAndSend(buf, off, len, false);
    }

    /**
     * Protects a (compound) RTCP packet in place and sends it. Needs the profile's tailroom.
     *
     * @return the outcome; never throws
     */
    public ClientSendResult sendRtcp(byte[] buf, int off, int len) {
        return protectAndSend(buf, off, len, true);
    }

    private ClientSendResult protectAndSend(byte[] buf, int off, int len, boolean rtcp) {
        if (closed || isClosedByPeer()) {
            return ClientSendResult.CLOSED;
        }
        SrtpSession session = srtp;
        if (!inbound.isSecured() || session == null) {
            return ClientSendResult.NOT_SECURED;
        }
        SrtpSender sender = session.sender();
        SrtpStatus status;
        int protectedLen;
        synchronized (sender) {
            status = rtcp ? sender.protectRtcp(buf, off, len) : sender.protectRtp(buf, off, len);
            protectedLen = sender.lengthBytes();
        }
        if (status != SrtpStatus.OK) {
            counters.protectFailures[status.ordinal()].increment();
            return ClientSendResult.PROTECT_FAILED;
        }
        SendResult sent = ice.send(buf, off, protectedLen);
        if (sent == SendResult.SENT) {
            (rtcp ? counters.rtcpSent : counters.rtpSent).increment();
            return ClientSendResult.SENT;
        }
        return sent == SendResult.CLOSED ? ClientSendResult.CLOSED : ClientSendResult.NOT_SENT;
    }

    /**
     * Sends bytes as they are, unprotected, on the selected pair: for tests that need the server
     * to receive garbage from an authorized source.
     */
    public SendResult sendRawDatagram(byte[] buf, int off, int len) {
        return ice.send(buf, off, len);
    }

    /** @return send/receive counters and SRTP failures */
    public Counters counters() {
        return counters;
    }

    /** @return the demux counters (including {@link DemuxDropReason#FILTERED}) */
    public DemuxCounters demuxCounters() {
        return demuxCounters;
    }

    /** @return the ICE agent's counters */
    public TransportCounters iceCounters() {
        return ice.counters();
    }

    /** @return the selected ICE pair as text, or null */
    public String selectedPair() {
        return ice.selectedPair();
    }

    /** Sends close_notify if secured, closes ICE, zeroes the SRTP keys. Idempotent. */
    @Override
    public void close() {
        if (!closeCalled.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            closed = true;
        }
        inbound.close();
        DtlsChannel channel = dtls;
        if (channel != null) {
            channel.close();
        }
        ice.close();
        SrtpSession session = srtp;
        if (session != null) {
            session.close();
        }
    }

    /**
     * Vanishes as a crashed browser or a dropped network does: frees ICE first, so nothing more
     * leaves the socket — no close_notify, no consent responses — then the DTLS state and the SRTP
     * keys. The server notices only through consent freshness (RFC 7675 §5.1). For tests of that
     * path; {@link #close()} is the orderly way. Idempotent, and {@link #close()} after it does
     * nothing.
     */
    public void abandon() {
        if (!closeCalled.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            closed = true;
        }
        inbound.close();
        ice.close();
        DtlsChannel channel = dtls;
        if (channel != null) {
            // ICE is closed: the close_notify this would send fails to leave (DTLS sees it as closed).
            channel.close();
        }
        SrtpSession session = srtp;
        if (session != null) {
            session.close();
        }
    }

    @Override
    public String toString() {
        return "WebRtcClient[" + name + (inbound.isSecured() ? ", secured" : "") + (closed ? ", closed" : "") + "]";
    }

    /** RFC 7983 demux on the ICE reader thread; decrypts SRTP in place. Never throws. */
    private void onDatagram(byte[] buf, int off, int len) {
        long arrivalNanos = System.nanoTime();
        PacketKind kind = PacketClassifier.classify(buf, off, len);
        ReceiveFilter filter = receiveFilter;
        if (filter != null && !filter.accept(buf, off, len, kind)) {
            demuxCounters.drop(DemuxDropReason.FILTERED);
            return;
        }
        switch (kind) {
            case RTP:
                inbound.deliver(buf, off, len, false, arrivalNanos);
                break;
            case RTCP:
                inbound.deliver(buf, off, len, true, arrivalNanos);
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


    private void onPeerClosed() {
        inbound.unsecure();
    }

    private static int maxOverheadBytes() {
        int max = 0;
        for (SrtpProfile p : SrtpProfile.values()) {
            max = Math.max(max, Math.max(p.rtpOverheadBytes(), p.rtcpOverheadBytes()));
        }
        return max;
    }

    private static Executor newSharedExecutor() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "palco-client-dtls-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        return pool;
    }

    /** ICE callbacks: only the first outcome matters to connect(). */
    private final class IceEvents implements TransportListener {
        @Override
        public void onConnected(String selectedPair) {
            iceOutcome.countDown();
        }

        @Override
        public void onFailed(String reason) {
            iceFailure = reason;
            iceOutcome.countDown();
        }

        @Override
        public void onConsentLost() {
            inbound.unsecure();
            iceFailure = "consent lost (RFC 7675 §5.1)";
            iceOutcome.countDown();
        }
    }
}
