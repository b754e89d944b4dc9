package dev.palco.sfu.transport;

import static dev.palco.sfu.transport.IceTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.dtls.DtlsCertificate;
import dev.palco.rtp.dtls.DtlsSettings;
import dev.palco.rtp.srtp.SrtpSupport;
import dev.palco.sfu.client.IceClientOptions;
import dev.palco.sfu.client.WebRtcClientOptions;
import dev.palco.sfu.transport.WebRtcTestSupport.Pair;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connect (ICE + DTLS) / exchange SRTP / close, 200 times: no growth in threads or file
 * descriptors beyond a small constant, and no transport left registered.
 */
class WebRtcLeakTest {
    private static final int CYCLES = 200;
    private static final int WARM_UP_CYCLES = 5;
    /** ice4j's shared executors grow on demand up to their pool sizes; allow for that, nothing per cycle. */
    private static final int THREAD_SLACK = 6;

    private static IceServer server;
    private static ThreadPoolExecutor handshakes;
    private static DtlsCertificate serverCert;
    private static WebRtcClientOptions clientOptions;

    @BeforeAll
    static void start() throws Exception {
        IceTestSupport.quietIce4j();
        SrtpSupport.warmUp();
        server = IceServer.start(IceTestSupport.loopbackConfig(false));
        handshakes = WebRtcTestSupport.handshakeExecutor(500);
        serverCert = DtlsCertificate.generate(Instant.now());
        // One client certificate for all cycles, as the load generator does.
        clientOptions = WebRtcClientOptions.of(IceClientOptions.Mode.UDP, IceTestSupport.loopback())
                .withCertificate(DtlsCertificate.generate(Instant.now()));
    }

    @AfterAll
    static void stop() {
        server.close();
        handshakes.shutdownNow();
    }

    @Test
    void connectExchangeCloseCyclesReleaseEverything() throws Exception {
        for (int i = 0; i < WARM_UP_CYCLES; i++) {
            cycle(i);
        }
        await("warm-up handshake threads idle", 5_000, () -> handshakes.getPoolSize() == 0);
        int threadsBefore = IceTestSupport.threadsOutsideIce4jPools();
        int socketsBefore = IceTestSupport.reachableSockets();

        long[] cycleMs = new long[CYCLES];
        long[] securedMs = new long[CYCLES];
        long t0 = System.nanoTime();
        for (int i = 0; i < CYCLES; i++) {
            long c0 = System.nanoTime();
            securedMs[i] = cycle(WARM_UP_CYCLES + i);
            cycleMs[i] = (System.nanoTime() - c0) / 1_000_000;
        }
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("%d connect/exchange/close cycles (ICE + DTLS + 10 SRTP + 1 SRTCP each way) in %d ms: "
                + "%.1f ms per cycle%n", CYCLES, elapsedMs, (double) elapsedMs / CYCLES);
        for (int row = 0; row < CYCLES; row += 20) {
            System.out.println("cycle ms [" + row + ".." + (row + 19) + "]: "
                    + Arrays.toString(Arrays.copyOfRange(cycleMs, row, row + 20)));
        }
        long[] sorted = securedMs.clone();
        Arrays.sort(sorted);
        System.out.printf("time to secured: median %d ms, p95 %d ms, max %d ms%n",
                sorted[CYCLES / 2], sorted[CYCLES * 95 / 100], sorted[CYCLES - 1]);

        assertEquals(0, server.openTransports());
        await("handshake threads wound down", 10_000, () -> handshakes.getPoolSize() == 0);
        await("threads wound down (before " + threadsBefore + ", now " + IceTestSupport.threadsOutsideIce4jPools() + ")", 45_000,
                () -> IceTestSupport.threadsOutsideIce4jPools() <= threadsBefore + THREAD_SLACK);
        await("sockets closed (before " + socketsBefore + ", raw count now " + IceTestSupport.openSockets() + ": "
                + IceTestSupport.describeFileDescriptors() + ")", 45_000,
                () -> IceTestSupport.reachableSockets() <= socketsBefore + IceTestSupport.SOCKET_SLACK);
        System.out.printf("threads %d -> %d, sockets once collected %d -> %d%n", threadsBefore,
                IceTestSupport.threadsOutsideIce4jPools(), socketsBefore, IceTestSupport.reachableSockets());
    }

    /** @return milliseconds from the start of signaling to secured */
    private static long cycle(int i) throws Exception {
        try (Pair p = WebRtcTestSupport.pair("leak-" + i, server, serverCert, DtlsSettings.DEFAULTS, handshakes,
                clientOptions)) {
            p.connect();
            assertTrue(p.transport.isSecured(), p.transport.state() + " " + p.events.failed);
            WebRtcTestSupport.exchange(p, 10, 1, i * 16);
            return p.msToSecured;
        }
    }

}
