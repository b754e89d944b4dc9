package dev.palco.bridge.encode;

import dev.palco.bridge.cmaf.AacConfiguration;
import dev.palco.bridge.cmaf.TrackFormat;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The audio rung: FFmpeg's native AAC-LC encoder at 48 kHz, fed 16-bit interleaved PCM, and the
 * rung's {@link CmafSegmenter}.
 *
 * <p>The encoder takes planar float frames of exactly 1024 samples (AAC-LC's frame length,
 * ISO/IEC 14496-3 §4.5.1.1), so PCM is converted and collected into one such frame, which is sent
 * when full. Every AAC frame is a sync sample. With {@code AV_CODEC_FLAG_GLOBAL_HEADER} the
 * encoder's {@code extradata} is the AudioSpecificConfig for the {@code esds} box, and its packets
 * are raw AAC frames (no ADTS header), as MP4 samples must be.
 *
 * <p>Timing: PCM sample {@code n} of the stream has pts {@code n} (time base 1/48000, the track
 * timescale). The encoder's first packet carries its priming (its {@code initial_padding}, 1024
 * samples, pts -1024); decode times are shifted by that much so that the track starts at 0, which
 * makes the audio 21 ms late against the video. A sample at decode time {@code d} has the program
 * date time {@code epoch + d / 48 kHz}. Not thread-safe: the audio thread only.
 */
final class AacRungEncoder extends RungEncoder {

    private final AudioRung rung;
    private final AVFrame frame;
    private final int frameSamples;
    private final int channels;
    private final float[][] planes;
    private final int primingSamples;

    private int filled;
    private long nextPts;
    private long epochUs;
    private boolean anchored;

    private AacRungEncoder(AudioRung rung, AVCodecContext ctx, AVFrame frame, TrackFormat format) {
        super(ctx, format, 8 * 1024);
        this.rung = rung;
        this.frame = frame;
        this.frameSamples = ctx.frame_size();
        this.channels = rung.channels();
        this.planes = new float[channels][frameSamples];
        this.primingSamples = Math.max(0, ctx.initial_padding());
    }

    /**
     * Opens the AAC encoder for {@code rung}.
     *
     * @throws EncoderOpenException when the encoder is missing or refuses the settings
     */
    static AacRungEncoder open(AudioRung rung, int trackId) {
        Ffmpeg.quietLog();
        AVCodec codec = avcodec.avcodec_find_encoder_by_name("aac");
        if (codec == null) {
            throw new EncoderOpenException("FFmpeg's aac encoder not found");
        }
        AVCodecContext ctx = avcodec.avcodec_alloc_context3(codec);
        boolean opened = false;
        try {
            ctx.sample_fmt(avutil.AV_SAMPLE_FMT_FLTP);
            ctx.sample_rate(AudioRung.SAMPLE_RATE_HZ);
            avutil.av_channel_layout_default(ctx.ch_layout(), rung.channels());
            ctx.bit_rate(rung.bitrateBps());
            ctx.time_base(new AVRational().num(1).den(AudioRung.SAMPLE_RATE_HZ));
            ctx.profile(avcodec.AV_PROFILE_AAC_LOW);
            ctx.flags(ctx.flags() | avcodec.AV_CODEC_FLAG_GLOBAL_HEADER);
            Ffmpeg.check(avcodec.avcodec_open2(ctx, codec, (PointerPointer<?>) null), "open aac " + rung.name());
            opened = true;
            int n = ctx.extradata_size();
            if (n < 2 || ctx.extradata() == null) {
                throw new EncoderOpenException("the aac encoder wrote no AudioSpecificConfig");
            }
            byte[] asc = new byte[n];
            ctx.extradata().get(asc, 0, n);
            AacConfiguration aac = AacConfiguration.of(asc);
            if (ctx.frame_size() != AacConfiguration.SAMPLES_PER_FRAME) {
                throw new EncoderOpenException("aac frame size " + ctx.frame_size());
            }
            AVFrame frame = avutil.av_frame_alloc();
            frame.format(avutil.AV_SAMPLE_FMT_FLTP);
            frame.sample_rate(AudioRung.SAMPLE_RATE_HZ);
            frame.nb_samples(ctx.frame_size());
            Ffmpeg.check(avutil.av_channel_layout_copy(frame.ch_layout(), ctx.ch_layout()), "channel layout");
            Ffmpeg.check(avutil.av_frame_get_buffer(frame, 0), "audio frame buffer");
            return new AacRungEncoder(rung, ctx, frame, TrackFormat.audio(trackId, aac));
        } finally {
            if (!opened) {
                avcodec.avcodec_free_context(ctx);
            }
        }
    }

    AudioRung rung() {
        return rung;
    }

    /**
     * Appends {@code sampleFrames} interleaved 16-bit samples (per channel); sends each full AAC
     * frame to the encoder.
     *
     * @param epochUs the stream's epoch: sample position {@code n} is at {@code epochUs + n / 48 kHz}
     * @param firstPts the stream position of these samples, used only for the first call: later
     *     samples continue the timeline without gaps
     * @return false when the encoder failed (counted)
     */
    boolean encode(short[] pcm, int off, int sampleFrames, long epochUs, long firstPts) {
        if (!anchored) {
            anchored = true;
            this.epochUs = epochUs;
            nextPts = firstPts;
        }
        boolean ok = true;
        int i = 0;
        while (i < sampleFrames) {
            int take = Math.min(frameSamples - filled, sampleFrames - i);
            for (int s = 0; s < take; s++) {
                int base = off + (i + s) * channels;
                for (int c = 0; c < channels; c++) {
                    planes[c][filled + s] = pcm[base + c] * (1f / 32768f);
                }
            }
            filled += take;
            i += take;
            if (filled == frameSamples) {
                ok &= sendFrame();
            }
        }
        return ok;
    }

    /** Pads the last partial frame with silence, then drains the encoder. */
    void flush() {
        if (filled > 0) {
            for (int c = 0; c < channels; c++) {
                java.util.Arrays.fill(planes[c], filled, frameSamples, 0f);
            }
            filled = frameSamples;
            sendFrame();
        }
        if (avcodec.avcodec_send_frame(ctx, null) >= 0) {
            drain();
        }
    }

    private boolean sendFrame() {
        filled = 0;
        if (avutil.av_frame_make_writable(frame) < 0) {
            encoderFailed();
            return false;
        }
        for (int c = 0; c < channels; c++) {
            new FloatPointer(frame.data(c)).put(planes[c], 0, frameSamples);
        }
        frame.pts(nextPts);
        nextPts += frameSamples;
        if (avcodec.avcodec_send_frame(ctx, frame) < 0) {
            encoderFailed();
            return false;
        }
        return drain();
    }

    @Override
    protected void deliver(byte[] bytes, int size, long pts, long dts) {
        long decodeTime = dts + primingSamples;
        // Program date time on the media timeline, the same clock as the video's (see LadderEncoder).
        long captureMs = (epochUs + decodeTime * 1_000_000L / AudioRung.SAMPLE_RATE_HZ) / 1000;
        if (size > 0 && decodeTime >= 0 && segmenter != null) {
            counted(segmenter.addSample(decodeTime, 0, true, captureMs, bytes, 0, size));
        }
    }

    @Override
    public void close() {
        avutil.av_frame_free(frame);
        super.close();
    }
}
