package dev.palco.bridge.encode;

import dev.palco.bridge.cmaf.AnnexBConverter;
import dev.palco.bridge.cmaf.AvcConfiguration;
import dev.palco.bridge.cmaf.BoxWriter;
import dev.palco.bridge.cmaf.TrackFormat;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * One video rung: swscale from the input picture to the rung's size in YUV 4:2:0, libx264, and the
 * rung's {@link CmafSegmenter}.
 *
 * <p>libx264 runs with {@code tune=zerolatency} (no B-frames, no look-ahead, no frame threads), so
 * every frame sent comes back as one packet before the next is sent, and decode time equals
 * presentation time. The codec context has {@code AV_CODEC_FLAG_GLOBAL_HEADER}: libx264 then puts
 * SPS and PPS (Annex B) into {@code extradata} at open time, where they become the {@code avcC} of
 * the init segment, and leaves them out of the frames. The packets are Annex B; the
 * {@link AnnexBConverter} rewrites them length-prefixed (ISO/IEC 14496-15 §5.3.2) and would drop any
 * in-band parameter set (counted in {@link #inBandParameterSetChanges()} when it differs from
 * {@code avcC}).
 *
 * <p>Frame {@code n} has pts {@code n x 90000 / fps} in a 1/90000 time base, the CMAF video
 * timescale: decode times reach the segmenter unscaled. Not thread-safe: the video thread only.
 */
final class H264RungEncoder extends RungEncoder {

    /** Program date times of the last frames sent, by frame index modulo this size. */
    private static final int DATE_RING = 64;

    private final VideoRung rung;
    private final int fps;
    private final AVFrame picture;
    private final PointerPointer<?> pictureData;
    private final IntPointer pictureLinesize;
    private final AnnexBConverter annexB = new AnnexBConverter();
    private final BoxWriter sample = new BoxWriter(64 * 1024);
    private final long[] dateMsRing = new long[DATE_RING];
    private final long[] dateIndexRing = new long[DATE_RING];

    private SwsContext sws;
    private int swsSrcW;
    private int swsSrcH;
    private int swsSrcFormat = -1;
    private long lastDateMs;
    private long idrPackets;
    private long inBandParameterSetChanges;

    private H264RungEncoder(VideoRung rung, int fps, AVCodecContext ctx, AVFrame picture, TrackFormat format) {
        super(ctx, format, 64 * 1024);
        this.rung = rung;
        this.fps = fps;
        this.picture = picture;
        this.pictureData = picture.data();
        this.pictureLinesize = picture.linesize();
        java.util.Arrays.fill(dateIndexRing, -1);
    }

    /**
     * Opens libx264 for {@code rung}.
     *
     * @throws EncoderOpenException when libx264 is missing or refuses the settings
     */
    static H264RungEncoder open(VideoRung rung, int trackId, LadderConfig config) {
        Ffmpeg.quietLog();
        AVCodec codec = avcodec.avcodec_find_encoder_by_name("libx264");
        if (codec == null) {
            throw new EncoderOpenException("libx264 not found: the ffmpeg linux-x86_64-gpl natives must be on the class path");
        }
        AVCodecContext ctx = avcodec.avcodec_alloc_context3(codec);
        boolean opened = false;
        try {
            int fps = config.frameRateFps();
            ctx.width(rung.widthPx());
            ctx.height(rung.heightPx());
            ctx.pix_fmt(avutil.AV_PIX_FMT_YUV420P);
            ctx.time_base(new AVRational().num(1).den(TrackFormat.VIDEO_TIMESCALE_HZ));
            ctx.framerate(new AVRational().num(fps).den(1));
            // IDRs are forced on the GOP grid (see LadderEncoder); libx264's own interval is only a
            // backstop, twice as long, so that it never places one of its own.
            ctx.gop_size(2 * config.gopFrames());
            ctx.keyint_min(config.gopFrames());
            ctx.max_b_frames(0);
            ctx.bit_rate(rung.bitrateBps());
            ctx.rc_max_rate(rung.maxBitrateBps());
            // One second of VBV buffer: a part never has to wait for bits borrowed from the future.
            ctx.rc_buffer_size(rung.maxBitrateBps());
            ctx.thread_count(config.x264Threads());
            ctx.flags(ctx.flags() | avcodec.AV_CODEC_FLAG_GLOBAL_HEADER);
            setOption(ctx, "preset", config.x264Preset());
            setOption(ctx, "tune", "zerolatency");
            // An AV_PICTURE_TYPE_I input frame becomes an IDR, not just an I-frame (closed GOPs:
            // every segment decodes on its own).
            setOption(ctx, "forced-idr", "1");
            setOption(ctx, "x264-params", "scenecut=0:open-gop=0");
            Ffmpeg.check(avcodec.avcodec_open2(ctx, codec, (PointerPointer<?>) null), "open libx264 " + rung.name());
            opened = true;
            AvcConfiguration avc = avcConfiguration(ctx);
            if (avc.widthPx() != rung.widthPx() || avc.heightPx() != rung.heightPx()) {
                throw new EncoderOpenException("libx264's SPS says " + avc.widthPx() + "x" + avc.heightPx());
            }
            AVFrame picture = avutil.av_frame_alloc();
            picture.format(avutil.AV_PIX_FMT_YUV420P);
            picture.width(rung.widthPx());
            picture.height(rung.heightPx());
            Ffmpeg.check(avutil.av_frame_get_buffer(picture, 0), "picture buffer");
            return new H264RungEncoder(rung, fps, ctx, picture, TrackFormat.video(trackId, avc));
        } finally {
            if (!opened) {
                avcodec.avcodec_free_context(ctx);
            }
        }
    }

    private static void setOption(AVCodecContext ctx, String key, String value) {
        Ffmpeg.check(avutil.av_opt_set(ctx.priv_data(), key, value, 0), "libx264 option " + key + "=" + value);
    }

    /** SPS and PPS from libx264's Annex B extradata. */
    private static AvcConfiguration avcConfiguration(AVCodecContext ctx) {
        int n = ctx.extradata_size();
        if (n <= 0 || ctx.extradata() == null) {
            throw new EncoderOpenException("libx264 wrote no extradata");
        }
        byte[] extradata = new byte[n];
        ctx.extradata().get(extradata, 0, n);
        AnnexBConverter conv = new AnnexBConverter();
        conv.convert(extradata, 0, n, new BoxWriter(n + 64));
        if (conv.sps() == null || conv.pps() == null) {
            throw new EncoderOpenException("libx264 extradata without SPS and PPS");
        }
        return AvcConfiguration.of(conv.sps(), conv.pps());
    }

    VideoRung rung() {
        return rung;
    }

    /**
     * Scales the source picture, encodes it as frame {@code frameIndex} and hands the packet to the
     * segmenter.
     *
     * @return false when swscale or libx264 failed (counted)
     */
    boolean encode(PointerPointer<?> srcData, IntPointer srcLinesize, int srcW, int srcH, int srcFormat,
            long frameIndex, boolean idr, long programDateMs) {
        if (srcW != swsSrcW || srcH != swsSrcH || srcFormat != swsSrcFormat) {
            // Bilinear: the ladder only scales down by whole factors, where it is as sharp as bicubic.
            sws = swscale.sws_getCachedContext(sws, srcW, srcH, srcFormat, rung.widthPx(), rung.heightPx(),
                    avutil.AV_PIX_FMT_YUV420P, swscale.SWS_BILINEAR, null, null, (DoublePointer) null);
            if (sws == null) {
                encoderFailed();
                return false;
            }
            swsSrcW = srcW;
            swsSrcH = srcH;
            swsSrcFormat = srcFormat;
        }
        if (avutil.av_frame_make_writable(picture) < 0) {
            encoderFailed();
            return false;
        }
        swscale.sws_scale(sws, srcData, srcLinesize, 0, srcH, pictureData, pictureLinesize);
        int slot = (int) (frameIndex % DATE_RING);
        dateMsRing[slot] = programDateMs;
        dateIndexRing[slot] = frameIndex;
        picture.pts(ptsOf(frameIndex));
        picture.pict_type(idr ? avutil.AV_PICTURE_TYPE_I : avutil.AV_PICTURE_TYPE_NONE);
        if (avcodec.avcodec_send_frame(ctx, picture) < 0) {
            encoderFailed();
            return false;
        }
        return drain();
    }

    /**
     * Encodes the last picture again as frame {@code frameIndex}: fills a slot of the frame grid
     * the producer missed, so that decode time has no hole. libx264 codes an unchanged picture as
     * a few bytes of skipped macroblocks.
     */
    boolean repeat(long frameIndex, boolean idr, long programDateMs) {
        int slot = (int) (frameIndex % DATE_RING);
        dateMsRing[slot] = programDateMs;
        dateIndexRing[slot] = frameIndex;
        picture.pts(ptsOf(frameIndex));
        picture.pict_type(idr ? avutil.AV_PICTURE_TYPE_I : avutil.AV_PICTURE_TYPE_NONE);
        if (avcodec.avcodec_send_frame(ctx, picture) < 0) {
            encoderFailed();
            return false;
        }
        return drain();
    }

    /** Sends end-of-stream and drains what libx264 still holds (nothing, with zerolatency). */
    void flush() {
        if (avcodec.avcodec_send_frame(ctx, null) >= 0) {
            drain();
        }
    }

    private long ptsOf(long frameIndex) {
        return frameIndex * TrackFormat.VIDEO_TIMESCALE_HZ / fps;
    }

    @Override
    protected void deliver(byte[] bytes, int size, long pts, long dts) {
        sample.reset();
        int n = annexB.convert(bytes, 0, size, sample);
        if (annexB.sps() != null && !java.util.Arrays.equals(annexB.sps(), format.avc().sps())) {
            inBandParameterSetChanges++;
        }
        boolean sync = annexB.lastWasIdr();
        if (sync) {
            idrPackets++;
        }
        long frameIndex = pts * fps / TrackFormat.VIDEO_TIMESCALE_HZ;
        int slot = (int) (frameIndex % DATE_RING);
        // With zerolatency the packet is the frame just sent; the ring only guards against reordering.
        long dateMs = dateIndexRing[slot] == frameIndex ? dateMsRing[slot] : lastDateMs;
        lastDateMs = dateMs;
        if (n > 0 && segmenter != null) {
            counted(segmenter.addSample(dts, (int) (pts - dts), sync, dateMs, sample.array(), 0, n));
        }
    }

    long idrPackets() {
        return idrPackets;
    }

    long inBandParameterSetChanges() {
        return inBandParameterSetChanges;
    }

    @Override
    public void close() {
        avutil.av_frame_free(picture);
        if (sws != null) {
            swscale.sws_freeContext(sws);
            sws = null;
        }
        super.close();
    }
}
