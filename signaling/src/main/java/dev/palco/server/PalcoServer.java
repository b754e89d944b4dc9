package dev.palco.server;

import dev.palco.signaling.IceServers;
import dev.palco.signaling.SignalingServer;
import dev.palco.signaling.room.RoomSettings;
import dev.palco.signaling.media.MediaPlane;
import dev.palco.signaling.token.JoinTokens;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Palco server: the media plane and the signaling server wired together. */
public final class PalcoServer {

  private static final Logger LOG = LoggerFactory.getLogger(PalcoServer.class);
  private static final int GENERATED_SECRET_BYTES = 32;

  private final ServerConfig config;
  private final MediaPlane mediaPlane;
  private final SignalingServer signaling;

  private PalcoServer(ServerConfig config, MediaPlane mediaPlane, SignalingServer signaling) {
    this.config = config;
    this.mediaPlane = mediaPlane;
    this.signaling = signaling;
  }

  /**
   * Builds and starts the server.
   *
   * @param config the configuration
   * @param mediaPlane the media plane (the server closes it on {@link #stop})
   * @param clock wall-clock time
   * @throws IOException if the TLS files cannot be read or the port cannot be bound
   * @throws GeneralSecurityException if the TLS key or certificate is unusable
   */
  public static PalcoServer start(ServerConfig config, MediaPlane mediaPlane, Clock clock)
      throws IOException, GeneralSecurityException {
    SSLContext tls = null;
    if (config.tlsEnabled()) {
      if (config.tlsCert().isEmpty() || config.tlsKey().isEmpty()) {
        throw new IllegalArgumentException("TLS needs both a certificate (--tls-cert) and a key (--tls-key)");
      }
      tls = TlsContexts.fromPem(Path.of(config.tlsCert()), Path.of(config.tlsKey()));
    }
    byte[] secret;
    if (config.tokenSecret().isEmpty()) {
      secret = new byte[GENERATED_SECRET_BYTES];
      new SecureRandom().nextBytes(secret);
      LOG.warn("no token secret configured (palco.tokens.secret or --token-secret): using a random one, "
          + "so join links will not survive a restart");
    } else {
      secret = config.tokenSecret().getBytes(StandardCharsets.UTF_8);
    }
    RoomSettings rooms = config.rooms();
    if (config.turn().enabled()) {
      // Fixed ice-servers first, then coturn with a credential issued per join.
      rooms =
          rooms.withIceServers(
              IceServers.withTurn(rooms.iceServers().fixedEntries(), config.turn().iceServerList(), clock));
      LOG.info("TURN: credentials for {} valid {} per join", config.turn().iceServerList().turnUrls(),
          config.turn().ttl());
    }
    SignalingServer.Settings settings =
        new SignalingServer.Settings(
            config.bindAddress(),
            config.httpPort(),
            tls,
            config.publicUrl(),
            rooms,
            config.limits(),
            config.tokenTtl(),
            config.maxPlayersPerRoom(),
            config.webFolder(),
            PalcoMain.version(),
            config.audience());
    SignalingServer signaling =
        new SignalingServer(settings, mediaPlane, new JoinTokens(secret, clock), clock, System::nanoTime);
    signaling.start();
    return new PalcoServer(config, mediaPlane, signaling);
  }

  /** Stops politely (see {@link SignalingServer#stop}), then closes the media plane. */
  public void stop() {
    signaling.stop(config.shutdownGrace());
    mediaPlane.close();
  }

  /** The HTTP listener's address. */
  public InetSocketAddress address() {
    return signaling.address();
  }

  /** The signaling server. */
  public SignalingServer signaling() {
    return signaling;
  }
}
