package dev.palco.bridge.compose;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;

/** Synthetic decoder output: flat-coloured YUV 4:2:0 AVFrames with padded rows, as a decoder makes them. */
public final class TestPictures {

    /** Distinct colours (Y, U, V), far apart in every plane. */
    public static final int[][] COLOURS = {
        {81, 90, 240},   // red
        {145, 54, 34},   // green
        {41, 240, 110},  // blue
        {210, 16, 146},  // yellow
        {170, 166, 16},  // cyan
        {106, 202, 222}, // magenta
        {190, 128, 128}, // light grey
        {150, 60, 200},  // orange
        {70, 180, 170},  // purple
    };

    private TestPictures() {
    }

    /** A new frame of {@code w x h} filled with one colour; free it with {@link #free}. */
    public static AVFrame flat(int w, int h, int[] yuv) {
        AVFrame f = avutil.av_frame_alloc();
        f.format(avutil.AV_PIX_FMT_YUV420P).width(w).height(h);
        if (avutil.av_frame_get_buffer(f, 32) < 0) {
            throw new IllegalStateException("av_frame_get_buffer");
        }
        fill(f, yuv);
        return f;
    }

    /** Fills every plane of {@code f} with one colour. */
    public static void fill(AVFrame f, int[] yuv) {
        for (int plane = 0; plane < 3; plane++) {
            int rows = plane == 0 ? f.height() : (f.height() + 1) / 2;
            f.data(plane).capacity((long) rows * f.linesize(plane)).fill(yuv[plane]);
        }
    }

    /** Frees a frame made here. */
    public static void free(AVFrame f) {
        avutil.av_frame_free(f);
    }

    /** Whether the canvas pixel at (x, y) has the colour, within {@code tolerance} per plane. */
    public static boolean hasColour(I420Canvas c, int x, int y, int[] yuv, int tolerance) {
        return Math.abs(c.lumaAt(x, y) - yuv[0]) <= tolerance && Math.abs(c.cbAt(x, y) - yuv[1]) <= tolerance
                && Math.abs(c.crAt(x, y) - yuv[2]) <= tolerance;
    }

    /** The colour at (x, y) as text, for failure messages. */
    public static String colourAt(I420Canvas c, int x, int y) {
        return "(" + c.lumaAt(x, y) + "," + c.cbAt(x, y) + "," + c.crAt(x, y) + ") at " + x + "," + y;
    }
}
