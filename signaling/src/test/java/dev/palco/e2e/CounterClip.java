package dev.palco.e2e;

import dev.palco.bridge.compose.LayoutPlanner;
import dev.palco.bridge.compose.Rect;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The fake camera of the browser tests: ffmpeg's moving test pattern with each frame's number
 * burnt into a band of black and white blocks along the top, so a page can read back which frame
 * it shows ({@link #DECODER_JS}) and two pages can be compared frame by frame for glass-to-glass
 * latency.
 *
 * <p>The band is {@value #BLOCKS} blocks of {@value #BLOCK_PX} px: a white start marker, {@value
 * #BITS} bits of the frame number (most significant first), and a black end marker. Blocks this
 * large survive VP8 at the bitrates Chromium picks for a small picture.
 */
final class CounterClip {
  static final int WIDTH = 320;
  static final int HEIGHT = 180;
  static final int FPS = 15;
  /** Long enough that no frame number repeats while a test compares two pages. */
  static final int SECONDS = 20;
  static final int BLOCK_PX = 20;
  static final int BLOCKS = WIDTH / BLOCK_PX;
  static final int BITS = BLOCKS - 2;
  private static final int WHITE = 235;
  private static final int BLACK = 16;

  /**
   * Reads the counter from a video element: draws the band onto a canvas and thresholds the middle
   * of each block. Returns the frame number, or -1 when the markers do not read as expected (a
   * frame that is still blurred by the encoder or scaled oddly).
   */
  static final String DECODER_JS = """
      window.palcoReadCounter = window.palcoReadCounter || (function () {
        const canvas = document.createElement('canvas');
        const ctx = canvas.getContext('2d', { willReadFrequently: true });
        return function (video) {
          const w = video.videoWidth, h = video.videoHeight;
          if (!w || !h) return -1;
          const blocks = %d, bits = %d, band = Math.round(h * %d / %d);
          canvas.width = w; canvas.height = band;
          ctx.drawImage(video, 0, 0, w, band, 0, 0, w, band);
          const px = ctx.getImageData(0, 0, w, band).data;
          const bw = w / blocks;
          const read = (i) => {
            const cx = Math.floor(bw * i + bw / 2), cy = Math.floor(band / 2);
            let sum = 0, n = 0;
            for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) {
              const o = ((cy + dy) * w + (cx + dx)) * 4;
              sum += 0.299 * px[o] + 0.587 * px[o + 1] + 0.114 * px[o + 2]; n++;
            }
            return sum / n;
          };
          if (read(0) < 170 || read(blocks - 1) > 85) return -1;
          let value = 0;
          for (let i = 1; i <= bits; i++) {
            const y = read(i);
            if (y > 85 && y < 170) return -1;
            value = value * 2 + (y >= 170 ? 1 : 0);
          }
          return value;
        };
      })();
      """.formatted(BLOCKS, BITS, BLOCK_PX, HEIGHT);

  /**
   * Reads the counter of a camera shown inside a larger picture (a tile of the broadcast's
   * composite): {@code palcoReadCounterIn(video, x, y, w, h)} with the camera's picture rectangle
   * in the video's own pixels. Same markers and thresholds as {@link #DECODER_JS}.
   */
  static final String REGION_DECODER_JS = """
      window.palcoReadCounterIn = window.palcoReadCounterIn || (function () {
        const canvas = document.createElement('canvas');
        const ctx = canvas.getContext('2d', { willReadFrequently: true });
        return function (video, x, y, w, h) {
          if (!video.videoWidth || !video.videoHeight) return -1;
          const blocks = %d, bits = %d, band = Math.max(4, Math.round(h * %d / %d));
          canvas.width = Math.round(w); canvas.height = band;
          ctx.drawImage(video, x, y, w, band, 0, 0, canvas.width, band);
          const cw = canvas.width;
          const px = ctx.getImageData(0, 0, cw, band).data;
          const bw = cw / blocks;
          const read = (i) => {
            const cx = Math.floor(bw * i + bw / 2), cy = Math.floor(band / 2);
            let sum = 0, n = 0;
            for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
              const o = ((cy + dy) * cw + (cx + dx)) * 4;
              sum += 0.299 * px[o] + 0.587 * px[o + 1] + 0.114 * px[o + 2]; n++;
            }
            return sum / n;
          };
          if (read(0) < 170 || read(blocks - 1) > 85) return -1;
          let value = 0;
          for (let i = 1; i <= bits; i++) {
            const v = read(i);
            if (v > 85 && v < 170) return -1;
            value = value * 2 + (v >= 170 ? 1 : 0);
          }
          return value;
        };
      })();
      """.formatted(BLOCKS, BITS, BLOCK_PX, HEIGHT);

  /**
   * The numbers the audience player of {@code viewer} shows now in each of the composite's
   * {@code cells} (cells of a canvas {@code canvasWidth} wide, as {@code LayoutPlanner} plans
   * them), or -1 where a cell shows no readable counter. The camera's picture is fitted into its
   * cell the way the compositor fits it.
   */
  static long[] readInComposite(StageBrowser viewer, int canvasWidth, List<LayoutPlanner.Tile> cells) {
    List<List<Integer>> rects = new ArrayList<>();
    for (LayoutPlanner.Tile t : cells) {
      Rect p = t.cell().fit(WIDTH, HEIGHT);
      rects.add(List.of(p.x(), p.y(), p.width(), p.height()));
    }
    List<?> read = (List<?>) viewer.js(REGION_DECODER_JS + """
        const v = document.querySelector('[data-testid=player-video]');
        const k = v.videoWidth / arguments[0];
        return arguments[1].map(r => window.palcoReadCounterIn(v, r[0] * k, r[1] * k, r[2] * k, r[3] * k));
        """, canvasWidth, rects);
    long[] out = new long[read.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) read.get(i)).longValue();
    }
    return out;
  }

  private CounterClip() {}

  /** The clip under {@code dir}, made once per run with ffmpeg. */
  static Path get(Path dir) throws IOException {
    return get(dir, 0);
  }

  /**
   * A clip whose numbers start at {@code firstNumber} (below 2^{@value #BITS} minus the clip's
   * frames), so that two cameras' frames can be told apart where they are shown side by side.
   */
  static synchronized Path get(Path dir, int firstNumber) throws IOException {
    if (firstNumber < 0 || firstNumber + SECONDS * FPS >= 1 << BITS) {
      throw new IllegalArgumentException("firstNumber " + firstNumber);
    }
    Path clip = dir.resolve("camera-counter-" + WIDTH + "x" + HEIGHT + "-" + FPS + "fps"
        + (firstNumber == 0 ? "" : "-from-" + firstNumber) + ".y4m");
    if (Files.isRegularFile(clip)) {
      return clip;
    }
    Files.createDirectories(dir);
    Path partial = dir.resolve("camera-counter-" + firstNumber + ".partial.y4m");
    Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error",
        "-f", "lavfi", "-i", "testsrc2=size=" + WIDTH + "x" + HEIGHT + ":rate=" + FPS,
        "-t", Integer.toString(SECONDS), "-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe", "-")
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try (InputStream in = new BufferedInputStream(ffmpeg.getInputStream(), 1 << 16);
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
      out.write(readLine(in));
      int frameBytes = WIDTH * HEIGHT * 3 / 2;
      byte[] frame = new byte[frameBytes];
      for (int n = 0; ; n++) {
        byte[] header = readLine(in);
        if (header.length == 0) {
          break;
        }
        if (in.readNBytes(frame, 0, frameBytes) != frameBytes) {
          throw new IOException("ffmpeg's y4m ended inside frame " + n);
        }
        burnCounter(frame, firstNumber + n);
        out.write(header);
        out.write(frame);
      }
    }
    return finish(ffmpeg, partial, clip);
  }

  /** Waits for the ffmpeg that wrote {@code partial}, then puts it in place as {@code clip}. */
  static Path finish(Process ffmpeg, Path partial, Path clip) throws IOException {
    try {
      if (ffmpeg.waitFor() != 0) {
        throw new IOException("ffmpeg could not make the camera clip (exit " + ffmpeg.exitValue() + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making the camera clip", e);
    }
    Files.move(partial, clip, StandardCopyOption.REPLACE_EXISTING);
    return clip;
  }

  /** Writes the band into one I420 frame: luma blocks, neutral chroma under them. */
  static void burnCounter(byte[] frame, int n) {
    int chromaWidth = WIDTH / 2;
    int uOffset = WIDTH * HEIGHT;
    int vOffset = uOffset + chromaWidth * (HEIGHT / 2);
    for (int b = 0; b < BLOCKS; b++) {
      boolean white = b == 0 || (b < BLOCKS - 1 && ((n >>> (BITS - b)) & 1) == 1);
      byte luma = (byte) (white ? WHITE : BLACK);
      for (int y = 0; y < BLOCK_PX; y++) {
        for (int x = b * BLOCK_PX; x < (b + 1) * BLOCK_PX; x++) {
          frame[y * WIDTH + x] = luma;
        }
      }
      for (int y = 0; y < BLOCK_PX / 2; y++) {
        for (int x = b * BLOCK_PX / 2; x < (b + 1) * BLOCK_PX / 2; x++) {
          frame[uOffset + y * chromaWidth + x] = (byte) 128;
          frame[vOffset + y * chromaWidth + x] = (byte) 128;
        }
      }
    }
  }

  /** One header line including its '\n'; empty at the end of the stream. */
  private static byte[] readLine(InputStream in) throws IOException {
    java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(64);
    int c;
    while ((c = in.read()) >= 0) {
      line.write(c);
      if (c == '\n') {
        break;
      }
      if (line.size() > 256) {
        throw new IOException("not a y4m header: " + line.toString(StandardCharsets.US_ASCII));
      }
    }
    return line.toByteArray();
  }
}
