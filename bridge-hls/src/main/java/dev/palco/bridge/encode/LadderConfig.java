package dev.palco.bridge.encode;

import java.util.List;

/**
 * The ABR ladder and how it is encoded.
 *
 * <p>Every video rung runs at the same frame rate and gets its IDR frames at the same instants, so
 * the renditions' segments and parts cover the same media times and a player can switch between
 * them at any segment (RFC 8216bis §6.2.4: "matching content" and aligned segment boundaries make
 * switching seamless).
 *
 * @param video the video rungs, largest first; at least one
 * @param audio the audio rendition, or null for none
 * @param frameRateFps pictures per second. A whole number, so that 200 ms parts hold a whole
 *     number of frames (§4.4.4.9 needs every part between 85 % and 100 % of PART-TARGET)
 * @param gopMs the distance between IDR frames, which is also the segment duration (segments start
 *     at the first IDR after this much media); a whole number of frames and of parts
 * @param x264Preset libx264 preset: {@code ultrafast} or {@code veryfast} (the encoder always uses
 *     {@code tune=zerolatency}: no B-frames, no look-ahead, one packet out per frame in)
 * @param x264Threads libx264 threads per rung; 1 keeps the cost of each rung predictable
 */
public record LadderConfig(List<VideoRung> video, AudioRung audio, int frameRateFps, int gopMs, String x264Preset,
        int x264Threads) {

    /** Checks that the ladder is usable. */
    public LadderConfig {
        video = List.copyOf(video);
        if (video.isEmpty()) {
            throw new IllegalArgumentException("at least one video rung");
        }
        if (frameRateFps < 1 || frameRateFps > 120) {
            throw new IllegalArgumentException("frame rate out of range: " + frameRateFps);
        }
        if (gopMs * frameRateFps % 1000 != 0 || gopMs < 100) {
            throw new IllegalArgumentException("the GOP must be a whole number of frames: " + gopMs + " ms");
        }
        if (x264Threads < 1) {
            throw new IllegalArgumentException("x264 threads must be positive");
        }
    }

    /**
     * The ladder of the LL-HLS bridge: 640x360 at 800 kbit/s and 320x180 at 250 kbit/s, 30 fps,
     * an IDR every second, ultrafast, plus stereo AAC-LC at 96 kbit/s.
     */
    public static LadderConfig standard() {
        return new LadderConfig(List.of(
                new VideoRung("v0", 640, 360, 800_000, 1_000_000),
                new VideoRung("v1", 320, 180, 250_000, 320_000)),
                new AudioRung("a0", "Stage", 2, 96_000), 30, 1000, "ultrafast", 1);
    }

    /**
     * The three-rung ladder of the stage broadcast: 1280x720 at 2.5 Mbit/s, 854x480 at 1.2 Mbit/s
     * and 640x360 at 600 kbit/s (VBV maxima 25 % above), 30 fps, an IDR every second, ultrafast,
     * plus stereo AAC-LC at 96 kbit/s.
     *
     * @param x264Threads libx264 threads per rung (sliced threads with zerolatency: they cut a
     *     picture's encode time, not its latency)
     */
    public static LadderConfig threeRung(int x264Threads) {
        return new LadderConfig(List.of(
                new VideoRung("v0", 1280, 720, 2_500_000, 3_125_000),
                new VideoRung("v1", 854, 480, 1_200_000, 1_500_000),
                new VideoRung("v2", 640, 360, 600_000, 750_000)),
                new AudioRung("a0", "Stage", 2, 96_000), 30, 1000, "ultrafast", x264Threads);
    }

    /** Frames between IDRs. */
    public int gopFrames() {
        return gopMs * frameRateFps / 1000;
    }

    /** Duration of one frame in 90 kHz ticks, rounded down (exact for rates that divide 90,000). */
    public long frameTicks() {
        return 90_000L / frameRateFps;
    }
}
