package dev.palco.bridge.compose;

/**
 * A rectangle on the canvas, in pixels. Rectangles the compositor draws into have even origin and
 * size, because the canvas is 4:2:0 (one chroma sample per 2x2 luma block): an odd edge would
 * split a chroma sample between two tiles.
 *
 * @param x left edge
 * @param y top edge
 * @param width width
 * @param height height
 */
public record Rect(int x, int y, int width, int height) {

    /** Checks the size. */
    public Rect {
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("negative size " + width + "x" + height);
        }
    }

    /** A rectangle with every edge rounded down to an even pixel (width and height as well). */
    public static Rect even(int x, int y, int width, int height) {
        int x0 = x & ~1;
        int y0 = y & ~1;
        int x1 = (x + width) & ~1;
        int y1 = (y + height) & ~1;
        return new Rect(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
    }

    /**
     * The largest rectangle of the picture's aspect ratio centred inside this one (letterbox or
     * pillarbox), with even edges.
     */
    public Rect fit(int pictureWidth, int pictureHeight) {
        if (pictureWidth <= 0 || pictureHeight <= 0 || width == 0 || height == 0) {
            return new Rect(x, y, 0, 0);
        }
        long w = width;
        long h = (long) width * pictureHeight / pictureWidth;
        if (h > height) {
            h = height;
            w = (long) height * pictureWidth / pictureHeight;
        }
        int ew = (int) w & ~1;
        int eh = (int) h & ~1;
        int ex = (x + (width - ew) / 2) & ~1;
        int ey = (y + (height - eh) / 2) & ~1;
        return new Rect(ex, ey, ew, eh);
    }

    /** Whether this rectangle lies inside {@code outer}. */
    public boolean within(Rect outer) {
        return x >= outer.x && y >= outer.y && x + width <= outer.x + outer.width
                && y + height <= outer.y + outer.height;
    }

    /** Whether the two rectangles share any pixel. */
    public boolean overlaps(Rect o) {
        return x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height;
    }

    /** Pixels covered. */
    public long area() {
        return (long) width * height;
    }
}
