package dev.palco.sfu.transport;

import dev.palco.rtp.dtls.DtlsCertificate;
import dev.palco.rtp.dtls.DtlsSettings;
import dev.palco.rtp.srtp.SrtpSupport;
import dev.palco.sfu.client.IceClientOptions;
import dev.palco.sfu.client.WebRtcClientOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Connect times (signaling to secured: ICE + DTLS) of many {@code WebRtcClient}s connecting at once
 * to one in-process server on loopback, and how many of their first datagrams the server dropped as
 * coming from an unauthorized source. A measurement, not a test: run it by hand with the test
 * class path, e.g. {@code java -cp ... dev.palco.sfu.transport.ConcurrentConnectMeasurement 60 2 20}
 * (clients per round, rounds, milliseconds between two clients' starts).
 */
public final class ConcurrentConnectMeasurement {
    private ConcurrentConnectMeasurement() {
    }

    /**
     * @param args clients per round (default 60), rounds (default 2), milliseconds between two
     *     clients' starts (default 0: all at once)
     * @throws Exception on setup failure
     */
    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        long staggerMs = args.length > 2 ? Long.parseLong(args[2]) : 0;
        IceTestSupport.quietIce4j();
        SrtpSupport.warmUp();
        IceServer server = IceServer.start(IceTestSupport.loopbackConfig(false));
        ThreadPoolExecutor handshakes = WebRtcTestSupport.handshakeExecutor(1_000);
        DtlsCertificate cert = DtlsCertificate.generate(Instant.now());
        WebRtcClientOptions options = WebRtcClientOptions.of(IceClientOptions.Mode.UDP, IceTestSupport.loopback())
                .withIce(IceClientOptions.of(IceClientOptions.Mode.UDP, IceTestSupport.loopback())
                        .withTimers(200, 1_500, 10_000, 200));
        // One warm-up connect: the first ice4j agent and the first handshake of a JVM are slow.
        try (WebRtcTestSupport.Pair p = WebRtcTestSupport.pair("warm", server, cert, DtlsSettings.DEFAULTS,
                handshakes, options)) {
            p.connect();
        }
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(clients);
        try {
            for (int round = 1; round <= rounds; round++) {
                runRound(round, clients, staggerMs, server, cert, handshakes, options, pool);
            }
        } finally {
            pool.shutdownNow();
            handshakes.shutdownNow();
            server.close();
        }
    }

    private static void runRound(int round, int clients, long staggerMs, IceServer server, DtlsCertificate cert,
            ThreadPoolExecutor handshakes, WebRtcClientOptions options, ScheduledExecutorService pool)
            throws Exception {
        List<WebRtcTestSupport.Pair> pairs = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            pairs.add(WebRtcTestSupport.pair("r" + round + "-" + i, server, cert, DtlsSettings.DEFAULTS, handshakes,
                    options));
        }
        List<Future<?>> done = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            WebRtcTestSupport.Pair p = pairs.get(i);
            done.add(pool.schedule(() -> {
                p.connect();
                return null;
            }, i * staggerMs, TimeUnit.MILLISECONDS));
        }
        int failed = 0;
        for (Future<?> f : done) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failed++;
            }
        }
        long[] ms = new long[clients];
        int secured = 0;
        int transportsWithDrops = 0;
        long drops = 0;
        int over500 = 0;
        for (int i = 0; i < clients; i++) {
            WebRtcTestSupport.Pair p = pairs.get(i);
            ms[i] = p.msToSecured < 0 ? Long.MAX_VALUE : p.msToSecured;
            if (p.transport.isSecured()) {
                secured++;
            }
            if (ms[i] > 500) {
                over500++;
            }
            long d = p.transport.iceCounters().dropped(TransportDropReason.UNAUTHORIZED_SOURCE);
            drops += d;
            if (d > 0) {
                transportsWithDrops++;
            }
            p.close();
        }
        Arrays.sort(ms);
        System.out.printf("round %d: %d/%d secured (%d connect calls failed); connect ms p50 %d, p90 %d, max %d; %d over 500 ms; "
                + "UNAUTHORIZED_SOURCE drops %d on %d transports%n", round, secured, clients, failed, ms[clients / 2],
                ms[clients * 9 / 10], ms[clients - 1], over500, drops, transportsWithDrops);
    }
}
