package dev.palco.bridge.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.bridge.cmaf.SampleDropReason;
import dev.palco.bridge.origin.InProcessGet;
import dev.palco.bridge.origin.LiveOrigin;
import dev.palco.bridge.origin.OriginConfig;
import dev.palco.bridge.playlist.PlaylistTiming;
import dev.palco.bridge.testpattern.TestPattern;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ladder encoder as fast as it can run (no real time): 3 s of the test pattern with jittery
 * capture times, through libx264 and AAC into an origin, then read back as the origin serves it.
 * ffprobe (Debian ffmpeg) decodes each rendition's init segment followed by all its parts.
 */
class LadderEncoderTest {

    private static final Path OUT = Path.of("target", "encode");
    private static final long START_US = 1_767_225_600_000_000L; // 2026-01-01T00:00:00Z
    private static final int FPS = 30;
    private static final long FRAME_US = 1_000_000L / FPS;
    private static final PlaylistTiming TIMING = PlaylistTiming.of(2, 200_000);

    private LiveOrigin origin;
    private LadderEncoder encoder;
    private final TestPattern pattern = new TestPattern(640, 360, 48_000, 2);

    @BeforeEach
    void open() {
        origin = new LiveOrigin(OriginConfig.of(TIMING), Clock.fixed(Instant.ofEpochMilli(START_US / 1000), ZoneOffset.UTC));
        encoder = LadderEncoder.open(LadderConfig.standard(), origin);
    }

    @AfterEach
    void close() {
        encoder.close();
    }

    /**
     * Capture time of frame n: on the grid, give or take up to 12 ms (a busy compositor). The first
     * frame sets the grid, so it is on time.
     */
    private static long captureUs(long n) {
        return START_US + n * FRAME_US + (n == 0 ? 0 : (n * 7919 % 25 - 12) * 1000);
    }

    private List<Long> encodeSeconds(int seconds) {
        List<Long> captures = new ArrayList<>();
        byte[] picture = new byte[pattern.pictureSizeBytes()];
        short[] pcm = new short[1600 * 2];
        for (int n = 0; n < seconds * FPS; n++) {
            long t = captureUs(n);
            captures.add(t);
            pattern.drawPicture(n, t / 1000, picture, 0);
            assertEquals(FrameDropReason.OK, encoder.submitVideo(PixelLayout.BGR24, picture, 0, 640, 360, t));
            pattern.drawTone(n * 1600L, 1600, pcm, 0);
            assertEquals(FrameDropReason.OK, encoder.submitAudio(pcm, 0, 1600, t));
        }
        encoder.finish();
        origin.end();
        return captures;
    }

    @Test
    void everyRungHasAnIdrPerSecondAndOneSecondSegmentsStartingTogether() {
        encodeSeconds(3);
        assertEquals(3, encoder.idrFrames(0));
        assertEquals(3, encoder.idrFrames(1));
        assertEquals(0, encoder.encoderErrors());
        assertEquals(0, encoder.inBandParameterSetMismatches());
        assertEquals(0, encoder.segmenterResults(SampleDropReason.OK_DURATION_CLAMPED));
        String v0 = InProcessGet.text(origin, "/v0.m3u8");
        String v1 = InProcessGet.text(origin, "/v1.m3u8");
        for (String playlist : List.of(v0, v1)) {
            assertEquals(List.of("1.00000", "1.00000", "1.00000"), values(playlist, "#EXTINF:([0-9.]+),"), playlist);
            // Six frames per part, the first of each segment independent (it starts on the IDR).
            for (String d : values(playlist, "#EXT-X-PART:DURATION=([0-9.]+)")) {
                assertEquals("0.20000", d, playlist);
            }
            assertEquals(3, count(playlist, "INDEPENDENT=YES"), playlist);
        }
        // Both renditions list the same media sequence numbers and program dates.
        assertEquals(values(v0, "#EXT-X-PROGRAM-DATE-TIME:(.+)"), values(v1, "#EXT-X-PROGRAM-DATE-TIME:(.+)"));
    }

    @Test
    void programDateTimeIsTheCaptureTimeOnTheMediaTimelineOfEveryRendition() {
        List<Long> captures = encodeSeconds(3);
        // Video: each segment's date is its first frame's grid slot, within half a frame of the
        // time the frame was handed in.
        List<Long> video = dates(InProcessGet.text(origin, "/v0.m3u8"));
        assertEquals(List.of(START_US / 1000, START_US / 1000 + 1000, START_US / 1000 + 2000), video);
        for (int i = 0; i < video.size(); i++) {
            assertTrue(Math.abs(video.get(i) - captures.get(30 * i) / 1000) <= 17, video + " vs " + captures);
        }
        assertEquals(video, dates(InProcessGet.text(origin, "/v1.m3u8")));
        // Audio: dates advance exactly with the media (the sum of the EXTINFs), from the same epoch,
        // so a player placing the audio playlist by date puts every sample where it belongs.
        String a0 = InProcessGet.text(origin, "/a0.m3u8");
        List<Long> audio = dates(a0);
        List<String> extinf = values(a0, "#EXTINF:([0-9.]+),");
        assertEquals(START_US / 1000, audio.get(0));
        double mediaMs = 0;
        for (int i = 1; i < audio.size(); i++) {
            mediaMs += Double.parseDouble(extinf.get(i - 1)) * 1000;
            assertTrue(Math.abs(audio.get(i) - audio.get(0) - mediaMs) <= 1.0, a0);
        }
    }

