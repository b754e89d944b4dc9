package dev.palco.bridge.broadcast;

import dev.palco.bridge.encode.LadderConfig;
import dev.palco.bridge.origin.LiveOrigin;
import dev.palco.bridge.origin.OriginConfig;
import dev.palco.bridge.playlist.PlaylistTiming;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * CPU cost of the compose half live: N synthetic presenters (640x360 camera-like pictures at
 * 30 fps and tones, handed in through the {@code StageListener} like the ingest) composited onto
 * 1280x720 at 30 fps and encoded into the three-rung ladder ({@link LadderConfig#threeRung}), in
 * real time, for 2, 4 and 9 presenters (or those given).
 *
 * <p>For each run: the process's CPU time over the measured seconds (after a warm-up) divided by
 * the wall time, i.e. the cores used; the headroom left on this machine's cores; the CPU of the
 * compose, encode (the encode thread and the rung threads: swscale per rung plus libx264), mix (the
 * mix and the AAC encoder, whose cost grows with the complexity of the mix) and presenter threads; and whether the encoder kept 30 fps (dropped and repeated frames).
 *
 * <p>Not a unit test: run it by hand (see bridge-hls/README.md):
 * <pre>
 * mvn -B -q -o -pl rtp,bridge-hls test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
 * java -Dorg.bytedeco.javacpp.cachedir=bridge-hls/target/native-cache/javacpp \
 *     -cp bridge-hls/target/test-classes:bridge-hls/target/classes:rtp/target/classes:$(cat bridge-hls/target/bench.cp) \
 *     dev.palco.bridge.broadcast.ComposeBenchmark [seconds=10] [x264Threads=1] [preset=ultrafast] [presenters=2,4,9]
 * </pre>
 */
public final class ComposeBenchmark {

    private ComposeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        dev.palco.bridge.compose.TestHome.isolate();
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        String preset = args.length > 2 ? args[2] : "ultrafast";
        String[] counts = (args.length > 3 ? args[3] : "2,4,9").split(",");
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("cores %d, %d s per run, x264 %s, %d thread(s) per rung, ladder 1280x720/854x480/640x360 + AAC%n",
                cores, seconds, preset, threads);
        System.out.println("presenters | cores used | headroom | CPU ms/frame | cores at 30 fps | real-time factor | "
                + "compose | encode | mix | presenters' threads | enc fps | encode ms/frame (avg/max) | hand-off dropped | "
                + "repeated | out kbit/s");
        boolean first = true;
        for (String c : counts) {
            run(Integer.parseInt(c.trim()), seconds, threads, preset, cores, first ? 8_000 : 3_000);
            first = false;
        }
        System.exit(0);
    }

    private static void run(int presenters, int seconds, int x264Threads, String preset, int cores, long warmUpMs)
            throws Exception {
        LadderConfig three = LadderConfig.threeRung(x264Threads);
        LadderConfig ladder = new LadderConfig(three.video(), three.audio(), three.frameRateFps(), three.gopMs(), preset,
                x264Threads);
        LiveOrigin origin = new LiveOrigin(OriginConfig.of(PlaylistTiming.of(2, 200_000)), Clock.systemUTC());
        Broadcast broadcast = new Broadcast(BroadcastConfig.defaults().withLadder(ladder), origin);
        SyntheticStage stage = new SyntheticStage(broadcast, Clock.systemUTC(), presenters, 640, 360, 30, true);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try {
            stage.start();
            broadcast.start();
            sleepMs(warmUpMs); // warm-up: natives loaded, JIT done (longer for the first run), encoders settled
            BroadcastStats s0 = broadcast.stats();
            Map<String, Long> t0 = threadCpu(mx);
            long cpu0 = processCpuNs();
            long wall0 = System.nanoTime();
            sleepMs(seconds * 1000L);
            long wallNs = System.nanoTime() - wall0;
            long cpuNs = processCpuNs() - cpu0;
            Map<String, Long> t1 = threadCpu(mx);
            BroadcastStats s1 = broadcast.stats();
            double used = (double) cpuNs / wallNs;
            double encodedFps = (s1.encodedFrames() - s0.encodedFrames()) * 1e9 / wallNs;
            long frames = s1.encodedFrames() - s0.encodedFrames();
            // CPU per encoded picture is what a busy machine cannot distort: the cores the broadcast
            // needs at 30 fps, and how many times real time this machine's cores could run it.
            double cpuMsPerFrame = frames == 0 ? Double.NaN : cpuNs / 1e6 / frames;
            double coresAt30 = cpuMsPerFrame * 30 / 1000;
            System.out.printf("%d | %.2f | %.0f %% | %.1f | %.2f | %.1f | %.2f | %.2f | %.2f | %.2f | %.1f | %.1f / %.1f | %d | %d | %d%n",
                    presenters, used, 100 * (1 - used / cores), cpuMsPerFrame, coresAt30, cores / coresAt30,
                    share(t0, t1, "broadcast-compose", wallNs),
                    share(t0, t1, "broadcast-encode", wallNs) + share(t0, t1, "x264-", wallNs), share(t0, t1, "broadcast-mix", wallNs),
                    share(t0, t1, "presenter-", wallNs), encodedFps, s1.encodeTimeUsAvg() / 1000.0,
                    s1.encodeTimeUsMax() / 1000.0, s1.handOffDropped() - s0.handOffDropped(),
                    s1.repeatedFrames() - s0.repeatedFrames(), s1.outputBitrateBps() / 1000);
            System.out.printf("    compose %.1f ms/frame (mean since start)%n", s1.composeTimeUsAvg() / 1000.0);
        } finally {
            broadcast.stop();
            stage.close();
        }
    }

    private static double share(Map<String, Long> t0, Map<String, Long> t1, String prefix, long wallNs) {
        long ns = 0;
        for (Map.Entry<String, Long> e : t1.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                ns += e.getValue() - t0.getOrDefault(e.getKey(), 0L);
            }
        }
        return (double) ns / wallNs;
    }

    private static Map<String, Long> threadCpu(ThreadMXBean mx) {
        Map<String, Long> m = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            long ns = mx.getThreadCpuTime(t.getId());
            if (ns >= 0) {
                m.merge(t.getName() + "#" + t.getId(), ns, Long::sum);
            }
        }
        return m;
    }

    private static long processCpuNs() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
    }

    private static void sleepMs(long ms) {
        long end = System.nanoTime() + ms * 1_000_000L;
        for (long left; (left = end - System.nanoTime()) > 0;) {
            LockSupport.parkNanos(left);
        }
    }
}
