package dev.palco.bridge.ingest;

import org.bytedeco.ffmpeg.global.avutil;

/** FFmpeg's log level and error text, for the decoders. */
final class FfmpegLog {
  /** {@code AVERROR(EAGAIN)} on Linux: the decoder wants more input before it has output. */
  static final int AVERROR_EAGAIN = -11;

  private static volatile boolean quieted;

  private FfmpegLog() {}

  /** Decoders log every concealed error at INFO or WARNING to stderr; only errors are worth a line. */
  static void quiet() {
    if (!quieted) {
      avutil.av_log_set_level(avutil.AV_LOG_FATAL);
      quieted = true;
    }
  }

  /** FFmpeg's text for an AVERROR code. */
  static String error(int code) {
    byte[] buf = new byte[128];
    avutil.av_strerror(code, buf, buf.length);
    int n = 0;
    while (n < buf.length && buf[n] != 0) {
      n++;
    }
    return new String(buf, 0, n, java.nio.charset.StandardCharsets.US_ASCII) + " (" + code + ")";
  }
}
