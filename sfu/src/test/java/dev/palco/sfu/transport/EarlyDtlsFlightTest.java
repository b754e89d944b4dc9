package dev.palco.sfu.transport;

import static dev.palco.sfu.transport.IceTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.dtls.DtlsCertificate;
import dev.palco.rtp.dtls.DtlsEndpoint;
import dev.palco.rtp.dtls.DtlsRole;
import dev.palco.rtp.dtls.DtlsSettings;
import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.rtp.srtp.SrtpSupport;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.tls.DatagramTransport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that sends its DTLS ClientHello the moment its connectivity check is answered (browsers
 * do) must not lose it to the server's source authorization. The client here is hand-made on a raw
 * loopback socket, so the test decides exactly when each datagram leaves: one authenticated Binding
 * request with USE-CANDIDATE, answers to the server's triggered check, and Bouncy Castle's DTLS
 * client started on the reader thread as soon as the check's success response arrives.
 *
 * <p>To make the race happen every time, the {@link IceAgentSession.AuthenticatedRequestProbe} stalls
 * the server's authorization of the client's address whenever ice4j has already processed (and so
 * answered) the check by then, until the server's receive thread has handled the client's first
 * DTLS flight. With authorization ordered after ice4j's response, the ClientHello is then dropped as
 * {@link TransportDropReason#UNAUTHORIZED_SOURCE} and the handshake waits for the client's
 * retransmission timer; with authorization ahead of the response, the probe finds nothing answered
 * yet and the ClientHello is accepted.
 */
class EarlyDtlsFlightTest {
    private static final String CLIENT_UFRAG = "early";
    private static final String CLIENT_PWD = "early-client-password-0123";
    /**
     * The client's first DTLS retransmission timeout: a handshake whose first flight was lost ends
     * at least this long after it. Long enough that a handshake on a loaded machine stays well inside.
     */
    private static final int CLIENT_RETRANSMIT_MS = 2_000;

    private static IceServer server;
    private static ThreadPoolExecutor handshakes;
    private static DtlsCertificate serverCert;
    private static DtlsCertificate clientCert;

    @BeforeAll
    static void start() throws Exception {
        IceTestSupport.quietIce4j();
        SrtpSupport.warmUp();
        server = IceServer.start(IceTestSupport.loopbackConfig(false));
        handshakes = WebRtcTestSupport.handshakeExecutor(1_000);
        serverCert = DtlsCertificate.generate(Instant.now());
        clientCert = DtlsCertificate.generate(Instant.now());
    }

    @AfterAll
    static void stop() {
        IceAgentSession.authenticatedRequestProbe = null;
        server.close();
        handshakes.shutdownNow();
    }

    @Test
    void clientHelloSentOnTheCheckResponseIsNotDropped() throws Exception {
        WebRtcTestSupport.RecordingWebRtcListener events = new WebRtcTestSupport.RecordingWebRtcListener();
        WebRtcTransport transport = WebRtcTransport.create("early", server, serverCert, DtlsSettings.DEFAULTS,
                handshakes, events);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(IceTestSupport.loopback(), 0))) {
            InetSocketAddress clientAddress = (InetSocketAddress) socket.getLocalSocketAddress();
            InetSocketAddress serverAddress = server.udpAddresses().get(0);
            AtomicInteger probed = new AtomicInteger();
            AtomicBoolean answeredBeforeAuthorized = new AtomicBoolean();
            IceAgentSession.authenticatedRequestProbe = (session, event) -> {
                TransportAddress from = event.getRemoteAddress();
                if (from.getPort() != clientAddress.getPort() || probed.getAndIncrement() != 0) {
                    return;
                }
                // The client's address is not among the remote candidates the server was given, so
                // a pair with it exists only once ice4j has processed this check (it learns the
                // peer-reflexive candidate, RFC 8445 §7.3.1.3, and then sends the response).
                if (session.agent().findCandidatePair(event.getLocalAddress(), from) == null) {
                    return;
                }
                answeredBeforeAuthorized.set(true);
                // The response is out: hold authorization until the client's first flight has been
                // handled by the receive thread (dropped or delivered), as a descheduled thread would.
                long handledBefore = transport.demuxCounters().dtlsDatagrams();
                await("the client's ClientHello reached the server", 5_000, () ->
                        transport.iceCounters().dropped(TransportDropReason.UNAUTHORIZED_SOURCE) > 0
                                || transport.demuxCounters().dtlsDatagrams() > handledBefore);
            };

            transport.setRemoteIceCredentials(CLIENT_UFRAG, CLIENT_PWD);
            transport.setRemoteFingerprint(clientCert.fingerprint());
            transport.endOfRemoteCandidates(); // no candidates: the server learns the client from its check
            IceCredentials serverIce = transport.localIceCredentials();

            RawClient client = new RawClient(socket, serverAddress, serverIce);
            client.start();
            long t0 = System.nanoTime();
            client.sendCheck();
            await("server secured", 5_000, () -> events.secured || events.failed != null);
            long securedNanos = System.nanoTime();
            long securedMs = (securedNanos - t0) / 1_000_000;
            await("client handshake done", 5_000, () -> client.srtp.get() != null || client.failure.get() != null);
            client.close();

            long afterFirstFlightMs = (securedNanos - client.firstFlightNanos.get()) / 1_000_000;
            System.out.printf("early ClientHello: secured %d ms after the check, %d ms after the first flight; ice4j "
                    + "had answered before authorization: %s; server ICE %s; demux %s%n", securedMs, afterFirstFlightMs,
                    answeredBeforeAuthorized.get(),
                    transport.iceCounters(), transport.demuxCounters());
            assertNull(events.failed);
            assertNull(client.failure.get());
            assertNotNull(client.srtp.get());
            assertTrue(probed.get() > 0, "the check passed MESSAGE-INTEGRITY and reached the probe");
            assertEquals(0, transport.iceCounters().dropped(TransportDropReason.UNAUTHORIZED_SOURCE),
                    transport.iceCounters().toString());
            // A lost first flight is sent again CLIENT_RETRANSMIT_MS after the first one.
            assertTrue(afterFirstFlightMs < CLIENT_RETRANSMIT_MS, "secured " + afterFirstFlightMs
                    + " ms after the first flight: it needed a retransmission");
            assertFalse(answeredBeforeAuthorized.get(),
                    "the client's address must be authorized before ice4j processes and answers its check");
        } finally {
            IceAgentSession.authenticatedRequestProbe = null;
            transport.close();
        }
    }

    /**
     * The client: one socket, a reader thread that answers the server's checks (RFC 8445 §7.3),
     * spots the response to its own check and then starts DTLS at once, and queues DTLS records.
     */
    private static final class RawClient implements Runnable {
        private final DatagramSocket socket;
        private final InetSocketAddress server;
        private final IceCredentials serverIce;
        private final byte[] checkTransactionId = new byte[12];
        private final BlockingQueue<byte[]> dtlsRecords = new LinkedBlockingQueue<>();
        private final Thread reader = new Thread(this, "early-client-reader");
        private final AtomicBoolean dtlsStarted = new AtomicBoolean();
        private final List<byte[]> heldAnswers = new ArrayList<>();
        private boolean firstFlightSent; // guarded by heldAnswers
        final AtomicReference<SrtpSession> srtp = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong firstFlightNanos = new AtomicLong();

        RawClient(DatagramSocket socket, InetSocketAddress server, IceCredentials serverIce) {
            this.socket = socket;
            this.server = server;
            this.serverIce = serverIce;
            for (int i = 0; i < checkTransactionId.length; i++) {
                checkTransactionId[i] = (byte) (0x51 + i);
            }
            reader.setDaemon(true);
        }

        void start() {
            reader.start();
        }

        void sendCheck() throws IOException {
            byte[] check = bindingRequest(serverIce.ufrag() + ":" + CLIENT_UFRAG, serverIce.pwd(), checkTransactionId);
            socket.send(new DatagramPacket(check, check.length, server));
        }

        void close() {
            socket.close();
        }

        @Override
        public void run() {
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            while (!socket.isClosed()) {
                p.setData(buf, 0, buf.length);
                try {
                    socket.receive(p);
                } catch (IOException e) {
                    return;
                }
                int len = p.getLength();
                int first = buf[0] & 0xFF;
                if (first >= 20 && first <= 63) { // RFC 7983: DTLS
                    dtlsRecords.add(Arrays.copyOf(buf, len));
                } else if (first <= 3 && len >= 20) { // RFC 7983: STUN
                    int type = ((buf[0] & 0xFF) << 8) | (buf[1] & 0xFF);
                    if (type == 0x0001) {
                        answerOrHold(bindingSuccess(buf, (InetSocketAddress) p.getSocketAddress(), CLIENT_PWD));
                    } else if (type == 0x0101 && Arrays.equals(buf, 8, 20, checkTransactionId, 0, 12)
                            && dtlsStarted.compareAndSet(false, true)) {
                        Thread dtls = new Thread(this::handshake, "early-client-dtls");
                        dtls.setDaemon(true);
                        dtls.start();
                    }
                }
            }
        }

        /**
         * Answers a check from the server, or holds the answer until the first DTLS flight is out:
         * otherwise the server's own check could succeed first and authorize the address through
         * the other path, and the race under test would not happen.
         */
        private void answerOrHold(byte[] response) {
            synchronized (heldAnswers) {
                if (!firstFlightSent) {
                    heldAnswers.add(response);
                    return;
                }
            }
            send(response);
        }

        private void firstFlightSent() {
            List<byte[]> answers;
            synchronized (heldAnswers) {
                if (firstFlightSent) {
                    return;
                }
                firstFlightSent = true;
                firstFlightNanos.set(System.nanoTime());
                answers = new ArrayList<>(heldAnswers);
                heldAnswers.clear();
            }
            for (byte[] a : answers) {
                send(a);
            }
        }

        private void send(byte[] datagram) {
            try {
                socket.send(new DatagramPacket(datagram, datagram.length, server));
            } catch (IOException e) {
                if (!socket.isClosed()) { // after the test closes it, consent checks go unanswered
                    failure.compareAndSet(null, e);
                }
            }
        }

        private void handshake() {
            DtlsSettings settings = DtlsSettings.DEFAULTS.withInitialRetransmitMs(CLIENT_RETRANSMIT_MS);
            DtlsEndpoint endpoint = new DtlsEndpoint(DtlsRole.CLIENT, clientCert, serverCert.fingerprint(), settings);
            try {
                srtp.set(endpoint.handshake(new DatagramTransport() {
                    @Override
                    public int getReceiveLimit() {
                        return 1500;
                    }

                    @Override
                    public int getSendLimit() {
                        return 1200;
                    }

                    @Override
                    public int receive(byte[] b, int off, int len, int waitMillis) throws IOException {
                        byte[] record;
                        try {
                            record = dtlsRecords.poll(waitMillis, TimeUnit.MILLISECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException(e);
                        }
                        if (record == null) {
                            return -1;
                        }
                        int n = Math.min(len, record.length);
                        System.arraycopy(record, 0, b, off, n);
                        return n;
                    }

                    @Override
                    public void send(byte[] b, int off, int len) throws IOException {
                        socket.send(new DatagramPacket(b, off, len, server));
                        firstFlightSent();
                    }

                    @Override
                    public void close() {
                        // The test closes the socket.
                    }
                }));
            } catch (Exception | AssertionError e) {
                failure.set(e);
            }
        }
    }

    /**
     * An ICE connectivity check (RFC 8445 §7.1.1) as a controlling agent nominating the pair.
     *
     * @param username "serverUfrag:clientUfrag"
     * @param key the server's ICE password (short-term credential, RFC 5389 §15.4)
     */
    static byte[] bindingRequest(String username, String key, byte[] transactionId) {
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        int userPadded = (user.length + 3) & ~3;
        int attrs = (4 + userPadded) + (4 + 4) + (4 + 8) + 4 + (4 + 20);
        byte[] msg = new byte[20 + attrs];
        msg[0] = 0x00; // type: Binding request 0x0001
        msg[1] = 0x01;
        msg[2] = (byte) (attrs >>> 8); // length of the attributes, MESSAGE-INTEGRITY included
        msg[3] = (byte) attrs;
        msg[4] = 0x21; // magic cookie 0x2112A442
        msg[5] = 0x12;
        msg[6] = (byte) 0xA4;
        msg[7] = 0x42;
        System.arraycopy(transactionId, 0, msg, 8, 12); // transaction ID, 96 bits
        int o = 20;
        msg[o] = 0x00; // USERNAME 0x0006
        msg[o + 1] = 0x06;
        msg[o + 2] = (byte) (user.length >>> 8); // unpadded value length
        msg[o + 3] = (byte) user.length;
        System.arraycopy(user, 0, msg, o + 4, user.length); // zero padded to 4 bytes
        o += 4 + userPadded;
        msg[o] = 0x00; // PRIORITY 0x0024
        msg[o + 1] = 0x24;
        msg[o + 2] = 0x00; // length 4
        msg[o + 3] = 0x04;
        msg[o + 4] = 0x6E; // priority 0x6E7F00FF: peer-reflexive type preference 110 (RFC 8445 §5.1.2.1)
        msg[o + 5] = 0x7F;
        msg[o + 6] = 0x00;
        msg[o + 7] = (byte) 0xFF;
        o += 8;
        msg[o] = (byte) 0x80; // ICE-CONTROLLING 0x802A
        msg[o + 1] = 0x2A;
        msg[o + 2] = 0x00; // length 8
        msg[o + 3] = 0x08;
        for (int i = 0; i < 8; i++) {
            msg[o + 4 + i] = (byte) 0xFF; // tie-breaker: the largest, so the client stays controlling
        }
        o += 12;
        msg[o] = 0x00; // USE-CANDIDATE 0x0025, no value: nominates the pair (RFC 8445 §8.1.1)
        msg[o + 1] = 0x25;
        msg[o + 2] = 0x00; // length 0
        msg[o + 3] = 0x00;
        o += 4;
        byte[] hmac = MessageIntegrityAttribute.calculateHmacSha1(msg, 0, o, key.getBytes(StandardCharsets.UTF_8));
        msg[o] = 0x00; // MESSAGE-INTEGRITY 0x0008
        msg[o + 1] = 0x08;
        msg[o + 2] = 0x00; // length 20
        msg[o + 3] = 0x14;
        System.arraycopy(hmac, 0, msg, o + 4, 20); // HMAC-SHA1 over everything before it
        return msg;
    }

    /**
     * A Binding success response (RFC 5389 §7.3.1) to {@code request}, with XOR-MAPPED-ADDRESS and
     * MESSAGE-INTEGRITY keyed with our own password.
     */
    static byte[] bindingSuccess(byte[] request, InetSocketAddress mapped, String key) {
        byte[] addr = mapped.getAddress().getAddress();
        if (!(mapped.getAddress() instanceof Inet4Address)) {
            throw new IllegalArgumentException("IPv4 only: " + mapped);
        }
        int attrs = (4 + 8) + (4 + 20);
        byte[] msg = new byte[20 + attrs];
        msg[0] = 0x01; // type: Binding success response 0x0101
        msg[1] = 0x01;
        msg[2] = (byte) (attrs >>> 8); // length of the attributes, MESSAGE-INTEGRITY included
        msg[3] = (byte) attrs;
        System.arraycopy(request, 4, msg, 4, 16); // magic cookie and the request's transaction ID
        int o = 20;
        msg[o] = 0x00; // XOR-MAPPED-ADDRESS 0x0020
        msg[o + 1] = 0x20;
        msg[o + 2] = 0x00; // length 8
        msg[o + 3] = 0x08;
        msg[o + 4] = 0x00; // reserved
        msg[o + 5] = 0x01; // family IPv4
        int xport = mapped.getPort() ^ 0x2112;
        msg[o + 6] = (byte) (xport >>> 8); // port XOR the cookie's high 16 bits
        msg[o + 7] = (byte) xport;
        for (int i = 0; i < 4; i++) {
            msg[o + 8 + i] = (byte) (addr[i] ^ msg[4 + i]); // address XOR the magic cookie
        }
        o += 12;
        byte[] hmac = MessageIntegrityAttribute.calculateHmacSha1(msg, 0, o, key.getBytes(StandardCharsets.UTF_8));
        msg[o] = 0x00; // MESSAGE-INTEGRITY 0x0008
        msg[o + 1] = 0x08;
        msg[o + 2] = 0x00; // length 20
        msg[o + 3] = 0x14;
        System.arraycopy(hmac, 0, msg, o + 4, 20); // HMAC-SHA1 over everything before it
        return msg;
    }
}
