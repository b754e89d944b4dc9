package dev.palco.bridge.live;

import dev.palco.bridge.encode.LadderConfig;
import dev.palco.bridge.encode.LadderEncoder;
import dev.palco.bridge.origin.LiveOrigin;
import dev.palco.bridge.origin.OriginConfig;
import dev.palco.bridge.origin.OriginServer;
import dev.palco.bridge.playlist.PlaylistTiming;
import dev.palco.bridge.testpattern.LiveTestStream;
import dev.palco.bridge.testpattern.TestPattern;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;

/**
 * A live presentation on 127.0.0.1 as the bridge will run it: the test pattern in real time,
 * through the {@link LadderEncoder}, onto a {@link LiveOrigin} behind an {@link OriginServer}, with
 * the system clock. 200 ms parts, 1 s segments, target duration 2 s.
 */
final class LiveStage implements AutoCloseable {

    /**
     * The timing the server broadcasts with: PART-HOLD-BACK of six parts, 1.2 s. With the RFC's
     * minimum of three, hls.js starts 0.6 s behind the live edge and on a busy two-core machine
     * ran dry within its first second in about one run in five.
     */
    static final PlaylistTiming TIMING = PlaylistTiming.BROADCAST;

    final LiveOrigin origin;
    final LadderEncoder encoder;
    final OriginServer server;
    final LiveTestStream stream;
    final int port;

    LiveStage(LadderConfig ladder) throws InterruptedException {
        this(ladder, 1);
    }

    LiveStage(LadderConfig ladder, int originThreads) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        origin = new LiveOrigin(OriginConfig.of(TIMING), clock);
        encoder = LadderEncoder.open(ladder, origin);
        server = new OriginServer(origin, originThreads);
        port = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).getPort();
        int channels = ladder.audio() == null ? 1 : ladder.audio().channels();
        stream = new LiveTestStream(encoder, new TestPattern(ladder.video().get(0).widthPx(),
                ladder.video().get(0).heightPx(), 48_000, channels), clock).start();
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** Capture time of the first frame, epoch ms (waits for it). */
    long epochMs() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (encoder.epochUs() == Long.MIN_VALUE) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the test pattern never started");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000L);
        }
        return encoder.epochUs() / 1000;
    }

    /** Stops the pattern, publishes the last parts, ends the presentation and frees everything. */
    @Override
    public void close() {
        stream.close();
        encoder.finish();
        origin.end();
        server.close();
        encoder.close();
    }
}
