package dev.palco.sfu.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.palco.rtp.dtls.DtlsCertificate;
import dev.palco.rtp.dtls.DtlsFingerprint;
import dev.palco.rtp.dtls.DtlsSettings;
import dev.palco.rtp.srtp.SrtpReceiver;
import dev.palco.rtp.srtp.SrtpSender;
import dev.palco.rtp.srtp.SrtpStatus;
import dev.palco.sfu.client.ClientConnectException;
import dev.palco.sfu.client.ClientSendResult;
import dev.palco.sfu.client.WebRtcClient;
import dev.palco.sfu.client.WebRtcClientOptions;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Fixtures for the secured-transport tests: a server transport and a client, wired by hand. */
public final class WebRtcTestSupport {
    /** Room after each test packet for the SRTP trailer of any profile. */
    public static final int TAILROOM_BYTES = WebRtcClient.MAX_SRTP_OVERHEAD_BYTES;

    private WebRtcTestSupport() {
    }

    /**
     * A handshake executor as a server would configure one: threads on demand, idle ones end after
     * {@code keepAliveMs}.
     */
    public static ThreadPoolExecutor handshakeExecutor(long keepAliveMs) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, 16, keepAliveMs, TimeUnit.MILLISECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "palco-dtls-handshake-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /** Records the server transport's callbacks. */
    public static final class RecordingWebRtcListener implements WebRtcTransportListener {
        public volatile boolean secured;
        public volatile String failed;
        public volatile boolean closed;
        public final AtomicInteger terminalCallbacks = new AtomicInteger();

        @Override
        public void onSecured(dev.palco.rtp.srtp.SrtpSession srtp) {
            secured = true;
        }

        @Override
        public void onFailed(String reason) {
            failed = reason;
            terminalCallbacks.incrementAndGet();
        }

        @Override
        public void onClosed() {
            closed = true;
            terminalCallbacks.incrementAndGet();
        }
    }

    /** One received media datagram, copied. */
    public record Media(byte[] bytes, boolean rtcp) {
    }

    /** Copies what a receiver gets into a queue. */
    public static final class MediaQueue implements MediaTransport.MediaReceiver, WebRtcClient.MediaReceiver {
        private final BlockingQueue<Media> queue = new LinkedBlockingQueue<>();

        @Override
        public void onMedia(byte[] buf, int off, int len, boolean rtcp, long arrivalNanos) {
            byte[] copy = new byte[len];
            System.arraycopy(buf, off, copy, 0, len);
            queue.add(new Media(copy, rtcp));
        }

        /** @return the next datagram, or fails after {@code timeoutMs} */
        public Media take(long timeoutMs) throws InterruptedException {
            Media m = queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("no media within " + timeoutMs + " ms");
            }
            return m;
        }

        /** @return the next datagram, or null after {@code timeoutMs} */
        public Media pollFor(long timeoutMs) throws InterruptedException {
            return queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
        }

