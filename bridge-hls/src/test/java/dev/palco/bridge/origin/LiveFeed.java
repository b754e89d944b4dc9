package dev.palco.bridge.origin;

import dev.palco.bridge.cmaf.AacConfiguration;
import dev.palco.bridge.cmaf.AnnexBConverter;
import dev.palco.bridge.cmaf.BoxWriter;
import dev.palco.bridge.cmaf.CmafSegmenter;
import dev.palco.bridge.cmaf.MediaFixtures;
import dev.palco.bridge.cmaf.SegmenterConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays the committed H.264 and AAC fixtures into an origin as a live stream, frame by frame, and
 * moves the fake clock with the media: 30 fps video (IDR every second) and 48 kHz AAC, with
 * 200 ms parts and 1 s segments.
 */
final class LiveFeed {

    static final long START_MS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    final FakeClock clock = new FakeClock(START_MS);
    final LiveOrigin origin;
    final Rendition video;
    final Rendition audio;
    private final CmafSegmenter videoSegmenter;
    private final CmafSegmenter audioSegmenter;
    private final List<byte[]> videoSamples = new ArrayList<>();
    private final List<Boolean> videoSync = new ArrayList<>();
    private final List<byte[]> audioFrames = MediaFixtures.aacFrames();
    private long videoFrames;
    private long audioFramesSent;

    LiveFeed(OriginConfig config) {
        origin = new LiveOrigin(config, clock);
        video = origin.addRendition(new RenditionSpec("v0", MediaFixtures.videoFormat(1), 300_000, 250_000, 30, null));
        audio = origin.addRendition(new RenditionSpec("a0", MediaFixtures.audioFormat(2), 40_000, 32_000, 0, "Stage"));
        SegmenterConfig seg = new SegmenterConfig((int) (config.timing().partTargetUs() / 1000), 1000,
                config.timing().targetDurationS(), 0);
        videoSegmenter = new CmafSegmenter(MediaFixtures.videoFormat(1), seg, video);
        audioSegmenter = new CmafSegmenter(MediaFixtures.audioFormat(2), seg, audio);
        AnnexBConverter conv = new AnnexBConverter();
        for (byte[] au : MediaFixtures.videoAccessUnits()) {
            BoxWriter w = new BoxWriter(4096);
            conv.convert(au, 0, au.length, w);
            videoSamples.add(w.toByteArray());
            videoSync.add(conv.lastWasIdr());
        }
    }

    /** Pushes {@code n} video frames, and the audio up to the same time; the clock follows. */
    void frames(int n) {
        for (int i = 0; i < n; i++) {
            int k = (int) (videoFrames % videoSamples.size());
            long dts = videoFrames * MediaFixtures.FRAME_TICKS_30FPS;
            byte[] s = videoSamples.get(k);
            videoSegmenter.addSample(dts, 0, videoSync.get(k), START_MS + dts / 90, s, 0, s.length);
            videoFrames++;
            long videoTimeUs = videoFrames * 1_000_000L / 30;
            while (audioFramesSent * AacConfiguration.SAMPLES_PER_FRAME * 1_000_000L / 48_000 < videoTimeUs) {
                byte[] a = audioFrames.get((int) (audioFramesSent % audioFrames.size()));
                long adts = audioFramesSent * AacConfiguration.SAMPLES_PER_FRAME;
                audioSegmenter.addSample(adts, 0, true, START_MS + adts / 48, a, 0, a.length);
                audioFramesSent++;
            }
            clock.advanceMs(videoFramesMs(videoFrames) - videoFramesMs(videoFrames - 1));
        }
    }

    private static long videoFramesMs(long frames) {
        return frames * 1000 / 30;
    }

    /** Pushes frames until the video rendition has published part {@code part} of segment {@code msn}. */
    void untilVideoPart(long msn, int part) {
        for (int guard = 0; guard < 100_000; guard++) {
            var e = video.edge();
            if (e.lastMsn() > msn || (e.lastMsn() == msn && e.lastPart() >= part)) {
                return;
            }
            frames(1);
        }
        throw new AssertionError("part never appeared");
    }

    /** Ends the stream: the segmenters publish what they hold, then the playlists get EXT-X-ENDLIST. */
    void finish() {
        videoSegmenter.finish(MediaFixtures.FRAME_TICKS_30FPS);
        audioSegmenter.finish(AacConfiguration.SAMPLES_PER_FRAME);
        origin.end();
    }

    /** Pushes media for {@code seconds} seconds. */
    void seconds(int seconds) {
        frames(30 * seconds);
    }
}
