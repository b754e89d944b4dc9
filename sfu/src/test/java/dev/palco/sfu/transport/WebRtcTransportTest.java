package dev.palco.sfu.transport;

import static dev.palco.sfu.transport.IceTestSupport.await;
import static dev.palco.sfu.transport.WebRtcTestSupport.exchange;
import static dev.palco.sfu.transport.WebRtcTestSupport.pair;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.demux.PacketKind;
import dev.palco.rtp.dtls.DtlsCertificate;
import dev.palco.rtp.dtls.DtlsFingerprint;
import dev.palco.rtp.dtls.DtlsSettings;
import dev.palco.rtp.dtls.FingerprintMismatchException;
import dev.palco.rtp.srtp.SrtpProfile;
import dev.palco.rtp.srtp.SrtpStatus;
import dev.palco.rtp.srtp.SrtpSupport;
import dev.palco.sfu.client.ClientConnectException;
import dev.palco.sfu.client.ClientSendResult;
import dev.palco.sfu.client.IceClientAgent;
import dev.palco.sfu.client.IceClientOptions;
import dev.palco.sfu.client.WebRtcClientOptions;
import dev.palco.sfu.transport.IceTestSupport.RecordingListener;
import dev.palco.sfu.transport.WebRtcTestSupport.Pair;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link dev.palco.sfu.client.WebRtcClient} against {@link WebRtcTransport} over real sockets on
 * 127.0.0.1: ICE, DTLS-SRTP, SRTP and SRTCP both ways, failures, and hostile input.
 */
class WebRtcTransportTest {
    private static IceServer server;
    private static ThreadPoolExecutor handshakes;
    private static DtlsCertificate serverCert;

    @BeforeAll
    static void start() throws Exception {
        IceTestSupport.quietIce4j();
        SrtpSupport.warmUp();
        server = IceServer.start(IceTestSupport.loopbackConfig(true));
        handshakes = WebRtcTestSupport.handshakeExecutor(1_000);
        serverCert = DtlsCertificate.generate(Instant.now());
    }

    @AfterAll
    static void stop() {
        server.close();
        handshakes.shutdownNow();
    }

