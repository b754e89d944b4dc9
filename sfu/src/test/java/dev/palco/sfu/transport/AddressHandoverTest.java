package dev.palco.sfu.transport;

import static dev.palco.sfu.transport.IceTestSupport.await;
import static dev.palco.sfu.transport.IceTestSupport.datagram;
import static dev.palco.sfu.transport.IceTestSupport.signalAndStart;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.stun.StunDropReason;
import dev.palco.rtp.stun.StunMessage;
import dev.palco.rtp.stun.StunMessageWriter;
import dev.palco.sfu.client.IceClientAgent;
import dev.palco.sfu.client.IceClientOptions;
import dev.palco.sfu.transport.IceTestSupport.QueueReceiver;
import dev.palco.sfu.transport.IceTestSupport.RecordingListener;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that comes back on the address of one that vanished (the OS hands the port out again,
 * a NAT reuses the mapping) while the vanished one's session still waits for consent to expire.
 * Without the hand-over, the new client's checks reach the old session, which answers 401, and its
 * ICE fails. Consent expires after 10 s here, so anything faster than that is the hand-over.
 */
class AddressHandoverTest {
    private static final long CONSENT_INTERVAL_MS = 200;
    private static final long CONSENT_TIMEOUT_MS = 10_000;
    private static IceServer server;

