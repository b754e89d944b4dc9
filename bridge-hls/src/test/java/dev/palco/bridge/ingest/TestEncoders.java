package dev.palco.bridge.ingest;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;

/**
 * Real encoders for the round-trip tests, through FFmpeg's C API: libvpx (VP8) or libx264 (H.264)
 * for a picture that carries its own frame number, and libopus for a sine.
 */
final class TestEncoders {
  private TestEncoders() {}

  /** Stripes in the test picture: bit k of the frame number is stripe k bright or dark. */
  static final int STRIPES = 8;
  static final int BRIGHT = 200;
  static final int DARK = 50;

  /** The luma a stripe of picture {@code index} has. */
  static int stripeLuma(int index, int stripe) {
    return ((index >>> stripe) & 1) != 0 ? BRIGHT : DARK;
  }

  /** One encoded frame. */
  record Encoded(byte[] data, boolean keyframe) {}

  /** A VP8 or H.264 encoder of the stripe picture, one frame in, one frame out. */
  static final class Video implements AutoCloseable {
    final int width;
    final int height;
    private final AVCodecContext ctx;
    private final AVFrame frame;
    private final AVPacket packet = avcodec.av_packet_alloc();
    private long pts;

    /** @param encoder "libvpx" or "libx264" */
    Video(String encoder, int width, int height, int fps) {
      this.width = width;
      this.height = height;
      FfmpegLog.quiet();
      AVCodec codec = avcodec.avcodec_find_encoder_by_name(encoder);
      if (codec == null) {
        throw new IllegalStateException("no encoder " + encoder);
      }
      ctx = avcodec.avcodec_alloc_context3(codec);
      ctx.width(width);
      ctx.height(height);
      ctx.pix_fmt(avutil.AV_PIX_FMT_YUV420P);
      ctx.time_base(new AVRational().num(1).den(fps));
      ctx.framerate(new AVRational().num(fps).den(1));
      // Long GOPs: after a loss the picture comes back at the keyframe the receiver asks for.
      ctx.gop_size(10 * fps);
      ctx.max_b_frames(0);
      ctx.bit_rate(600_000);
      ctx.thread_count(1);
      if (encoder.equals("libx264")) {
        avutil.av_opt_set(ctx.priv_data(), "preset", "ultrafast", 0);
        avutil.av_opt_set(ctx.priv_data(), "tune", "zerolatency", 0);
        avutil.av_opt_set(ctx.priv_data(), "forced-idr", "1", 0);
        avutil.av_opt_set(ctx.priv_data(), "x264-params", "scenecut=0:repeat-headers=1", 0);
      } else {
        avutil.av_opt_set(ctx.priv_data(), "deadline", "realtime", 0);
        avutil.av_opt_set(ctx.priv_data(), "cpu-used", "8", 0);
        avutil.av_opt_set(ctx.priv_data(), "lag-in-frames", "0", 0);
      }
      int r = avcodec.avcodec_open2(ctx, codec, (PointerPointer<?>) null);
      if (r < 0) {
        throw new IllegalStateException("open " + encoder + ": " + FfmpegLog.error(r));
      }
      frame = avutil.av_frame_alloc();
      frame.format(avutil.AV_PIX_FMT_YUV420P);
      frame.width(width);
      frame.height(height);
      avutil.av_frame_get_buffer(frame, 0);
    }

