package dev.palco.bridge.broadcast;

import dev.palco.bridge.compose.CompositorConfig;
import dev.palco.bridge.encode.LadderConfig;
import dev.palco.bridge.encode.RungScheduling;

/**
 * How a {@link Broadcast} composes and encodes.
 *
 * @param compositor canvas, frame rate, layouts, slate texts; its frame rate must be the ladder's
 * @param ladder the encoder ladder (its audio rung decides the mix's channel count)
 * @param presentationDelayMs how far behind the wall clock the output runs: a picture or an audio
 *     block for instant {@code t} is made at {@code t +} this delay, so that every track's media
 *     captured at {@code t} has arrived through the network, jitter buffer and decoder. Video and
 *     audio use the same delay, which keeps them in sync. It adds to the glass-to-glass delay.
 * @param audioBlockMs the mixer's cadence (a divisor of 1000)
 * @param videoHandOffFrames composited pictures that may wait for the encoder; when they are all
 *     taken the next picture is dropped (counted), never waited for
 * @param rungScheduling whether the rungs of a picture encode one after the other or at the same
 *     time (the default: a picture costs its slowest rung, so the ladder keeps 30 fps on shared cores)
 */
public record BroadcastConfig(CompositorConfig compositor, LadderConfig ladder, int presentationDelayMs,
        int audioBlockMs, int videoHandOffFrames, RungScheduling rungScheduling) {

    /** Checks the values. */
    public BroadcastConfig {
        if (compositor.frameRateFps() != ladder.frameRateFps()) {
            throw new IllegalArgumentException("the compositor and the ladder must run at the same frame rate");
        }
        if (presentationDelayMs < 0 || presentationDelayMs > 2000) {
            throw new IllegalArgumentException("presentation delay out of range: " + presentationDelayMs);
        }
        if (audioBlockMs < 5 || audioBlockMs > 100 || 1000 % audioBlockMs != 0) {
            throw new IllegalArgumentException("audio block must divide a second: " + audioBlockMs);
        }
        if (videoHandOffFrames < 1 || videoHandOffFrames > 30) {
            throw new IllegalArgumentException("hand-off of 1..30 pictures");
        }
        java.util.Objects.requireNonNull(rungScheduling, "rungScheduling");
    }

    /**
     * 1280x720 at 30 fps into the three-rung ladder ({@link LadderConfig#threeRung}), 200 ms of
     * presentation delay, 20 ms audio blocks, 2 pictures of hand-off, rungs encoded in parallel.
     */
    public static BroadcastConfig defaults() {
        return new BroadcastConfig(CompositorConfig.defaults(), LadderConfig.threeRung(1), 200, 20, 2,
                RungScheduling.PARALLEL);
    }

    /** This configuration with another ladder. */
    public BroadcastConfig withLadder(LadderConfig l) {
        return new BroadcastConfig(compositor, l, presentationDelayMs, audioBlockMs, videoHandOffFrames, rungScheduling);
    }

    /** This configuration with another compositor configuration. */
    public BroadcastConfig withCompositor(CompositorConfig c) {
        return new BroadcastConfig(c, ladder, presentationDelayMs, audioBlockMs, videoHandOffFrames, rungScheduling);
    }

    /** This configuration with another presentation delay. */
    public BroadcastConfig withPresentationDelayMs(int ms) {
        return new BroadcastConfig(compositor, ladder, ms, audioBlockMs, videoHandOffFrames, rungScheduling);
    }

    /** This configuration with another rung scheduling. */
    public BroadcastConfig withRungScheduling(RungScheduling s) {
        return new BroadcastConfig(compositor, ladder, presentationDelayMs, audioBlockMs, videoHandOffFrames, s);
    }
}
