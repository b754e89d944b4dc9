package dev.palco.bridge.compose;

/**
 * Keeps a mix under full scale without hard clipping: a peak limiter with instant attack and a
 * smooth release, followed by a soft knee for what the gain does not catch.
 *
 * <p>Summing talkers can exceed full scale; converting that to 16 bits by truncation wraps around
 * (a loud crack), and clamping flattens the wave (harsh distortion). The limiter instead lowers
 * the gain as soon as a sample would pass the threshold (the gain drops to exactly what that
 * sample needs, so nothing passes) and lets it recover with a time constant of
 * {@link #RELEASE_MS}, slow enough that the gain does not follow the waveform itself. The output
 * never exceeds {@link #CEILING}.
 */
public final class SoftLimiter {

    /** Level above which the gain is reduced (−1 dBFS). */
    public static final float THRESHOLD = 0.89f;
    /** Largest output magnitude. */
    public static final float CEILING = 0.98f;
    /** Release time constant. */
    public static final int RELEASE_MS = 80;

    private final float releaseCoef;
    private float gain = 1f;

    /** A limiter for a stream at {@code sampleRateHz}. */
    public SoftLimiter(int sampleRateHz) {
        this.releaseCoef = (float) (1 - Math.exp(-1.0 / (RELEASE_MS * 0.001 * sampleRateHz)));
    }

    /**
     * Limits {@code frames} interleaved frames of {@code channels} in place. The gain is shared by
     * the channels (the stereo image does not move).
     */
    public void process(float[] samples, int frames, int channels) {
        float g = gain;
        for (int f = 0; f < frames; f++) {
            int base = f * channels;
            float peak = 0f;
            for (int c = 0; c < channels; c++) {
                peak = Math.max(peak, Math.abs(samples[base + c]));
            }
            float target = peak > THRESHOLD ? THRESHOLD / peak : 1f;
            if (target < g) {
                g = target;
            } else {
                g += (target - g) * releaseCoef;
            }
            for (int c = 0; c < channels; c++) {
                samples[base + c] = knee(samples[base + c] * g);
            }
        }
        gain = g;
    }

    /** The current gain, 0..1 (1: not limiting). */
    public float gain() {
        return gain;
    }

    /** Identity below the threshold; above it, a curve that approaches {@link #CEILING}. */
    private static float knee(float x) {
        float a = Math.abs(x);
        if (a <= THRESHOLD) {
            return x;
        }
        float room = CEILING - THRESHOLD;
        float over = a - THRESHOLD;
        float y = THRESHOLD + room * over / (over + room);
        return x < 0 ? -y : y;
    }
}