        /** @return the next datagram or null */
        public Media poll() {
            return queue.poll();
        }
    }

    /** A connected pair: the server's transport and the client, with their receivers. */
    public static final class Pair implements AutoCloseable {
        public final WebRtcTransport transport;
        public final WebRtcClient client;
        public final RecordingWebRtcListener events = new RecordingWebRtcListener();
        public final MediaQueue atServer = new MediaQueue();
        public final MediaQueue atClient = new MediaQueue();
        public long msToSecured = -1;

        Pair(String id, IceServer server, DtlsCertificate serverCert, DtlsSettings serverSettings,
                ExecutorService executor, WebRtcClientOptions clientOptions) throws Exception {
            WebRtcTransport t = WebRtcTransport.create(id, server, serverCert, serverSettings, executor, events);
            WebRtcClient c;
            try {
                c = WebRtcClient.create(id + "-client", clientOptions);
            } catch (Exception e) {
                t.close();
                throw e;
            }
            this.transport = t;
            this.client = c;
            t.setMediaReceiver(atServer);
            c.setMediaReceiver(atClient);
        }

        /**
         * Signals the client's offer to the server (as the room would) and connects.
         *
         * @param fingerprintGivenToServer what the server is told the client's fingerprint is
         * @param fingerprintGivenToClient what the client is told the server's fingerprint is
         */
        public void connect(DtlsFingerprint fingerprintGivenToServer, DtlsFingerprint fingerprintGivenToClient,
                Duration timeout) throws ClientConnectException {
            long t0 = System.nanoTime();
            IceCredentials offer = client.localCredentials();
            transport.setRemoteIceCredentials(offer.ufrag(), offer.pwd());
            transport.setRemoteFingerprint(fingerprintGivenToServer);
            for (CandidateDescription c : client.localCandidates()) {
                transport.addRemoteCandidate(c);
            }
            transport.endOfRemoteCandidates();
            IceCredentials answer = transport.localIceCredentials();
            client.connect(answer.ufrag(), answer.pwd(), fingerprintGivenToClient, transport.localCandidates(),
                    timeout);
            IceTestSupport.await("server secured", 5_000, () -> events.secured || events.failed != null);
            msToSecured = (System.nanoTime() - t0) / 1_000_000;
        }

        /** Connects with the true fingerprints. */
        public void connect() throws ClientConnectException {
            connect(client.localFingerprint(), transport.localFingerprint(), Duration.ofSeconds(10));
        }

        @Override
        public void close() {
            client.close();
            transport.close();
        }
    }

    /**
     * Creates a server transport and a client (not yet connected).
     */
    public static Pair pair(String id, IceServer server, DtlsCertificate serverCert, DtlsSettings serverSettings,
            ExecutorService executor, WebRtcClientOptions clientOptions) throws Exception {
        return new Pair(id, server, serverCert, serverSettings, executor, clientOptions);
    }

    /**
     * An RTP packet (RFC 3550 §5.1) at offset {@code off} of a fresh array with tailroom.
     *
     * @return the array; the packet is {@code [off, off + 12 + payloadLen)}
     */
    public static byte[] rtp(int off, int ssrc, int seq, long timestamp, int payloadLen) {
        byte[] b = new byte[off + 12 + payloadLen + TAILROOM_BYTES];
        b[off] = (byte) 0x80; // V=2, P=0, X=0, CC=0
        b[off + 1] = 96; // M=0, PT=96 (dynamic)
        b[off + 2] = (byte) (seq >>> 8); // sequence number
        b[off + 3] = (byte) seq;
        b[off + 4] = (byte) (timestamp >>> 24); // timestamp
        b[off + 5] = (byte) (timestamp >>> 16);
        b[off + 6] = (byte) (timestamp >>> 8);
        b[off + 7] = (byte) timestamp;
        b[off + 8] = (byte) (ssrc >>> 24); // SSRC
        b[off + 9] = (byte) (ssrc >>> 16);
        b[off + 10] = (byte) (ssrc >>> 8);
        b[off + 11] = (byte) ssrc;
        for (int i = 0; i < payloadLen; i++) {
            b[off + 12 + i] = (byte) (i * 7 + seq); // payload: recognisable bytes
        }
        return b;
    }

    /**
     * A receiver report with no report blocks (RFC 3550 §6.4.2) followed by an APP packet
     * (§6.7) carrying {@code tag}, as one compound packet, at offset {@code off} with tailroom.
     *
     * @return the array; the packet is {@code [off, off + 20)}
     */
    public static byte[] rtcp(int off, int ssrc, int tag) {
        byte[] b = new byte[off + 20 + TAILROOM_BYTES];
        b[off] = (byte) 0x80; // V=2, P=0, RC=0
        b[off + 1] = (byte) 201; // PT=201 RR
        b[off + 2] = 0; // length in 32-bit words minus one: 1
        b[off + 3] = 1;
        writeInt(b, off + 4, ssrc); // SSRC of packet sender
        b[off + 8] = (byte) 0x80; // V=2, P=0, subtype=0
        b[off + 9] = (byte) 204; // PT=204 APP
        b[off + 10] = 0; // length: 2 (header word, SSRC, name)
        b[off + 11] = 2;
        writeInt(b, off + 12, ssrc); // SSRC/CSRC
        writeInt(b, off + 16, tag); // name (4 ASCII chars in real use): the test's tag
        return b;
    }

    private static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static byte[] slice(byte[] b, int off, int len) {
        byte[] s = new byte[len];
        System.arraycopy(b, off, s, 0, len);
        return s;
    }

    /**
     * Sends {@code count} RTP packets and {@code rtcpCount} RTCP packets each way and checks that
     * each arrives decrypted with exactly the bytes sent. The server side decrypts with {@code
     * transport.srtp().receiver()} what the media receiver got, and protects with {@code
     * srtp().sender()} before {@code send}, as the pipelines will.
     */
    public static void exchange(Pair p, int count, int rtcpCount, int seqBase) throws Exception {
        SrtpReceiver serverRx = p.transport.srtp().receiver();
        SrtpSender serverTx = p.transport.srtp().sender();
        int off = 7; // not at 0, to catch offset mistakes
        for (int i = 0; i < count; i++) {
            int seq = (seqBase + i) & 0xFFFF;
            int payload = 20 + (i * 97) % 1100;
            // client → server
            byte[] up = rtp(off, 0x11111111, seq, 90_000L * i, payload);
            byte[] expectedUp = slice(up, off, 12 + payload);
            assertEquals(ClientSendResult.SENT, p.client.sendRtp(up, off, 12 + payload));
            Media m = p.atServer.take(2_000);
            assertEquals(false, m.rtcp());
            assertEquals(SrtpStatus.OK, serverRx.unprotectRtp(m.bytes(), 0, m.bytes().length));
            assertArrayEquals(expectedUp, slice(m.bytes(), 0, serverRx.lengthBytes()));
            // server → client
            byte[] down = rtp(off, 0x22222222, seq, 48_000L * i, payload);
            byte[] expectedDown = slice(down, off, 12 + payload);
            assertEquals(SrtpStatus.OK, serverTx.protectRtp(down, off, 12 + payload));
            assertEquals(SendResult.SENT, p.transport.send(down, off, serverTx.lengthBytes()));
            Media d = p.atClient.take(2_000);
            assertEquals(false, d.rtcp());
            assertArrayEquals(expectedDown, d.bytes());
        }
        for (int i = 0; i < rtcpCount; i++) {
            byte[] up = rtcp(off, 0x11111111, seqBase + i);
            byte[] expectedUp = slice(up, off, 20);
            assertEquals(ClientSendResult.SENT, p.client.sendRtcp(up, off, 20));
            Media m = p.atServer.take(2_000);
            assertEquals(true, m.rtcp());
            assertEquals(SrtpStatus.OK, serverRx.unprotectRtcp(m.bytes(), 0, m.bytes().length));
            assertArrayEquals(expectedUp, slice(m.bytes(), 0, serverRx.lengthBytes()));
            byte[] down = rtcp(off, 0x22222222, seqBase + i);
            byte[] expectedDown = slice(down, off, 20);
            assertEquals(SrtpStatus.OK, serverTx.protectRtcp(down, off, 20));
            assertEquals(SendResult.SENT, p.transport.send(down, off, serverTx.lengthBytes()));
            Media d = p.atClient.take(2_000);
            assertEquals(true, d.rtcp());
            assertArrayEquals(expectedDown, d.bytes());
        }
        assertNotNull(p.transport.srtp());
    }
}