    private static WebRtcClientOptions udpClient() {
        return WebRtcClientOptions.of(IceClientOptions.Mode.UDP, IceTestSupport.loopback())
                .withIce(IceClientOptions.of(IceClientOptions.Mode.UDP, IceTestSupport.loopback())
                        .withTimers(200, 1_500, 10_000, 200));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void srtpAndSrtcpFlowBothWaysWithEachProfile(SrtpProfile profile) throws Exception {
        // The server accepts only this profile; the client offers both, GCM first.
        DtlsSettings serverSettings = DtlsSettings.DEFAULTS.withSrtpProfiles(profile);
        try (Pair p = pair("profile-" + profile, server, serverCert, serverSettings, handshakes, udpClient())) {
            p.connect();
            System.out.printf("%s: ICE + DTLS secured in %d ms (server: %d ms from creation), pair %s%n",
                    profile, p.msToSecured, p.transport.msToSecured(), p.transport.selectedPair());
            assertEquals(WebRtcTransportState.SECURED, p.transport.state());
            assertTrue(p.transport.isSecured() && p.client.isSecured());
            assertEquals(profile, p.transport.srtp().profile());
            assertEquals(profile, p.client.srtp().profile());
            exchange(p, 200, 20, 65_500); // sequence numbers wrap at 65535 → 0 mid-run
            assertEquals(220, p.transport.demuxCounters().rtpPackets() + p.transport.demuxCounters().rtcpPackets());
            assertEquals(200, p.client.counters().rtpReceived());
            assertEquals(20, p.client.counters().rtcpReceived());
            assertEquals(0, p.transport.demuxCounters().droppedTotal(), p.transport.demuxCounters().toString());
        }
    }

    @Test
    void defaultsNegotiateGcmAndTheServerIsTheDtlsServer() throws Exception {
        try (Pair p = pair("defaults", server, serverCert, DtlsSettings.DEFAULTS, handshakes, udpClient())) {
            assertEquals(dev.palco.rtp.dtls.DtlsRole.SERVER, p.transport.dtlsRole());
            assertEquals(serverCert.fingerprint(), p.transport.localFingerprint());
            p.connect();
            assertEquals(SrtpProfile.AEAD_AES_128_GCM, p.transport.srtp().profile());
            exchange(p, 5, 1, 0);
        }
    }

    @Test
    void serverRefusesAClientCertificateThatIsNotTheSignaledOne() throws Exception {
        DtlsFingerprint wrong = DtlsCertificate.generate(Instant.now()).fingerprint();
        DtlsSettings shortTimeout = DtlsSettings.DEFAULTS.withHandshakeTimeoutMs(3_000);
        try (Pair p = pair("mismatch-at-server", server, serverCert, shortTimeout, handshakes,
                udpClient().withDtls(shortTimeout))) {
            ClientConnectException e = assertThrows(ClientConnectException.class,
                    () -> p.connect(wrong, p.transport.localFingerprint(), Duration.ofSeconds(10)));
            System.out.println("client sees: " + e.getMessage());
            assertEquals(ClientConnectException.Stage.DTLS, e.stage());
            await("server reports the failure", 5_000, () -> p.events.failed != null);
            String reason = p.events.failed;
            System.out.println("server reports: " + reason);
            assertTrue(reason.contains("fingerprint mismatch"), reason);
            assertTrue(reason.contains(wrong.toSdp()), "names the signaled fingerprint: " + reason);
            assertTrue(reason.contains(p.client.localFingerprint().toSdp()), "names the presented one: " + reason);
            assertEquals(WebRtcTransportState.FAILED, p.transport.state());
            assertNull(p.transport.srtp());
            assertEquals(SendResult.CLOSED, p.transport.send(new byte[20], 0, 20));
            assertEquals(1, p.events.terminalCallbacks.get());
        }
    }

    @Test
    void clientRefusesAServerCertificateThatIsNotTheSignaledOne() throws Exception {
        DtlsFingerprint wrong = DtlsCertificate.generate(Instant.now()).fingerprint();
        DtlsSettings shortTimeout = DtlsSettings.DEFAULTS.withHandshakeTimeoutMs(3_000);
        try (Pair p = pair("mismatch-at-client", server, serverCert, shortTimeout, handshakes,
                udpClient().withDtls(shortTimeout))) {
            ClientConnectException e = assertThrows(ClientConnectException.class,
                    () -> p.connect(p.client.localFingerprint(), wrong, Duration.ofSeconds(10)));
            System.out.println("client sees: " + e.getMessage());
            assertEquals(ClientConnectException.Stage.DTLS, e.stage());
            assertInstanceOf(FingerprintMismatchException.class, e.getCause());
            assertTrue(e.getMessage().contains(wrong.toSdp()), e.getMessage());
            assertTrue(e.getMessage().contains(serverCert.fingerprint().toSdp()), e.getMessage());
            // The client's bad_certificate alert ends the server's handshake (or its timeout does,
            // if the alert is lost: UDP).
            await("server reports the failure", 5_000, () -> p.events.failed != null);
            System.out.println("server reports: " + p.events.failed);
            assertFalse(p.client.isSecured());
        }
    }

    /**
     * Makes the client lose the server's final flight (two records) once; returns the count of
     * records lost.
     */
    private static AtomicInteger dropServersFinalFlightOnce(Pair p) {
        AtomicInteger dropped = new AtomicInteger();
        p.client.setReceiveFilter((buf, off, len, kind) -> {
            if (kind != PacketKind.DTLS || dropped.get() >= 2) {
                return true;
            }
            int contentType = buf[off] & 0xFF;
            int epoch = ((buf[off + 3] & 0xFF) << 8) | (buf[off + 4] & 0xFF);
            // RFC 6347 §4.1: ChangeCipherSpec is content type 20; the Finished after it is the
            // first record of epoch 1.
            if (contentType == 20 || epoch != 0) {
                dropped.incrementAndGet();
                return false;
            }
            return true;
        });
        return dropped;
    }

    /**
     * The server's final flight (ChangeCipherSpec + Finished) is lost on the way to the client.
     * The client repeats its flight after its retransmission timer; the server, whose handshake has
     * already ended, must answer from the post-handshake service path with its final flight again
     * (RFC 6347 §4.2.4).
     */
    @Test
    void lostFinalFlightIsRetransmittedAfterTheServerHandshakeEnded() throws Exception {
        try (Pair p = pair("lost-final-flight", server, serverCert, DtlsSettings.DEFAULTS, handshakes, udpClient())) {
            AtomicInteger dropped = dropServersFinalFlightOnce(p);
            p.connect();
            System.out.printf("secured after a lost final flight in %d ms%n", p.msToSecured);
            assertEquals(2, dropped.get());
            assertTrue(p.events.secured);
            // The server saw the client's flight twice: once in the handshake, once after it.
            assertTrue(p.transport.demuxCounters().dtlsDatagrams() > 5, p.transport.demuxCounters().toString());
            exchange(p, 10, 2, 1_000);
        }
    }

    /**
     * Media the server sends the moment its handshake ends can reach the client before the
     * client's own handshake has the keys: here always, because the server's final flight is lost
     * once and the client learns its keys only a retransmission later. The client holds that
     * media and hands it over, in order and complete, once it has the keys, as a browser does.
     */
    @Test
    void mediaArrivingBeforeTheClientsKeysIsHeldAndDeliveredInOrder() throws Exception {
        // The client repeats its flight only after 3 s, so the window in which the server has keys
        // and the client has none is wide enough for the test thread on a loaded machine.
        try (Pair p = pair("early-media", server, serverCert, DtlsSettings.DEFAULTS, handshakes,
                udpClient().withDtls(DtlsSettings.DEFAULTS.withInitialRetransmitMs(3_000)))) {
            AtomicInteger dropped = dropServersFinalFlightOnce(p);
            java.util.concurrent.CompletableFuture<Void> connecting = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    p.connect();
                } catch (ClientConnectException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            await("the server secured, the client not yet", 5_000, () -> p.events.secured && dropped.get() == 2);
            assertFalse(p.client.isSecured(), "the client waits for the final flight again");
            var serverTx = p.transport.srtp().sender();
            int off = 5;
            java.util.List<byte[]> sent = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                byte[] down = WebRtcTestSupport.rtp(off, 0x33333333, 100 + i, 3_000L * i, 200 + 40 * i);
                sent.add(java.util.Arrays.copyOfRange(down, off, off + 12 + 200 + 40 * i));
                assertEquals(SrtpStatus.OK, serverTx.protectRtp(down, off, 12 + 200 + 40 * i));
                assertEquals(dev.palco.sfu.transport.SendResult.SENT, p.transport.send(down, off, serverTx.lengthBytes()));
            }
            connecting.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(p.client.isSecured());
            for (byte[] expected : sent) {
                WebRtcTestSupport.Media m = p.atClient.take(2_000);
                assertFalse(m.rtcp());
                org.junit.jupiter.api.Assertions.assertArrayEquals(expected, m.bytes(), "held, then delivered in order");
            }
            assertEquals(0, p.client.demuxCounters().dropped(dev.palco.sfu.transport.DemuxDropReason.NOT_SECURED),
                    p.client.demuxCounters().toString());
            exchange(p, 5, 1, 2_000); // and the session goes on as usual
        }
    }