    private static List<Long> dates(String playlist) {
        return values(playlist, "#EXT-X-PROGRAM-DATE-TIME:(.+)").stream().map(d -> Instant.parse(d).toEpochMilli())
                .toList();
    }

    @Test
    void theMultivariantPlaylistListsBothRungsWithTheAudioGroup() {
        encodeSeconds(1);
        String mv = InProcessGet.text(origin, "/index.m3u8");
        assertTrue(mv.contains("RESOLUTION=640x360"), mv);
        assertTrue(mv.contains("RESOLUTION=320x180"), mv);
        assertTrue(mv.contains("mp4a.40.2"), mv);
        assertTrue(mv.contains("BANDWIDTH=1096000"), mv); // 1,000,000 peak video + 96,000 audio
        assertTrue(mv.contains("AUDIO=\"aud\""), mv);
    }

    @Test
    void ffprobeDecodesEachRenditionsInitSegmentAndParts() throws Exception {
        encodeSeconds(3);
        String v0 = ffprobe(track("v0"), "stream=codec_name,width,height,has_b_frames,nb_read_frames");
        assertTrue(v0.contains("codec_name=h264"), v0);
        assertTrue(v0.contains("width=640") && v0.contains("height=360"), v0);
        assertTrue(v0.contains("has_b_frames=0"), v0);
        assertTrue(v0.contains("nb_read_frames=90"), v0);
        String v1 = ffprobe(track("v1"), "stream=codec_name,width,height,has_b_frames,nb_read_frames");
        assertTrue(v1.contains("width=320") && v1.contains("height=180"), v1);
        assertTrue(v1.contains("nb_read_frames=90"), v1);
        String a0 = ffprobe(track("a0"), "stream=codec_name,profile,sample_rate,channels,nb_read_frames");
        assertTrue(a0.contains("codec_name=aac") && a0.contains("profile=LC"), a0);
        assertTrue(a0.contains("sample_rate=48000") && a0.contains("channels=2"), a0);
        // 3 s of PCM is 140.6 AAC frames: 141 with the padded last one, plus the priming frame.
        assertTrue(a0.contains("nb_read_frames=142"), a0);
    }

    @Test
    void i420InputEncodesLikeBgr() {
        byte[] i420 = new byte[320 * 180 * 3 / 2];
        for (int n = 0; n < 45; n++) {
            java.util.Arrays.fill(i420, 0, 320 * 180, (byte) (16 + n * 4));
            java.util.Arrays.fill(i420, 320 * 180, i420.length, (byte) 128);
            assertEquals(FrameDropReason.OK, encoder.submitVideo(PixelLayout.I420, i420, 0, 320, 180, captureUs(n)));
        }
        encoder.finish();
        assertEquals(2, encoder.idrFrames(0));
        assertEquals(45, encoder.videoFrames(FrameDropReason.OK));
    }

    @Test
    void aDecodersAvFrameInAnyPixelFormatIsScaledAndEncoded() {
        // What a decoder hands over: an FFmpeg-owned YUV 4:2:0 picture with padded rows.
        AVFrame frame = avutil.av_frame_alloc();
        try {
            frame.format(avutil.AV_PIX_FMT_YUV420P).width(480).height(270);
            assertEquals(0, avutil.av_frame_get_buffer(frame, 32));
            for (int n = 0; n < 31; n++) {
                for (int plane = 0; plane < 3; plane++) {
                    int rows = plane == 0 ? 270 : 135;
                    frame.data(plane).capacity((long) rows * frame.linesize(plane)).fill(plane == 0 ? 16 + n * 6 : 128);
                }
                assertEquals(FrameDropReason.OK, encoder.submitVideo(frame, captureUs(n)));
            }
        } finally {
            avutil.av_frame_free(frame);
        }
        encoder.finish();
        assertEquals(2, encoder.idrFrames(0));
        assertEquals(2, encoder.idrFrames(1));
        assertEquals(0, encoder.encoderErrors());
    }

