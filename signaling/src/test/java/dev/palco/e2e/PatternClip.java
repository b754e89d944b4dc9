package dev.palco.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fake camera of a given size and frame rate: ffmpeg's moving test pattern as y4m, made once per
 * run under target/. Chromium loops it. Big pictures make big files (a 1280x720 frame is 1.4 MB),
 * so the clip is short.
 */
final class PatternClip {
  static final int SECONDS = 4;

  private PatternClip() {}

  static synchronized Path get(Path dir, int width, int height, int fps) throws IOException {
    Path clip = dir.resolve("camera-pattern-" + width + "x" + height + "-" + fps + "fps.y4m");
    if (Files.isRegularFile(clip)) {
      return clip;
    }
    Files.createDirectories(dir);
    Path partial = dir.resolve("camera-pattern-" + width + "x" + height + ".partial.y4m");
    Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=" + fps,
        "-t", Integer.toString(SECONDS), "-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe", partial.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    return CounterClip.finish(ffmpeg, partial, clip);
  }
}
