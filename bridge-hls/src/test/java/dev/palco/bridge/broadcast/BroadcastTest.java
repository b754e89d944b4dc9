package dev.palco.bridge.broadcast;

import static dev.palco.bridge.broadcast.OriginFiles.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.bridge.compose.CompositorConfig;
import dev.palco.bridge.compose.I420Canvas;
import dev.palco.bridge.compose.LayoutPlanner;
import dev.palco.bridge.compose.Rect;
import dev.palco.bridge.compose.TestHome;
import dev.palco.bridge.compose.TestPictures;
import dev.palco.bridge.encode.LadderConfig;
import dev.palco.bridge.origin.LiveOrigin;
import dev.palco.bridge.origin.OriginConfig;
import dev.palco.bridge.origin.Rendition;
import dev.palco.bridge.playlist.PlaylistTiming;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The whole compose half live, in real time: four synthetic presenters (30 fps camera-like
 * pictures and tones, on threads of their own like the ingest's) into a {@link Broadcast} onto a
 * {@link LiveOrigin}; a stalled encoder; a restart; the end. ffprobe then decodes every segment of
 * every rendition.
 */
class BroadcastTest {

    static {
        TestHome.isolate();
    }

    private static final Path OUT = Path.of("target", "broadcast-test");

    static BroadcastConfig smallConfig() {
        return BroadcastConfig.defaults()
                .withCompositor(CompositorConfig.defaults().withCanvas(640, 360, 30))
                .withLadder(LadderConfig.standard());
    }

    static void await(String what, long timeoutMs, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
    }

    private static int completeSegments(LiveOrigin origin, String r) {
        return count(OriginFiles.text(origin, "/" + r + ".m3u8"), "#EXTINF");
    }

    @Test
    void fourPresentersGoLiveSurviveAStalledEncoderAndARestartAndEveryPartDecodes() throws Exception {
        LiveOrigin origin = new LiveOrigin(OriginConfig.of(PlaylistTiming.of(2, 200_000)), Clock.systemUTC());
        Broadcast broadcast = new Broadcast(smallConfig(), origin);
        AtomicReference<byte[]> lastComposite = new AtomicReference<>();
        broadcast.setCompositeTap((canvas, t) -> lastComposite.set(canvas.data().clone()));
        for (int i = 0; i < 4; i++) {
            broadcast.setDisplayName("p" + i, "Presenter " + (char) ('A' + i));
        }
        SyntheticStage stage = new SyntheticStage(broadcast, Clock.systemUTC(), 4, 320, 180, 30, true).start();
        try {
            assertEquals(Broadcast.State.IDLE, broadcast.state());
            broadcast.start();
            assertEquals(Broadcast.State.LIVE, broadcast.state());
            assertThrows(IllegalStateException.class, broadcast::start);
            await("two segments", 15_000, () -> completeSegments(origin, "v0") >= 2);

            // Every presenter shows in its grid tile (its chroma: the luma carries the moving texture).
            I420Canvas canvas = new I420Canvas(640, 360);
            System.arraycopy(lastComposite.get(), 0, canvas.data(), 0, canvas.sizeBytes());
            List<LayoutPlanner.Tile> plan = broadcast.compositor().plan();
            assertEquals(4, plan.size());
            for (LayoutPlanner.Tile tile : plan) {
                int i = tile.key().charAt(3) - '0';
                Rect c = tile.cell();
                int x = c.x() + c.width() / 2;
                int y = c.y() + c.height() / 2;
                assertEquals(TestPictures.COLOURS[i][1], canvas.cbAt(x, y), 3, tile.toString());
                assertEquals(TestPictures.COLOURS[i][2], canvas.crAt(x, y), 3, tile.toString());
            }

            // A stalled encoder (its rendition held) never holds the stage's threads: pictures are dropped.
            Rendition v0 = origin.rendition("v0");
            long droppedBefore = broadcast.stats().handOffDropped();
            synchronized (v0) {
                long stallStart = System.nanoTime();
                await("hand-off drops", 5_000, () -> broadcast.stats().handOffDropped() > droppedBefore + 3
                        && System.nanoTime() - stallStart > 700_000_000L);
            }
            // Held for 0.7 s, the encoder held no listener call for anything like that (only the
            // scheduler of a busy machine can hold one for a moment).
            assertTrue(stage.maxCallNs() < 500_000_000L, "a listener call took " + stage.maxCallNs() / 1e6 + " ms");

            BroadcastStats live = broadcast.stats();
            assertEquals(4, live.videoTracks());
            assertEquals(4, live.audioTracks());
            assertTrue(live.encoderFps() > 5, live.toString());
            assertTrue(live.outputBitrateBps() > 100_000, live.toString());
            assertTrue(live.encodeTimeUsAvg() > 0 && live.encodeTimeUsMax() >= live.encodeTimeUsAvg(), live.toString());
            assertTrue(live.picturesReceived() > 100 && live.audioBlocks() > 50, live.toString());

            int before = completeSegments(origin, "v0");
            broadcast.restart();
            await("two segments after the restart", 15_000, () -> completeSegments(origin, "v0") >= before + 3);
        } finally {
            broadcast.stop();
            stage.close();
        }
        assertEquals(Broadcast.State.STOPPED, broadcast.state());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertTrue(!t.isAlive() || !(t.getName().startsWith("broadcast-") || t.getName().startsWith("presenter-")),
                    t.getName() + " outlived the broadcast");
        }
        BroadcastStats end = broadcast.stats();
        assertEquals(1, end.restarts());
        assertTrue(end.encodedFrames() + end.repeatedFrames() >= 120, end.toString()); // 4+ s of video

        Files.createDirectories(OUT);
        for (String r : List.of("v0", "v1", "a0")) {
            String playlist = OriginFiles.text(origin, "/" + r + ".m3u8");
            assertEquals(1, count(playlist, "#EXT-X-DISCONTINUITY\n"), playlist);
            assertTrue(playlist.contains("#EXT-X-ENDLIST"), playlist);
            List<String> segments = OriginFiles.segmentUris(playlist);
            assertTrue(segments.size() >= 5, playlist);
            // Media sequence numbers run on across the restart.
            for (int i = 0; i < segments.size(); i++) {
                assertEquals(r + "_" + i + ".m4s", segments.get(i), playlist);
            }
            byte[] init = OriginFiles.get(origin, "/" + r + "_init.mp4");
            assertNotNull(init);
            String stream = r.startsWith("v") ? "v:0" : "a:0";
            double totalSeconds = 0;
            for (String uri : segments) {
                Path file = OUT.resolve(uri.replace(".m4s", ".mp4"));
                byte[] seg = OriginFiles.get(origin, "/" + uri);
                byte[] whole = new byte[init.length + seg.length];
                System.arraycopy(init, 0, whole, 0, init.length);
                System.arraycopy(seg, 0, whole, init.length, seg.length);
                Files.write(file, whole);
                String out = new String(OriginFiles.run("ffprobe", "-v", "error", "-count_frames", "-select_streams",
                        stream, "-show_entries", "stream=nb_read_frames", "-of", "default=nw=1", file.toString()),
                        StandardCharsets.US_ASCII).trim();
                int frames = Integer.parseInt(out.substring(out.indexOf('=') + 1));
                // A whole segment is a second (30 pictures, 47 AAC frames); the one cut by the
                // restart and the last one are shorter.
                String extinf = OriginFiles.values(playlist, "#EXTINF:([0-9.]+),\n" + java.util.regex.Pattern.quote(uri))
                        .get(0);
                double seconds = Double.parseDouble(extinf);
                double expected = seconds * (r.startsWith("v") ? 30 : 48_000 / 1024.0);
                assertTrue(frames >= 1 && Math.abs(frames - expected) <= 2, uri + ": " + out + " for " + extinf + " s");
                totalSeconds += seconds;
            }
            assertTrue(totalSeconds >= 3.5, r + ": " + totalSeconds + " s");
        }
    }
}
