package dev.palco.bridge.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.bridge.playlist.PlaylistTiming;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An independent HLS client reads the whole presentation over HTTP: ffprobe's HLS demuxer follows
 * the multivariant playlist to both media playlists, their init segments and every segment, and
 * decodes every frame. The stream is ended first, so ffprobe reads a finished presentation.
 */
class FfprobeOverHttpTest {

    @Test
    void ffprobeReadsThePresentationThroughTheMultivariantPlaylist() throws Exception {
        LiveFeed feed = new LiveFeed(OriginConfig.of(PlaylistTiming.of(2, 200_000)));
        try (OriginServer server = new OriginServer(feed.origin, 1)) {
            int port = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).getPort();
            feed.seconds(6);
            feed.finish();
            Process p = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-show_entries",
                    "stream=codec_name,width,height,sample_rate,nb_read_frames", "-of", "compact",
                    "http://127.0.0.1:" + port + "/index.m3u8").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ffprobe timed out");
            assertEquals(0, p.exitValue(), out);
            assertFalse(out.contains("rror"), out);
            // 6 s of 30 fps video: every frame, including those of the last, short part.
            assertTrue(out.contains("codec_name=h264|width=320|height=180"), out);
            assertTrue(out.contains("nb_read_frames=180"), out);
            assertTrue(out.contains("codec_name=aac"), out);
            assertTrue(out.contains("sample_rate=48000"), out);
        }
    }
}
