package dev.palco.sfu.transport;

import static dev.palco.sfu.transport.IceTestSupport.await;
import static dev.palco.sfu.transport.IceTestSupport.datagram;
import static dev.palco.sfu.transport.IceTestSupport.signalAndStart;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.sfu.client.IceClientAgent;
import dev.palco.sfu.client.IceClientOptions;
import dev.palco.sfu.transport.IceTestSupport.QueueReceiver;
import dev.palco.sfu.transport.IceTestSupport.RecordingListener;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Server transport and client agent over real UDP sockets on loopback. */
class IceTransportLoopbackTest {
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

    private static IceClientAgent client(String name, RecordingListener listener) throws Exception {
        return IceClientAgent.create(name, IceClientOptions.of(IceClientOptions.Mode.UDP, IceTestSupport.loopback())
                .withTimers(200, 1_500, 10_000, 200), listener);
    }

    @Test
    void connectsOverUdpAndCarriesDatagramsBothWays() throws Exception {
        RecordingListener serverEvents = new RecordingListener();
        RecordingListener clientEvents = new RecordingListener();
        long t0 = System.nanoTime();
        IceTransport transport = server.createTransport("alice", serverEvents);
        IceClientAgent client = client("alice-client", clientEvents);
        try {
            QueueReceiver atServer = new QueueReceiver();
            QueueReceiver atClient = new QueueReceiver();
            transport.setReceiver(atServer);
            client.setReceiver(atClient);
            long tStart = System.nanoTime();
            signalAndStart(transport, client);
            await("both sides connected", 5_000,
                    () -> serverEvents.connected != null && clientEvents.connected != null);
            long connectMs = (Math.max(serverEvents.connectedNanos, clientEvents.connectedNanos) - tStart) / 1_000_000;
            System.out.printf("ICE/UDP connect: %d ms after start (%d ms including agent creation), pair %s%n",
                    connectMs, (System.nanoTime() - t0) / 1_000_000, serverEvents.connected);
            assertEquals(IceTransportState.CONNECTED, transport.state());

            for (int i = 0; i < 50; i++) {
                byte[] up = datagram(0x80, i, 200 + i);
                assertEquals(SendResult.SENT, client.send(up, 0, up.length));
                assertArrayEquals(up, atServer.take(2_000));
                byte[] down = datagram(0x90, i, 1200 - i);
                // Send from a non-zero offset to check the (buf, off, len) window is honoured.
                byte[] framed = new byte[down.length + 7];
                System.arraycopy(down, 0, framed, 3, down.length);
                assertEquals(SendResult.SENT, transport.send(framed, 3, down.length));
                assertArrayEquals(down, atClient.take(2_000));
            }
            assertEquals(50, transport.counters().packetsReceived());
            assertEquals(50, transport.counters().packetsSent());
            // Pushed datagrams come from ice4j's buffer pool hook and go back to it after delivery.
            assertTrue(Ice4jSetup.idleBuffers() > 0);
            assertNull(serverEvents.failed);
        } finally {
            client.close();
            transport.close();
        }
        assertTrue(serverEvents.closed);
        assertEquals(IceTransportState.CLOSED, transport.state());
        assertEquals(SendResult.CLOSED, transport.send(new byte[1], 0, 1));
    }

