package dev.palco.bridge.broadcast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.bridge.compose.TestHome;
import dev.palco.bridge.compose.TestPictures;
import dev.palco.bridge.origin.LiveOrigin;
import dev.palco.bridge.origin.OriginConfig;
import dev.palco.bridge.playlist.PlaylistTiming;
import dev.palco.bridge.stage.StageTrack;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.Test;

/**
 * Lip sync through the whole compose half: a presenter whose camera flashes white and whose
 * microphone clicks at the same capture instants, played in real time into a {@link Broadcast};
 * the origin's CMAF parts are then decoded by FFmpeg and the flash and click times compared on
 * the media timeline, as a player would present them. They must agree within ±45 ms.
 *
 * <p>The audio is expected to trail by up to the AAC encoder's priming (1024 samples, 21 ms: the
 * track starts at decode time 0 with the priming frame) and the video by up to one frame (a
 * picture shows in the first output frame at or after its capture time).
 */
class LipSyncTest {

    static {
        TestHome.isolate();
    }

    private static final Path OUT = Path.of("target", "broadcast-test");
    private static final int FPS = 30;
    private static final int FLASH_EVERY = 15; // frames: every 0.5 s
    private static final int CLICK_FRAMES = 480; // 10 ms

    @Test
    void flashesAndClicksCapturedTogetherArePresentedTogether() throws Exception {
        LiveOrigin origin = new LiveOrigin(OriginConfig.of(PlaylistTiming.of(2, 200_000)), Clock.systemUTC());
        Broadcast broadcast = new Broadcast(BroadcastTest.smallConfig(), origin);
        StageTrack cam = new StageTrack("p0", "cam0", StageTrack.Source.CAMERA);
        StageTrack mic = new StageTrack("p0", "mic0", StageTrack.Source.MICROPHONE);
        AVFrame dark = TestPictures.flat(320, 180, new int[] {16, 128, 128});
        AVFrame white = TestPictures.flat(320, 180, new int[] {235, 128, 128});
        broadcast.onTrackStarted(cam);
        broadcast.onTrackStarted(mic);
        broadcast.start();
        // The presenter: pictures and 20 ms blocks, each handed in when it is complete.
        long startNs = System.nanoTime();
        long startUs = SyntheticStage.micros(Clock.systemUTC().instant());
        short[] pcm = new short[960];
        long n = 0;
        long k = 0;
        long endUs = 4_200_000;
        try {
            while (true) {
                long videoDueUs = n * 1_000_000L / FPS;
                long audioDueUs = (k + 1) * 20_000L;
                long nextUs = Math.min(videoDueUs, audioDueUs);
                if (nextUs > endUs) {
                    break;
                }
                long waitNs = startNs + nextUs * 1000 - System.nanoTime();
                if (waitNs > 0) {
                    LockSupport.parkNanos(waitNs);
                    continue;
                }
                if (videoDueUs <= audioDueUs) {
                    // Two frames of flash, so that a picture dropped on a busy machine does not hide it; its
                    // onset (frame 7) is what counts.
                    boolean flash = n % FLASH_EVERY == 7 || n % FLASH_EVERY == 8;
                    broadcast.onVideoFrame(cam, flash ? white : dark, startUs + videoDueUs);
                    n++;
                } else {
                    // Click samples start exactly at each flash's capture instant (frame f: sample f x 1600).
                    for (int i = 0; i < pcm.length; i++) {
                        long s = k * 960 + i;
                        long frame = s / 1600;
                        boolean click = frame % FLASH_EVERY == 7 && s - frame * 1600 < CLICK_FRAMES;
                        pcm[i] = click ? (short) Math.round(0.8 * 32767 * Math.sin(2 * Math.PI * 2000 * s / 48_000.0)) : 0;
                    }
                    broadcast.onAudio(mic, pcm, 0, pcm.length, 1, startUs + k * 20_000L);
                    k++;
                }
            }
        } finally {
            broadcast.stop();
            TestPictures.free(dark);
            TestPictures.free(white);
        }

        Files.createDirectories(OUT);
        Path video = OUT.resolve("sync-v1.mp4");
        Path audio = OUT.resolve("sync-a0.mp4");
        Files.write(video, OriginFiles.wholeTrack(origin, "v1"));
        Files.write(audio, OriginFiles.wholeTrack(origin, "a0"));

        // Video: each frame's presentation time and mean luma (8x8 grey).
        String[] pts = text(OriginFiles.run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "frame=pts_time", "-of", "csv=p=0", video.toString())).trim().split("\\s+");
        byte[] grey = OriginFiles.run("ffmpeg", "-v", "error", "-i", video.toString(), "-vf", "scale=8:8,format=gray",
                "-fps_mode", "passthrough", "-f", "rawvideo", "-");
        List<Double> flashes = new ArrayList<>();
        boolean wasBright = false;
        for (int f = 0; f < pts.length && (f + 1) * 64 <= grey.length; f++) {
            int sum = 0;
            for (int i = 0; i < 64; i++) {
                sum += grey[f * 64 + i] & 0xff;
            }
            boolean bright = sum / 64 > 110;
            if (bright && !wasBright) {
                flashes.add(Double.parseDouble(pts[f]));
            }
            wasBright = bright;
        }

        // Audio: the onset of each click.
        String firstAudio = text(OriginFiles.run("ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                "frame=pts_time", "-read_intervals", "%+#1", "-of", "csv=p=0", audio.toString())).trim();
        double audioStart = Double.parseDouble(firstAudio.split("\\s+")[0]);
        byte[] raw = OriginFiles.run("ffmpeg", "-v", "error", "-i", audio.toString(), "-ac", "1", "-f", "s16le", "-");
        ByteBuffer samples = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        List<Double> clicks = new ArrayList<>();
        int quiet = 10_000;
        for (int i = 0; i < raw.length / 2; i++) {
            int v = Math.abs(samples.getShort(2 * i));
            if (v > 8000) {
                if (quiet > 4800) {
                    clicks.add(audioStart + i / 48_000.0);
                }
                quiet = 0;
            } else {
                quiet++;
            }
        }

        // Skip the first second (the slate fades into the picture); pair every later flash with its click.
        int paired = 0;
        List<String> report = new ArrayList<>();
        for (double f : flashes) {
            if (f < 1.0) {
                continue;
            }
            double best = Double.MAX_VALUE;
            for (double c : clicks) {
                if (Math.abs(c - f) < Math.abs(best)) {
                    best = c - f;
                }
            }
            report.add(String.format("%.3f:%+.0fms", f, best * 1000));
            assertTrue(Math.abs(best) <= 0.045, "click " + best * 1000 + " ms from the flash at " + f + " s: " + report
                    + " flashes " + flashes + " clicks " + clicks);
            paired++;
        }
        assertTrue(paired >= 4, "flashes " + flashes + ", clicks " + clicks);
        System.out.println("LipSyncTest audio minus video: " + report);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
