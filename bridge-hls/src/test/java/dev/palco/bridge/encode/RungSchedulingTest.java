package dev.palco.bridge.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.palco.bridge.origin.InProcessGet;
import dev.palco.bridge.origin.LiveOrigin;
import dev.palco.bridge.origin.OriginConfig;
import dev.palco.bridge.playlist.PlaylistTiming;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rungs encoded at the same time give byte for byte the stream they give one after the other
 * (each rung's encoder, scaler and segmenter only ever run on one thread at a time, in order),
 * including repeated slots.
 */
class RungSchedulingTest {

    private static final long START_US = 1_767_225_600_000_000L;

    private static LiveOrigin encode(RungScheduling scheduling) {
        LiveOrigin origin = new LiveOrigin(OriginConfig.of(PlaylistTiming.of(2, 200_000)),
                Clock.fixed(Instant.ofEpochMilli(START_US / 1000), ZoneOffset.UTC));
        byte[] i420 = new byte[640 * 360 * 3 / 2];
        try (LadderEncoder encoder = LadderEncoder.open(LadderConfig.standard(), origin, scheduling)) {
            for (int n = 0; n < 45; n++) {
                for (int i = 0; i < 640 * 360; i++) {
                    i420[i] = (byte) (16 + ((i % 640 + n * 7) ^ (i / 640)) % 200);
                }
                java.util.Arrays.fill(i420, 640 * 360, i420.length, (byte) (100 + n));
                // Frames 20..24 are missing: the encoder repeats the last picture in their slots.
                if (n < 20 || n >= 25) {
                    assertEquals(FrameDropReason.OK, encoder.submitVideo(PixelLayout.I420, i420, 0, 640, 360,
                            START_US + n * 1_000_000L / 30));
                }
            }
            encoder.finish();
            assertEquals(5, encoder.repeatedFrames());
        }
        origin.end();
        return origin;
    }

    @Test
    void parallelRungsEncodeTheSameBytesAsSequentialOnes() {
        LiveOrigin sequential = encode(RungScheduling.SEQUENTIAL);
        LiveOrigin parallel = encode(RungScheduling.PARALLEL);
        for (String r : List.of("v0", "v1")) {
            assertEquals(InProcessGet.text(sequential, "/" + r + ".m3u8"), InProcessGet.text(parallel, "/" + r + ".m3u8"));
            for (String uri : List.of(r + "_init.mp4", r + "_0.m4s", r + "_1.m4s")) {
                assertArrayEquals(InProcessGet.body(sequential, "/" + uri), InProcessGet.body(parallel, "/" + uri), uri);
            }
        }
    }
}