    @Test
    void serverCloseSendsCloseNotifyToTheClient() throws Exception {
        Pair p = pair("server-closes", server, serverCert, DtlsSettings.DEFAULTS, handshakes, udpClient());
        try {
            p.connect();
            exchange(p, 3, 1, 0);
            var session = p.transport.srtp();
            p.transport.close();
            p.transport.close(); // idempotent
            assertEquals(WebRtcTransportState.CLOSED, p.transport.state());
            assertTrue(p.events.closed);
            assertEquals(1, p.events.terminalCallbacks.get());
            assertEquals("closed by its owner", p.transport.terminationReason());
            assertEquals(SendResult.CLOSED, p.transport.send(new byte[20], 0, 20));
            // The keys are gone: the closed session refuses to work.
            byte[] probe = WebRtcTestSupport.rtp(0, 1, 1, 1, 10);
            assertEquals(SrtpStatus.NO_CONTEXT, session.sender().protectRtp(probe, 0, 22));
            await("client saw close_notify", 3_000, p.client::isClosedByPeer);
            byte[] up = WebRtcTestSupport.rtp(0, 1, 2, 2, 10);
            assertEquals(ClientSendResult.CLOSED, p.client.sendRtp(up, 0, 22));
        } finally {
            p.close();
        }
    }

