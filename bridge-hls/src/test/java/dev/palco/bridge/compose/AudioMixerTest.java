package dev.palco.bridge.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.bridge.stage.StageTrack;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The mixer: placement by capture time, summing, the limiter, silence and continuity. */
class AudioMixerTest {

    private static final long T0 = 1_800_000_000_000_000L;
    private static final int RATE = AudioMixer.SAMPLE_RATE_HZ;
    private static final int BLOCK = 960; // 20 ms

    private static final StageTrack A = new StageTrack("pa", "mica", StageTrack.Source.MICROPHONE);
    private static final StageTrack B = new StageTrack("pb", "micb", StageTrack.Source.MICROPHONE);

    /** Mono sine samples from absolute position {@code from}, at {@code amplitude} of full scale. */
    private static short[] sine(double hz, double amplitude, long from, int frames) {
        short[] s = new short[frames];
        for (int i = 0; i < frames; i++) {
            s[i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * hz * (from + i) / RATE));
        }
        return s;
    }

    /** Goertzel power of {@code hz} in the first channel of interleaved {@code pcm}, normalised per sample. */
    static double goertzel(short[] pcm, int channels, int frames, double hz) {
        double w = 2 * Math.PI * hz / RATE;
        double coeff = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < frames; i++) {
            double s = pcm[i * channels] / 32768.0 + coeff * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        return power / ((double) frames * frames);
    }

    /** Writes {@code seconds} of a tone per track in 20 ms blocks, then mixes the same span. */
    private static short[] mixSpan(AudioMixer mixer, long p0, int blocks) {
        short[] out = new short[blocks * BLOCK * mixer.channels()];
        for (int b = 0; b < blocks; b++) {
            mixer.mix(p0 + (long) b * BLOCK, BLOCK, out, b * BLOCK * mixer.channels());
        }
        return out;
    }

    @Test
    void twoTalkersAreBothHeard() {
        AudioMixer mixer = new AudioMixer(2);
        mixer.addTrack(A);
        mixer.addTrack(B);
        long p0 = AudioMixer.positionOf(T0);
        for (int b = 0; b < 25; b++) {
            long p = p0 + (long) b * BLOCK;
            mixer.write(A, sine(440, 0.3, p, BLOCK), 0, BLOCK, 1, AudioMixer.timeOf(p));
            mixer.write(B, sine(1000, 0.3, p, BLOCK), 0, BLOCK, 1, AudioMixer.timeOf(p));
        }
        short[] out = mixSpan(mixer, p0, 25);
        int frames = 25 * BLOCK;
        double p440 = goertzel(out, 2, frames, 440);
        double p1000 = goertzel(out, 2, frames, 1000);
        double p700 = goertzel(out, 2, frames, 700);
        // A sine of amplitude a has Goertzel power a^2/4 per sample squared.
        assertEquals(0.3 * 0.3 / 4, p440, 0.005);
        assertEquals(0.3 * 0.3 / 4, p1000, 0.005);
        assertTrue(p700 < 1e-4, "no energy between the tones: " + p700);
        // Mono in, both channels out.
        for (int i = 0; i < frames; i++) {
            assertEquals(out[2 * i], out[2 * i + 1]);
        }
        assertEquals(0, mixer.silentBlocks());
    }

    @Test
    void twoFullScaleTalkersAreLimitedNotWrapped() {
        AudioMixer mixer = new AudioMixer(1);
        mixer.addTrack(A);
        mixer.addTrack(B);
        long p0 = AudioMixer.positionOf(T0);
        int blocks = 50;
        double[] sum = new double[blocks * BLOCK];
        for (int b = 0; b < blocks; b++) {
            long p = p0 + (long) b * BLOCK;
            short[] a = sine(300, 0.99, p, BLOCK);
            short[] c = sine(300, 0.99, p, BLOCK); // in phase: the sum reaches twice full scale
            mixer.write(A, a, 0, BLOCK, 1, AudioMixer.timeOf(p));
            mixer.write(B, c, 0, BLOCK, 1, AudioMixer.timeOf(p));
            for (int i = 0; i < BLOCK; i++) {
                sum[b * BLOCK + i] = (a[i] + c[i]) / 32768.0;
            }
        }
        short[] out = mixSpan(mixer, p0, blocks);
        int max = 0;
        for (int i = 0; i < out.length; i++) {
            max = Math.max(max, Math.abs(out[i]));
            // Never the opposite sign of what went in (a wrap flips the sign of the peaks).
            if (Math.abs(sum[i]) > 0.05) {
                assertEquals(Math.signum(sum[i]), Math.signum(out[i]), "sample " + i + ": " + sum[i] + " -> " + out[i]);
            }
        }
        assertTrue(max <= Math.round(SoftLimiter.CEILING * 32767), "peak " + max);
        assertTrue(max > 0.8 * 32767, "still loud: " + max);
        assertTrue(mixer.limitedBlocks() > 0);
        // The tone is intact: nearly all its energy is still at 300 Hz (little distortion).
        double p300 = goertzel(out, 1, out.length, 300);
        double total = 0;
        for (short s : out) {
            total += (s / 32768.0) * (s / 32768.0);
        }
        total /= out.length;
        assertTrue(p300 * 2 / total > 0.95, "share of the fundamental " + p300 * 2 / total);
    }

    @Test
    void nobodyTalkingIsSilenceAndTheStreamGoesOn() {
        AudioMixer mixer = new AudioMixer(2);
        short[] out = mixSpan(mixer, AudioMixer.positionOf(T0), 10);
        for (short s : out) {
            assertEquals(0, s);
        }
        assertEquals(10, mixer.mixedBlocks());
        assertEquals(10, mixer.silentBlocks());
        mixer.addTrack(A); // a microphone that sends nothing (muted, silence suppression)
        out = mixSpan(mixer, AudioMixer.positionOf(T0) + 10 * BLOCK, 10);
        for (short s : out) {
            assertEquals(0, s);
        }
    }

    @Test
    void theMixContinuesAcrossATrackLeaving() {
        AudioMixer mixer = new AudioMixer(1);
        mixer.addTrack(A);
        mixer.addTrack(B);
        long p0 = AudioMixer.positionOf(T0);
        short[] before = new short[25 * BLOCK];
        short[] after = new short[25 * BLOCK];
        for (int b = 0; b < 50; b++) {
            long p = p0 + (long) b * BLOCK;
            mixer.write(A, sine(440, 0.3, p, BLOCK), 0, BLOCK, 1, AudioMixer.timeOf(p));
            if (b < 25) {
                mixer.write(B, sine(1000, 0.3, p, BLOCK), 0, BLOCK, 1, AudioMixer.timeOf(p));
            }
            if (b == 25) {
                mixer.removeTrack(B);
            }
            mixer.mix(p, BLOCK, b < 25 ? before : after, (b % 25) * BLOCK);
        }
        assertTrue(goertzel(before, 1, before.length, 1000) > 0.02);
        assertTrue(goertzel(after, 1, after.length, 1000) < 1e-4, "the leaver is gone");
        assertEquals(0.3 * 0.3 / 4, goertzel(after, 1, after.length, 440), 0.005);
        // The remaining talker is continuous across the change: sample for sample its sine.
        short[] expected = sine(440, 0.3, p0 + 25 * BLOCK, 25 * BLOCK);
        for (int i = 0; i < after.length; i++) {
            assertEquals(expected[i], after[i], 1, "sample " + i);
        }
        assertEquals(1, mixer.trackCount());
    }

    @Test
    void jitteryCaptureTimesDoNotTearTheWaveformAndStereoIsKept() {
        AudioMixer mixer = new AudioMixer(2);
        mixer.addTrack(A);
        long p0 = AudioMixer.positionOf(T0);
        SplittableRandom random = new SplittableRandom(7);
        for (int b = 0; b < 25; b++) {
            long p = p0 + (long) b * BLOCK;
            short[] mono = sine(500, 0.25, p, BLOCK);
            short[] stereo = new short[2 * BLOCK];
            for (int i = 0; i < BLOCK; i++) {
                stereo[2 * i] = mono[i];
                stereo[2 * i + 1] = (short) (mono[i] / 2);
            }
            long jitterUs = b == 0 ? 0 : random.nextLong(-8_000, 8_000); // network capture-time noise, under 20 ms
            mixer.write(A, stereo, 0, BLOCK, 2, AudioMixer.timeOf(p) + jitterUs);
        }
        short[] out = mixSpan(mixer, p0, 25);
        short[] expected = sine(500, 0.25, p0, 25 * BLOCK);
        for (int i = 0; i < 25 * BLOCK; i++) {
            assertEquals(expected[i], out[2 * i], 1, "left " + i);
            assertEquals(expected[i] / 2, out[2 * i + 1], 1, "right " + i);
        }
    }

    @Test
    void talkersAreAlignedByCaptureTimeNotByArrival() {
        AudioMixer mixer = new AudioMixer(1);
        mixer.addTrack(A);
        mixer.addTrack(B);
        long p0 = AudioMixer.positionOf(T0);
        // A click at the same capture instant in both tracks; B's blocks are written later (a slower path).
        short[] click = new short[BLOCK];
        click[100] = 8000;
        short[] quiet = new short[BLOCK];
        for (int b = 0; b < 5; b++) {
            long p = p0 + (long) b * BLOCK;
            mixer.write(A, b == 2 ? click : quiet, 0, BLOCK, 1, AudioMixer.timeOf(p));
        }
        for (int b = 0; b < 5; b++) {
            long p = p0 + (long) b * BLOCK;
            mixer.write(B, b == 2 ? click : quiet, 0, BLOCK, 1, AudioMixer.timeOf(p));
        }
        short[] out = mixSpan(mixer, p0, 5);
        assertEquals(16000, out[2 * BLOCK + 100], 1, "both clicks in one sample");
        int nonZero = 0;
        for (short s : out) {
            nonZero += s != 0 ? 1 : 0;
        }
        assertEquals(1, nonZero);
        assertFalse(mixer.write(A, click, 0, BLOCK, 3, T0), "three channels refused");
        assertFalse(mixer.write(A, click, 10, BLOCK, 1, T0), "beyond the array refused");
    }
}
