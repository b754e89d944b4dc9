package dev.palco.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A fake microphone for the browser tests: a steady sine at a given frequency (48 kHz mono WAV,
 * made once per run with ffmpeg), so a listener can tell two presenters apart by pitch.
 */
final class ToneClip {
  static final int SECONDS = 20;

  private ToneClip() {}

  static synchronized Path get(Path dir, int hz) throws IOException {
    Path wav = dir.resolve("tone-" + hz + "hz.wav");
    if (Files.isRegularFile(wav)) {
      return wav;
    }
    Files.createDirectories(dir);
    Path partial = dir.resolve("tone-" + hz + "hz.partial.wav");
    Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", "sine=frequency=" + hz + ":sample_rate=48000:duration=" + SECONDS,
        "-af", "volume=0.5", "-ac", "1", "-c:a", "pcm_s16le", "-f", "wav", partial.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      if (ffmpeg.waitFor() != 0) {
        throw new IOException("ffmpeg could not make the tone (exit " + ffmpeg.exitValue() + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making the tone", e);
    }
    Files.move(partial, wav, StandardCopyOption.REPLACE_EXISTING);
    return wav;
  }
}
