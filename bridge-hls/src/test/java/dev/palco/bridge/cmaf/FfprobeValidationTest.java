package dev.palco.bridge.cmaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An independent reader checks our boxes: ffprobe (Debian's ffmpeg, see ../shared/DEPENDENCIES.md)
 * must decode the init segment followed by every part as valid H.264 and AAC, with every frame.
 */
class FfprobeValidationTest {

    private static final Path OUT = Path.of("target", "cmaf-ffprobe");

    @Test
    void ffprobeDecodesEveryVideoFrameOfInitPlusParts() throws Exception {
        Path file = writeTrack("video.mp4", MediaFixtures.videoFormat(1),
                CmafSegmenterTest.segmentVideo(SegmenterConfig.lowLatencyDefaults()));
        String out = ffprobe(file, "v:0", "stream=codec_name,profile,width,height,nb_read_frames");
        assertTrue(out.contains("codec_name=h264"), out);
        assertTrue(out.contains("width=320"), out);
        assertTrue(out.contains("height=180"), out);
        assertTrue(out.contains("nb_read_frames=90"), out);
    }

    @Test
    void ffprobeDecodesEveryAudioFrameOfInitPlusParts() throws Exception {
        Path file = writeTrack("audio.mp4", MediaFixtures.audioFormat(2),
                CmafSegmenterTest.segmentAudio(SegmenterConfig.lowLatencyDefaults()));
        String out = ffprobe(file, "a:0", "stream=codec_name,profile,sample_rate,channels,nb_read_frames");
        assertTrue(out.contains("codec_name=aac"), out);
        assertTrue(out.contains("profile=LC"), out);
        assertTrue(out.contains("sample_rate=48000"), out);
        assertTrue(out.contains("nb_read_frames=" + MediaFixtures.aacFrames().size()), out);
    }

    private static Path writeTrack(String name, TrackFormat format, RecordingListener segments) throws IOException {
        Files.createDirectories(OUT);
        BoxWriter all = new BoxWriter(64 * 1024);
        InitSegmentWriter.write(format, all);
        for (RecordingListener.Part p : segments.parts()) {
            all.bytes(p.bytes(), 0, p.bytes().length);
        }
        Path file = OUT.resolve(name);
        Files.write(file, all.toByteArray());
        return file;
    }

    private static String ffprobe(Path file, String stream, String entries) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", stream,
                "-show_entries", entries, "-of", "default=noprint_wrappers=1", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ffprobe timed out");
        assertEquals(0, p.exitValue(), out);
        assertTrue(!out.contains("rror"), "ffprobe reported errors: " + out);
        return out;
    }
}
