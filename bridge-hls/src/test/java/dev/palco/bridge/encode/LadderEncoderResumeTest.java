package dev.palco.bridge.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.bridge.origin.InProcessGet;
import dev.palco.bridge.origin.LiveOrigin;
import dev.palco.bridge.origin.OriginConfig;
import dev.palco.bridge.playlist.PlaylistTiming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A restarted encoder continues the same renditions (RFC 8216bis §4.4.4.3, §6.2.2): the next
 * segment carries EXT-X-DISCONTINUITY and its own program date time, media sequence numbers run
 * on, the init segment stays, and a player decodes across the break.
 */
class LadderEncoderResumeTest {

    private static final long START_US = 1_767_225_600_000_000L; // 2026-01-01T00:00:00Z
    private static final long FRAME_US = 1_000_000L / 30;
    private static final Path OUT = Path.of("target", "encode-resume");

    private final LiveOrigin origin = new LiveOrigin(OriginConfig.of(PlaylistTiming.of(2, 200_000)),
            Clock.fixed(Instant.ofEpochMilli(START_US / 1000), ZoneOffset.UTC));

    private static void encode(LadderEncoder encoder, long fromUs, int frames) {
        byte[] i420 = new byte[320 * 180 * 3 / 2];
        short[] pcm = new short[1600 * 2];
        for (int n = 0; n < frames; n++) {
            java.util.Arrays.fill(i420, 0, 320 * 180, (byte) (16 + n % 200));
            java.util.Arrays.fill(i420, 320 * 180, i420.length, (byte) 128);
            long t = fromUs + n * FRAME_US;
            assertEquals(FrameDropReason.OK, encoder.submitVideo(PixelLayout.I420, i420, 0, 320, 180, t));
            assertEquals(FrameDropReason.OK, encoder.submitAudio(pcm, 0, 1600, t));
        }
        encoder.finish();
    }

    @Test
    void aResumedLadderContinuesTheRenditionsAfterADiscontinuity() throws Exception {
        try (LadderEncoder first = LadderEncoder.open(LadderConfig.standard(), origin)) {
            encode(first, START_US, 60);
        }
        byte[] initBefore = InProcessGet.body(origin, "/v0_init.mp4");
        // Five seconds later (the bridge was down), a new encoder with a timeline of its own.
        long resumedUs = START_US + 7_000_000;
        try (LadderEncoder second = LadderEncoder.resume(LadderConfig.standard(), origin)) {
            encode(second, resumedUs, 60);
        }
        origin.end();
        for (String r : List.of("v0", "v1", "a0")) {
            String playlist = InProcessGet.text(origin, "/" + r + ".m3u8");
            List<String> lines = List.of(playlist.split("\n"));
            assertEquals(1, lines.stream().filter("#EXT-X-DISCONTINUITY"::equals).count(), playlist);
            List<String> uris = lines.stream().filter(l -> l.endsWith(".m4s") && !l.startsWith("#")).toList();
            for (int i = 0; i < uris.size(); i++) {
                assertEquals(r + "_" + i + ".m4s", uris.get(i), playlist);
            }
            // The discontinuity comes right before the first segment of the new encoder, whose date is its capture time.
            int d = lines.indexOf("#EXT-X-DISCONTINUITY");
            assertEquals("#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:07.000Z", lines.get(d + 1), playlist);
            assertEquals(1, lines.stream().filter(l -> l.startsWith("#EXT-X-MAP")).count(), "one init segment: " + playlist);
        }
        assertTrue(java.util.Arrays.equals(initBefore, InProcessGet.body(origin, "/v0_init.mp4")));

        // ffprobe reads each side of the break, as a player does (its timeline restarts at a
        // discontinuity): init + the first encoder's segments, and init + the second's.
        Files.createDirectories(OUT);
        assertEquals("nb_read_frames=60", ffprobeFrames(List.of("v0_0.m4s", "v0_1.m4s"), OUT.resolve("before.mp4")));
        assertEquals("nb_read_frames=60", ffprobeFrames(List.of("v0_2.m4s", "v0_3.m4s"), OUT.resolve("after.mp4")));
    }

    private String ffprobeFrames(List<String> segments, Path file) throws Exception {
        try (var out = Files.newOutputStream(file)) {
            out.write(InProcessGet.body(origin, "/v0_init.mp4"));
            for (String s : segments) {
                out.write(InProcessGet.body(origin, "/" + s));
            }
        }
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "default=nw=1", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void resumingNeedsTheRenditionsAndTheSameDecoderConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> LadderEncoder.resume(LadderConfig.standard(), origin));
        try (LadderEncoder first = LadderEncoder.open(LadderConfig.standard(), origin)) {
            encode(first, START_US, 10);
        }
        LadderConfig bigger = new LadderConfig(List.of(new VideoRung("v0", 1280, 720, 800_000, 1_000_000),
                new VideoRung("v1", 320, 180, 250_000, 320_000)), LadderConfig.standard().audio(), 30, 1000,
                "ultrafast", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LadderEncoder.resume(bigger, origin));
        assertTrue(e.getMessage().contains("init segment"), e.getMessage());
        assertFalse(InProcessGet.text(origin, "/v0.m3u8").contains("#EXT-X-DISCONTINUITY\n"));
    }
}
