package dev.palco.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code palco turn-config} and the {@code palco.turn} block it reads. */
class TurnConfigCommandTest {

  private static final Path WORK = Path.of("target", "turn-config-command-test");
  private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

  private static final String TURN_BLOCK =
      "palco.turn {\n"
          + "  enabled = true\n"
          + "  host = turn.palco.example\n"
          + "  secret = command-test-secret-0123456789\n"
          + "  previous-secret = command-test-secret-old-98765\n"
          + "  previous-secret-valid-until = \"2026-05-02T10:00:00Z\"\n"
          + "  sfu-addresses = [\"10.0.0.5\"]\n"
          + "  relay-ports { min = 40000, max = 40999 }\n"
          + "  tls { cert = /etc/palco/turn.crt, key = /etc/palco/turn.key }\n"
          + "  log-file = /var/log/coturn/turnserver.log\n"
          + "}\n";

  /** Runs the command line with a fixed clock; returns exit status, stdout and stderr. */
  private static String[] run(String... args) {
    PalcoMain main = new PalcoMain();
    CommandLine cli =
        new CommandLine(main, new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> cls) throws Exception {
            if (cls == TurnConfigCommand.class) {
              return cls.cast(new TurnConfigCommand(Clock.fixed(NOW, ZoneOffset.UTC)));
            }
            return CommandLine.defaultFactory().create(cls);
          }
        });
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int status = cli.execute(args);
    return new String[] {String.valueOf(status), out.toString(), err.toString()};
  }

  private static Path config(String name, String text) throws Exception {
    Files.createDirectories(WORK);
    Path file = WORK.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void printsTheProductionFileFromPalcosConfiguration() throws Exception {
    Path conf = config("palco.conf", TURN_BLOCK);

    String[] r = run("turn-config", "--config", conf.toString());

    assertEquals("0", r[0], r[2]);
    String text = r[1];
    List<String> lines = text.lines().toList();
    assertTrue(lines.contains("use-auth-secret"));
    assertTrue(lines.contains("static-auth-secret=command-test-secret-0123456789"));
    assertTrue(lines.contains("static-auth-secret=command-test-secret-old-98765"), "the overlap has not ended");
    assertTrue(lines.contains("realm=turn.palco.example"), "the realm defaults to the host");
    assertTrue(lines.contains("listening-port=3478"));
    assertTrue(lines.contains("tls-listening-port=443"));
    assertTrue(lines.contains("cert=/etc/palco/turn.crt"));
    assertTrue(lines.contains("min-port=40000"));
    assertTrue(lines.contains("denied-peer-ip=10.0.0.0-10.255.255.255"));
    assertTrue(lines.contains("allowed-peer-ip=10.0.0.5"));
    assertTrue(lines.contains("log-file=/var/log/coturn/turnserver.log"));
    assertTrue(lines.contains("no-software-attribute"), "production mode");
    assertFalse(lines.contains("allow-loopback-peers"));
  }

  @Test
  void writesTheFileReadableByOwnerAndGroupOnly() throws Exception {
    Path conf = config("palco-out.conf", TURN_BLOCK);
    Path out = WORK.resolve("etc").resolve("turnserver.conf");
    Files.deleteIfExists(out);

    String[] r = run("turn-config", "--production", "--config", conf.toString(), "-o", out.toString());

    assertEquals("0", r[0], r[2]);
    assertEquals("", r[1], "nothing on standard output");
    assertTrue(Files.readString(out).contains("static-auth-secret=command-test-secret-0123456789"));
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(out);
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ), mode);
  }

  @Test
  void afterTheOverlapTheOldSecretIsGone() throws Exception {
    Path conf = config("palco-late.conf", TURN_BLOCK.replace("2026-05-02T10:00:00Z", "2026-05-01T09:59:59Z"));

    String[] r = run("turn-config", "--config", conf.toString());

    assertEquals("0", r[0], r[2]);
    assertFalse(r[1].contains("command-test-secret-old-98765"));
  }

  @Test
  void testModeNeedsLoopbackListeners() throws Exception {
    Path bad = config("palco-test-bad.conf", TURN_BLOCK);
    Path good = config("palco-test.conf", TURN_BLOCK + "palco.turn.listening-ips = [\"127.0.0.1\"]\n");

    String[] refused = run("turn-config", "--test", "--config", bad.toString());
    String[] written = run("turn-config", "--test", "--config", good.toString());

    assertEquals(String.valueOf(TurnConfigCommand.BAD_CONFIG), refused[0]);
    assertTrue(refused[2].contains("palco.turn.listening-ips"), refused[2]);
    assertEquals("0", written[0], written[2]);
    assertTrue(written[1].lines().anyMatch("allow-loopback-peers"::equals));
  }

  @Test
  void aMissingSecretIsNamed() throws Exception {
    Path conf = config("palco-nosecret.conf", "palco.turn.host = turn.palco.example\n");

    String[] r = run("turn-config", "--config", conf.toString());

    assertEquals(String.valueOf(TurnConfigCommand.BAD_CONFIG), r[0]);
    assertTrue(r[2].contains("palco.turn.secret: must not be empty"), r[2]);
    assertEquals("", r[1]);
  }

  @Test
  void productionAndTestExcludeEachOther() {
    String[] r = run("turn-config", "--production", "--test");

    assertEquals(String.valueOf(TurnConfigCommand.BAD_CONFIG), r[0]);
  }

  @Test
  void turnIsOffByDefaultAndItsEmptyValuesDoNotStopTheServer() {
    ServerConfig c = ServerConfig.load(null, Map.of());

    assertFalse(c.turn().enabled());
    assertEquals(Duration.ofHours(12), c.turn().ttl());
    assertEquals(3478, c.turn().port());
    assertEquals(443, c.turn().tlsPort());
  }

  @Test
  void enabledTurnIsCheckedAtLoadNamingTheKey() {
    ConfigException noHost =
        assertThrows(ConfigException.class, () -> ServerConfig.load(null, Map.of("palco.turn.enabled", true)));
    assertTrue(noHost.getMessage().contains("palco.turn.host"), noHost.getMessage());

    ConfigException badTtl =
        assertThrows(
            ConfigException.class,
            () -> ServerConfig.load(null, Map.of(
                "palco.turn.enabled", true, "palco.turn.host", "turn.palco.example",
                "palco.turn.secret", "command-test-secret-0123456789", "palco.turn.ttl", "0s")));
    assertTrue(badTtl.getMessage().contains("palco.turn.ttl"), badTtl.getMessage());

    ConfigException badUntil =
        assertThrows(
            ConfigException.class,
            () -> ServerConfig.load(null, Map.of("palco.turn.previous-secret-valid-until", "tomorrow")));
    assertTrue(badUntil.getMessage().contains("palco.turn.previous-secret-valid-until"), badUntil.getMessage());
  }

  @Test
  void enabledTurnGivesTheIceServerList() {
    ServerConfig c =
        ServerConfig.load(null, Map.of(
            "palco.turn.enabled", true, "palco.turn.host", "turn.palco.example",
            "palco.turn.secret", "command-test-secret-0123456789", "palco.turn.transports.tls", false));

    assertEquals(
        List.of("turn:turn.palco.example:3478?transport=udp", "turn:turn.palco.example:3478?transport=tcp"),
        c.turn().iceServerList().turnUrls());
    assertFalse(c.turn().toString().contains("command-test-secret"));
  }
}