    @Test
    void clientCloseNotifyClosesTheServerTransport() throws Exception {
        Pair p = pair("client-closes", server, serverCert, DtlsSettings.DEFAULTS, handshakes, udpClient());
        try {
            p.connect();
            exchange(p, 3, 1, 0);
            p.client.close();
            await("server closed by the peer", 3_000, () -> p.events.closed);
            assertEquals(WebRtcTransportState.CLOSED, p.transport.state());
            assertTrue(p.transport.terminationReason().contains("peer"), p.transport.terminationReason());
            p.transport.close();
            assertEquals(1, p.events.terminalCallbacks.get());
        } finally {
            p.close();
        }
    }

    /** A peer that completes ICE but never starts DTLS: the handshake times out and frees its thread. */
    @Test
    void silentDtlsPeerTimesOutAndFreesTheHandshakeThread() throws Exception {
        WebRtcTestSupport.RecordingWebRtcListener events = new WebRtcTestSupport.RecordingWebRtcListener();
        WebRtcTransport transport = WebRtcTransport.create("silent", server, serverCert,
                DtlsSettings.DEFAULTS.withHandshakeTimeoutMs(1_000), handshakes, events);
        IceClientAgent iceOnly = IceClientAgent.create("silent-client",
                IceClientOptions.of(IceClientOptions.Mode.UDP, IceTestSupport.loopback()), new RecordingListener());
        try {
            transport.setRemoteFingerprint(DtlsCertificate.generate(Instant.now()).fingerprint());
            IceCredentials c = iceOnly.localCredentials();
            transport.setRemoteIceCredentials(c.ufrag(), c.pwd());
            IceCredentials s = transport.localIceCredentials();
            iceOnly.setRemoteCredentials(s.ufrag(), s.pwd());
            for (CandidateDescription d : transport.localCandidates()) {
                iceOnly.addRemoteCandidate(d);
            }
            long t0 = System.nanoTime();
            transport.startConnectivityChecks();
            iceOnly.start();
            await("handshaking", 5_000, () -> transport.state() == WebRtcTransportState.HANDSHAKING);
            await("handshake timeout reported", 5_000, () -> events.failed != null);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("silent peer: failed after %d ms: %s%n", ms, events.failed);
            assertTrue(events.failed.contains("did not complete within 1000 ms"), events.failed);
            await("handshake thread returned to the pool", 2_000, () -> handshakes.getActiveCount() == 0);
        } finally {
            iceOnly.close();
            transport.close();
        }
    }

    /** Closing during the handshake ends it at once, without waiting for the handshake timeout. */
    @Test
    void closeDuringTheHandshakeEndsItAtOnce() throws Exception {
        WebRtcTestSupport.RecordingWebRtcListener events = new WebRtcTestSupport.RecordingWebRtcListener();
        WebRtcTransport transport = WebRtcTransport.create("closed-mid-handshake", server, serverCert,
                DtlsSettings.DEFAULTS.withHandshakeTimeoutMs(30_000), handshakes, events);
        IceClientAgent iceOnly = IceClientAgent.create("closed-mid-handshake-client",
                IceClientOptions.of(IceClientOptions.Mode.UDP, IceTestSupport.loopback()), new RecordingListener());
        try {
            transport.setRemoteFingerprint(DtlsCertificate.generate(Instant.now()).fingerprint());
            IceCredentials c = iceOnly.localCredentials();
            transport.setRemoteIceCredentials(c.ufrag(), c.pwd());
            IceCredentials s = transport.localIceCredentials();
            iceOnly.setRemoteCredentials(s.ufrag(), s.pwd());
            for (CandidateDescription d : transport.localCandidates()) {
                iceOnly.addRemoteCandidate(d);
            }
            transport.startConnectivityChecks();
            iceOnly.start();
            await("handshaking", 5_000, () -> transport.state() == WebRtcTransportState.HANDSHAKING);
            await("handshake running", 2_000, () -> handshakes.getActiveCount() > 0);
            long t0 = System.nanoTime();
            transport.close();
            await("handshake thread returned to the pool", 2_000, () -> handshakes.getActiveCount() == 0);
            System.out.printf("handshake ended %d ms after close%n", (System.nanoTime() - t0) / 1_000_000);
            assertEquals(WebRtcTransportState.CLOSED, transport.state());
            assertTrue(events.closed);
            assertNull(events.failed);
        } finally {
            iceOnly.close();
            transport.close();
        }
    }

