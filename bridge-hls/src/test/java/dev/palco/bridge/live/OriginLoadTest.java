package dev.palco.bridge.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.bridge.encode.LadderConfig;
import dev.palco.bridge.origin.OriginRequest;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Origin load on loopback: the live test pattern (640x360 and 320x180 H.264, AAC) through the
 * {@link dev.palco.bridge.encode.LadderEncoder} onto the origin, and N simulated LL-HLS viewers
 * ({@link LoadViewer}), one keep-alive connection each, half on each video rendition (plus one on
 * the audio rendition each with {@code -Dpalco.load.audio=true}), all driven by one Netty event
 * loop. It reports, over the measurement window: blocking playlist and part responses per second,
 * requests held at the origin (sampled every 20 ms), how long after the first viewer every other
 * viewer gets each new playlist version (the origin's fan-out), and the CPU of the origin's event
 * loops, the viewers' event loop and the encoder thread, from per-thread CPU time.
 *
 * <p>In the default build it is a smoke run (200 viewers, 5 s). The benchmark of
 * docs/benchmarks.md runs it with {@code -Dpalco.load.viewers=2000 -Dpalco.load.seconds=30}.
 */
class OriginLoadTest {

    private static final Path OUT = Path.of("target", "origin-load");
    private static final int VIEWERS = Integer.getInteger("palco.load.viewers", 200);
    private static final int SECONDS = Integer.getInteger("palco.load.seconds", 5);
    private static final int WARMUP_SECONDS = Integer.getInteger("palco.load.warmupSeconds", 3);
    private static final int ORIGIN_THREADS = Integer.getInteger("palco.load.originThreads", 2);
    private static final int CLIENT_THREADS = Integer.getInteger("palco.load.clientThreads", 1);
    private static final boolean AUDIO = Boolean.getBoolean("palco.load.audio");

    @Test
    void viewersHoldBlockingReloadsAndFetchEveryPart() throws Exception {
        Files.createDirectories(OUT);
        LoadStats stats = new LoadStats();
        EventLoopGroup clients = new NioEventLoopGroup(CLIENT_THREADS, new DefaultThreadFactory("hls-load"));
        List<Channel> channels = new ArrayList<>();
        try (LiveStage stage = new LiveStage(LadderConfig.standard(), ORIGIN_THREADS)) {
            Poll.until(() -> stage.stream.frames() >= 45, 10_000, () -> "1.5 s of stream");
            String host = "127.0.0.1:" + stage.port;
            int perViewer = AUDIO ? 2 : 1;
            for (int v = 0; v < VIEWERS; v++) {
                for (int k = 0; k < perViewer; k++) {
                    String rendition = k == 1 ? "a0" : (v % 2 == 0 ? "v0" : "v1");
                    int index = k == 1 ? 2 : v % 2;
                    Bootstrap b = new Bootstrap().group(clients).channel(NioSocketChannel.class)
                            .option(ChannelOption.TCP_NODELAY, true)
                            .handler(new ChannelInitializer<SocketChannel>() {
                                @Override
                                protected void initChannel(SocketChannel ch) {
                                    ch.pipeline().addLast(new HttpClientCodec(),
                                            new LoadViewer(rendition, index, stats, host));
                                }
                            });
                    ChannelFuture f = b.connect("127.0.0.1", stage.port);
                    channels.add(f.channel());
                    if (channels.size() % 200 == 0) {
                        f.sync(); // a breath every 200 connects, so that the accept backlog never overflows
                    }
                }
            }
            int connections = VIEWERS * perViewer;
            Poll.until(() -> stats.connections() == connections, 30_000,
                    () -> stats.connections() + " of " + connections + " connected");
            awaitMs(WARMUP_SECONDS * 1000L);

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            Map<String, Long> cpu0 = cpuByGroup(threads);
            long process0 = processCpuNs();
            long playlists0 = stage.origin.blockingPlaylistRequests();
            long parts0 = stage.origin.requests(OriginRequest.Kind.PART);
            long all0 = allRequests(stage);
            long start = System.nanoTime();
            stats.startMeasuring();
            long heldSum = 0;
            long heldSamples = 0;
            long heldMax = 0;
            long end = start + SECONDS * 1_000_000_000L;
            while (System.nanoTime() < end) {
                int held = stage.origin.parkedRequests();
                heldSum += held;
                heldSamples++;
                heldMax = Math.max(heldMax, held);
                LockSupport.parkNanos(20_000_000L);
            }
            stats.stop();
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Long> cpu1 = cpuByGroup(threads);
            long process1 = processCpuNs();
            long originPlaylists = stage.origin.blockingPlaylistRequests() - playlists0;
            long originParts = stage.origin.requests(OriginRequest.Kind.PART) - parts0;
            long originAll = allRequests(stage) - all0;
            double originCpuNs = cpu1.getOrDefault("origin", 0L) - cpu0.getOrDefault("origin", 0L);

            String row = String.format(Locale.ROOT,
                    "| %d | %d | %.0f | %.0f | %.1f | %.0f / %d | %d / %d / %d | %.1f | %.0f %% | %.1f | %.0f %% | %.0f %% | %.0f %% | %d |",
                    VIEWERS, connections, originPlaylists / seconds, originParts / seconds,
                    stats.partBytes() * 8 / seconds / 1e6, (double) heldSum / heldSamples, heldMax,
                    stats.fanoutPercentileMs(0.5), stats.fanoutPercentileMs(0.95), stats.fanoutPercentileMs(1.0),
                    100.0 * stats.skipped() / Math.max(1, stats.skipped() + stats.parts()),
                    pct(cpu1, cpu0, "origin", seconds), originCpuNs / 1000 / Math.max(1, originAll),
                    pct(cpu1, cpu0, "viewers", seconds),
                    pct(cpu1, cpu0, "encoder", seconds), (process1 - process0) / seconds / 1e7, stats.errors());
            String header = "| viewers | connections | blocking playlist req/s | part req/s | media Mbit/s "
                    + "| held requests mean / max | fan-out p50 / p95 / max (ms) | parts skipped (%) | CPU origin | origin CPU µs per request "
                    + "| CPU viewers "
                    + "| CPU encoder | CPU process | errors |";
            System.out.println(header);
            System.out.println(row);
            Files.writeString(OUT.resolve("result-" + VIEWERS + ".md"), header + "\n" + row + "\n");

            // Functional checks only: whether the viewers keep up (parts skipped, versions per
            // second, requests held between parts) depends on the CPU the machine gives this JVM,
            // and is what the row reports. OriginServerTest proves that blocking reloads are held.
            assertEquals(0, stats.errors(), row + " errors by status " + stats.errorsByStatus());
            double perViewerPerSecond = stats.playlists() / seconds / connections;
            assertTrue(perViewerPerSecond > 1.0, "viewers stopped following the stream: " + perViewerPerSecond
                    + " playlist versions/s each; " + row);
        } finally {
            stats.stop();
            for (Channel c : channels) {
                c.close();
            }
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static long allRequests(LiveStage stage) {
        long n = 0;
        for (OriginRequest.Kind k : OriginRequest.Kind.values()) {
            n += stage.origin.requests(k);
        }
        return n;
    }

    private static double pct(Map<String, Long> after, Map<String, Long> before, String group, double seconds) {
        return (after.getOrDefault(group, 0L) - before.getOrDefault(group, 0L)) / seconds / 1e7;
    }

    /** CPU time so far of the live threads, by role (from the thread names). */
    private static Map<String, Long> cpuByGroup(ThreadMXBean threads) {
        Map<String, Long> out = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            ThreadInfo info = threads.getThreadInfo(id);
            long ns = threads.getThreadCpuTime(id);
            if (info == null || ns < 0) {
                continue;
            }
            String name = info.getThreadName();
            String group = name.startsWith("hls-origin") ? "origin"
                    : name.startsWith("hls-load") ? "viewers"
                    : name.equals("test-pattern") ? "encoder" : "other";
            out.merge(group, ns, Long::sum);
        }
        return out;
    }

    private static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void awaitMs(long ms) {
        long until = System.nanoTime() + ms * 1_000_000L;
        Poll.until(() -> System.nanoTime() >= until, ms + 1000, () -> "the warm-up");
    }
}
