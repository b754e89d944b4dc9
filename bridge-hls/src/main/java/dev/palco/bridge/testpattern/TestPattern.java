package dev.palco.bridge.testpattern;

/**
 * A synthetic stage for tests, benchmarks and demos: a moving picture with its frame number and
 * capture time burnt in, and a tone. Pictures are drawn straight into BGR24 bytes (no AWT, no
 * fonts needed).
 *
 * <p>The picture, top to bottom:
 * <ul>
 *   <li>A band of {@value #BLOCKS} black and white blocks, {@link #bandHeightPx()} high: a white
 *       start marker, {@value #COUNTER_BITS} bits of the frame number (most significant first) and a
 *       black end marker. Blocks this large survive H.264 at the lowest rung's rate, so a page can
 *       read back which frame it shows ({@link #COUNTER_READER_JS}) and compare it with when that
 *       frame was captured: glass-to-glass latency from pixels, independent of any playlist.</li>
 *   <li>Colour bars that scroll by 4 px per frame, and a white square that bounces: motion, so the
 *       encoder has real work and a frozen picture is visible.</li>
 *   <li>The capture time as {@code HH:MM:SS.mmm} (UTC) and the frame number, in seven-segment
 *       digits on a black box.</li>
 * </ul>
 *
 * <p>The tone is a 440 Hz sine at -12 dBFS, replaced by 880 Hz for the first 100 ms of every second
 * of stream time (a beep that lines up with the seconds of the clock). Not thread-safe.
 */
public final class TestPattern {

    /** Blocks in the counter band. */
    public static final int BLOCKS = 16;
    /** Bits of the frame number in the band (the number wraps after 2^14 frames, 9 minutes at 30 fps). */
    public static final int COUNTER_BITS = BLOCKS - 2;
    private static final int COUNTER_MASK = (1 << COUNTER_BITS) - 1;
    private static final int WHITE = 235;
    private static final int BLACK = 16;
    private static final int[][] BARS = { // B, G, R at 75 % (ITU-R BT.801 bars)
        {180, 180, 180}, {16, 180, 180}, {180, 180, 16}, {16, 180, 16},
        {180, 16, 180}, {16, 16, 180}, {180, 16, 16}, {16, 16, 16}};
    // Seven-segment digits: bits a..g (a top, b top right, c bottom right, d bottom, e bottom left,
    // f top left, g middle).
    private static final int[] SEGMENTS = {0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F};

    /**
     * JavaScript that defines {@code window.palcoReadCounter(video)}: draws the band of a video
     * element onto a canvas and returns the frame number it shows, or -1 when the markers do not
     * read (a frame still blurred by the encoder). Works at any rung size: positions are relative.
     */
    public static final String COUNTER_READER_JS = """
            window.palcoReadCounter = window.palcoReadCounter || (function () {
              const canvas = document.createElement('canvas');
              const ctx = canvas.getContext('2d', { willReadFrequently: true });
              return function (video) {
                const w = video.videoWidth, h = video.videoHeight;
                if (!w || !h) return -1;
                const band = Math.max(4, Math.round(h / 9));
                canvas.width = w; canvas.height = band;
                ctx.drawImage(video, 0, 0, w, band, 0, 0, w, band);
                const px = ctx.getImageData(0, 0, w, band).data;
                const bw = w / 16;
                const read = (i) => {
                  const cx = Math.floor(bw * i + bw / 2), cy = Math.floor(band / 2);
                  let sum = 0, n = 0;
                  for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
                    const o = ((cy + dy) * w + (cx + dx)) * 4;
                    sum += 0.299 * px[o] + 0.587 * px[o + 1] + 0.114 * px[o + 2]; n++;
                  }
                  return sum / n;
                };
                const first = read(0), last = read(15);
                if (first < 160 || last > 90) return -1;
                let v = 0;
                for (let i = 1; i <= 14; i++) {
                  const y = read(i);
                  if (y > 90 && y < 160) return -1;
                  v = v * 2 + (y >= 160 ? 1 : 0);
                }
                return v;
              };
            })();
            """;

    private final int widthPx;
    private final int heightPx;
    private final int sampleRateHz;
    private final int channels;

    /**
     * A pattern of {@code widthPx x heightPx} (at least 160x90, width a multiple of
     * {@value #BLOCKS}) and a tone at {@code sampleRateHz} with {@code channels} channels.
     */
    public TestPattern(int widthPx, int heightPx, int sampleRateHz, int channels) {
        if (widthPx < 160 || heightPx < 90 || widthPx % BLOCKS != 0) {
            throw new IllegalArgumentException("pattern size " + widthPx + "x" + heightPx);
        }
        this.widthPx = widthPx;
        this.heightPx = heightPx;
        this.sampleRateHz = sampleRateHz;
        this.channels = channels;
    }

    /** Picture width. */
    public int widthPx() {
        return widthPx;
    }

    /** Picture height. */
    public int heightPx() {
        return heightPx;
    }

    /** Height of the counter band: a ninth of the picture. */
    public int bandHeightPx() {
        return Math.max(4, Math.round(heightPx / 9f));
    }

    /** Bytes of one BGR24 picture. */
    public int pictureSizeBytes() {
        return 3 * widthPx * heightPx;
    }

    /** The frame number the band of frame {@code frameNumber} shows (it wraps). */
    public static int counterValue(long frameNumber) {
        return (int) (frameNumber & COUNTER_MASK);
    }

