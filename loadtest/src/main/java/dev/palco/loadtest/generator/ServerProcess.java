package dev.palco.loadtest.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server the generator starts as a separate process on loopback, with a configuration it writes
 * under {@code target/}: Palco's jar, or Janus 1.1 (Debian package {@code janus}) with only the
 * VideoRoom plugin and the HTTP transport, ICE on {@code lo} only and no STUN server.
 */
public final class ServerProcess implements AutoCloseable {
  private static final String JANUS_LIB = "/usr/lib/x86_64-linux-gnu/janus";

  private final Process process;
  private final String url;

  private ServerProcess(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /** The process id. */
  public long pid() {
    return process.pid();
  }

  /** The base URL (Palco: {@code http://127.0.0.1:port}; Janus: {@code http://127.0.0.1:port/janus}). */
  public String url() {
    return url;
  }

  /**
   * Starts Palco's server jar.
   *
   * @param jar signaling/target/palco-server.jar
   * @param dir working directory for its configuration, data and log
   * @param httpPort HTTP port; the media (UDP) port is the next one
   * @param heap the -Xmx value, such as "1g"
   */
  public static ServerProcess startPalco(Path jar, Path dir, int httpPort, String heap) throws IOException {
    return startPalco(jar, dir, "127.0.0.1", httpPort, heap, List.of());
  }

  /**
   * Starts Palco's server jar on {@code address}, its command preceded by {@code prefix} (such as
   * {@code nsenter -t PID -n}, to run it in another network namespace).
   */
  public static ServerProcess startPalco(Path jar, Path dir, String address, int httpPort, String heap,
      List<String> prefix) throws IOException {
    Files.createDirectories(dir);
    Path conf = dir.resolve("palco.conf");
    Files.writeString(conf, "palco {\n"
        + "  data-dir = \"" + dir.resolve("data").toAbsolutePath() + "\"\n"
        + "  http { bind = \"" + address + "\", port = " + httpPort + " }\n"
        + "  media.port = " + (httpPort + 1) + "\n"
        + "  tokens.secret = \"palco-loadtest-secret-0123456789\"\n"
        + "  log-level = \"warn\"\n"
        + "  rooms { max-players = 5000, max-participants = 64 }\n"
        + "}\n");
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of("java", "-Xmx" + heap, "-Dice4j.harvest.mapping.aws.enabled=false",
        "-Dice4j.harvest.mapping.stun.enabled=false", "-jar", jar.toAbsolutePath().toString(),
        "--config", conf.toAbsolutePath().toString()));
    Process p = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(dir.resolve("palco.log").toFile()).start();
    return new ServerProcess(p, "http://" + address + ":" + httpPort);
  }

  /**
   * Starts Janus with a generated configuration: VideoRoom and the HTTP transport on 127.0.0.1
   * only, full ICE restricted to the loopback interface, no STUN, default media settings.
   *
   * @param dir where janus.jcfg and the plugin files go, and the log
   * @param httpPort the HTTP API's port
   * @param iceInterface the one interface Janus gathers candidates on ({@code ice_enforce_list})
   */
  public static ServerProcess startJanus(Path dir, int httpPort, String iceInterface) throws IOException {
    return startJanus(dir, "127.0.0.1", httpPort, iceInterface, List.of());
  }

  /** Starts Janus with its HTTP API on {@code address}, its command preceded by {@code prefix}. */
  public static ServerProcess startJanus(Path dir, String address, int httpPort, String iceInterface,
      List<String> prefix) throws IOException {
    Files.createDirectories(dir);
    String plugins = "libjanus_audiobridge.so,libjanus_duktape.so,libjanus_echotest.so,libjanus_lua.so,"
        + "libjanus_nosip.so,libjanus_recordplay.so,libjanus_sip.so,libjanus_streaming.so,libjanus_textroom.so,"
        + "libjanus_videocall.so,libjanus_voicemail.so";
    String transports = "libjanus_mqtt.so,libjanus_nanomsg.so,libjanus_pfunix.so,libjanus_rabbitmq.so,"
        + "libjanus_websockets.so";
    Files.writeString(dir.resolve("janus.jcfg"), "general: {\n"
        + "  configs_folder = \"" + dir.toAbsolutePath() + "\"\n"
        + "  plugins_folder = \"" + JANUS_LIB + "/plugins\"\n"
        + "  transports_folder = \"" + JANUS_LIB + "/transports\"\n"
        + "  events_folder = \"" + JANUS_LIB + "/events\"\n"
        + "  loggers_folder = \"" + JANUS_LIB + "/loggers\"\n"
        + "  debug_level = " + Integer.getInteger("palco.loadtest.janusDebug", 3) + "\n"
        + "  protected_folders = []\n"
        + "}\n"
        + "media: {\n  rtp_port_range = \"20000-40000\"\n}\n"
        + "nat: {\n  ice_enforce_list = \"" + iceInterface + "\"\n  ignore_mdns = true\n  nice_debug = " + Boolean.getBoolean("palco.loadtest.niceDebug") + "\n}\n"
        + "plugins: {\n  disable = \"" + plugins + "\"\n}\n"
        + "transports: {\n  disable = \"" + transports + "\"\n}\n"
        + "events: {\n  broadcast = false\n}\n"
        + "loggers: {\n  disable = \"libjanus_jsonlog.so\"\n}\n");
    Files.writeString(dir.resolve("janus.transport.http.jcfg"), "general: {\n  json = \"compact\"\n"
        + "  base_path = \"/janus\"\n  http = true\n  port = " + httpPort + "\n  ip = \"" + address + "\"\n  https = false\n}\n"
        + "admin: {\n  admin_http = false\n}\n");
    Files.writeString(dir.resolve("janus.plugin.videoroom.jcfg"), "general: {\n}\n");
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of("janus", "-F", dir.toAbsolutePath().toString(), "-C",
        dir.resolve("janus.jcfg").toAbsolutePath().toString()));
    Process p = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(dir.resolve("janus.log").toFile()).start();
    return new ServerProcess(p, "http://" + address + ":" + httpPort + "/janus");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