    @Test
    void garbageAtTheSharedPortLeavesTheRunningSessionIntact() throws Exception {
        try (Pair p = pair("garbage", server, serverCert, DtlsSettings.DEFAULTS, handshakes, udpClient());
                DatagramSocket attacker = new DatagramSocket(new InetSocketAddress(IceTestSupport.loopback(), 0))) {
            p.connect();
            exchange(p, 5, 1, 0);
            InetSocketAddress port = server.udpAddresses().get(0);
            SplittableRandom random = new SplittableRandom(0xBADC0DE);
            var rx = p.transport.srtp().receiver();

            // 1. From a stranger: a STUN Binding request naming the session's ufrag with a wrong
            //    MESSAGE-INTEGRITY (ice4j answers 401 and routes this source to the session), then
            //    random bytes, a truncated DTLS record, a DTLS record with a bad MAC, RTP with an
            //    unknown SSRC. The ICE layer must drop all of it as coming from an unvalidated source.
            byte[] forged = forgedBindingRequest(p.transport.localIceCredentials().ufrag() + ":intruder");
            for (int i = 0; i < 3; i++) {
                attacker.send(new DatagramPacket(forged, forged.length, port));
            }
            for (byte[] junk : junk(random, 300)) {
                attacker.send(new DatagramPacket(junk, junk.length, port));
            }
            // The burst may overflow the shared socket's receive buffer; the kernel then drops what
            // does not fit, real packets included. Send probes until one is through, which also
            // shows the harvester thread has drained the backlog.
            long deadline = System.nanoTime() + 5_000_000_000L;
            boolean through = false;
            for (int seq = 4_000; !through; seq++) {
                assertTrue(System.nanoTime() < deadline, "no real packet got through after the burst");
                byte[] probe = WebRtcTestSupport.rtp(0, 0x11111111, seq, seq, 50);
                assertEquals(ClientSendResult.SENT, p.client.sendRtp(probe, 0, 62));
                WebRtcTestSupport.Media m = p.atServer.pollFor(200);
                through = m != null && rx.unprotectRtp(m.bytes(), 0, m.bytes().length) == SrtpStatus.OK;
            }
            await("late probes drained", 2_000, () -> {
                WebRtcTestSupport.Media m;
                try {
                    m = p.atServer.pollFor(200);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                return m == null;
            });
            assertTrue(p.transport.iceCounters().dropped(TransportDropReason.UNAUTHORIZED_SOURCE) > 0,
                    p.transport.iceCounters().toString());

            // 2. The same kinds of garbage from the client's own, ICE-validated address: these pass
            //    ICE and reach the RFC 7983 demux, the DTLS layer and the media receiver. Paced in
            //    small batches so that the kernel drops none and every one can be accounted for.
            DemuxCounters demux = p.transport.demuxCounters();
            java.util.function.LongSupplier classified =
                    () -> demux.droppedTotal() + demux.dtlsDatagrams() + demux.rtpPackets() + demux.rtcpPackets();
            long demuxBefore = classified.getAsLong();
            java.util.List<byte[]> junk = junk(random, 300);
            for (int start = 0; start < junk.size(); start += 25) {
                int end = Math.min(junk.size(), start + 25);
                for (byte[] b : junk.subList(start, end)) {
                    assertEquals(SendResult.SENT, p.client.sendRawDatagram(b, 0, b.length));
                }
                // Waits on the demux itself: the ICE layer counts a datagram before handing it on.
                int sentSoFar = end;
                await("batch classified", 5_000, () -> classified.getAsLong() >= demuxBefore + sentSoFar);
            }
            assertEquals(junk.size(), classified.getAsLong() - demuxBefore, "every datagram was classified once: " + demux);
            // What classified as RTP/RTCP went to the media receiver and must fail authentication.
            int garbageMedia = 0;
            WebRtcTestSupport.Media m;
            while ((m = p.atServer.poll()) != null) {
                SrtpStatus st = m.rtcp() ? rx.unprotectRtcp(m.bytes(), 0, m.bytes().length)
                        : rx.unprotectRtp(m.bytes(), 0, m.bytes().length);
                assertNotEquals(SrtpStatus.OK, st);
                garbageMedia++;
            }

            // 3. The session is intact: exact contents both ways, and it is still secured.
            exchange(p, 30, 5, 5_000);
            System.out.println("garbage: " + garbageMedia + " RTP/RTCP-looking datagrams failed SRTP authentication");
            System.out.println("garbage: server demux " + demux);
            System.out.println("garbage: server ICE " + p.transport.iceCounters());
            assertTrue(garbageMedia > 0);
            assertTrue(demux.dropped(DemuxDropReason.UNKNOWN_PROTOCOL) > 0, demux.toString());
            assertTrue(demux.dropped(DemuxDropReason.TOO_SHORT) > 0, demux.toString());
            assertTrue(demux.dtlsDatagrams() > 0, demux.toString());
            assertEquals(WebRtcTransportState.SECURED, p.transport.state());
            assertNull(p.events.failed);
            assertFalse(p.client.isClosedByPeer());
        }
    }

    /** Random datagrams plus hand-made ones in each RFC 7983 range. */
    private static java.util.List<byte[]> junk(SplittableRandom random, int n) {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[1 + random.nextInt(1_200)];
            random.nextBytes(b);
            switch (i % 6) {
                case 0 -> b[0] = (byte) (128 + random.nextInt(64)); // RTP/RTCP range
                case 1 -> b[0] = (byte) (20 + random.nextInt(4)); // DTLS 1.2 content types
                default -> { }
            }
            out.add(b);
        }
        // A truncated DTLS record: the header claims 100 bytes, 7 follow.
        out.add(new byte[] {
            22, // content type: handshake
            (byte) 0xFE, (byte) 0xFD, // version: DTLS 1.2
            0, 1, // epoch 1
            0, 0, 0, 0, 0, 9, // sequence number
            0, 100, // length: 100, but only 7 bytes follow
            1, 2, 3, 4, 5, 6, 7});
        // A well-formed DTLS header with garbage ciphertext in the current epoch: bad_record_mac,
        // which DTLS discards silently (RFC 6347 §4.1.2.7).
        byte[] badMac = new byte[13 + 48];
        random.nextBytes(badMac);
        badMac[0] = 23; // application_data
        badMac[1] = (byte) 0xFE; // DTLS 1.2
        badMac[2] = (byte) 0xFD;
        badMac[3] = 0; // epoch 1
        badMac[4] = 1;
        badMac[11] = 0; // length 48
        badMac[12] = 48;
        out.add(badMac);
        // RTP with an SSRC nobody uses and a random payload.
        byte[] strangeRtp = WebRtcTestSupport.rtp(0, 0x0BADBEEF, 7, 7, 100);
        for (int i = 12; i < 112; i++) {
            strangeRtp[i] = (byte) random.nextInt();
        }
        out.add(java.util.Arrays.copyOf(strangeRtp, 112));
        out.add(new byte[] {(byte) 0x80}); // one byte in the RTP range: too short
        out.add(new byte[] {4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}); // unassigned first byte
        return out;
    }

