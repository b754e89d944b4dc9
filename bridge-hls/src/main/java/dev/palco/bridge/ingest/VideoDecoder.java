package dev.palco.bridge.ingest;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * One video track's decoder: FFmpeg's VP8 or H.264 decoder, single-threaded and in low-delay mode
 * (frame threading would hold pictures back by a frame per thread; WebRTC streams have no
 * B-frames), fed one {@link EncodedFrame} at a time. Owns native memory: {@link #close()} frees it.
 * Not thread-safe: the ingest thread.
 */
final class VideoDecoder implements AutoCloseable {
  /** libavutil/frame.h {@code AV_FRAME_FLAG_CORRUPT}: the picture was concealed around missing data. */
  private static final int AV_FRAME_FLAG_CORRUPT = 1;

  /** Receives each decoded picture; the frame is valid only during the call. */
  interface PictureSink {
    void onPicture(AVFrame picture);
  }

  private final AVCodecContext ctx;
  private final AVPacket packet;
  private final AVFrame picture;
  private boolean closed;

  private VideoDecoder(AVCodecContext ctx, AVPacket packet, AVFrame picture) {
    this.ctx = ctx;
    this.packet = packet;
    this.picture = picture;
  }

  /**
   * Opens a decoder.
   *
   * @param codecId {@code AV_CODEC_ID_VP8} or {@code AV_CODEC_ID_H264}
   * @throws IllegalStateException if FFmpeg has no such decoder or it does not open
   */
  static VideoDecoder open(int codecId) {
    FfmpegLog.quiet();
    AVCodec codec = avcodec.avcodec_find_decoder(codecId);
    if (codec == null) {
      throw new IllegalStateException("no FFmpeg decoder for codec id " + codecId);
    }
    AVCodecContext ctx = avcodec.avcodec_alloc_context3(codec);
    ctx.thread_count(1);
    ctx.flags(ctx.flags() | avcodec.AV_CODEC_FLAG_LOW_DELAY);
    int r = avcodec.avcodec_open2(ctx, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null);
    if (r < 0) {
      avcodec.avcodec_free_context(ctx);
      throw new IllegalStateException("cannot open decoder " + codecId + ": " + FfmpegLog.error(r));
    }
    return new VideoDecoder(ctx, avcodec.av_packet_alloc(), avutil.av_frame_alloc());
  }

  /**
   * Decodes one frame and hands every picture it yields to {@code sink}.
   *
   * @return OK, or {@link IngestDropReason#DECODE_ERROR} (the caller waits for a keyframe)
   */
  IngestDropReason decode(EncodedFrame frame, PictureSink sink) {
    if (avcodec.av_new_packet(packet, frame.length) < 0) {
      return IngestDropReason.DECODE_ERROR;
    }
    packet.data().put(frame.data, 0, frame.length);
    if (frame.keyframe) {
      packet.flags(packet.flags() | avcodec.AV_PKT_FLAG_KEY);
    }
    int r = avcodec.avcodec_send_packet(ctx, packet);
    avcodec.av_packet_unref(packet);
    if (r < 0) {
      return IngestDropReason.DECODE_ERROR;
    }
    boolean any = false;
    while (true) {
      r = avcodec.avcodec_receive_frame(ctx, picture);
      if (r < 0) {
        break;
      }
      any = true;
      try {
        // Corrupt pictures (a reference was missing) are concealment, not the sender's picture.
        if ((picture.flags() & AV_FRAME_FLAG_CORRUPT) == 0 && picture.decode_error_flags() == 0) {
          sink.onPicture(picture);
        }
      } finally {
        avutil.av_frame_unref(picture);
      }
    }
    return any || r == FfmpegLog.AVERROR_EAGAIN ? IngestDropReason.OK : IngestDropReason.DECODE_ERROR;
  }

  /** Frees the codec context, the packet and the frame. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    avcodec.avcodec_free_context(ctx);
    avcodec.av_packet_free(packet);
    avutil.av_frame_free(picture);
  }
}