    @BeforeAll
    static void startServer() throws Exception {
        IceTestSupport.quietIce4j();
        server = IceServer.start(IceTestSupport.loopbackConfig(false)
                .withTimers(CONSENT_INTERVAL_MS, CONSENT_TIMEOUT_MS, 10_000, 200));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static IceClientAgent client(String name, int port, RecordingListener listener) throws Exception {
        return IceClientAgent.create(name, IceClientOptions.of(IceClientOptions.Mode.UDP, IceTestSupport.loopback())
                .withTimers(CONSENT_INTERVAL_MS, CONSENT_TIMEOUT_MS, 10_000, 200).withLocalPort(port), listener);
    }

    @Test
    void aNewClientOnAVanishedClientsAddressConnectsAndTheOldSessionLosesConsent() throws Exception {
        long handoversBefore = server.addressHandovers();
        RecordingListener oldServerEvents = new RecordingListener();
        IceTransport oldTransport = server.createTransport("vanishing", oldServerEvents);
        RecordingListener oldClientEvents = new RecordingListener();
        IceClientAgent oldClient = client("vanishing-client", 0, oldClientEvents);
        int port = oldClient.localCandidates().get(0).port();
        QueueReceiver atOld = new QueueReceiver();
        oldTransport.setReceiver(atOld);
        signalAndStart(oldTransport, oldClient);
        await("first client connected", 5_000, () -> oldServerEvents.connected != null);
        oldClient.close();
        long vanishedNanos = System.nanoTime();

        RecordingListener newServerEvents = new RecordingListener();
        IceTransport newTransport = server.createTransport("returning", newServerEvents);
        RecordingListener newClientEvents = new RecordingListener();
        IceClientAgent newClient = client("returning-client", port, newClientEvents);
        try {
            QueueReceiver atNew = new QueueReceiver();
            newTransport.setReceiver(atNew);
            signalAndStart(newTransport, newClient);
            await("the returning client connected on the same address", 5_000,
                    () -> newServerEvents.connected != null && newClientEvents.connected != null
                            || newClientEvents.failed != null);
            assertNull(newClientEvents.failed, "returning client's ICE failed");
            assertTrue(newServerEvents.connected.contains(":" + port), newServerEvents.connected);
            await("the old session lost consent", 5_000, () -> oldServerEvents.consentLost);
            long lostMs = (System.nanoTime() - vanishedNanos) / 1_000_000;
            System.out.printf("address hand-over: returning client connected, old session lost consent %d ms "
                    + "after its client vanished (consent would expire after %d ms)%n", lostMs, CONSENT_TIMEOUT_MS);
            assertEquals(handoversBefore + 1, server.addressHandovers());

            byte[] up = datagram(0x80, 7, 300);
            assertEquals(SendResult.SENT, newClient.send(up, 0, up.length));
            assertArrayEquals(up, atNew.take(2_000), "data from the address reaches the new session");
            assertEquals(0, atOld.size(), "nothing reaches the old session");
            byte[] down = datagram(0x90, 8, 400);
            assertEquals(SendResult.SENT, newTransport.send(down, 0, down.length));
        } finally {
            newClient.close();
            newTransport.close();
            oldTransport.close();
        }
    }

    @Test
    void anAddressPassesOnlyFromASilentOwnerAndOnlyToAnAuthenticatedCheck() throws Exception {
        AddressHandover handover = server.handover();
        long handoversAtStart = handover.handovers();
        RecordingListener ownerEvents = new RecordingListener();
        IceTransport owner = server.createTransport("owner", ownerEvents);
        RecordingListener ownerClientEvents = new RecordingListener();
        IceClientAgent ownerClient = client("owner-client", 0, ownerClientEvents);
        int port = ownerClient.localCandidates().get(0).port();
        signalAndStart(owner, ownerClient);
        await("owner connected", 5_000, () -> ownerEvents.connected != null && ownerClientEvents.connected != null);

        // The session a forged or returning client names: credentials set as signaling would.
        RecordingListener claimedEvents = new RecordingListener();
        IceTransport claimed = server.createTransport("claimed", claimedEvents);
        String clientUfrag = "rawclient";
        claimed.setRemoteCredentials(clientUfrag, "rawclientpasswordrawclientpw");
        claimed.endOfRemoteCandidates();
        IceCredentials target = claimed.localCredentials();
        InetSocketAddress serverAddress = server.udpAddresses().get(0);
        try {
            // 1. A live owner keeps its address, even against a check that authenticates.
            long aliveBefore = handover.droppedOwnerAlive();
            byte[] valid = bindingRequest(target.ufrag() + ":" + clientUfrag, target.pwd(), 1);
            assertEquals(SendResult.SENT, ownerClient.send(valid, 0, valid.length));
            await("check from a live owner's address dropped", 2_000,
                    () -> handover.droppedOwnerAlive() > aliveBefore);
            assertEquals(handoversAtStart, handover.handovers());
            assertFalse(ownerEvents.consentLost);

            // 2. The owner's client vanishes; something else sends from its address.
            ownerClient.close();
            try (DatagramSocket raw = new DatagramSocket(new InetSocketAddress(IceTestSupport.loopback(), port))) {
                raw.setSoTimeout(50);
                long unknownBefore = handover.droppedUnknownSession();
                send(raw, bindingRequest("nosuchufrag:" + clientUfrag, target.pwd(), 2), serverAddress);
                await("check naming no session dropped", 2_000, () -> handover.droppedUnknownSession() > unknownBefore);

                // Once the owner is silent, a check with the wrong password still takes nothing.
                long unauthenticatedBefore = handover.droppedUnauthenticated();
                long deadline = System.nanoTime() + 3_000_000_000L;
                int tx = 3;
                while (handover.droppedUnauthenticated() == unauthenticatedBefore && System.nanoTime() < deadline) {
                    send(raw, bindingRequest(target.ufrag() + ":" + clientUfrag, "not-the-password-at-all", tx++),
                            serverAddress);
                    assertNull(receiveResponse(raw), "a refused check is not answered");
                }
                assertTrue(handover.droppedUnauthenticated() > unauthenticatedBefore,
                        "a check with the wrong password was never judged against a silent owner");
                assertFalse(ownerEvents.consentLost, "a refused check cost the owner its address");

                // 3. An authenticated check takes the address: the named session answers it.
                long handoversBefore = handover.handovers();
                byte[] check = bindingRequest(target.ufrag() + ":" + clientUfrag, target.pwd(), 1000);
                send(raw, check, serverAddress);
                byte[] response = null;
                deadline = System.nanoTime() + 3_000_000_000L;
                while (response == null && System.nanoTime() < deadline) {
                    response = receiveResponse(raw);
                }
                assertTrue(response != null, "no answer to the authenticated check");
                StunMessage m = new StunMessage();
                assertEquals(StunDropReason.NONE, m.parse(response, 0, response.length));
                assertEquals(StunMessage.BINDING_SUCCESS_RESPONSE, m.type());
                assertTrue(m.transactionIdEquals(check, StunMessage.TRANSACTION_ID_OFFSET));
                Mac mac = hmac(target.pwd());
                assertTrue(m.integrityMatches(mac, new byte[StunMessage.HMAC_SHA1_SIZE_BYTES]),
                        "answered by the named session, with its password");
                assertEquals(handoversBefore + 1, handover.handovers());
                await("the silent owner lost consent at the hand-over", 2_000, () -> ownerEvents.consentLost);
            }
        } finally {
            owner.close();
            claimed.close();
        }
    }

    /** A controlling agent's check (RFC 8445 §7.2.2) with MESSAGE-INTEGRITY and FINGERPRINT. */
    private static byte[] bindingRequest(String username, String password, int id) throws Exception {
        byte[] out = new byte[200];
        byte[] txId = new byte[12];
        new SplittableRandom(id).nextBytes(txId);
        StunMessageWriter w = new StunMessageWriter();
        byte[] user = username.getBytes(StandardCharsets.US_ASCII);
        int len = w.start(out, 0, StunMessage.BINDING_REQUEST, txId, 0);
        len = w.putAttribute(out, 0, len, StunMessage.ATTR_USERNAME, user, 0, user.length);
        len = w.putInt(out, 0, len, StunMessage.ATTR_PRIORITY, 0x6E7F00FF);
        len = w.putLong(out, 0, len, StunMessage.ATTR_ICE_CONTROLLING, 0x0123456789ABCDEFL + id);
        len = w.appendIntegrity(out, 0, len, hmac(password));
        len = w.appendFingerprint(out, 0, len);
        return java.util.Arrays.copyOf(out, len);
    }

    private static Mac hmac(String password) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return mac;
    }

    private static void send(DatagramSocket socket, byte[] b, InetSocketAddress to) throws Exception {
        socket.send(new DatagramPacket(b, b.length, to));
    }

    /**
     * @return the next datagram that is not a Binding request (the owner's consent checks still go
     *     to this address until it loses consent), or null if none came within the socket's timeout
     */
    private static byte[] receiveResponse(DatagramSocket socket) throws Exception {
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (true) {
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            boolean request = p.getLength() >= 2 && buf[0] == 0 && buf[1] == StunMessage.BINDING_REQUEST;
            if (!request) {
                return java.util.Arrays.copyOf(buf, p.getLength());
            }
        }
    }
}
