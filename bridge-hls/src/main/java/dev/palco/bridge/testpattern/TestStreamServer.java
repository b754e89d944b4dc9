package dev.palco.bridge.testpattern;

import dev.palco.bridge.encode.LadderConfig;
import dev.palco.bridge.encode.LadderEncoder;
import dev.palco.bridge.origin.LiveOrigin;
import dev.palco.bridge.origin.OriginConfig;
import dev.palco.bridge.origin.OriginServer;
import dev.palco.bridge.playlist.PlaylistTiming;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Serves the test pattern as a live LL-HLS presentation: the standard ladder
 * ({@link LadderConfig#standard()}), 200 ms parts, 1 s segments, target duration 2 s.
 *
 * <pre>
 * java -Dorg.bytedeco.javacpp.cachedir=target/native-cache/javacpp \
 *     -cp ... dev.palco.bridge.testpattern.TestStreamServer [port [seconds]]
 * </pre>
 *
 * <p>It binds 127.0.0.1 (port 8080 by default) and runs until killed, or for {@code seconds}.
 * Play {@code http://127.0.0.1:8080/index.m3u8}.
 */
public final class TestStreamServer {

    private TestStreamServer() {
    }

    /** Starts the origin, the encoder and the pattern; runs until the process ends. */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        long seconds = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE / 1000;
        Clock clock = Clock.systemUTC();
        LiveOrigin origin = new LiveOrigin(OriginConfig.of(PlaylistTiming.of(2, 200_000)), clock);
        LadderConfig ladder = LadderConfig.standard();
        try (LadderEncoder encoder = LadderEncoder.open(ladder, origin);
                OriginServer server = new OriginServer(origin, 2);
                LiveTestStream stream = new LiveTestStream(encoder,
                        new TestPattern(640, 360, 48_000, ladder.audio().channels()), clock)) {
            InetSocketAddress bound = server.start(new InetSocketAddress("127.0.0.1", port));
            System.out.println("http://127.0.0.1:" + bound.getPort() + "/index.m3u8");
            stream.start();
            stream.stopAfter(seconds * ladder.frameRateFps());
            stream.join(seconds + 1, TimeUnit.SECONDS);
            stream.close();
            encoder.finish();
            origin.end();
        }
    }
}