    /** Encodes picture {@code index}. */
    Encoded encode(int index, boolean forceKeyframe) {
      avutil.av_frame_make_writable(frame);
      BytePointer y = frame.data(0);
      int ls = frame.linesize(0);
      byte[] row = new byte[width];
      for (int x = 0; x < width; x++) {
        row[x] = (byte) stripeLuma(index, x * STRIPES / width);
      }
      for (int j = 0; j < height; j++) {
        y.position((long) j * ls).put(row, 0, width);
      }
      y.position(0);
      // Chroma noise, new in every frame: frames of several packets, so that loss breaks frames
      // rather than dropping whole ones. The luma the test reads back is untouched.
      java.util.SplittableRandom noise = new java.util.SplittableRandom(index);
      byte[] chroma = new byte[width / 2];
      for (int p = 1; p <= 2; p++) {
        BytePointer c = frame.data(p);
        for (int j = 0; j < height / 2; j++) {
          for (int x = 0; x < chroma.length; x++) {
            chroma[x] = (byte) (128 - 40 + noise.nextInt(81));
          }
          c.position((long) j * frame.linesize(p)).put(chroma, 0, width / 2);
        }
        c.position(0);
      }
      frame.pts(pts++);
      frame.pict_type(forceKeyframe ? avutil.AV_PICTURE_TYPE_I : avutil.AV_PICTURE_TYPE_NONE);
      if (avcodec.avcodec_send_frame(ctx, frame) < 0) {
        throw new IllegalStateException("send_frame");
      }
      if (avcodec.avcodec_receive_packet(ctx, packet) < 0) {
        throw new IllegalStateException("no packet for frame " + index);
      }
      byte[] out = new byte[packet.size()];
      packet.data().get(out);
      boolean key = (packet.flags() & avcodec.AV_PKT_FLAG_KEY) != 0;
      avcodec.av_packet_unref(packet);
      return new Encoded(out, key);
    }

    @Override
    public void close() {
      avcodec.avcodec_free_context(ctx);
      avutil.av_frame_free(frame);
      avcodec.av_packet_free(packet);
    }
  }

  /** libopus, 48 kHz stereo, 20 ms packets of a sine. */
  static final class Opus implements AutoCloseable {
    static final int FRAME_SAMPLES = 960;
    private final AVCodecContext ctx;
    private final AVFrame frame;
    private final AVPacket packet = avcodec.av_packet_alloc();
    private final double frequencyHz;
    private final int amplitude;
    private long sample;

    Opus(double frequencyHz, int amplitude) {
      this.frequencyHz = frequencyHz;
      this.amplitude = amplitude;
      FfmpegLog.quiet();
      AVCodec codec = avcodec.avcodec_find_encoder_by_name("libopus");
      if (codec == null) {
        throw new IllegalStateException("no libopus");
      }
      ctx = avcodec.avcodec_alloc_context3(codec);
      ctx.sample_rate(48_000);
      ctx.sample_fmt(avutil.AV_SAMPLE_FMT_S16);
      avutil.av_channel_layout_default(ctx.ch_layout(), 2);
      ctx.bit_rate(64_000);
      ctx.time_base(new AVRational().num(1).den(48_000));
      int r = avcodec.avcodec_open2(ctx, codec, (PointerPointer<?>) null);
      if (r < 0) {
        throw new IllegalStateException("open libopus: " + FfmpegLog.error(r));
      }
      frame = avutil.av_frame_alloc();
      frame.format(avutil.AV_SAMPLE_FMT_S16);
      frame.sample_rate(48_000);
      frame.nb_samples(FRAME_SAMPLES);
      avutil.av_channel_layout_default(frame.ch_layout(), 2);
      avutil.av_frame_get_buffer(frame, 0);
    }

    /** The next 20 ms packet. */
    byte[] encode() {
      avutil.av_frame_make_writable(frame);
      short[] pcm = new short[FRAME_SAMPLES * 2];
      for (int i = 0; i < FRAME_SAMPLES; i++) {
        short v = (short) Math.round(amplitude * Math.sin(2 * Math.PI * frequencyHz * (sample + i) / 48_000.0));
        pcm[2 * i] = v;
        pcm[2 * i + 1] = v;
      }
      new ShortPointer(frame.data(0)).put(pcm);
      frame.pts(sample);
      sample += FRAME_SAMPLES;
      if (avcodec.avcodec_send_frame(ctx, frame) < 0) {
        throw new IllegalStateException("send_frame");
      }
      int r = avcodec.avcodec_receive_packet(ctx, packet);
      if (r < 0) {
        return null; // still priming
      }
      byte[] out = new byte[packet.size()];
      packet.data().get(out);
      avcodec.av_packet_unref(packet);
      return out;
    }

    @Override
    public void close() {
      avcodec.avcodec_free_context(ctx);
      avutil.av_frame_free(frame);
      avcodec.av_packet_free(packet);
    }
  }
}