    /**
     * A Binding request (RFC 5389 §6) with USERNAME and a MESSAGE-INTEGRITY keyed with a password the
     * server never issued.
     */
    static byte[] forgedBindingRequest(String username) {
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
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
            msg[i] = (byte) (0x3C + i); // transaction ID, 96 bits
        }
        int o = 20;
        msg[o] = 0x00; // USERNAME 0x0006
        msg[o + 1] = 0x06;
        msg[o + 2] = (byte) (user.length >>> 8); // unpadded value length
        msg[o + 3] = (byte) user.length;
        System.arraycopy(user, 0, msg, o + 4, user.length); // "<server ufrag>:intruder", zero padded
        o += 4 + userPadded;
        byte[] hmac = org.ice4j.attribute.MessageIntegrityAttribute.calculateHmacSha1(
                msg, 0, o, "not-the-password-0123456789".getBytes(StandardCharsets.UTF_8));
        msg[o] = 0x00; // MESSAGE-INTEGRITY 0x0008
        msg[o + 1] = 0x08;
        msg[o + 2] = 0x00; // length 20
        msg[o + 3] = 0x14;
        System.arraycopy(hmac, 0, msg, o + 4, 20); // HMAC-SHA1 with the wrong key
        return msg;
    }

    @Test
    void tcpOnlyClientConnectsAndExchangesSrtp() throws Exception {
        WebRtcClientOptions tcp = WebRtcClientOptions.of(IceClientOptions.Mode.TCP, IceTestSupport.loopback())
                .withIce(IceClientOptions.of(IceClientOptions.Mode.TCP, IceTestSupport.loopback())
                        .withTimers(200, 1_500, 10_000, 200));
        try (Pair p = pair("tcp", server, serverCert, DtlsSettings.DEFAULTS, handshakes, tcp)) {
            p.connect();
            System.out.printf("ICE-TCP + DTLS secured in %d ms, pair %s%n", p.msToSecured, p.transport.selectedPair());
            assertTrue(p.transport.selectedPair().contains("/tcp"), p.transport.selectedPair());
            exchange(p, 100, 10, 0);
        }
    }

    /** An ICE restart moves the secured session to a new pair; DTLS and SRTP carry on untouched. */
    @Test
    void iceRestartKeepsTheDtlsAssociationAndSrtpContexts() throws Exception {
        try (Pair p = pair("restart", server, serverCert, DtlsSettings.DEFAULTS, handshakes, udpClient())) {
            p.connect();
            exchange(p, 10, 1, 100);
            String firstPair = p.transport.selectedPair();
            var sessionBefore = p.transport.srtp();
            long dtlsBefore = p.transport.demuxCounters().dtlsDatagrams();

            long t0 = System.nanoTime();
            IceCredentials serverNew = p.transport.restartIce();
            IceCredentials clientNew = p.client.restartIce();
            p.transport.setRemoteIceCredentials(clientNew.ufrag(), clientNew.pwd());
            for (CandidateDescription c : p.client.localCandidates()) {
                p.transport.addRemoteCandidate(c);
            }
            p.transport.startConnectivityChecks();
            p.client.continueIceRestart(serverNew.ufrag(), serverNew.pwd(), p.transport.localCandidates());
            await("new pair selected", 5_000, () -> !firstPair.equals(p.transport.selectedPair()));
            System.out.printf("ICE restart under DTLS: new pair after %d ms: %s%n",
                    (System.nanoTime() - t0) / 1_000_000, p.transport.selectedPair());

            // Same keys, same SRTP contexts (sequence numbers continue), no new handshake.
            exchange(p, 20, 2, 110);
            assertTrue(sessionBefore == p.transport.srtp());
            assertEquals(dtlsBefore, p.transport.demuxCounters().dtlsDatagrams());
            assertEquals(WebRtcTransportState.SECURED, p.transport.state());
        }
    }

    @Test
    void remoteFingerprintCannotChangeAndChecksNeedIt() throws Exception {
        WebRtcTransport t = WebRtcTransport.create("fp", server, serverCert, DtlsSettings.DEFAULTS, handshakes,
                new WebRtcTransportListener() { });
        try {
            t.setRemoteIceCredentials("abcd", "0123456789012345678901");
            assertThrows(IllegalStateException.class, t::startConnectivityChecks);
            DtlsFingerprint a = DtlsCertificate.generate(Instant.now()).fingerprint();
            DtlsFingerprint b = DtlsCertificate.generate(Instant.now()).fingerprint();
            assertNotEquals(a, b);
            t.setRemoteFingerprint(a);
            t.setRemoteFingerprint(DtlsFingerprint.parse(a.toSdp().toLowerCase(java.util.Locale.ROOT)));
            assertThrows(IllegalStateException.class, () -> t.setRemoteFingerprint(b));
            assertEquals(SendResult.NOT_CONNECTED, t.send(new byte[20], 0, 20));
            assertNull(t.srtp());
        } finally {
            t.close();
        }
    }
}
