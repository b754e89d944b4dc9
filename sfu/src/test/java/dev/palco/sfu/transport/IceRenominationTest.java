package dev.palco.sfu.transport;

import static dev.palco.sfu.transport.IceTestSupport.await;
import static dev.palco.sfu.transport.IceTestSupport.datagram;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.sfu.transport.IceTestSupport.QueueReceiver;
import dev.palco.sfu.transport.IceTestSupport.RecordingListener;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.ice4j.ice.CandidatePair;
import org.ice4j.ice.CandidatePairState;
import org.ice4j.ice.IceProcessingState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A controlling peer that behaves like libwebrtc: it checks two of its addresses against the
 * server, nominates one, and after the server's ICE processing has terminated, moves to the other
 * valid pair and nominates that one. The server must keep answering the peer's checks there, send
 * media there, and keep consent on the pair the peer chose.
 *
 * <p>The peer is written with raw sockets and hand-encoded STUN (RFC 8489): the project's own
 * client agent never switches pairs, and a browser is what does.
 */
class IceRenominationTest {
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int BINDING_REQUEST = 0x0001;
    private static final int BINDING_SUCCESS = 0x0101;
    private static final int BINDING_ERROR = 0x0111;
    private static final int ATTR_USERNAME = 0x0006;
    private static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    private static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
    private static final int ATTR_PRIORITY = 0x0024;
    private static final int ATTR_USE_CANDIDATE = 0x0025;
    private static final int ATTR_FINGERPRINT = 0x8028;
    private static final int ATTR_ICE_CONTROLLING = 0x802A;
    private static final int FINGERPRINT_XOR = 0x5354554E;
    private static final String PEER_UFRAG = "peerUfrag";
    private static final String PEER_PWD = "peerPasswordOf24Chars...";

    private static IceServer server;

