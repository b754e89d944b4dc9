package dev.palco.bridge.ingest;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swresample;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;

/**
 * One microphone track's decoder: FFmpeg's Opus decoder (RFC 6716; WebRTC's {@code opus/48000/2},
 * RFC 7587 §7), whose planar float output swresample turns into 48 kHz signed 16-bit interleaved
 * PCM, as {@link dev.palco.bridge.stage.StageListener#onAudio} takes it. Owns native memory:
 * {@link #close()} frees it. Not thread-safe: the ingest thread.
 */
final class AudioDecoder implements AutoCloseable {
  /** The output rate (RFC 7587 §4.1: Opus RTP always runs at 48 kHz). */
  static final int SAMPLE_RATE_HZ = 48_000;
  /** Output channels (RFC 7587 §7: the SDP always says 2; mono decodes to both). */
  static final int CHANNELS = 2;
  /** The longest Opus packet: 120 ms at 48 kHz (RFC 6716 §3.2.5). */
  static final int MAX_SAMPLES = 5760;

  /** Receives each block of PCM; the array is valid only during the call. */
  interface PcmSink {
    void onPcm(short[] pcm, int sampleFrames, int channels);
  }

  private final AVCodecContext ctx;
  private final AVPacket packet;
  private final AVFrame decoded;
  private final ShortPointer out = new ShortPointer((long) MAX_SAMPLES * CHANNELS);
  private final PointerPointer<ShortPointer> outPlanes = new PointerPointer<>(1);
  private final short[] pcm = new short[MAX_SAMPLES * CHANNELS];
  private SwrContext swr;
  private int swrFormat = -1;
  private int swrRate = -1;
  private int swrChannels = -1;
  private boolean closed;

  private AudioDecoder(AVCodecContext ctx, AVPacket packet, AVFrame decoded) {
    this.ctx = ctx;
    this.packet = packet;
    this.decoded = decoded;
    outPlanes.put(0, out);
  }

  /**
   * Opens an Opus decoder.
   *
   * @throws IllegalStateException if FFmpeg has no Opus decoder or it does not open
   */
  static AudioDecoder openOpus() {
    FfmpegLog.quiet();
    AVCodec codec = avcodec.avcodec_find_decoder(avcodec.AV_CODEC_ID_OPUS);
    if (codec == null) {
      throw new IllegalStateException("no FFmpeg Opus decoder");
    }
    AVCodecContext ctx = avcodec.avcodec_alloc_context3(codec);
    ctx.sample_rate(SAMPLE_RATE_HZ);
    avutil.av_channel_layout_default(ctx.ch_layout(), CHANNELS);
    int r = avcodec.avcodec_open2(ctx, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null);
    if (r < 0) {
      avcodec.avcodec_free_context(ctx);
      throw new IllegalStateException("cannot open the Opus decoder: " + FfmpegLog.error(r));
    }
    return new AudioDecoder(ctx, avcodec.av_packet_alloc(), avutil.av_frame_alloc());
  }

  /** Decodes one Opus packet and hands its PCM to {@code sink}. */
  IngestDropReason decode(EncodedFrame frame, PcmSink sink) {
    if (avcodec.av_new_packet(packet, frame.length) < 0) {
      return IngestDropReason.DECODE_ERROR;
    }
    packet.data().put(frame.data, 0, frame.length);
    int r = avcodec.avcodec_send_packet(ctx, packet);
    avcodec.av_packet_unref(packet);
    if (r < 0) {
      return IngestDropReason.DECODE_ERROR;
    }
    while (avcodec.avcodec_receive_frame(ctx, decoded) >= 0) {
      try {
        int n = convert();
        if (n < 0) {
          return IngestDropReason.DECODE_ERROR;
        }
        if (n > 0) {
          out.get(pcm, 0, n * CHANNELS);
          sink.onPcm(pcm, n, CHANNELS);
        }
      } finally {
        avutil.av_frame_unref(decoded);
      }
    }
    return IngestDropReason.OK;
  }

  /** Converts {@link #decoded} into {@link #out}; the sample frames written, or -1. */
  private int convert() {
    int format = decoded.format();
    int rate = decoded.sample_rate();
    int channels = decoded.ch_layout().nb_channels();
    if (swr == null || format != swrFormat || rate != swrRate || channels != swrChannels) {
      if (swr != null) {
        swresample.swr_free(swr);
        swr = null;
      }
      org.bytedeco.ffmpeg.avutil.AVChannelLayout outLayout = new org.bytedeco.ffmpeg.avutil.AVChannelLayout();
      avutil.av_channel_layout_default(outLayout, CHANNELS);
      SwrContext s = new SwrContext(null);
      int r = swresample.swr_alloc_set_opts2(s, outLayout, avutil.AV_SAMPLE_FMT_S16, SAMPLE_RATE_HZ,
          decoded.ch_layout(), format, rate, 0, null);
      avutil.av_channel_layout_uninit(outLayout);
      outLayout.close();
      if (r < 0 || s.isNull() || swresample.swr_init(s) < 0) {
        if (!s.isNull()) {
          swresample.swr_free(s);
        }
        return -1;
      }
      swr = s;
      swrFormat = format;
      swrRate = rate;
      swrChannels = channels;
    }
    return swresample.swr_convert(swr, outPlanes, MAX_SAMPLES, decoded.extended_data(), decoded.nb_samples());
  }

  /** Frees the codec context, the resampler, the packet, the frame and the output buffer. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    avcodec.avcodec_free_context(ctx);
    avcodec.av_packet_free(packet);
    avutil.av_frame_free(decoded);
    if (swr != null) {
      swresample.swr_free(swr);
    }
    out.close();
    outPlanes.close();
  }
}
