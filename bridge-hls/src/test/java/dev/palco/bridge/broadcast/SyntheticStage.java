package dev.palco.bridge.broadcast;

import dev.palco.bridge.compose.TestPictures;
import dev.palco.bridge.stage.StageListener;
import dev.palco.bridge.stage.StageTrack;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * Presenters made up in real time, calling a {@link StageListener} the way the ingest does: each
 * presenter has a camera (30 fps, pictures rendered once in advance and played in a loop, so the
 * generator costs almost nothing) and a microphone (20 ms blocks of a tone of its own), on one
 * thread per presenter, every picture and block stamped with its capture time on {@code clock}.
 */
final class SyntheticStage implements AutoCloseable {

    static final int LOOP_FRAMES = 30;
    private static final int BLOCK_FRAMES = 960;

    private final StageListener listener;
    private final Clock clock;
    private final int fps;
    private final List<Presenter> presenters = new ArrayList<>();
    private volatile boolean running;
    private final java.util.concurrent.atomic.AtomicLong maxCallNs = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param textured camera-like pictures (a moving box, gradient and grain: what x264 has to work
     *     for) or flat colours (for pixel checks)
     */
    SyntheticStage(StageListener listener, Clock clock, int count, int w, int h, int fps, boolean textured) {
        this.listener = listener;
        this.clock = clock;
        this.fps = fps;
        for (int i = 0; i < count; i++) {
            presenters.add(new Presenter(i, w, h, textured));
        }
    }

    List<StageTrack> cameras() {
        return presenters.stream().map(p -> p.camera).toList();
    }

    /** The longest a listener call took, ns: the time an ingest thread would have been held. */
    long maxCallNs() {
        return maxCallNs.get();
    }

    /** Announces the tracks and starts every presenter's thread. */
    SyntheticStage start() {
        running = true;
        for (Presenter p : presenters) {
            listener.onTrackStarted(p.camera);
            listener.onTrackStarted(p.mic);
        }
        long startNs = System.nanoTime();
        long startUs = micros(clock.instant());
        for (Presenter p : presenters) {
            p.thread = new Thread(() -> p.run(startNs, startUs), "presenter-" + p.index);
            p.thread.setDaemon(true);
            p.thread.start();
        }
        return this;
    }

    /** Stops the threads and ends the tracks; frees the pictures. */
    @Override
    public void close() {
        running = false;
        for (Presenter p : presenters) {
            if (p.thread != null) {
                try {
                    p.thread.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                listener.onTrackEnded(p.camera);
                listener.onTrackEnded(p.mic);
            }
            for (AVFrame f : p.frames) {
                TestPictures.free(f);
            }
        }
    }

    private final class Presenter {
        final int index;
        final StageTrack camera;
        final StageTrack mic;
        final AVFrame[] frames = new AVFrame[LOOP_FRAMES];
        final double toneHz;
        Thread thread;

        Presenter(int index, int w, int h, boolean textured) {
            this.index = index;
            this.camera = new StageTrack("p" + index, "cam" + index, StageTrack.Source.CAMERA);
            this.mic = new StageTrack("p" + index, "mic" + index, StageTrack.Source.MICROPHONE);
            this.toneHz = 300 + 150 * index;
            int[] colour = TestPictures.COLOURS[index % TestPictures.COLOURS.length];
            SplittableRandom random = new SplittableRandom(index);
            for (int n = 0; n < LOOP_FRAMES; n++) {
                AVFrame f = TestPictures.flat(w, h, colour);
                if (textured) {
                    texture(f, n, random);
                }
                frames[n] = f;
            }
        }

        /** A gradient, a box moving across, and grain, in the luma plane. */
        private void texture(AVFrame f, int n, SplittableRandom random) {
            int w = f.width();
            int h = f.height();
            int stride = f.linesize(0);
            byte[] row = new byte[w];
            BytePointer y = f.data(0).capacity((long) stride * h);
            int boxX = (n * w / LOOP_FRAMES + index * 37) % Math.max(1, w - w / 5);
            int boxY = h / 3;
            for (int r = 0; r < h; r++) {
                for (int x = 0; x < w; x++) {
                    int v = 40 + (x * 120 / w) + (r * 40 / h) + random.nextInt(-12, 13);
                    if (x >= boxX && x < boxX + w / 5 && r >= boxY && r < boxY + h / 4) {
                        v = 220 - random.nextInt(0, 10);
                    }
                    row[x] = (byte) Math.max(16, Math.min(235, v));
                }
                y.position((long) r * stride).put(row, 0, w);
            }
            y.position(0);
        }

        void run(long startNs, long startUs) {
            short[] pcm = new short[BLOCK_FRAMES];
            long frameUs = 1_000_000L / fps;
            long n = 0;
            long k = 0;
            while (running) {
                long videoDueUs = n * frameUs;
                long audioDueUs = (k + 1) * 20_000L; // a block leaves once it is complete
                long nextUs = Math.min(videoDueUs, audioDueUs);
                long waitNs = startNs + nextUs * 1000 - System.nanoTime();
                if (waitNs > 0) {
                    LockSupport.parkNanos(waitNs);
                    continue;
                }
                long t0 = System.nanoTime();
                if (videoDueUs <= audioDueUs) {
                    listener.onVideoFrame(camera, frames[(int) (n % LOOP_FRAMES)], startUs + videoDueUs);
                    n++;
                } else {
                    long first = k * BLOCK_FRAMES;
                    for (int i = 0; i < BLOCK_FRAMES; i++) {
                        pcm[i] = (short) Math.round(0.2 * 32767 * Math.sin(2 * Math.PI * toneHz * (first + i) / 48_000));
                    }
                    listener.onAudio(mic, pcm, 0, BLOCK_FRAMES, 1, startUs + k * 20_000L);
                    k++;
                }
                maxCallNs.accumulateAndGet(System.nanoTime() - t0, Math::max);
            }
        }
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }
}
