package dev.palco.server;

import com.typesafe.config.ConfigException;
import dev.palco.turn.CoturnConfigGenerator;
import dev.palco.turn.CoturnMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code palco turn-config}: writes coturn's {@code turnserver.conf} from the same configuration
 * the server reads ({@code palco.turn}), so the two always agree on the secret, ports and realm.
 */
@Command(
    name = "turn-config",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a hardened coturn turnserver.conf from Palco's configuration (palco.turn).",
      "It holds the TURN secret: the file is written readable by its owner and group only."
    })
final class TurnConfigCommand implements Callable<Integer> {

  /** Exit status for a configuration problem (the message names the key). */
  static final int BAD_CONFIG = 2;

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "HOCON file overriding the built-in defaults")
  Path configFile;

  @Option(
      names = "--production",
      description = "production mode (the default): loopback peers refused, version hidden")
  boolean production;

  @Option(
      names = "--test",
      description = "test mode: coturn must listen on loopback only and may relay to 127.0.0.1")
  boolean test;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write here instead of standard output")
  Path output;

  private final Clock clock;

  TurnConfigCommand() {
    this(Clock.systemUTC());
  }

  TurnConfigCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    if (production && test) {
      err.println("palco turn-config: --production and --test exclude each other");
      return BAD_CONFIG;
    }
    String text;
    try {
      TurnConfig turn = ServerConfig.load(configFile, Map.of()).turn();
      CoturnMode mode = test ? CoturnMode.TEST : CoturnMode.PRODUCTION;
      text = CoturnConfigGenerator.generate(turn.coturnSettings(mode), turn.secrets(), clock.instant());
    } catch (IllegalArgumentException | ConfigException e) {
      err.println("palco turn-config: " + e.getMessage());
      return BAD_CONFIG;
    }
    if (output == null) {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
    } else {
      writePrivately(output, text);
      err.println("palco turn-config: wrote " + output);
    }
    return 0;
  }

  /**
   * Writes through a temporary file created with mode 0640 (where the file system has POSIX
   * permissions), then moves it into place, so the secret is never readable by others, not even
   * for a moment.
   */
  private static void writePrivately(Path target, String text) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp;
    try {
      temp = Files.createTempFile(dir, ".turnserver", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
    } catch (UnsupportedOperationException e) {
      temp = Files.createTempFile(dir, ".turnserver", ".tmp");
    }
    try {
      Files.writeString(temp, text);
      try {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
