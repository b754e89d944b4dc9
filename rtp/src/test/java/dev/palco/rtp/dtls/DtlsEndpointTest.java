package dev.palco.rtp.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.palco.rtp.srtp.SrtpProfile;
import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.rtp.srtp.SrtpStatus;
import dev.palco.rtp.srtp.SrtpSupport;

/**
 * Real DTLS-SRTP handshakes between two endpoints over loopback UDP, the server on one thread and
 * the client on another, then SRTP both ways with the exported keys.
 */
class DtlsEndpointTest {
    private static final Instant NOW = Instant.now();
    private static DtlsCertificate clientCert;
    private static DtlsCertificate serverCert;

    private ExecutorService threads;
    private LoopbackUdpTransport clientSocket;
    private LoopbackUdpTransport serverSocket;

    @BeforeAll
    static void certificates() {
        SrtpSupport.warmUp();
        clientCert = DtlsCertificate.generate(NOW);
        serverCert = DtlsCertificate.generate(NOW);
    }

    @BeforeEach
    void sockets() throws Exception {
        threads = Executors.newFixedThreadPool(2);
        clientSocket = new LoopbackUdpTransport();
        serverSocket = new LoopbackUdpTransport();
        clientSocket.connect(serverSocket.localAddress());
        serverSocket.connect(clientSocket.localAddress());
    }