    @Test
    void slotsALateProducerMissedAreFilledWithThePreviousPicture() {
        byte[] picture = new byte[pattern.pictureSizeBytes()];
        for (int n = 0; n < 60; n++) {
            if (n >= 29 && n <= 31) {
                continue; // the producer stalls for 100 ms across the GOP boundary at slot 30
            }
            pattern.drawPicture(n, captureUs(n) / 1000, picture, 0);
            assertEquals(FrameDropReason.OK, encoder.submitVideo(PixelLayout.BGR24, picture, 0, 640, 360, captureUs(n)));
        }
        encoder.finish();
        origin.end();
        assertEquals(3, encoder.repeatedFrames());
        assertEquals(0, encoder.timelineGaps());
        // Slot 30, a repeat, is still the IDR that starts the second segment: nothing moved.
        assertEquals(2, encoder.idrFrames(0));
        assertEquals(0, encoder.segmenterResults(SampleDropReason.OK_DURATION_CLAMPED));
        String v0 = InProcessGet.text(origin, "/v0.m3u8");
        assertEquals(List.of("1.00000", "1.00000"), values(v0, "#EXTINF:([0-9.]+),"), v0);
        for (String d : values(v0, "#EXT-X-PART:DURATION=([0-9.]+)")) {
            assertEquals("0.20000", d, v0);
        }
    }

    @Test
    void aStallLongerThanAGopLeavesAGap() {
        byte[] picture = new byte[pattern.pictureSizeBytes()];
        assertEquals(FrameDropReason.OK, encoder.submitVideo(PixelLayout.BGR24, picture, 0, 640, 360, captureUs(0)));
        assertEquals(FrameDropReason.OK, encoder.submitVideo(PixelLayout.BGR24, picture, 0, 640, 360, captureUs(45)));
        assertEquals(0, encoder.repeatedFrames());
        assertEquals(1, encoder.timelineGaps());
    }

    @Test
    void capturesTooCloseTogetherAreBumpedOrDropped() {
        byte[] picture = new byte[pattern.pictureSizeBytes()];
        assertEquals(FrameDropReason.OK, encoder.submitVideo(PixelLayout.BGR24, picture, 0, 640, 360, START_US));
        assertEquals(FrameDropReason.OK,
                encoder.submitVideo(PixelLayout.BGR24, picture, 0, 640, 360, START_US + 2 * FRAME_US));
        // Rounds to the slot just used: early by less than a frame, it takes slot 3.
        assertEquals(FrameDropReason.OK,
                encoder.submitVideo(PixelLayout.BGR24, picture, 0, 640, 360, START_US + 2 * FRAME_US + 5_000));
        // Slot 2 again, behind slot 3: the source is faster than 30 fps.
        assertEquals(FrameDropReason.FRAME_RATE_EXCEEDED,
                encoder.submitVideo(PixelLayout.BGR24, picture, 0, 640, 360, START_US + 2 * FRAME_US + 6_000));
        assertEquals(1, encoder.videoFrames(FrameDropReason.FRAME_RATE_EXCEEDED));
    }

    @Test
    void malformedInputIsRefusedWithAReason() {
        byte[] small = new byte[100];
        assertEquals(FrameDropReason.INVALID_PICTURE, encoder.submitVideo(PixelLayout.BGR24, small, 0, 640, 360, START_US));
        assertEquals(FrameDropReason.INVALID_PICTURE, encoder.submitVideo(PixelLayout.I420, small, 0, 7, 5, START_US));
        assertEquals(FrameDropReason.INVALID_PICTURE, encoder.submitVideo(PixelLayout.BGR24, small, 90, 4, 4, START_US));
        assertEquals(FrameDropReason.INVALID_PICTURE, encoder.submitVideo(null, START_US));
        assertEquals(FrameDropReason.INVALID_AUDIO, encoder.submitAudio(new short[10], 0, 6, START_US));
        assertEquals(FrameDropReason.INVALID_AUDIO, encoder.submitAudio(new short[10], 0, 0, START_US));
        encoder.finish();
        assertEquals(FrameDropReason.FINISHED, encoder.submitVideo(PixelLayout.BGR24, small, 0, 4, 4, START_US));
        assertEquals(FrameDropReason.FINISHED, encoder.submitAudio(new short[10], 0, 5, START_US));
    }

    @Test
    void aLadderWhosePartsAreNotWholeFramesIsRefused() {
        LiveOrigin other = new LiveOrigin(OriginConfig.of(PlaylistTiming.of(2, 250_000)), Clock.systemUTC());
        assertThrows(IllegalArgumentException.class, () -> LadderEncoder.open(LadderConfig.standard(), other));
        LiveOrigin odd = new LiveOrigin(OriginConfig.of(PlaylistTiming.of(2, 200_000)), Clock.systemUTC());
        assertThrows(IllegalArgumentException.class, () -> LadderEncoder.open(new LadderConfig(
                LadderConfig.standard().video(), null, 30, 1100, "ultrafast", 1), odd));
    }

    private Path track(String rendition) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(InProcessGet.body(origin, "/" + rendition + "_init.mp4"));
        String playlist = InProcessGet.text(origin, "/" + rendition + ".m3u8");
        Matcher m = Pattern.compile("^" + rendition + "_(\\d+)\\.m4s$", Pattern.MULTILINE).matcher(playlist);
        int segments = 0;
        while (m.find()) {
            all.write(InProcessGet.body(origin, "/" + m.group()));
            segments++;
        }
        assertFalse(segments == 0, playlist);
        Files.createDirectories(OUT);
        Path file = OUT.resolve(rendition + ".mp4");
        Files.write(file, all.toByteArray());
        return file;
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

    private static List<String> values(String text, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