    /**
     * Draws frame {@code frameNumber}, captured at {@code captureTimeMs} (epoch ms), into
     * {@code bgr} from {@code off}: {@link #pictureSizeBytes()} bytes.
     */
    public void drawPicture(long frameNumber, long captureTimeMs, byte[] bgr, int off) {
        int band = bandHeightPx();
        // Scrolling bars below the band: one row drawn, then copied down (the bars are vertical).
        int barW = widthPx / BARS.length;
        int shift = (int) (frameNumber * 4 % widthPx);
        int rowBytes = 3 * widthPx;
        int first = off + band * rowBytes;
        for (int x = 0; x < widthPx; x++) {
            int[] c = BARS[((x + shift) % widthPx) / barW % BARS.length];
            int p = first + 3 * x;
            bgr[p] = (byte) c[0];
            bgr[p + 1] = (byte) c[1];
            bgr[p + 2] = (byte) c[2];
        }
        for (int y = band + 1; y < heightPx; y++) {
            System.arraycopy(bgr, first, bgr, off + y * rowBytes, rowBytes);
        }
        // A bouncing square.
        int side = heightPx / 6;
        int spanX = widthPx - side;
        int spanY = heightPx - band - side;
        int bx = bounce(frameNumber * 5, spanX);
        int by = band + bounce(frameNumber * 3, spanY);
        fill(bgr, off, bx, by, side, side, WHITE);
        // The counter band.
        int value = counterValue(frameNumber);
        int bw = widthPx / BLOCKS;
        for (int i = 0; i < BLOCKS; i++) {
            boolean white;
            if (i == 0) {
                white = true;
            } else if (i == BLOCKS - 1) {
                white = false;
            } else {
                white = (value >>> (COUNTER_BITS - i) & 1) == 1;
            }
            fill(bgr, off, i * bw, 0, bw, band, white ? WHITE : BLACK);
        }
        // The clock and the frame number.
        int digitH = Math.max(14, heightPx / 9);
        int digitW = digitH / 2 + 2;
        int pad = digitW / 3;
        long ms = Math.floorMod(captureTimeMs, 86_400_000L);
        String clock = String.format(java.util.Locale.ROOT, "%02d:%02d:%02d.%03d",
                ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        String counter = String.format(java.util.Locale.ROOT, "%07d", frameNumber % 10_000_000);
        int boxW = clock.length() * (digitW + pad) + 2 * pad;
        int boxH = 2 * digitH + 3 * pad;
        int boxX = (widthPx - boxW) / 2;
        int boxY = heightPx - boxH - pad;
        fill(bgr, off, boxX, boxY, boxW, boxH, BLACK);
        drawText(bgr, off, clock, boxX + pad, boxY + pad, digitW, digitH, pad);
        drawText(bgr, off, counter, boxX + pad, boxY + 2 * pad + digitH, digitW, digitH, pad);
    }

    /**
     * Writes the tone for {@code sampleFrames} samples per channel starting at stream sample
     * {@code firstSample}, interleaved, into {@code pcm} from {@code off}.
     */
    public void drawTone(long firstSample, int sampleFrames, short[] pcm, int off) {
        for (int i = 0; i < sampleFrames; i++) {
            long n = firstSample + i;
            boolean beep = n % sampleRateHz < sampleRateHz / 10;
            double hz = beep ? 880 : 440;
            // Phase from the sample number keeps the sine continuous across calls.
            double phase = 2 * Math.PI * hz * (n % sampleRateHz) / sampleRateHz;
            short v = (short) Math.round(Math.sin(phase) * 0.25 * 32767);
            for (int c = 0; c < channels; c++) {
                pcm[off + i * channels + c] = v;
            }
        }
    }

    private static int bounce(long pos, int span) {
        if (span <= 0) {
            return 0;
        }
        long p = pos % (2L * span);
        return (int) (p < span ? p : 2L * span - p);
    }

    private void fill(byte[] bgr, int off, int x0, int y0, int w, int h, int luma) {
        byte v = (byte) luma;
        int x1 = Math.min(widthPx, x0 + w);
        int y1 = Math.min(heightPx, y0 + h);
        for (int y = Math.max(0, y0); y < y1; y++) {
            int row = off + 3 * y * widthPx;
            for (int x = Math.max(0, x0); x < x1; x++) {
                int p = row + 3 * x;
                bgr[p] = v;
                bgr[p + 1] = v;
                bgr[p + 2] = v;
            }
        }
    }

    private void drawText(byte[] bgr, int off, String text, int x, int y, int w, int h, int pad) {
        int t = Math.max(2, h / 8);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            int cx = x + i * (w + pad);
            if (ch >= '0' && ch <= '9') {
                int s = SEGMENTS[ch - '0'];
                int half = h / 2;
                if ((s & 0x01) != 0) {
                    fill(bgr, off, cx, y, w, t, WHITE);
                }
                if ((s & 0x02) != 0) {
                    fill(bgr, off, cx + w - t, y, t, half, WHITE);
                }
                if ((s & 0x04) != 0) {
                    fill(bgr, off, cx + w - t, y + half, t, h - half, WHITE);
                }
                if ((s & 0x08) != 0) {
                    fill(bgr, off, cx, y + h - t, w, t, WHITE);
                }
                if ((s & 0x10) != 0) {
                    fill(bgr, off, cx, y + half, t, h - half, WHITE);
                }
                if ((s & 0x20) != 0) {
                    fill(bgr, off, cx, y, t, half, WHITE);
                }
                if ((s & 0x40) != 0) {
                    fill(bgr, off, cx, y + half - t / 2, w, t, WHITE);
                }
            } else if (ch == ':') {
                fill(bgr, off, cx + w / 2 - t / 2, y + h / 4, t, t, WHITE);
                fill(bgr, off, cx + w / 2 - t / 2, y + 3 * h / 4 - t, t, t, WHITE);
            } else if (ch == '.') {
                fill(bgr, off, cx + w / 2 - t / 2, y + h - t, t, t, WHITE);
            }
        }
    }
}