    @BeforeAll
    static void startServer() throws Exception {
        IceTestSupport.quietIce4j();
        server = IceServer.start(IceTestSupport.loopbackConfig(false));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void followsThePeersNominationAfterIceProcessingTerminated() throws Exception {
        RecordingListener events = new RecordingListener();
        IceTransport transport = server.createTransport("renominating-peer", events);
        QueueReceiver atServer = new QueueReceiver();
        transport.setReceiver(atServer);
        IceCredentials local = transport.localCredentials();
        CandidateDescription host = transport.localCandidates().get(0);
        InetSocketAddress serverAddress = new InetSocketAddress(InetAddress.getByName(host.address()), host.port());
        transport.setRemoteCredentials(PEER_UFRAG, PEER_PWD);
        transport.endOfRemoteCandidates();

        try (Peer first = new Peer("first", local, serverAddress, 1);
                Peer second = new Peer("second", local, serverAddress, 2)) {
            // Both addresses become valid pairs, as libwebrtc checks every pair it has.
            assertEquals(BINDING_SUCCESS, first.check(false));
            assertEquals(BINDING_SUCCESS, second.check(false));
            await("the server's checks on both pairs to succeed", 5_000,
                    () -> pairSucceeded(transport, first) && pairSucceeded(transport, second));
            assertEquals(BINDING_SUCCESS, first.check(true));
            await("connected on the first pair", 5_000, () -> events.connected != null);
            assertDataGoesTo(transport, first);

            await("ice4j's processing to terminate", 10_000,
                    () -> transport.currentSession().agent().getState() == IceProcessingState.TERMINATED);

            // The peer moves to its other valid pair and nominates it, as libwebrtc does when it
            // finds a better connection.
            assertEquals(BINDING_SUCCESS, second.check(false), "a check on the other valid pair is answered");
            assertEquals(BINDING_SUCCESS, second.check(true), "the nomination is answered");
            await("media to follow the nomination", 5_000,
                    () -> transport.selectedPair() != null && transport.selectedPair().endsWith(second.tag()));
            assertDataGoesTo(transport, second);
            byte[] up = datagram(0x80, 7, 300);
            second.send(up);
            assertArrayEquals(up, atServer.take(2_000), "data from the new pair is accepted");

            // The old address goes quiet; consent now rides on the new pair (consent lifetime is
            // 1.5 s here: eight answered requests at a 200 ms mean interval outlive it).
            first.close();
            int before = second.consentRequestsAnswered.get();
            await("consent checks on the new pair", 10_000,
                    () -> second.consentRequestsAnswered.get() >= before + 8);
            assertFalse(events.consentLost, "consent holds on the pair the peer chose");
            assertEquals(IceTransportState.CONNECTED, transport.state());
        } finally {
            transport.close();
        }
    }

    private static boolean pairSucceeded(IceTransport transport, Peer peer) {
        for (CandidatePair pair : transport.currentSession().component().getParentStream().getCheckList()) {
            if (pair.getRemoteCandidate().getTransportAddress().getPort() == peer.socket.getLocalPort()
                    && pair.getState() == CandidatePairState.SUCCEEDED) {
                return true;
            }
        }
        return false;
    }

    private static void assertDataGoesTo(IceTransport transport, Peer peer) throws InterruptedException {
        byte[] down = datagram(0x90, peer.socket.getLocalPort() & 0xFF, 200);
        assertEquals(SendResult.SENT, transport.send(down, 0, down.length));
        byte[] got = peer.data.poll(2, TimeUnit.SECONDS);
        assertNotNull(got, "data from the server reached the " + peer.name + " address");
        assertArrayEquals(down, got);
    }

    /** One address of the peer: answers the server's checks, sends its own, collects data. */
    private static final class Peer implements AutoCloseable {
        final String name;
        final DatagramSocket socket;
        final BlockingQueue<byte[]> data = new LinkedBlockingQueue<>();
        final AtomicInteger consentRequestsAnswered = new AtomicInteger();
        /** Answers awaited, by transaction id. */
        private final Map<String, CompletableFuture<Integer>> responses = new ConcurrentHashMap<>();
        private final IceCredentials server;
        private final InetSocketAddress serverAddress;
        private final Random random;
        private final Thread reader;
        private volatile boolean closed;

        Peer(String name, IceCredentials server, InetSocketAddress serverAddress, long seed) throws IOException {
            this.name = name;
            this.server = server;
            this.serverAddress = serverAddress;
            this.random = new Random(seed);
            this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setSoTimeout(100);
            this.reader = new Thread(this::read, "renomination-peer-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        /** The selected-pair description ends with the remote address, "host:port/udp" or similar. */
        String tag() {
            return ":" + socket.getLocalPort() + "/udp";
        }

        void send(byte[] datagram) throws IOException {
            socket.send(new DatagramPacket(datagram, datagram.length, serverAddress));
        }

        /**
         * Sends a connectivity check (retransmitted every 100 ms) and waits for its answer.
         *
         * @return the response's message type
         */
        int check(boolean useCandidate) throws Exception {
            byte[] txId = new byte[12];
            random.nextBytes(txId);
            String key = Arrays.toString(txId);
            Stun m = new Stun(BINDING_REQUEST, txId);
            m.attribute(ATTR_USERNAME, (server.ufrag() + ":" + PEER_UFRAG).getBytes(StandardCharsets.UTF_8));
            m.attribute(ATTR_PRIORITY, new byte[] {0x6E, 0x00, 0x1E, (byte) 0xFF});
            m.attribute(ATTR_ICE_CONTROLLING, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            if (useCandidate) {
                m.attribute(ATTR_USE_CANDIDATE, new byte[0]);
            }
            byte[] request = m.sign(server.pwd());
            CompletableFuture<Integer> answer = new CompletableFuture<>();
            responses.put(key, answer);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                send(request);
                try {
                    return answer.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // RFC 8489 §6.2.1: retransmit over UDP until answered.
                }
            }
            throw new AssertionError(name + ": no answer to a check within 5 s");
        }

        private void read() {
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            while (!closed) {
                try {
                    p.setData(buf);
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (IOException e) {
                    return;
                }
                byte[] d = Arrays.copyOf(p.getData(), p.getLength());
                if (d.length >= 20 && (d[0] & 0xC0) == 0 && readInt(d, 4) == MAGIC_COOKIE) {
                    onStun(d, (InetSocketAddress) p.getSocketAddress());
                } else {
                    data.add(d);
                }
            }
        }

        private void onStun(byte[] d, InetSocketAddress from) {
            int type = ((d[0] & 0xFF) << 8) | (d[1] & 0xFF);
            byte[] txId = Arrays.copyOfRange(d, 8, 20);
            if (type == BINDING_SUCCESS || type == BINDING_ERROR) {
                CompletableFuture<Integer> answer = responses.get(Arrays.toString(txId));
                if (answer != null) {
                    answer.complete(type);
                }
            } else if (type == BINDING_REQUEST) {
                // The server's check or consent request: answered as RFC 8445 §7.3.1 says, signed
                // with this peer's password (the one the request was signed with).
                Stun response = new Stun(BINDING_SUCCESS, txId);
                byte[] xorAddress = new byte[8];
                xorAddress[1] = 0x01; // IPv4
                int xport = from.getPort() ^ (MAGIC_COOKIE >>> 16);
                xorAddress[2] = (byte) (xport >>> 8);
                xorAddress[3] = (byte) xport;
                byte[] ip = from.getAddress().getAddress();
                for (int i = 0; i < 4; i++) {
                    xorAddress[4 + i] = (byte) (ip[i] ^ (MAGIC_COOKIE >>> (24 - 8 * i)));
                }
                response.attribute(ATTR_XOR_MAPPED_ADDRESS, xorAddress);
                try {
                    socket.send(new DatagramPacket(response.sign(PEER_PWD), 0, response.length(), from));
                    consentRequestsAnswered.incrementAndGet();
                } catch (IOException e) {
                    // closed
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            socket.close();
        }
    }

    /** A STUN message being built: header, attributes, then MESSAGE-INTEGRITY and FINGERPRINT. */
    private static final class Stun {
        private final byte[] buf = new byte[1024];
        private int length = 20;

        Stun(int type, byte[] txId) {
            buf[0] = (byte) (type >>> 8);
            buf[1] = (byte) type;
            writeInt(buf, 4, MAGIC_COOKIE);
            System.arraycopy(txId, 0, buf, 8, 12);
        }

        void attribute(int type, byte[] value) {
            buf[length] = (byte) (type >>> 8);
            buf[length + 1] = (byte) type;
            buf[length + 2] = (byte) (value.length >>> 8);
            buf[length + 3] = (byte) value.length;
            System.arraycopy(value, 0, buf, length + 4, value.length);
            length += 4 + ((value.length + 3) & ~3); // RFC 8489 §14: values pad to 4 bytes
        }

        int length() {
            return length;
        }

        /** RFC 8489 §14.5 and §14.7: the HMAC and the CRC each cover the message up to themselves. */
        byte[] sign(String password) throws IOException {
            try {
                setBodyLength(length - 20 + 24);
                Mac mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
                mac.update(buf, 0, length);
                attribute(ATTR_MESSAGE_INTEGRITY, mac.doFinal());
                setBodyLength(length - 20 + 8);
                CRC32 crc = new CRC32();
                crc.update(buf, 0, length);
                byte[] fp = new byte[4];
                writeInt(fp, 0, (int) crc.getValue() ^ FINGERPRINT_XOR);
                attribute(ATTR_FINGERPRINT, fp);
                return Arrays.copyOf(buf, length);
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException(e);
            }
        }

        private void setBodyLength(int bodyLength) {
            buf[2] = (byte) (bodyLength >>> 8);
            buf[3] = (byte) bodyLength;
        }
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    private static void writeInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
