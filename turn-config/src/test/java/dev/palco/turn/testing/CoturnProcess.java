package dev.palco.turn.testing;

import dev.palco.turn.CoturnConfigGenerator;
import dev.palco.turn.CoturnMode;
import dev.palco.turn.CoturnSettings;
import dev.palco.turn.IceServerSettings;
import dev.palco.turn.TurnSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A real coturn ({@code turnserver}) for tests, run with a {@link CoturnMode#TEST} configuration
 * from {@link CoturnConfigGenerator}: it listens on 127.0.0.1 only, on a free port, with its
 * configuration, log, pid file and database under a directory the test gives (inside {@code
 * target/}).
 *
 * <p>{@link #start} returns once coturn answers a STUN Binding request (polled, with a deadline).
 * {@link #close} stops it; a JVM shutdown hook stops it too if a test never gets to close, so no
 * turnserver outlives the test run.
 */
public final class CoturnProcess implements AutoCloseable {

  /** Where Debian's {@code coturn} package installs the server. */
  public static final Path TURNSERVER = Path.of("/usr/bin/turnserver");

  /** The realm of every test server. */
  public static final String REALM = "palco.test";

  private static final Duration READY_DEADLINE = Duration.ofSeconds(20);
  private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);
  private static final int RELAY_PORTS = 100;

  private final Path workDir;
  private final CoturnSettings settings;
  private Process process;
  private Thread shutdownHook;
  private String config;
  private int generation;

  private CoturnProcess(Path workDir, CoturnSettings settings) {
    this.workDir = workDir;
    this.settings = settings;
  }

  /**
   * Starts coturn in test mode with {@code secrets} as they stand at {@code now}.
   *
   * @param workDir a directory under {@code target/} for the configuration, log, pid and database
   * @param customize changes to the test settings (ports and paths are already set)
   * @throws AssertionError if turnserver is not installed or does not become ready
   */
  public static CoturnProcess start(
      Path workDir, TurnSecrets secrets, Instant now, UnaryOperator<CoturnSettings.Builder> customize) {
    return start(workDir, CoturnMode.TEST, secrets, now, customize);
  }

  /**
   * Starts coturn in {@code mode} on 127.0.0.1. Production mode on loopback proves coturn takes
   * every production option and refuses loopback peers; it is otherwise no different to talk to.
   */
  public static CoturnProcess start(
      Path workDir, CoturnMode mode, TurnSecrets secrets, Instant now, UnaryOperator<CoturnSettings.Builder> customize) {
    requireTurnserver();
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int port = freeUdpAndTcpPort();
    int relayBase = relayBase(port);
    CoturnSettings.Builder builder =
        CoturnSettings.builder(mode, REALM)
            .listeningIps(List.of("127.0.0.1"))
            .port(port)
            .relayPorts(relayBase, relayBase + RELAY_PORTS - 1)
            .logFile(workDir.resolve("turnserver.log").toAbsolutePath().toString())
            .pidFile(workDir.resolve("turnserver.pid").toAbsolutePath().toString())
            .userDb(workDir.resolve("turndb").toAbsolutePath().toString());
    CoturnProcess coturn = new CoturnProcess(workDir, customize.apply(builder).build());
    coturn.launch(secrets, now);
    return coturn;
  }

  /** {@link #start(Path, TurnSecrets, Instant, UnaryOperator)} with the test settings as they are. */
  public static CoturnProcess start(Path workDir, TurnSecrets secrets, Instant now) {
    return start(workDir, secrets, now, b -> b);
  }

  /**
   * Stops coturn, writes the configuration again for {@code secrets} at {@code now} (a rotation
   * whose overlap has ended drops the old secret), and starts it on the same port.
   */
  public void restart(TurnSecrets secrets, Instant now) {
    stop();
    launch(secrets, now);
  }

  /** Where clients reach it: 127.0.0.1 and the STUN/TURN port, for UDP and TCP. */
  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port());
  }

  /** The settings it runs with. */
  public CoturnSettings settings() {
    return settings;
  }

  /** The configuration it was last started with. */
  public String config() {
    return config;
  }

  /** ICE server settings pointing at it: STUN, TURN over UDP and TCP, no TLS. */
  public IceServerSettings iceServerSettings(Duration ttl) {
    return new IceServerSettings("127.0.0.1", true, true, true, false, settings.port(), 443, ttl);
  }

  /** coturn's log so far, for failure messages. */
  public String log() {
    try {
      Path log = Path.of(settings.logFile());
      return Files.exists(log) ? Files.readString(log) : "(no log yet)";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Whether the process is running. */
  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Stops coturn; safe to call twice. */
  @Override
  public void close() {
    stop();
  }

  private void launch(TurnSecrets secrets, Instant now) {
    config = CoturnConfigGenerator.generate(settings, secrets, now);
    Path conf = workDir.resolve("turnserver-" + (++generation) + ".conf");
    Path output = workDir.resolve("turnserver-" + generation + ".out");
    try {
      Files.writeString(conf, config);
      process =
          new ProcessBuilder(TURNSERVER.toString(), "-c", conf.toAbsolutePath().toString())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("turnserver did not start", e);
    }
    Process started = process;
    shutdownHook = new Thread(() -> kill(started), "coturn-test-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    awaitReady();
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
    while (!TurnTestClient.bindingAnswered(address(), Duration.ofMillis(200))) {
      if (!process.isAlive()) {
        String log = log();
        stop();
        throw new AssertionError("turnserver exited with " + process.exitValue() + " before answering STUN; its log:\n" + log);
      }
      if (System.nanoTime() > deadline) {
        String log = log();
        stop();
        throw new AssertionError("turnserver did not answer STUN within " + READY_DEADLINE + "; its log:\n" + log);
      }
    }
  }

  private void stop() {
    if (process == null) {
      return;
    }
    kill(process);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook runs (or ran) anyway.
    }
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      if (!p.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void requireTurnserver() {
    if (!Files.isExecutable(TURNSERVER)) {
      throw new AssertionError(
          "coturn is not installed (" + TURNSERVER + " is missing): apt-get install coturn, or run scripts/test.sh,"
              + " which installs it");
    }
  }

  /** A port free for both UDP and TCP on 127.0.0.1 right now. */
  private static int freeUdpAndTcpPort() {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, loopback)) {
        int port = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port))) {
          return port;
        } catch (IOException e) {
          // Taken for UDP: try another.
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new AssertionError("no port free for both UDP and TCP on 127.0.0.1");
  }

  /**
   * A relay range below Linux's ephemeral ports (32768 and up), so it does not compete with the
   * sockets tests open; coturn skips a relay port that happens to be taken.
   */
  private static int relayBase(int listeningPort) {
    while (true) {
      int base = 20000 + ThreadLocalRandom.current().nextInt(120) * RELAY_PORTS;
      if (listeningPort < base || listeningPort >= base + RELAY_PORTS) {
        return base;
      }
    }
  }
}
