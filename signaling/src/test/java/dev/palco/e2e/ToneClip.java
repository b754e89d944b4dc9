package dev.palco.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A fake microphone for the browser tests: a steady sine at a given frequency (48 kHz mono WAV,
 * made once per run with ffmpeg), so a listener can tell two presenters apart by pitch, or
 * silence, for a presenter who does not speak.
 */
final class ToneClip {
  static final int SECONDS = 20;

  private ToneClip() {}

  static synchronized Path get(Path dir, int hz) throws IOException {
    return make(dir, "tone-" + hz + "hz", "sine=frequency=" + hz + ":sample_rate=48000:duration=" + SECONDS,
        "volume=0.5");
  }

  /**
   * A tone in bursts, 700 ms on and 300 ms off, as speech comes in syllables and phrases. The SFU's
   * speaker detection measures each participant against its own noise floor, so a steady tone
   * from the first packet would be taken for background hum, not a voice.
   */
  static synchronized Path bursts(Path dir, int hz) throws IOException {
    return make(dir, "tone-" + hz + "hz-bursts", "sine=frequency=" + hz + ":sample_rate=48000:duration=" + SECONDS,
        "volume='if(lt(mod(t,1),0.7),0.5,0)':eval=frame");
  }

  /** A microphone that hears nothing: digital silence, so its RFC 6464 level is the lowest. */
  static synchronized Path silence(Path dir) throws IOException {
    return make(dir, "silence", "anullsrc=channel_layout=mono:sample_rate=48000:duration=" + SECONDS,
        "volume=0");
  }

  private static Path make(Path dir, String name, String source, String filter) throws IOException {
    Path wav = dir.resolve(name + ".wav");
    if (Files.isRegularFile(wav)) {
      return wav;
    }
    Files.createDirectories(dir);
    Path partial = dir.resolve(name + ".partial.wav");
    Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", source,
        "-af", filter, "-ac", "1", "-c:a", "pcm_s16le", "-f", "wav", partial.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      if (ffmpeg.waitFor() != 0) {
        throw new IOException("ffmpeg could not make " + name + " (exit " + ffmpeg.exitValue() + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making " + name, e);
    }
    Files.move(partial, wav, StandardCopyOption.REPLACE_EXISTING);
    return wav;
  }
}