    @Test
    void severalParticipantsShareThePortAndEachGetsOnlyItsOwnDatagrams() throws Exception {
        int n = 6;
        List<IceTransport> transports = new ArrayList<>();
        List<IceClientAgent> clients = new ArrayList<>();
        List<RecordingListener> serverEvents = new ArrayList<>();
        List<RecordingListener> clientEvents = new ArrayList<>();
        List<QueueReceiver> atServer = new ArrayList<>();
        List<QueueReceiver> atClient = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                RecordingListener se = new RecordingListener();
                RecordingListener ce = new RecordingListener();
                IceTransport t = server.createTransport("p" + i, se);
                IceClientAgent c = client("p" + i + "-client", ce);
                QueueReceiver rs = new QueueReceiver();
                QueueReceiver rc = new QueueReceiver();
                t.setReceiver(rs);
                c.setReceiver(rc);
                transports.add(t);
                clients.add(c);
                serverEvents.add(se);
                clientEvents.add(ce);
                atServer.add(rs);
                atClient.add(rc);
            }
            long[] startNanos = new long[n];
            for (int i = 0; i < n; i++) {
                startNanos[i] = System.nanoTime();
                signalAndStart(transports.get(i), clients.get(i));
            }
            StringBuilder times = new StringBuilder();
            for (int i = 0; i < n; i++) {
                RecordingListener se = serverEvents.get(i);
                RecordingListener ce = clientEvents.get(i);
                await("participant " + i + " connected", 5_000, () -> se.connected != null && ce.connected != null);
                times.append(' ').append((Math.max(se.connectedNanos, ce.connectedNanos) - startNanos[i]) / 1_000_000);
            }
            System.out.println("ICE/UDP connect times of " + n + " concurrent participants (ms):" + times);
            // Every server transport is on the same shared port.
            for (IceTransport t : transports) {
                assertTrue(t.selectedPair().startsWith("127.0.0.1:" + server.udpAddresses().get(0).getPort() + "/udp"),
                        t.selectedPair());
            }
            // Interleave traffic of all participants in both directions.
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < n; i++) {
                    byte[] up = datagram(0x80, i * 1000 + round, 100 + i);
                    assertEquals(SendResult.SENT, clients.get(i).send(up, 0, up.length));
                    byte[] down = datagram(0x81, i * 1000 + round, 300 + i);
                    assertEquals(SendResult.SENT, transports.get(i).send(down, 0, down.length));
                }
            }
            for (int i = 0; i < n; i++) {
                for (int round = 0; round < 20; round++) {
                    assertArrayEquals(datagram(0x80, i * 1000 + round, 100 + i), atServer.get(i).take(2_000),
                            "participant " + i + " round " + round);
                    assertArrayEquals(datagram(0x81, i * 1000 + round, 300 + i), atClient.get(i).take(2_000),
                            "participant " + i + " round " + round);
                }
            }
            for (int i = 0; i < n; i++) {
                assertNull(atServer.get(i).poll(), "extra datagram at server transport " + i);
                assertNull(atClient.get(i).poll(), "extra datagram at client " + i);
            }
        } finally {
            for (IceClientAgent c : clients) {
                c.close();
            }
            for (IceTransport t : transports) {
                t.close();
            }
        }
    }

    @Test
    void garbageAtTheSharedPortDoesNotDisturbARunningSession() throws Exception {
        RecordingListener serverEvents = new RecordingListener();
        RecordingListener clientEvents = new RecordingListener();
        IceTransport transport = server.createTransport("garbage-target", serverEvents);
        IceClientAgent client = client("garbage-client", clientEvents);
        try (DatagramSocket attacker = new DatagramSocket(new InetSocketAddress(IceTestSupport.loopback(), 0))) {
            QueueReceiver atServer = new QueueReceiver();
            QueueReceiver atClient = new QueueReceiver();
            transport.setReceiver(atServer);
            client.setReceiver(atClient);
            signalAndStart(transport, client);
            await("connected", 5_000, () -> serverEvents.connected != null && clientEvents.connected != null);

            InetSocketAddress port = server.udpAddresses().get(0);
            SplittableRandom random = new SplittableRandom(0x1CE5EED);
            // 1. Random datagrams, including ones that start like STUN, RTP and DTLS (RFC 7983 ranges).
            for (int i = 0; i < 2_000; i++) {
                byte[] junk = new byte[1 + random.nextInt(1_200)];
                random.nextBytes(junk);
                if (i % 4 == 0 && junk.length >= 8) {
                    junk[0] = 0x00; // STUN message type range
                    junk[1] = 0x01;
                    junk[4] = 0x21; // magic cookie 0x2112A442
                    junk[5] = 0x12;
                    junk[6] = (byte) 0xA4;
                    junk[7] = 0x42;
                }
                attacker.send(new DatagramPacket(junk, junk.length, port));
            }
            // 2. A Binding request naming the session's ufrag, with a MESSAGE-INTEGRITY computed with a
            //    wrong password. ice4j answers 401 and, as it routes by source address, starts routing
            //    this source to the session.
            // The burst can overflow the shared socket's receive buffer (the kernel then drops, which
            // is fine); a round trip through the same socket shows the harvester has caught up.
            // Under load the probe itself can be dropped in that overflow, so it is resent until one
            // arrives.
            byte[] probe = datagram(0x80, 999, 64);
            byte[] echoed = null;
            long probeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (echoed == null && System.nanoTime() < probeDeadline) {
                assertEquals(SendResult.SENT, client.send(probe, 0, probe.length));
                echoed = atServer.poll(500);
            }
            assertArrayEquals(probe, echoed, "the session stopped receiving after the garbage");
            byte[] forgedBytes = forgedBindingRequest(transport.localCredentials().ufrag() + ":intruder");
            attacker.setSoTimeout(500);
            byte[] reply = new byte[1500];
            boolean rejected = false;
            for (int attempt = 0; attempt < 5 && !rejected; attempt++) {
                attacker.send(new DatagramPacket(forgedBytes, forgedBytes.length, port));
                DatagramPacket in = new DatagramPacket(reply, reply.length);
                try {
                    attacker.receive(in);
                    // 0x0111: Binding error response (RFC 5389 §6), here 401 Unauthorized.
                    rejected = in.getLength() >= 20 && reply[0] == 0x01 && reply[1] == 0x11;
                } catch (java.net.SocketTimeoutException e) {
                    // UDP: send it again
                }
            }
            assertTrue(rejected, "ice4j must answer the forged request with an error response");
            // 3. Then data from that source: it must be dropped as unauthorized, not delivered.
            long before = transport.counters().dropped(TransportDropReason.UNAUTHORIZED_SOURCE);
            for (int i = 0; i < 100; i++) {
                byte[] fake = datagram(0x80, 60_000 + i, 100);
                attacker.send(new DatagramPacket(fake, fake.length, port));
            }

            // The session keeps working in both directions and received nothing but its peer's data.
            for (int i = 0; i < 20; i++) {
                byte[] up = datagram(0x80, i, 300);
                assertEquals(SendResult.SENT, client.send(up, 0, up.length));
                assertArrayEquals(up, atServer.take(2_000));
                byte[] down = datagram(0x81, i, 300);
                assertEquals(SendResult.SENT, transport.send(down, 0, down.length));
                assertArrayEquals(down, atClient.take(2_000));
            }
            await("forged-source datagrams counted", 2_000,
                    () -> transport.counters().dropped(TransportDropReason.UNAUTHORIZED_SOURCE) >= before + 100);
            assertNull(atServer.poll(), "a garbage datagram reached the receiver");
            assertEquals(IceTransportState.CONNECTED, transport.state());
            assertNull(serverEvents.failed);
            System.out.println("garbage test counters: " + transport.counters());
        } finally {
            client.close();
            transport.close();
        }
    }

    /**
     * A Binding request (RFC 5389 §6) with USERNAME and a MESSAGE-INTEGRITY keyed with a password the
     * server never issued.
     */
    private static byte[] forgedBindingRequest(String username) {
        byte[] user = username.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int userPadded = (user.length + 3) & ~3;
        int attrs = 4 + userPadded + 4 + 20;
        byte[] msg = new byte[20 + attrs];
        msg[0] = 0x00; // type: Binding request 0x0001
        msg[1] = 0x01;
        msg[2] = (byte) (attrs >>> 8); // length of attributes, MESSAGE-INTEGRITY included (§15.4)
        msg[3] = (byte) attrs;
        msg[4] = 0x21; // magic cookie 0x2112A442
        msg[5] = 0x12;
        msg[6] = (byte) 0xA4;
        msg[7] = 0x42;
        for (int i = 8; i < 20; i++) {
            msg[i] = (byte) (0x5A + i); // transaction ID, 96 bits
        }
        int o = 20;
        msg[o] = 0x00; // USERNAME 0x0006
        msg[o + 1] = 0x06;
        msg[o + 2] = (byte) (user.length >>> 8); // unpadded value length
        msg[o + 3] = (byte) user.length;
        System.arraycopy(user, 0, msg, o + 4, user.length); // "<server ufrag>:intruder", zero padded
        o += 4 + userPadded;
        byte[] hmac = org.ice4j.attribute.MessageIntegrityAttribute.calculateHmacSha1(
                msg, 0, o, "not-the-password-0123456789".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        msg[o] = 0x00; // MESSAGE-INTEGRITY 0x0008
        msg[o + 1] = 0x08;
        msg[o + 2] = 0x00; // length 20
        msg[o + 3] = 0x14;
        System.arraycopy(hmac, 0, msg, o + 4, 20); // HMAC-SHA1 with the wrong key
        return msg;
    }

    @Test
    void iceRestartMovesMediaToTheNewPairWithoutAGap() throws Exception {
        RecordingListener serverEvents = new RecordingListener();
        RecordingListener clientEvents = new RecordingListener();
        IceTransport transport = server.createTransport("restarter", serverEvents);
        IceClientAgent client = client("restarter-client", clientEvents);
        try {
            QueueReceiver atServer = new QueueReceiver();
            QueueReceiver atClient = new QueueReceiver();
            transport.setReceiver(atServer);
            client.setReceiver(atClient);
            signalAndStart(transport, client);
            await("connected", 5_000, () -> serverEvents.connected != null && clientEvents.connected != null);
            String firstPair = transport.selectedPair();
            IceCredentials oldServerCreds = transport.localCredentials();

            // New offer/answer with new credentials on both sides (RFC 8839 §4.4.1.1.1).
            long t0 = System.nanoTime();
            IceCredentials newServerCreds = transport.restart();
            IceCredentials newClientCreds = client.restart();
            assertTrue(!newServerCreds.ufrag().equals(oldServerCreds.ufrag())
                    && !newServerCreds.pwd().equals(oldServerCreds.pwd()));
            assertEquals(newServerCreds, transport.localCredentials());
            // Until the new pair is selected, media keeps flowing on the old one.
            byte[] during = datagram(0x82, 1, 400);
            assertEquals(SendResult.SENT, transport.send(during, 0, during.length));
            assertArrayEquals(during, atClient.take(2_000));
            assertEquals(firstPair, transport.selectedPair());

            signalAndStart(transport, client);
            await("restart connected", 5_000, () -> serverEvents.restarted != null && clientEvents.restarted != null);
            System.out.printf("ICE restart: new pair selected %d ms after restart()%n",
                    (System.nanoTime() - t0) / 1_000_000);
            assertTrue(!firstPair.equals(transport.selectedPair()), "restart must move to the new pair");
            for (int i = 0; i < 20; i++) {
                byte[] up = datagram(0x80, i, 500);
                assertEquals(SendResult.SENT, client.send(up, 0, up.length));
                assertArrayEquals(up, atServer.take(2_000));
                byte[] down = datagram(0x81, i, 500);
                assertEquals(SendResult.SENT, transport.send(down, 0, down.length));
                assertArrayEquals(down, atClient.take(2_000));
            }
            assertEquals(IceTransportState.CONNECTED, transport.state());
            assertTrue(!transport.restartPending());
        } finally {
            client.close();
            transport.close();
        }
    }

    @Test
    void deadPeerLosesConsentWithinTheTimeout() throws Exception {
        RecordingListener serverEvents = new RecordingListener();
        RecordingListener clientEvents = new RecordingListener();
        IceTransport transport = server.createTransport("vanishing", serverEvents);
        IceClientAgent client = client("vanishing-client", clientEvents);
        try {
            signalAndStart(transport, client);
            await("connected", 5_000, () -> serverEvents.connected != null && clientEvents.connected != null);
            // Consent is refreshed while the peer answers.
            await("consent refreshed", 3_000, () -> transport.counters().consentResponsesAccepted() >= 3);
            assertTrue(!serverEvents.consentLost);

            long t0 = System.nanoTime();
            client.close(); // abrupt: its sockets close, nothing answers any more
            long timeoutMs = server.config().consentTimeoutMs();
            await("consent lost", timeoutMs + 2 * server.config().consentIntervalMs() + 1_000,
                    () -> serverEvents.consentLost);
            long lostAfterMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("consent lost %d ms after the peer vanished (timeout %d ms)%n", lostAfterMs, timeoutMs);
            assertEquals(IceTransportState.FAILED, transport.state());
            // RFC 7675 §5.1: no more sending once consent expired.
            assertEquals(SendResult.NOT_CONNECTED, transport.send(new byte[] {(byte) 0x80}, 0, 1));
            assertTrue(lostAfterMs >= timeoutMs - server.config().consentIntervalMs() * 2,
                    "consent must not expire early: " + lostAfterMs);
        } finally {
            client.close();
            transport.close();
        }
    }
}
