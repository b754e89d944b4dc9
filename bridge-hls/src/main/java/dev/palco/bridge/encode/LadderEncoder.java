package dev.palco.bridge.encode;

import dev.palco.bridge.cmaf.CmafSegmenter;
import dev.palco.bridge.cmaf.SampleDropReason;
import dev.palco.bridge.cmaf.SegmenterConfig;
import dev.palco.bridge.origin.LiveOrigin;
import dev.palco.bridge.origin.Rendition;
import dev.palco.bridge.origin.RenditionSpec;
import dev.palco.bridge.playlist.PlaylistTiming;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The encode half of the bridge: raw pictures and PCM in, with the wall-clock time each was
 * captured; an H.264/AAC ladder out, cut into CMAF parts and published on a {@link LiveOrigin}.
 *
 * <pre>
 *                   ┌─ swscale ─ libx264 ─ AnnexB→avcC ─ CmafSegmenter ─ Rendition v0 ─┐
 * picture ─ grid ───┤                                                                   ├─ LiveOrigin
 *                   └─ swscale ─ libx264 ─ AnnexB→avcC ─ CmafSegmenter ─ Rendition v1 ─┤
 * PCM ──── anchor ───── AAC-LC (FLTP, 1024) ─────────── CmafSegmenter ─ Rendition a0 ─┘
 * </pre>
 *
 * <p><b>Time.</b> The first picture or PCM block sets the stream's epoch. A picture's capture time
 * is snapped to the frame grid (frame {@code n} at epoch + n / fps), so decode times advance by
 * exactly one frame even when the producer jitters, and every part holds a whole number of frames
 * (RFC 8216bis §4.4.4.9 asks for parts between 85 % and 100 % of PART-TARGET). Slots a late
 * producer missed are filled with the previous picture, up to a GOP of them
 * ({@link #repeatedFrames()}), so that decode time never has a hole; one that runs ahead by
 * more than a frame has pictures dropped ({@link FrameDropReason#FRAME_RATE_EXCEEDED}). Audio is
 * anchored once, at its first block, and continues sample by sample from there (the producer's
 * audio clock is the stream's).
 *
 * <p><b>Program date time.</b> A sample at media time {@code t} (from the epoch) has the
 * EXT-X-PROGRAM-DATE-TIME {@code epoch + t}, in every rendition: for a picture, that is its capture
 * time snapped to the grid, within half a frame of the time it was handed in. So a player's
 * {@code Date.now() - playingDate} is the glass-to-glass delay, and the date times agree exactly
 * with the media timeline across renditions. They must: players place the audio playlist against
 * the video by its date times (RFC 8216bis §6.3.3 lets them), and hls.js, finding the audio parts
 * 45 ms away from where their date times said when raw capture times were used, stopped loading
 * audio and stalled.
 *
 * <p><b>Segments.</b> IDR frames are forced when a picture is the first of a new GOP period on the
 * grid (frame index / GOP frames increases), in every rung at once, so all renditions cut their
 * segments at the same media times and a player switches between them on any segment.
 *
 * <p><b>Threads.</b> {@link #submitVideo} from one thread, {@link #submitAudio} from one thread
 * (the same or another); {@link #finish} and {@link #close} after both have stopped. The video
 * rungs of one picture are encoded one after the other on the calling thread
 * ({@link RungScheduling#SEQUENTIAL}, the default), or at the same time, the first on the calling
 * thread and each other on a thread of its own ({@link RungScheduling#PARALLEL}): a picture then
 * takes as long as its slowest rung, at the price of bursts on several cores. Each call encodes
 * synchronously: libx264 with {@code zerolatency} returns the frame's packet before the call
 * returns, and the part it completes is published on the origin before the call returns. Per
 * picture the encoder allocates only a few small JavaCPP wrappers; pixels and samples are copied
 * into buffers allocated once.
 */
public final class LadderEncoder implements AutoCloseable {

    private static final long UNSET = Long.MIN_VALUE;

    private final LadderConfig config;
    private final List<H264RungEncoder> video;
    private final AacRungEncoder audio;
    /**
     * With {@link RungScheduling#PARALLEL}, threads for rungs 1..n-1 (rung 0 runs on the caller's
     * thread); otherwise empty and every rung runs on the caller's thread.
     */
    private final RungThread[] rungThreads;
    private final List<CmafSegmenter> videoSegmenters = new ArrayList<>();
    private CmafSegmenter audioSegmenter;
    private final AtomicLong epochUs = new AtomicLong(UNSET);
    private final long[] videoResults = new long[FrameDropReason.values().length];
    private final long[] audioResults = new long[FrameDropReason.values().length];

    // Video thread.
    private long lastFrameIndex = -1;
    private long lastGop = -1;
    private long repeatedFrames;
    private long timelineGaps;
    private BytePointer input;
    private long inputCapacityBytes;
    private final PointerPointer<BytePointer> inputPlanes = new PointerPointer<>(4);
    private final IntPointer inputLinesizes = new IntPointer(4);
    private int inputW;
    private int inputH;
    private PixelLayout inputLayout;

    // Audio thread.
    private boolean audioStarted;

    private volatile boolean finished;
    private boolean closed;

    private LadderEncoder(LadderConfig config, List<H264RungEncoder> video, AacRungEncoder audio,
            RungScheduling scheduling) {
        this.config = config;
        this.video = video;
        this.audio = audio;
        this.rungThreads = new RungThread[scheduling == RungScheduling.PARALLEL ? video.size() - 1 : 0];
        for (int i = 0; i < rungThreads.length; i++) {
            rungThreads[i] = new RungThread(video.get(video.size() - rungThreads.length + i));
        }
    }

    /**
     * Opens every encoder of the ladder and adds one rendition per rung to {@code origin} (video
     * tracks first, then audio). The origin's part target and target duration decide how the
     * segmenters cut: the part target must be a whole number of frames and divide the GOP.
     *
     * @throws EncoderOpenException when an encoder is missing or refuses its settings
     * @throws IllegalArgumentException when the ladder's timing does not fit the origin's
     */
    public static LadderEncoder open(LadderConfig config, LiveOrigin origin) {
        return open(config, origin, false, RungScheduling.SEQUENTIAL);
    }

    /** {@link #open(LadderConfig, LiveOrigin)}, with the rungs of a picture scheduled as {@code scheduling} says. */
    public static LadderEncoder open(LadderConfig config, LiveOrigin origin, RungScheduling scheduling) {
        return open(config, origin, false, scheduling);
    }

    /**
     * Opens every encoder of the ladder and continues the renditions a previous encoder of the same
     * ladder published on {@code origin} (a restart of the bridge): each rendition's next segment
     * starts with {@code EXT-X-DISCONTINUITY} (RFC 8216bis §4.4.4.3: the timestamps restart, from
     * this encoder's own epoch) and continues its media sequence numbers. The renditions keep
     * their init segments, so the encoders must produce the same decoder configuration (the same
     * ladder does).
     *
     * @throws EncoderOpenException when an encoder is missing or refuses its settings
     * @throws IllegalArgumentException when a rung has no rendition on {@code origin}, or one whose
     *     init segment this ladder would not reproduce
     */
    public static LadderEncoder resume(LadderConfig config, LiveOrigin origin) {
        return open(config, origin, true, RungScheduling.SEQUENTIAL);
    }

    /** {@link #resume(LadderConfig, LiveOrigin)}, with the rungs of a picture scheduled as {@code scheduling} says. */
    public static LadderEncoder resume(LadderConfig config, LiveOrigin origin, RungScheduling scheduling) {
        return open(config, origin, true, scheduling);
    }

    private static LadderEncoder open(LadderConfig config, LiveOrigin origin, boolean resume,
            RungScheduling scheduling) {
        PlaylistTiming timing = origin.config().timing();
        long partTargetMs = timing.partTargetUs() / 1000;
        if (timing.partTargetUs() % 1000 != 0 || partTargetMs * config.frameRateFps() % 1000 != 0) {
            throw new IllegalArgumentException("PART-TARGET " + partTargetMs + " ms is not a whole number of frames");
        }
        if (config.gopMs() % partTargetMs != 0) {
            throw new IllegalArgumentException("the GOP is not a whole number of parts");
        }
        List<H264RungEncoder> video = new ArrayList<>();
        AacRungEncoder audio = null;
        try {
            int trackId = 1;
            for (VideoRung rung : config.video()) {
                video.add(H264RungEncoder.open(rung, trackId++, config));
            }
            if (config.audio() != null) {
                audio = AacRungEncoder.open(config.audio(), trackId);
            }
            if (resume) {
                for (H264RungEncoder v : video) {
                    continuable(origin, v.rung().name(), v.format());
                }
                if (audio != null) {
                    continuable(origin, audio.rung().name(), audio.format());
                }
            }
        } catch (RuntimeException e) {
            video.forEach(H264RungEncoder::close);
            if (audio != null) {
                audio.close();
            }
            throw e;
        }
        LadderEncoder ladder = new LadderEncoder(config, video, audio, scheduling);
        try {
            for (H264RungEncoder v : video) {
                VideoRung r = v.rung();
                Rendition rendition = resume ? origin.rendition(r.name())
                        : origin.addRendition(new RenditionSpec(r.name(), v.format(), r.maxBitrateBps(),
                                r.bitrateBps(), config.frameRateFps(), null));
                CmafSegmenter s = segmenter(v.format(), config, timing, rendition, resume);
                v.attach(s);
                ladder.videoSegmenters.add(s);
            }
            if (audio != null) {
                AudioRung r = audio.rung();
                Rendition rendition = resume ? origin.rendition(r.name())
                        : origin.addRendition(new RenditionSpec(r.name(), audio.format(), r.bitrateBps(),
                                r.bitrateBps(), 0, r.displayName()));
                ladder.audioSegmenter = segmenter(audio.format(), config, timing, rendition, resume);
                audio.attach(ladder.audioSegmenter);
            }
        } catch (RuntimeException e) {
            ladder.close(); // its rung threads, encoders and scalers
            throw e;
        }
        return ladder;
    }

    private static void continuable(LiveOrigin origin, String name, dev.palco.bridge.cmaf.TrackFormat format) {
        Rendition r = origin.rendition(name);
        if (r == null) {
            throw new IllegalArgumentException("no rendition " + name + " to continue");
        }
        if (!r.servesFormat(format)) {
            throw new IllegalArgumentException("rendition " + name + " has another init segment");
        }
    }

    private static CmafSegmenter segmenter(dev.palco.bridge.cmaf.TrackFormat format, LadderConfig config,
            PlaylistTiming timing, Rendition rendition, boolean resume) {
        long firstMsn = resume ? rendition.nextMediaSequence() : 0;
        SegmenterConfig segmenting = new SegmenterConfig((int) (timing.partTargetUs() / 1000), config.gopMs(),
                timing.targetDurationS(), firstMsn);
        CmafSegmenter s = new CmafSegmenter(format, segmenting, rendition);
        if (resume) {
            s.startDiscontinuity();
        }
        return s;
    }

    /** The ladder this encoder runs. */
    public LadderConfig config() {
        return config;
    }

    /**
     * Encodes one picture into every video rung.
     *
     * @param layout how {@code pixels} are laid out
     * @param pixels tightly packed picture bytes, from {@code off}
     * @param widthPx picture width (even for I420); any size, it is scaled to each rung
     * @param heightPx picture height (even for I420)
     * @param captureTimeUs wall-clock time the picture was captured (or composited), epoch µs
     */
    public FrameDropReason submitVideo(PixelLayout layout, byte[] pixels, int off, int widthPx, int heightPx,
            long captureTimeUs) {
        if (finished) {
            return countVideo(FrameDropReason.FINISHED);
        }
        if (widthPx < 2 || heightPx < 2 || (layout == PixelLayout.I420 && (widthPx % 2 != 0 || heightPx % 2 != 0))
                || off < 0 || (long) off + layout.pictureSizeBytes(widthPx, heightPx) > pixels.length) {
            return countVideo(FrameDropReason.INVALID_PICTURE);
        }
        long frameIndex = frameIndexOf(captureTimeUs);
        if (frameIndex < 0) {
            return countVideo(FrameDropReason.FRAME_RATE_EXCEEDED);
        }
        int size = layout.pictureSizeBytes(widthPx, heightPx);
        prepareInput(layout, widthPx, heightPx, size);
        input.position(0).put(pixels, off, size);
        return encodeAll(inputPlanes, inputLinesizes, widthPx, heightPx, layout.avPixelFormat(), frameIndex);
    }

    /**
     * Encodes one picture held by FFmpeg (a decoder's output, in any pixel format swscale reads)
     * into every video rung. The frame is only read.
     *
     * @param captureTimeUs wall-clock time the picture was captured (or composited), epoch µs
     */
    public FrameDropReason submitVideo(AVFrame frame, long captureTimeUs) {
        if (finished) {
            return countVideo(FrameDropReason.FINISHED);
        }
        if (frame == null || frame.width() < 2 || frame.height() < 2 || frame.format() < 0) {
            return countVideo(FrameDropReason.INVALID_PICTURE);
        }
        long frameIndex = frameIndexOf(captureTimeUs);
        if (frameIndex < 0) {
            return countVideo(FrameDropReason.FRAME_RATE_EXCEEDED);
        }
        return encodeAll(frame.data(), frame.linesize(), frame.width(), frame.height(), frame.format(), frameIndex);
    }

    /**
     * Encodes 16-bit PCM at 48 kHz, interleaved with the audio rung's channel count. The first call
     * places the audio on the stream's timeline by its capture time; later calls continue it
     * without gaps.
     *
     * @param pcm samples, from {@code off}
     * @param sampleFrames samples per channel
     * @param captureTimeUs wall-clock time the first sample was captured, epoch µs
     */
    public FrameDropReason submitAudio(short[] pcm, int off, int sampleFrames, long captureTimeUs) {
        if (audio == null || finished) {
            return countAudio(FrameDropReason.FINISHED);
        }
        int channels = audio.rung().channels();
        if (sampleFrames <= 0 || off < 0 || (long) off + (long) sampleFrames * channels > pcm.length) {
            return countAudio(FrameDropReason.INVALID_AUDIO);
        }
        long epoch = epoch(captureTimeUs);
        long firstPts = 0;
        if (!audioStarted) {
            audioStarted = true;
            firstPts = Math.max(0, Math.round((captureTimeUs - epoch) * (double) AudioRung.SAMPLE_RATE_HZ / 1e6));
        }
        return countAudio(audio.encode(pcm, off, sampleFrames, epoch, firstPts)
                ? FrameDropReason.OK : FrameDropReason.ENCODER_ERROR);
    }

    /**
     * Ends the stream: flushes the encoders and has every segmenter publish what it holds. The
     * caller then ends the origin ({@link LiveOrigin#end()}) or keeps it serving.
     */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        long frameTicks = config.frameTicks();
        for (int i = 0; i < video.size(); i++) {
            video.get(i).flush();
            videoSegmenters.get(i).finish(frameTicks);
        }
        if (audio != null) {
            audio.flush();
            audioSegmenter.finish(dev.palco.bridge.cmaf.AacConfiguration.SAMPLES_PER_FRAME);
        }
    }

    /** Frees the native encoders, scalers and buffers. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        finished = true;
        for (RungThread t : rungThreads) {
            t.stop();
        }
        video.forEach(H264RungEncoder::close);
        if (audio != null) {
            audio.close();
        }
        if (input != null) {
            avutil.av_free(input);
            input = null;
        }
        inputPlanes.close();
        inputLinesizes.close();
    }

    /** Pictures with each outcome so far. */
    public long videoFrames(FrameDropReason reason) {
        synchronized (videoResults) {
            return videoResults[reason.ordinal()];
        }
    }

    /** Audio blocks with each outcome so far. */
    public long audioBlocks(FrameDropReason reason) {
        synchronized (audioResults) {
            return audioResults[reason.ordinal()];
        }
    }

    /** Encoder and scaler failures, all rungs together. */
    public long encoderErrors() {
        long n = audio == null ? 0 : audio.encoderErrors();
        for (H264RungEncoder v : video) {
            n += v.encoderErrors();
        }
        return n;
    }

    /**
     * In-band SPS that differed from the {@code avcC} of their rung's init segment, all rungs
     * together: 0 unless libx264 changed its parameter sets mid-stream (players would then
     * decode with the wrong ones).
     */
    public long inBandParameterSetMismatches() {
        long n = 0;
        for (H264RungEncoder v : video) {
            n += v.inBandParameterSetChanges();
        }
        return n;
    }

    /** Packets the segmenters refused or clamped, by reason, all rungs together. */
    public long segmenterResults(SampleDropReason reason) {
        long n = audio == null ? 0 : audio.segmenterResult(reason);
        for (H264RungEncoder v : video) {
            n += v.segmenterResult(reason);
        }
        return n;
    }

    /** Frame slots the producer missed that were filled with the previous picture. */
    public long repeatedFrames() {
        return repeatedFrames;
    }

    /** Gaps longer than a GOP left in the video timeline (the producer stopped for that long). */
    public long timelineGaps() {
        return timelineGaps;
    }

    /** IDR frames libx264 produced in video rung {@code index}. */
    public long idrFrames(int index) {
        return video.get(index).idrPackets();
    }

    /** The stream's epoch (capture time of the first input), epoch µs; {@link Long#MIN_VALUE} before any input. */
    public long epochUs() {
        return epochUs.get();
    }

    private long epoch(long captureTimeUs) {
        epochUs.compareAndSet(UNSET, captureTimeUs);
        return epochUs.get();
    }

    /** The picture's slot on the frame grid, or -1 when it comes more than a frame too early. */
    private long frameIndexOf(long captureTimeUs) {
        long epoch = epoch(captureTimeUs);
        long index = Math.max(0, Math.round((captureTimeUs - epoch) * (double) config.frameRateFps() / 1e6));
        if (lastFrameIndex >= 0 && index <= lastFrameIndex) {
            if (index < lastFrameIndex) {
                return -1;
            }
            // Early by less than a frame (jitter): take the next slot.
            index = lastFrameIndex + 1;
        }
        return index;
    }

    private FrameDropReason encodeAll(PointerPointer<?> data, IntPointer linesize, int w, int h, int avFormat,
            long frameIndex) {
        boolean ok = true;
        if (lastFrameIndex >= 0 && frameIndex > lastFrameIndex + 1) {
            ok = fillGap(frameIndex);
        }
        lastFrameIndex = frameIndex;
        boolean idr = startsGop(frameIndex);
        long slotMs = slotTimeMs(frameIndex);
        for (RungThread t : rungThreads) {
            t.encode(data, linesize, w, h, avFormat, frameIndex, idr, slotMs);
        }
        int here = video.size() - rungThreads.length; // rungs encoded on this thread
        for (int i = 0; i < here; i++) {
            ok &= video.get(i).encode(data, linesize, w, h, avFormat, frameIndex, idr, slotMs);
        }
        for (RungThread t : rungThreads) {
            ok &= t.await();
        }
        return countVideo(ok ? FrameDropReason.OK : FrameDropReason.ENCODER_ERROR);
    }

    /**
     * The producer missed the slots before {@code frameIndex} (it was late: a busy machine, a slow
     * compositor). Up to a GOP of them are filled with the last picture, as live encoders repeat
     * frames, so decode time stays continuous: a hole in decode time is a hole in the players'
     * buffer, which they must seek over or stall on. A longer silence is left as a gap (the
     * segmenter clamps the duration of the frame before it).
     */
    private boolean fillGap(long frameIndex) {
        long missing = frameIndex - lastFrameIndex - 1;
        if (missing > config.gopFrames()) {
            timelineGaps++;
            return true;
        }
        boolean ok = true;
        for (long n = lastFrameIndex + 1; n < frameIndex; n++) {
            boolean idr = startsGop(n);
            long slotMs = slotTimeMs(n);
            for (RungThread t : rungThreads) {
                t.repeat(n, idr, slotMs);
            }
            for (int i = 0; i < video.size() - rungThreads.length; i++) {
                ok &= video.get(i).repeat(n, idr, slotMs);
            }
            for (RungThread t : rungThreads) {
                ok &= t.await();
            }
            repeatedFrames++;
        }
        return ok;
    }

    /** Wall-clock time of frame slot {@code frameIndex}, epoch ms: the program date time of its frame. */
    private long slotTimeMs(long frameIndex) {
        return (epochUs.get() + frameIndex * 1_000_000L / config.frameRateFps()) / 1000;
    }

    /** Whether slot {@code frameIndex} is the first encoded in its GOP period (an IDR). */
    private boolean startsGop(long frameIndex) {
        long gop = frameIndex / config.gopFrames();
        boolean idr = gop != lastGop;
        lastGop = gop;
        return idr;
    }

    private void prepareInput(PixelLayout layout, int w, int h, int size) {
        if (layout == inputLayout && w == inputW && h == inputH) {
            return;
        }
        if (input == null || inputCapacityBytes < size) {
            if (input != null) {
                avutil.av_free(input);
            }
            input = new BytePointer(avutil.av_malloc(size)).capacity(size);
            inputCapacityBytes = size;
        }
        inputLayout = layout;
        inputW = w;
        inputH = h;
        if (layout == PixelLayout.BGR24) {
            inputPlanes.put(0, input);
            inputLinesizes.put(0, 3 * w);
        } else {
            int ySize = w * h;
            inputPlanes.put(0, new BytePointer(input).position(0));
            inputPlanes.put(1, new BytePointer(input).position(ySize));
            inputPlanes.put(2, new BytePointer(input).position(ySize + ySize / 4));
            inputLinesizes.put(0, w).put(1, w / 2).put(2, w / 2);
        }
    }

    private FrameDropReason countVideo(FrameDropReason r) {
        synchronized (videoResults) {
            videoResults[r.ordinal()]++;
        }
        return r;
    }

    private FrameDropReason countAudio(FrameDropReason r) {
        synchronized (audioResults) {
            audioResults[r.ordinal()]++;
        }
        return r;
    }
}
