package dev.palco.bridge.testpattern;

import dev.palco.bridge.encode.AudioRung;
import dev.palco.bridge.encode.FrameDropReason;
import dev.palco.bridge.encode.LadderEncoder;
import dev.palco.bridge.encode.PixelLayout;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Plays a {@link TestPattern} into a {@link LadderEncoder} in real time, on one thread of its
 * own: a picture every 1/fps seconds, each stamped with the wall-clock time it was drawn, and the
 * tone in blocks of one frame's worth of samples. It stands in for the bridge's compositor and
 * mixer, which will call the encoder the same way.
 *
 * <p>Frames are paced on {@link System#nanoTime()}: frame {@code n} is due at start + n / fps. A
 * frame that is late is still drawn (with its real, later capture time); the encoder's frame grid
 * absorbs the jitter.
 */
public final class LiveTestStream implements AutoCloseable {

    private final LadderEncoder encoder;
    private final TestPattern pattern;
    private final Clock clock;
    private final int fps;
    private final Thread thread;
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong maxLatenessNs = new AtomicLong();
    private volatile boolean running = true;
    private volatile long stopAfterFrames = Long.MAX_VALUE;

    /**
     * A stream of {@code pattern} into {@code encoder}, telling capture time with {@code clock}.
     * The pattern's tone must use the encoder's audio channel count.
     */
    public LiveTestStream(LadderEncoder encoder, TestPattern pattern, Clock clock) {
        this.encoder = encoder;
        this.pattern = pattern;
        this.clock = clock;
        this.fps = encoder.config().frameRateFps();
        this.thread = new Thread(this::run, "test-pattern");
        this.thread.setDaemon(true);
    }

    /** Starts the stream thread. */
    public LiveTestStream start() {
        thread.start();
        return this;
    }

    /** Frames drawn and handed to the encoder so far. */
    public long frames() {
        return frames.get();
    }

    /** The latest a frame was drawn after it was due, in ns (the machine's scheduling delay). */
    public long maxLatenessNs() {
        return maxLatenessNs.get();
    }

    /** Stops after {@code frameCount} frames in total; {@link #join} waits for that. */
    public void stopAfter(long frameCount) {
        stopAfterFrames = frameCount;
    }

    /** Waits for the thread to end. */
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        thread.join(unit.toMillis(timeout));
        return !thread.isAlive();
    }

    /** Stops the thread (the encoder stays open: finish and close it separately). */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        byte[] picture = new byte[pattern.pictureSizeBytes()];
        AudioRung audio = encoder.config().audio();
        int maxSamplesPerFrame = (AudioRung.SAMPLE_RATE_HZ + fps - 1) / fps;
        short[] pcm = new short[maxSamplesPerFrame * (audio == null ? 1 : audio.channels())];
        long startNs = System.nanoTime();
        long n = 0;
        while (running && n < stopAfterFrames) {
            long dueNs = startNs + n * 1_000_000_000L / fps;
            long waitNs = dueNs - System.nanoTime();
            while (running && waitNs > 0) {
                LockSupport.parkNanos(waitNs);
                waitNs = dueNs - System.nanoTime();
            }
            if (!running) {
                break;
            }
            maxLatenessNs.accumulateAndGet(-waitNs, Math::max);
            long captureUs = micros(clock.instant());
            pattern.drawPicture(n, captureUs / 1000, picture, 0);
            FrameDropReason r = encoder.submitVideo(PixelLayout.BGR24, picture, 0, pattern.widthPx(),
                    pattern.heightPx(), captureUs);
            if (r == FrameDropReason.FINISHED) {
                break;
            }
            if (audio != null) {
                // n x 48000 / fps samples before this frame: the tone never drifts from the pictures.
                long firstSample = n * AudioRung.SAMPLE_RATE_HZ / fps;
                int samples = (int) ((n + 1) * AudioRung.SAMPLE_RATE_HZ / fps - firstSample);
                pattern.drawTone(firstSample, samples, pcm, 0);
                encoder.submitAudio(pcm, 0, samples, captureUs);
            }
            frames.incrementAndGet();
            n++;
        }
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }
}
