package dev.palco.bridge.encode;

import org.bytedeco.ffmpeg.global.avutil;

/**
 * How the bytes of a picture handed to {@link LadderEncoder#submitVideo} are laid out: tightly
 * packed, no row padding.
 */
public enum PixelLayout {
    /** 3 bytes per pixel, blue, green, red; rows of {@code 3 x width} bytes (Java2D's TYPE_3BYTE_BGR). */
    BGR24(avutil.AV_PIX_FMT_BGR24),
    /** Planar 4:2:0: the Y plane ({@code width x height}), then U and V ({@code width/2 x height/2} each). */
    I420(avutil.AV_PIX_FMT_YUV420P);

    private final int avPixelFormat;

    PixelLayout(int avPixelFormat) {
        this.avPixelFormat = avPixelFormat;
    }

    /** FFmpeg's {@code AVPixelFormat} of this layout. */
    int avPixelFormat() {
        return avPixelFormat;
    }

    /** Bytes of one picture of {@code widthPx x heightPx} (both even for I420). */
    public int pictureSizeBytes(int widthPx, int heightPx) {
        return this == BGR24 ? 3 * widthPx * heightPx : widthPx * heightPx * 3 / 2;
    }
}
