package dev.palco.bridge.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** ffprobe (Debian ffmpeg) decoding a file completely, every frame counted. */
final class LadderProbe {

    private LadderProbe() {
    }

    static String ffprobe(Path file, String entries) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-show_entries", entries,
                "-of", "default=noprint_wrappers=1", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ffprobe timed out");
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("rror"), "ffprobe reported errors: " + out);
        return out;
    }
}
