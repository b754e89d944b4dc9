package dev.palco.bridge.compose;

import java.util.Arrays;

/**
 * A planar 4:2:0 picture in one Java array (Y, then U, then V, no row padding: the layout
 * {@link dev.palco.bridge.encode.PixelLayout#I420} the encoder takes) and the few drawing
 * operations the compositor needs. Every rectangle is clipped to the canvas; callers pass even
 * edges so that tiles never share a chroma sample.
 */
public final class I420Canvas {

    private final int width;
    private final int height;
    private final int chromaWidth;
    private final int uOffset;
    private final int vOffset;
    private final byte[] data;

    /** A canvas of {@code width x height} (both even), filled with black. */
    public I420Canvas(int width, int height) {
        if (width < 2 || height < 2 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("canvas size must be even: " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.chromaWidth = width / 2;
        this.uOffset = width * height;
        this.vOffset = uOffset + uOffset / 4;
        this.data = new byte[uOffset * 3 / 2];
        fill(new Rect(0, 0, width, height), 16, 128, 128);
    }

    /** Width, px. */
    public int width() {
        return width;
    }

    /** Height, px. */
    public int height() {
        return height;
    }

    /** The pixels: Y plane, then U, then V. */
    public byte[] data() {
        return data;
    }

    /** Bytes of the whole picture. */
    public int sizeBytes() {
        return data.length;
    }

    /** Luma at (x, y). */
    public int lumaAt(int x, int y) {
        return data[y * width + x] & 0xff;
    }

    /** Cb at the chroma sample covering (x, y). */
    public int cbAt(int x, int y) {
        return data[uOffset + (y / 2) * chromaWidth + x / 2] & 0xff;
    }

    /** Cr at the chroma sample covering (x, y). */
    public int crAt(int x, int y) {
        return data[vOffset + (y / 2) * chromaWidth + x / 2] & 0xff;
    }

    /** Copies every pixel of {@code other} (same size) into this canvas. */
    public void copyFrom(I420Canvas other) {
        System.arraycopy(other.data, 0, data, 0, data.length);
    }

    /** Fills {@code r} with one colour. */
    public void fill(Rect r, int y, int u, int v) {
        Rect c = clip(r);
        for (int row = c.y(); row < c.y() + c.height(); row++) {
            int o = row * width + c.x();
            Arrays.fill(data, o, o + c.width(), (byte) y);
        }
        int cx = c.x() / 2;
        int cw = c.width() / 2;
        for (int row = c.y() / 2; row < (c.y() + c.height()) / 2; row++) {
            int o = row * chromaWidth + cx;
            Arrays.fill(data, uOffset + o, uOffset + o + cw, (byte) u);
            Arrays.fill(data, vOffset + o, vOffset + o + cw, (byte) v);
        }
    }

    /**
     * Copies a tightly packed I420 picture of {@code w x h} (even) to ({@code x}, {@code y}) (even),
     * clipped to the canvas.
     */
    public void blit(byte[] src, int w, int h, int x, int y) {
        Rect c = clip(new Rect(x, y, w, h));
        if (c.width() == 0 || c.height() == 0) {
            return;
        }
        int dx = c.x() - x;
        int dy = c.y() - y;
        for (int row = 0; row < c.height(); row++) {
            System.arraycopy(src, (dy + row) * w + dx, data, (c.y() + row) * width + c.x(), c.width());
        }
        int srcU = w * h;
        int srcV = srcU + srcU / 4;
        int cw = w / 2;
        for (int row = 0; row < c.height() / 2; row++) {
            int s = (dy / 2 + row) * cw + dx / 2;
            int d = (c.y() / 2 + row) * chromaWidth + c.x() / 2;
            System.arraycopy(src, srcU + s, data, uOffset + d, c.width() / 2);
            System.arraycopy(src, srcV + s, data, vOffset + d, c.width() / 2);
        }
    }

    /** Darkens {@code r} towards black: luma to {@code keep256}/256 of itself, chroma towards grey likewise. */
    public void shade(Rect r, int keep256) {
        Rect c = clip(r);
        for (int row = c.y(); row < c.y() + c.height(); row++) {
            int o = row * width + c.x();
            for (int i = o; i < o + c.width(); i++) {
                int l = data[i] & 0xff;
                data[i] = (byte) (16 + ((l - 16) * keep256 >> 8));
            }
        }
        for (int row = c.y() / 2; row < (c.y() + c.height()) / 2; row++) {
            int o = row * chromaWidth + c.x() / 2;
            for (int i = o; i < o + c.width() / 2; i++) {
                int u = data[uOffset + i] & 0xff;
                int v = data[vOffset + i] & 0xff;
                data[uOffset + i] = (byte) (128 + ((u - 128) * keep256 >> 8));
                data[vOffset + i] = (byte) (128 + ((v - 128) * keep256 >> 8));
            }
        }
    }

    /**
     * Blends one colour through {@code mask} at ({@code x}, {@code y}) (even): each pixel moves
     * towards the colour by the mask's coverage; chroma by the mean coverage of its 2x2 block.
     */
    public void blend(AlphaMask mask, int x, int y, int cy, int cu, int cv) {
        byte[] a = mask.alpha();
        int mw = mask.width();
        Rect c = clip(new Rect(x, y, mw, mask.height()));
        int dx = c.x() - x;
        int dy = c.y() - y;
        for (int row = 0; row < c.height(); row++) {
            int mo = (dy + row) * mw + dx;
            int o = (c.y() + row) * width + c.x();
            for (int i = 0; i < c.width(); i++) {
                int al = a[mo + i] & 0xff;
                if (al != 0) {
                    int l = data[o + i] & 0xff;
                    data[o + i] = (byte) (l + ((cy - l) * al + 127) / 255);
                }
            }
        }
        for (int row = 0; row < c.height() / 2; row++) {
            int mo = (dy + 2 * row) * mw + dx;
            int o = (c.y() / 2 + row) * chromaWidth + c.x() / 2;
            for (int i = 0; i < c.width() / 2; i++) {
                int m = mo + 2 * i;
                int al = ((a[m] & 0xff) + (a[m + 1] & 0xff) + (a[m + mw] & 0xff) + (a[m + mw + 1] & 0xff)) >> 2;
                if (al != 0) {
                    int u = data[uOffset + o + i] & 0xff;
                    int v = data[vOffset + o + i] & 0xff;
                    data[uOffset + o + i] = (byte) (u + ((cu - u) * al + 127) / 255);
                    data[vOffset + o + i] = (byte) (v + ((cv - v) * al + 127) / 255);
                }
            }
        }
    }

    /** Mixes {@code from} (same size) into this canvas: result = this x a + from x (1 - a), {@code a256} in 0..256. */
    public void crossFade(I420Canvas from, int a256) {
        byte[] f = from.data;
        int b = 256 - a256;
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (((data[i] & 0xff) * a256 + (f[i] & 0xff) * b + 128) >> 8);
        }
    }

    private Rect clip(Rect r) {
        int x0 = Math.max(0, r.x()) & ~1;
        int y0 = Math.max(0, r.y()) & ~1;
        int x1 = Math.min(width, r.x() + r.width()) & ~1;
        int y1 = Math.min(height, r.y() + r.height()) & ~1;
        return new Rect(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
    }
}
