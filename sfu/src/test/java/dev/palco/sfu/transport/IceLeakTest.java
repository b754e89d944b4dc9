package dev.palco.sfu.transport;

import static dev.palco.sfu.transport.IceTestSupport.await;
import static dev.palco.sfu.transport.IceTestSupport.datagram;
import static dev.palco.sfu.transport.IceTestSupport.signalAndStart;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.palco.sfu.client.IceClientAgent;
import dev.palco.sfu.client.IceClientOptions;
import dev.palco.sfu.transport.IceTestSupport.QueueReceiver;
import dev.palco.sfu.transport.IceTestSupport.RecordingListener;
import java.lang.reflect.Field;
import java.util.Map;
import org.ice4j.ice.harvest.AbstractUdpListener;
import org.ice4j.ice.harvest.CandidateHarvester;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Join/leave cycles must not leak threads, file descriptors or harvester registrations. */
class IceLeakTest {
    private static final int CYCLES = 200;
    private static final int WARM_UP_CYCLES = 5;
    /** ice4j's shared executors grow on demand up to their pool sizes; allow for that, nothing per cycle. */
    private static final int THREAD_SLACK = 6;

    private static IceServer server;

    @BeforeAll
    static void startServer() throws Exception {
        IceTestSupport.quietIce4j();
        server = IceServer.start(IceTestSupport.loopbackConfig(true));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void joinLeaveCyclesReleaseEverything() throws Exception {
        for (int i = 0; i < WARM_UP_CYCLES; i++) {
            cycle(i);
        }
        await("warm-up threads settle", 10_000, () -> registrations() == 0);
        int threadsBefore = IceTestSupport.threadsOutsideIce4jPools();
        int socketsBefore = IceTestSupport.reachableSockets();

        long t0 = System.nanoTime();
        for (int i = 0; i < CYCLES; i++) {
            cycle(WARM_UP_CYCLES + i);
        }
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("%d join/leave cycles in %d ms: %.1f ms per cycle (connect + 1 datagram each way + close)%n",
                CYCLES, elapsedMs, (double) elapsedMs / CYCLES);

        assertEquals(0, server.openTransports());
        await("harvester registrations released", 10_000, () -> registrations() == 0);
        await("threads wound down (before " + threadsBefore + ", now " + IceTestSupport.threadsOutsideIce4jPools() + ")", 15_000,
                () -> IceTestSupport.threadsOutsideIce4jPools() <= threadsBefore + THREAD_SLACK);
        await("sockets closed (before " + socketsBefore + ", raw count now " + IceTestSupport.openSockets() + ")", 15_000,
                () -> IceTestSupport.reachableSockets() <= socketsBefore + IceTestSupport.SOCKET_SLACK);
        System.out.printf("threads %d -> %d, sockets once collected %d -> %d%n", threadsBefore,
                IceTestSupport.threadsOutsideIce4jPools(), socketsBefore, IceTestSupport.reachableSockets());
    }

    private static void cycle(int i) throws Exception {
        RecordingListener serverEvents = new RecordingListener();
        RecordingListener clientEvents = new RecordingListener();
        IceTransport transport = server.createTransport("leak-" + i, serverEvents);
        IceClientAgent client = IceClientAgent.create("leak-client-" + i,
                IceClientOptions.of(IceClientOptions.Mode.UDP, IceTestSupport.loopback()), clientEvents);
        try {
            QueueReceiver atServer = new QueueReceiver();
            QueueReceiver atClient = new QueueReceiver();
            transport.setReceiver(atServer);
            client.setReceiver(atClient);
            signalAndStart(transport, client);
            await("cycle " + i + " connected", 5_000,
                    () -> serverEvents.connected != null && clientEvents.connected != null);
            byte[] up = datagram(0x80, i, 160);
            client.send(up, 0, up.length);
            assertArrayEquals(up, atServer.take(2_000));
            byte[] down = datagram(0x81, i, 160);
            transport.send(down, 0, down.length);
            assertArrayEquals(down, atClient.take(2_000));
        } finally {
            client.close();
            transport.close();
        }
    }


    /** Ufrag and remote-address registrations still held by the shared UDP harvesters. */
    private static int registrations() {
        int n = 0;
        try {
            Field candidates = SinglePortUdpHarvester.class.getDeclaredField("candidates");
            Field sockets = AbstractUdpListener.class.getDeclaredField("sockets");
            candidates.setAccessible(true);
            sockets.setAccessible(true);
            for (CandidateHarvester h : server.harvesters()) {
                if (h instanceof SinglePortUdpHarvester) {
                    n += ((Map<?, ?>) candidates.get(h)).size();
                    n += ((Map<?, ?>) sockets.get(h)).size();
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        return n;
    }
}
