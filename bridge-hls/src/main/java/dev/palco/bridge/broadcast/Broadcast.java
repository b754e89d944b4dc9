package dev.palco.bridge.broadcast;

import dev.palco.bridge.compose.AudioMixer;
import dev.palco.bridge.compose.I420Canvas;
import dev.palco.bridge.compose.LayoutMode;
import dev.palco.bridge.compose.VideoCompositor;
import dev.palco.bridge.encode.AudioRung;
import dev.palco.bridge.encode.FrameDropReason;
import dev.palco.bridge.encode.LadderEncoder;
import dev.palco.bridge.encode.PixelLayout;
import dev.palco.bridge.encode.VideoRung;
import dev.palco.bridge.origin.LiveOrigin;
import dev.palco.bridge.origin.Rendition;
import dev.palco.bridge.stage.StageListener;
import dev.palco.bridge.stage.StageTrack;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * One room's broadcast: the stage in, the LL-HLS ladder out.
 *
 * <pre>
 *  ingest threads                 compose thread              encode thread
 *  onVideoFrame ─ copy ─► VideoCompositor ─ compose(t) ─► [hand-off, N] ─► LadderEncoder.submitVideo ─┐
 *  onAudio ────── copy ─► AudioMixer ─────── mix(t) ─── mix thread ──────► LadderEncoder.submitAudio ─┴► LiveOrigin
 * </pre>
 *
 * <p><b>Listening.</b> A broadcast is the ingest's {@link StageListener}: hand it to the ingest
 * (or forward the calls). The calls only copy media into the compositor's and the mixer's
 * buffers and return; no call ever waits for the encoder. Calls before {@link #start()} fill the
 * same buffers (a stage can be watched before it goes live).
 *
 * <p><b>Clocks.</b> The compose thread makes frame {@code n} at {@code start + n / fps} and stamps it
 * {@code t = that instant - presentation delay}; the mix thread makes the block of audio captured
 * from {@code t} when {@code t + block + delay} has come. Both timelines are the wall clock of
 * {@code clock} minus the same delay, so media captured together leaves together (lip sync holds
 * to the inputs' capture times). The encoder's frame grid absorbs scheduling jitter.
 *
 * <p><b>Hand-off.</b> Composited pictures go to the encode thread through a pool of
 * {@link BroadcastConfig#videoHandOffFrames()} buffers; when all are taken (the encoder is slow) the
 * new picture is dropped and counted, and the encoder repeats its last picture in the slot.
 * Audio is encoded on the mix thread (AAC costs a fraction of a millisecond per block), so its
 * timeline never has holes.
 *
 * <p><b>Lifecycle.</b> {@link #start()} opens the ladder on the origin (adding its renditions)
 * and starts the threads; {@link #restart()} stops them, finishes the encoder, and continues the
 * same renditions with a new encoder after an {@code EXT-X-DISCONTINUITY}; {@link #stop()} ends the
 * presentation ({@code EXT-X-ENDLIST}). The origin (and the HTTP server in front of it) belongs to
 * the caller.
 */
public final class Broadcast implements StageListener, AutoCloseable {

    /** Where a broadcast is in its life. */
    public enum State {
        /** Created, not started: stage media is buffered, nothing is encoded. */
        IDLE,
        /** Encoding onto the origin. */
        LIVE,
        /** Ended: the origin's playlists have EXT-X-ENDLIST. */
        STOPPED
    }

    /** Sees every composited picture before it is handed to the encoder (tests, previews). */
    @FunctionalInterface
    public interface CompositeTap {
        /** Called on the compose thread; {@code canvas} is valid only during the call. */
        void onComposite(I420Canvas canvas, long presentationUs);
    }

    private static final long STATS_WINDOW_NS = 1_000_000_000L;

    private final BroadcastConfig config;
    private final LiveOrigin origin;
    private final Clock clock;
    private final VideoCompositor compositor;
    private final AudioMixer mixer;
    private final int audioChannels;
    private final ArrayBlockingQueue<VideoJob> freeJobs;
    private final ArrayBlockingQueue<VideoJob> readyJobs;

    private State state = State.IDLE;
    private LadderEncoder encoder;
    private volatile boolean running;
    private Thread composeThread;
    private Thread encodeThread;
    private Thread mixThread;
    private volatile CompositeTap tap;
    private int restarts;

    private final AtomicLong handOffDropped = new AtomicLong();
    private final AtomicLong composeNsTotal = new AtomicLong();
    private final AtomicLong encodedFrames = new AtomicLong();
    private final AtomicLong audioBlocks = new AtomicLong();
    private volatile long repeatedFramesBefore;
    // Published once per second by the encode thread.
    private volatile double encoderFps;
    private volatile long encodeTimeUsAvg;
    private volatile long encodeTimeUsMax;
    private volatile long outputBitrateBps;

    /**
     * A broadcast of one stage onto {@code origin}, capture times on the system clock (the
     * ingest's {@code captureUs} are on that clock).
     */
    public Broadcast(BroadcastConfig config, LiveOrigin origin) {
        this(config, origin, Clock.systemUTC());
    }

    /** A broadcast whose output clock reads {@code clock} (the clock of the inputs' capture times). */
    public Broadcast(BroadcastConfig config, LiveOrigin origin, Clock clock) {
        this.config = config;
        this.origin = origin;
        this.clock = clock;
        this.compositor = new VideoCompositor(config.compositor());
        AudioRung audio = config.ladder().audio();
        this.audioChannels = audio == null ? 2 : audio.channels();
        this.mixer = new AudioMixer(audioChannels);
        int n = config.videoHandOffFrames();
        this.freeJobs = new ArrayBlockingQueue<>(n);
        this.readyJobs = new ArrayBlockingQueue<>(n);
        int size = config.compositor().widthPx() * config.compositor().heightPx() * 3 / 2;
        for (int i = 0; i < n; i++) {
            freeJobs.add(new VideoJob(new byte[size]));
        }
    }

    /** The settings. */
    public BroadcastConfig config() {
        return config;
    }

    /** The origin the renditions are on (the caller serves it, for example with an OriginServer). */
    public LiveOrigin origin() {
        return origin;
    }

    /** The compositor (layout state, for tests and the moderator's view). */
    public VideoCompositor compositor() {
        return compositor;
    }

    /** Where the broadcast is in its life. */
    public synchronized State state() {
        return state;
    }

    /** Sets (or with null removes) the observer of composited pictures. */
    public void setCompositeTap(CompositeTap tap) {
        this.tap = tap;
    }

    /** The name on a participant's tiles (null: the participant id). Any thread. */
    public void setDisplayName(String participantId, String displayName) {
        compositor.setDisplayName(participantId, displayName);
    }

    /**
     * Captions the composite with the question being answered ({@code text} null clears it); see
     * {@link VideoCompositor#setLowerThird}. Any thread.
     */
    public void setLowerThird(String kicker, String text) {
        compositor.setLowerThird(kicker, text);
    }

    /** Overrides the layout ({@link LayoutMode#AUTO} to let the stage decide). Any thread. */
    public void setLayout(LayoutMode mode) {
        compositor.setLayout(mode);
    }

    // ---- StageListener: ingest threads; copy and return ----

    @Override
    public void onTrackStarted(StageTrack track) {
        if (track.source().isVideo()) {
            compositor.addTrack(track);
        } else {
            mixer.addTrack(track);
        }
    }

    @Override
    public void onVideoFrame(StageTrack track, AVFrame picture, long captureUs) {
        compositor.offer(track, picture, captureUs);
    }

    @Override
    public void onAudio(StageTrack track, short[] pcm, int offset, int sampleFrames, int channels, long captureUs) {
        mixer.write(track, pcm, offset, sampleFrames, channels, captureUs);
    }

    @Override
    public void onTrackEnded(StageTrack track) {
        if (track.source().isVideo()) {
            compositor.removeTrack(track);
        } else {
            mixer.removeTrack(track);
        }
    }

    @Override
    public void onDominantSpeaker(String participantId) {
        compositor.setDominantSpeaker(participantId);
    }

    // ---- lifecycle ----

    /**
     * Opens the encoder ladder on the origin (its renditions appear) and starts composing, mixing
     * and encoding.
     *
     * @throws IllegalStateException unless {@link State#IDLE}
     * @throws dev.palco.bridge.encode.EncoderOpenException when the encoders cannot be opened
     */
    public synchronized void start() {
        if (state != State.IDLE) {
            throw new IllegalStateException("broadcast is " + state);
        }
        encoder = LadderEncoder.open(config.ladder(), origin, config.rungScheduling());
        startThreads();
        state = State.LIVE;
    }

    /**
     * Restarts the encoder: the current one finishes its segments, a new one continues the same
     * renditions after an {@code EXT-X-DISCONTINUITY}, on a new timeline. The stage's buffers and
     * layout state carry over. If the new encoder cannot be opened the broadcast ends
     * ({@link State#STOPPED}, the playlists get EXT-X-ENDLIST) and the exception is thrown.
     *
     * @throws IllegalStateException unless {@link State#LIVE}
     */
    public synchronized void restart() {
        if (state != State.LIVE) {
            throw new IllegalStateException("broadcast is " + state);
        }
        stopThreads();
        repeatedFramesBefore += encoder.repeatedFrames();
        encoder.finish();
        encoder.close();
        encoder = null;
        try {
            encoder = LadderEncoder.resume(config.ladder(), origin, config.rungScheduling());
        } catch (RuntimeException e) {
            // No encoder to continue with: end the presentation cleanly rather than leave it hanging.
            origin.end();
            state = State.STOPPED;
            compositor.close();
            throw e;
        }
        restarts++;
        startThreads();
    }

    /** Ends the broadcast: the encoder finishes, the origin's playlists end. Idempotent. */
    public synchronized void stop() {
        if (state == State.STOPPED) {
            return;
        }
        if (state == State.LIVE) {
            stopThreads();
            repeatedFramesBefore += encoder.repeatedFrames();
            encoder.finish();
            origin.end();
            encoder.close();
            encoder = null;
        }
        state = State.STOPPED;
        compositor.close();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** The numbers to watch (any thread). */
    public BroadcastStats stats() {
        State s;
        long repeated;
        synchronized (this) {
            s = state;
            repeated = repeatedFramesBefore + (encoder == null ? 0 : encoder.repeatedFrames());
        }
        long composed = compositor.composed();
        return new BroadcastStats(s, compositor.trackCount(), mixer.trackCount(), compositor.picturesReceived(),
                compositor.picturesOverwritten(), compositor.picturesQueued(), composed, composed == 0 ? 0 : composeNsTotal.get() / composed / 1000,
                handOffDropped.get(), readyJobs.size(), encodedFrames.get(), encoderFps, encodeTimeUsAvg,
                encodeTimeUsMax, repeated, audioBlocks.get(), mixer.silentBlocks(), mixer.lateFrames(),
                outputBitrateBps, restarts);
    }

    // ---- threads ----

    private void startThreads() {
        running = true;
        long startNs = System.nanoTime();
        long startUs = micros(clock.instant());
        long delayUs = config.presentationDelayMs() * 1000L;
        LadderEncoder enc = encoder;
        composeThread = new Thread(() -> composeLoop(startNs, startUs - delayUs), "broadcast-compose");
        encodeThread = new Thread(() -> encodeLoop(enc), "broadcast-encode");
        mixThread = new Thread(() -> mixLoop(enc, startNs, startUs - delayUs), "broadcast-mix");
        for (Thread t : new Thread[] {composeThread, encodeThread, mixThread}) {
            t.setDaemon(true);
            t.start();
        }
    }

    private void stopThreads() {
        running = false;
        for (Thread t : new Thread[] {composeThread, mixThread, encodeThread}) {
            LockSupport.unpark(t);
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Pictures composed but not encoded go back to the pool.
        for (VideoJob j; (j = readyJobs.poll()) != null;) {
            freeJobs.add(j);
        }
    }

    /** Frame n at startNs + n / fps, representing startPresentationUs + n / fps. */
    private void composeLoop(long startNs, long startPresentationUs) {
        int fps = config.compositor().frameRateFps();
        long n = 0;
        while (running) {
            long dueNs = startNs + n * 1_000_000_000L / fps;
            if (!waitUntil(dueNs)) {
                break;
            }
            long lateFrames = (System.nanoTime() - dueNs) * fps / 1_000_000_000L;
            // Far behind (a stalled machine): skip to now, the encoder repeats the last picture.
            // Never before the first picture: it must carry the timeline's start, because the
            // encoder's epoch is its first input and audio captured before the epoch would be
            // pulled forward to it (out of sync by the frames skipped).
            if (lateFrames > 1 && n > 0) {
                n += lateFrames;
                continue;
            }
            long t = startPresentationUs + n * 1_000_000L / fps;
            long t0 = System.nanoTime();
            I420Canvas canvas = compositor.compose(t);
            CompositeTap observer = tap;
            if (observer != null) {
                observer.onComposite(canvas, t);
            }
            VideoJob job = freeJobs.poll();
            if (job == null) {
                handOffDropped.incrementAndGet();
            } else {
                System.arraycopy(canvas.data(), 0, job.pixels, 0, canvas.sizeBytes());
                job.presentationUs = t;
                readyJobs.add(job);
            }
            composeNsTotal.addAndGet(System.nanoTime() - t0);
            n++;
        }
    }

    private void encodeLoop(LadderEncoder enc) {
        int w = config.compositor().widthPx();
        int h = config.compositor().heightPx();
        long windowStartNs = System.nanoTime();
        long windowFrames = 0;
        long windowEncodeNs = 0;
        long windowMaxNs = 0;
        long windowBytes = publishedBytes();
        while (true) {
            VideoJob job;
            try {
                job = readyJobs.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (job == null) {
                if (!running) {
                    return;
                }
            } else {
                long t0 = System.nanoTime();
                FrameDropReason r = enc.submitVideo(PixelLayout.I420, job.pixels, 0, w, h, job.presentationUs);
                long dt = System.nanoTime() - t0;
                freeJobs.add(job);
                if (r == FrameDropReason.OK) {
                    encodedFrames.incrementAndGet();
                    windowFrames++;
                    windowEncodeNs += dt;
                    windowMaxNs = Math.max(windowMaxNs, dt);
                }
            }
            long now = System.nanoTime();
            if (now - windowStartNs >= STATS_WINDOW_NS) {
                double secs = (now - windowStartNs) / 1e9;
                long bytes = publishedBytes();
                encoderFps = windowFrames / secs;
                encodeTimeUsAvg = windowFrames == 0 ? 0 : windowEncodeNs / windowFrames / 1000;
                encodeTimeUsMax = windowMaxNs / 1000;
                outputBitrateBps = (long) ((bytes - windowBytes) * 8 / secs);
                windowStartNs = now;
                windowFrames = 0;
                windowEncodeNs = 0;
                windowMaxNs = 0;
                windowBytes = bytes;
            }
        }
    }

    /** Block k covers positions p0 + k x block and is made once its end is a delay old. */
    private void mixLoop(LadderEncoder enc, long startNs, long startPresentationUs) {
        int frames = AudioMixer.SAMPLE_RATE_HZ * config.audioBlockMs() / 1000;
        short[] pcm = new short[frames * audioChannels];
        long p0 = AudioMixer.positionOf(startPresentationUs);
        boolean encode = config.ladder().audio() != null;
        long k = 0;
        while (running) {
            long p = p0 + k * frames;
            long dueNs = startNs + (AudioMixer.timeOf(p + frames) - startPresentationUs) * 1000;
            if (!waitUntil(dueNs)) {
                break;
            }
            mixer.mix(p, frames, pcm, 0);
            if (encode) {
                enc.submitAudio(pcm, 0, frames, AudioMixer.timeOf(p));
            }
            audioBlocks.incrementAndGet();
            k++;
        }
    }

    private boolean waitUntil(long dueNs) {
        long waitNs = dueNs - System.nanoTime();
        while (running && waitNs > 0) {
            LockSupport.parkNanos(waitNs);
            waitNs = dueNs - System.nanoTime();
        }
        return running;
    }

    private long publishedBytes() {
        long n = 0;
        for (VideoRung r : config.ladder().video()) {
            Rendition rendition = origin.rendition(r.name());
            n += rendition == null ? 0 : rendition.publishedBytes();
        }
        AudioRung a = config.ladder().audio();
        if (a != null && origin.rendition(a.name()) != null) {
            n += origin.rendition(a.name()).publishedBytes();
        }
        return n;
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    /** One composited picture on its way to the encoder. */
    private static final class VideoJob {
        final byte[] pixels;
        long presentationUs;

        VideoJob(byte[] pixels) {
            this.pixels = pixels;
        }
    }
}
