package dev.palco.bridge.encode;

import org.bytedeco.ffmpeg.global.avutil;

/** Small helpers around FFmpeg's C API: error text, and quieting its log once. */
final class Ffmpeg {

    /** {@code AVERROR(EAGAIN)} on Linux: the encoder wants more input before it has output. */
    static final int AVERROR_EAGAIN = -11;

    private static volatile boolean logQuieted;

    private Ffmpeg() {
    }

    /** FFmpeg logs every encoder's settings at INFO to stderr; only errors are worth a line. */
    static void quietLog() {
        if (!logQuieted) {
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            logQuieted = true;
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

    /** Throws {@link EncoderOpenException} when {@code ret} is an error. */
    static void check(int ret, String what) {
        if (ret < 0) {
            throw new EncoderOpenException(what + ": " + error(ret));
        }
    }
}
