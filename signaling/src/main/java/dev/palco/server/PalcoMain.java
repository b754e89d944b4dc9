package dev.palco.server;

import dev.palco.sfu.room.SendSideConfig;
import dev.palco.sfu.room.SfuConfig;
import dev.palco.sfu.transport.IceConfig;
import dev.palco.sfu.transport.NatMapping;
import dev.palco.signaling.media.SfuMediaPlane;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The server's entry point and composition root: reads the configuration (built-in defaults, an
 * optional {@code --config} file, then flags), sets up logging, starts the media plane and the
 * signaling server, and stops both politely on SIGTERM. {@code palco turn-config} writes coturn's
 * configuration instead ({@link TurnConfigCommand}).
 */
@Command(
    name = "palco",
    mixinStandardHelpOptions = true,
    versionProvider = PalcoMain.VersionProvider.class,
    subcommands = TurnConfigCommand.class,
    description = "Palco live-stage server: WebRTC SFU, signaling, WHIP/WHEP and the web client.")
public final class PalcoMain implements Callable<Integer> {

  @Option(names = "--config", paramLabel = "FILE", description = "HOCON file overriding the built-in defaults")
  Path configFile;

  @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP/WebSocket port (default 8080)")
  Integer httpPort;

  @Option(names = "--bind", paramLabel = "ADDRESS", description = "listen address (default 0.0.0.0)")
  String bind;

  @Option(names = "--public-address", paramLabel = "HOST", description = "host or IP clients reach the server at")
  String publicAddress;

  @Option(names = "--public-url", paramLabel = "URL", description = "base URL of join links")
  String publicUrl;

  @Option(names = "--media-port", paramLabel = "PORT", description = "UDP media port (default 10000)")
  Integer mediaPort;

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "certificate chain for https/wss")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "private key for https/wss")
  Path tlsKey;

  @Option(names = "--token-secret", paramLabel = "SECRET", description = "join token secret (at least 16 bytes)")
  String tokenSecret;

  @Option(names = "--log-level", paramLabel = "LEVEL", description = "trace, debug, info, warn, error or off")
  String logLevel;

  /** Runs the server until the JVM is asked to stop. */
  public static void main(String[] args) {
    int exit = new CommandLine(new PalcoMain()).execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }

  @Override
  public Integer call() throws Exception {
    ServerConfig config = ServerConfig.load(configFile, overrides());
    configureLogging(config.logLevel());
    Logger log = LoggerFactory.getLogger(PalcoMain.class);
    log.info("Palco {} starting", version());
    SfuMediaPlane mediaPlane = SfuMediaPlane.start(iceConfig(config), SfuConfig.defaults(), config.broadcast(),
        SendSideConfig.DEFAULT.withLastN(config.lastN()), config.opusRed());
    log.info("media on UDP {} and ICE-TCP {}", mediaPlane.iceServer().udpAddresses(),
        mediaPlane.iceServer().tcpAddresses());
    PalcoServer server = PalcoServer.start(config, mediaPlane, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("shutting down");
                  server.stop();
                  stopped.countDown();
                },
                "palco-shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * ICE on every address of every interface that is up, loopback included (a browser on the same
   * machine reaches the SFU on 127.0.0.1). With a public address, each non-loopback IPv4 address
   * is advertised behind a 1:1 NAT mapping to it, as a cloud host with an elastic address needs.
   */
  static IceConfig iceConfig(ServerConfig config) throws IOException {
    List<InetAddress> bind = new ArrayList<>();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address) {
          bind.add(address);
        }
      }
    }
    IceConfig ice = IceConfig.defaults(bind).withPorts(config.mediaPort(), true, IceConfig.DEFAULT_TCP_PORT);
    if (!config.publicAddress().isEmpty()) {
      InetAddress publicAddress = InetAddress.getByName(config.publicAddress());
      List<NatMapping> mappings = new ArrayList<>();
      for (InetAddress local : bind) {
        if (!local.isLoopbackAddress()) {
          mappings.add(new NatMapping(local, publicAddress));
        }
      }
      ice = ice.withNatMappings(mappings);
    }
    return ice;
  }

  /** Flag values by configuration path; only flags that were given. */
  Map<String, Object> overrides() {
    Map<String, Object> o = new HashMap<>();
    if (httpPort != null) {
      o.put("palco.http.port", httpPort);
    }
    if (bind != null) {
      o.put("palco.http.bind", bind);
    }
    if (publicAddress != null) {
      o.put("palco.public-address", publicAddress);
    }
    if (publicUrl != null) {
      o.put("palco.public-url", publicUrl);
    }
    if (mediaPort != null) {
      o.put("palco.media.port", mediaPort);
    }
    if (tlsCert != null) {
      o.put("palco.tls.cert", tlsCert.toString());
    }
    if (tlsKey != null) {
      o.put("palco.tls.key", tlsKey.toString());
    }
    if (tokenSecret != null) {
      o.put("palco.tokens.secret", tokenSecret);
    }
    if (logLevel != null) {
      o.put("palco.log-level", logLevel);
    }
    return o;
  }

  /**
   * Points slf4j-simple (and Undertow's jboss-logging, through slf4j) at the level. Must run
   * before the first logger is made, since slf4j-simple reads its properties once.
   */
  static void configureLogging(String level) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
    System.setProperty("org.jboss.logging.provider", "slf4j");
  }

  /** The build version from {@code version.properties}, or {@code unknown}. */
  static String version() {
    Properties props = new Properties();
    try (InputStream in = PalcoMain.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      // The version is informative only; a damaged jar still starts.
    }
    return props.getProperty("version", "unknown");
  }

  /** Gives picocli's {@code --version} the build version. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"Palco " + version()};
    }
  }
}