    @AfterEach
    void closeAll() throws Exception {
        clientSocket.close();
        serverSocket.close();
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(5, TimeUnit.SECONDS));
    }

    /** The results of both sides: a session, or the exception the handshake threw. */
    private static final class Outcome {
        final DtlsEndpoint endpoint;
        final SrtpSession session;
        final DtlsException error;

        Outcome(DtlsEndpoint endpoint, SrtpSession session, DtlsException error) {
            this.endpoint = endpoint;
            this.session = session;
            this.error = error;
        }
    }

    private Future<Outcome> start(DtlsEndpoint endpoint, LoopbackUdpTransport transport) {
        return threads.submit(() -> {
            try {
                return new Outcome(endpoint, endpoint.handshake(transport), null);
            } catch (DtlsException e) {
                return new Outcome(endpoint, null, e);
            }
        });
    }

    private static Outcome await(Future<Outcome> f) throws Exception {
        try {
            return f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("handshake thread threw", e.getCause());
        }
    }

    private Outcome[] handshake(DtlsSettings clientSettings, DtlsSettings serverSettings,
            DtlsFingerprint clientExpects, DtlsFingerprint serverExpects) throws Exception {
        DtlsEndpoint server = new DtlsEndpoint(DtlsRole.SERVER, serverCert, serverExpects,
                serverSettings);
        DtlsEndpoint client = new DtlsEndpoint(DtlsRole.CLIENT, clientCert, clientExpects,
                clientSettings);
        Future<Outcome> s = start(server, serverSocket);
        Future<Outcome> c = start(client, clientSocket);
        return new Outcome[] {await(c), await(s)};
    }

    private static void assertSrtpBothWays(SrtpSession a, SrtpSession b) {
        for (SrtpSession[] dir : new SrtpSession[][] {{a, b}, {b, a}}) {
            byte[] buf = new byte[300];
            buf[0] = (byte) 0x80; // V=2
            buf[1] = 96; // PT
            buf[3] = 1; // sequence number 1
            buf[11] = (byte) (dir[0] == a ? 0x11 : 0x22); // SSRC
            for (int i = 12; i < 212; i++) {
                buf[i] = (byte) i;
            }
            byte[] plain = Arrays.copyOf(buf, 212);
            assertEquals(SrtpStatus.OK, dir[0].sender().protectRtp(buf, 0, 212));
            assertFalse(Arrays.equals(plain, Arrays.copyOf(buf, 212)), "payload encrypted");
            assertEquals(SrtpStatus.OK,
                    dir[1].receiver().unprotectRtp(buf, 0, dir[0].sender().lengthBytes()));
            assertArrayEquals(plain, Arrays.copyOf(buf, dir[1].receiver().lengthBytes()));

            byte[] rtcp = new byte[100];
            rtcp[0] = (byte) 0x80; // V=2, RC=0
            rtcp[1] = (byte) 201; // RR
            rtcp[3] = 1; // length: 1 word after the first
            rtcp[7] = 0x33; // sender SSRC
            assertEquals(SrtpStatus.OK, dir[0].sender().protectRtcp(rtcp, 0, 8));
            assertEquals(SrtpStatus.OK,
                    dir[1].receiver().unprotectRtcp(rtcp, 0, dir[0].sender().lengthBytes()));
            assertEquals(8, dir[1].receiver().lengthBytes());
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void handshakeNegotiatesTheForcedProfileAndKeysSrtpBothWays(SrtpProfile profile)
            throws Exception {
        // The client offers only this profile; the server accepts both.
        Outcome[] o = handshake(DtlsSettings.DEFAULTS.withSrtpProfiles(profile),
                DtlsSettings.DEFAULTS, serverCert.fingerprint(), clientCert.fingerprint());
        assertEquals(null, o[0].error);
        assertEquals(null, o[1].error);
        assertEquals(profile, o[0].session.profile());
        assertEquals(profile, o[1].session.profile());
        assertEquals(profile, o[0].endpoint.srtpProfile());
        assertSrtpBothWays(o[0].session, o[1].session);

        // close_notify from the client reaches the server's record processing.
        o[0].endpoint.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (o[1].endpoint.serviceIncoming(100)) {
            if (System.nanoTime() > deadline) {
                fail("server never saw close_notify");
            }
        }
        assertTrue(o[1].endpoint.isClosedByPeer());
        o[1].endpoint.close();
    }

    @Test
    void gcmIsPreferredWhenBothOfferBoth() throws Exception {
        Outcome[] o = handshake(DtlsSettings.DEFAULTS
                        .withSrtpProfiles(SrtpProfile.AES128_CM_HMAC_SHA1_80,
                                SrtpProfile.AEAD_AES_128_GCM),
                DtlsSettings.DEFAULTS, serverCert.fingerprint(), clientCert.fingerprint());
        // The server picks by its own preference order (GCM first) even if the client lists CM
        // first.
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, o[0].session.profile());
        assertEquals(SrtpProfile.AEAD_AES_128_GCM, o[1].session.profile());
    }

    @Test
    void serverRefusesAClientWhoseCertificateIsNotTheSignaledOne() throws Exception {
        DtlsFingerprint wrong = DtlsCertificate.generate(NOW).fingerprint();
        Outcome[] o = handshake(DtlsSettings.DEFAULTS, DtlsSettings.DEFAULTS,
                serverCert.fingerprint(), wrong);
        assertInstanceOf(FingerprintMismatchException.class, o[1].error);
        assertTrue(o[1].error.getMessage().contains(clientCert.fingerprint().toSdp()),
                o[1].error.getMessage());
        assertTrue(o[1].error.getMessage().contains(wrong.toSdp()), o[1].error.getMessage());
        // The client fails too. It names the server's bad_certificate alert when the alert reaches
        // it before the server's side of the test closes the socket; on UDP that is a race.
        assertInstanceOf(DtlsException.class, o[0].error);
        String clientMessage = o[0].error.getMessage();
        assertTrue(!clientMessage.contains("refused by the peer") || clientMessage.contains("bad_certificate"),
                clientMessage);
    }

    @Test
    void clientRefusesAServerWhoseCertificateIsNotTheSignaledOne() throws Exception {
        DtlsFingerprint wrong = DtlsCertificate.generate(NOW).fingerprint("sha-1");
        Outcome[] o = handshake(
                DtlsSettings.DEFAULTS, DtlsSettings.DEFAULTS.withHandshakeTimeoutMs(3000),
                wrong, clientCert.fingerprint());
        assertInstanceOf(FingerprintMismatchException.class, o[0].error);
        assertTrue(o[0].error.getMessage().contains(serverCert.fingerprint("sha-1").toSdp()),
                o[0].error.getMessage());
        assertTrue(o[1].error != null, "server must not complete");
    }

    @Test
    void noCommonSrtpProfileFailsNegotiation() throws Exception {
        Outcome[] o = handshake(DtlsSettings.DEFAULTS.withSrtpProfiles(SrtpProfile.AEAD_AES_128_GCM),
                DtlsSettings.DEFAULTS.withSrtpProfiles(SrtpProfile.AES128_CM_HMAC_SHA1_80),
                serverCert.fingerprint(), clientCert.fingerprint());
        assertInstanceOf(SrtpNegotiationException.class, o[1].error);
        assertTrue(o[0].error != null);
    }

    @ParameterizedTest
    @EnumSource(DtlsRole.class)
    void silentPeerEndsInATimeoutWithinTheConfiguredTime(DtlsRole role) throws Exception {
        int timeoutMs = 1500;
        DtlsSettings settings = DtlsSettings.DEFAULTS.withHandshakeTimeoutMs(timeoutMs)
                .withInitialRetransmitMs(200);
        DtlsEndpoint endpoint = new DtlsEndpoint(role,
                role == DtlsRole.CLIENT ? clientCert : serverCert,
                DtlsCertificate.generate(NOW).fingerprint(), settings);
        LoopbackUdpTransport transport = role == DtlsRole.CLIENT ? clientSocket : serverSocket;
        long start = System.nanoTime();
        Outcome o = await(start(endpoint, transport)); // nobody runs the other side
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertInstanceOf(DtlsTimeoutException.class, o.error, String.valueOf(o.error));
        assertTrue(elapsedMs >= timeoutMs - 50 && elapsedMs < timeoutMs + 3000,
                "timed out after " + elapsedMs + " ms");
    }

    @Test
    void lostFirstFlightsAreRetransmitted() throws Exception {
        // The ClientHello and the server's first flight are both lost once.
        clientSocket.dropFirstSends(1);
        serverSocket.dropFirstSends(1);
        DtlsSettings settings = DtlsSettings.DEFAULTS.withInitialRetransmitMs(100);
        Outcome[] o = handshake(settings, settings, serverCert.fingerprint(),
                clientCert.fingerprint());
        assertEquals(null, o[0].error);
        assertEquals(null, o[1].error);
        assertEquals(1, clientSocket.droppedCount());
        assertEquals(1, serverSocket.droppedCount());
        assertSrtpBothWays(o[0].session, o[1].session);
    }
}
