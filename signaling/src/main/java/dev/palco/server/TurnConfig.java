package dev.palco.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.palco.turn.CoturnMode;
import dev.palco.turn.CoturnSettings;
import dev.palco.turn.IceServerList;
import dev.palco.turn.IceServerSettings;
import dev.palco.turn.TurnSecrets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The {@code palco.turn} block: where clients reach coturn, the shared secret and its rotation,
 * and the settings of the {@code turnserver.conf} that {@code palco turn-config} writes. The values
 * are only checked when TURN is enabled or the file is generated, so the empty defaults do not
 * stop a server that does not use TURN.
 *
 * @param enabled whether {@code joined} and WHIP/WHEP hand out TURN credentials
 * @param host the TURN server's name or address, as clients dial it
 * @param realm the coturn realm (the host when left empty)
 * @param secret the shared secret credentials are signed with
 * @param previousSecret the secret being rotated out, or empty
 * @param previousSecretValidUntil when the previous secret stops working, or {@code null}
 * @param ttl how long a credential works
 * @param stun whether to hand out the STUN URL
 * @param udp whether to hand out TURN over UDP
 * @param tcp whether to hand out TURN over TCP
 * @param tls whether to hand out TURNS
 * @param port coturn's STUN/TURN port for UDP and TCP
 * @param tlsPort coturn's TURNS port
 * @param minRelayPort lowest relay port
 * @param maxRelayPort highest relay port
 * @param listeningIps addresses coturn listens on (empty: all)
 * @param externalIp coturn's public address behind a 1:1 NAT, or empty
 * @param sfuAddresses the SFU's media addresses, allowed as peers inside denied ranges
 * @param certFile PEM certificate chain for TURNS, or empty
 * @param keyFile PEM key for TURNS, or empty
 * @param totalQuota allocations on the whole server
 * @param userQuota allocations per user id
 * @param maxBps bytes per second per allocation
 * @param bpsCapacity bytes per second for the whole server
 * @param staleNonce nonce lifetime
 * @param logFile {@code syslog}, {@code stdout} or a path
 * @param pidFile coturn's pid file, or empty
 * @param userDb coturn's SQLite file, or empty
 */
public record TurnConfig(
    boolean enabled,
    String host,
    String realm,
    String secret,
    String previousSecret,
    Instant previousSecretValidUntil,
    Duration ttl,
    boolean stun,
    boolean udp,
    boolean tcp,
    boolean tls,
    int port,
    int tlsPort,
    int minRelayPort,
    int maxRelayPort,
    List<String> listeningIps,
    String externalIp,
    List<String> sfuAddresses,
    String certFile,
    String keyFile,
    int totalQuota,
    int userQuota,
    long maxBps,
    long bpsCapacity,
    Duration staleNonce,
    String logFile,
    String pidFile,
    String userDb) {

  /** Reads {@code palco.turn} (given as {@code c}); type errors are {@link ConfigException}s. */
  static TurnConfig from(Config c) {
    String until = c.getString("previous-secret-valid-until");
    Instant validUntil;
    try {
      validUntil = until.isEmpty() ? null : Instant.parse(until);
    } catch (DateTimeParseException e) {
      throw new ConfigException.BadValue(
          "palco.turn.previous-secret-valid-until", "must be an ISO-8601 instant such as 2026-06-01T12:00:00Z");
    }
    return new TurnConfig(
        c.getBoolean("enabled"),
        c.getString("host"),
        c.getString("realm"),
        c.getString("secret"),
        c.getString("previous-secret"),
        validUntil,
        c.getDuration("ttl"),
        c.getBoolean("stun"),
        c.getBoolean("transports.udp"),
        c.getBoolean("transports.tcp"),
        c.getBoolean("transports.tls"),
        c.getInt("port"),
        c.getInt("tls-port"),
        c.getInt("relay-ports.min"),
        c.getInt("relay-ports.max"),
        List.copyOf(c.getStringList("listening-ips")),
        c.getString("external-ip"),
        List.copyOf(c.getStringList("sfu-addresses")),
        c.getString("tls.cert"),
        c.getString("tls.key"),
        c.getInt("quota.total"),
        c.getInt("quota.per-user"),
        c.getLong("bandwidth.max-bps"),
        c.getLong("bandwidth.bps-capacity"),
        c.getDuration("stale-nonce"),
        c.getString("log-file"),
        c.getString("pid-file"),
        c.getString("userdb"));
  }

  /**
   * The secrets: the current one, and the previous one while a rotation is configured.
   *
   * @throws IllegalArgumentException naming the key at fault
   */
  public TurnSecrets secrets() {
    if (previousSecret.isEmpty()) {
      return TurnSecrets.of(secret);
    }
    if (previousSecretValidUntil == null) {
      throw new IllegalArgumentException(
          "palco.turn.previous-secret-valid-until: must be set while palco.turn.previous-secret is");
    }
    return TurnSecrets.rotating(secret, previousSecret, previousSecretValidUntil);
  }

  /**
   * What clients are told.
   *
   * @throws IllegalArgumentException naming the key at fault
   */
  public IceServerSettings iceServerSettings() {
    return new IceServerSettings(host, stun, udp, tcp, tls, port, tlsPort, ttl);
  }

  /**
   * The ICE server list credentials are issued from.
   *
   * @throws IllegalArgumentException naming the key at fault
   */
  public IceServerList iceServerList() {
    return new IceServerList(iceServerSettings(), secrets());
  }

  /**
   * The coturn settings; the realm defaults to the host.
   *
   * @throws IllegalArgumentException naming the key at fault
   */
  public CoturnSettings coturnSettings(CoturnMode mode) {
    String effectiveRealm = realm.isEmpty() ? iceServerSettings().host() : realm;
    return CoturnSettings.builder(mode, effectiveRealm)
        .listeningIps(listeningIps)
        .externalIp(externalIp)
        .port(port)
        .tlsPort(tlsPort)
        .relayPorts(minRelayPort, maxRelayPort)
        .tls(certFile, keyFile)
        .sfuAddresses(sfuAddresses)
        .quotas(totalQuota, userQuota)
        .bandwidth(maxBps, bpsCapacity)
        .staleNonce(staleNonce)
        .logFile(logFile)
        .pidFile(pidFile)
        .userDb(userDb)
        .build();
  }

  /**
   * Checks everything the server uses when TURN is enabled, as a {@link ConfigException} naming
   * the key, like every other configuration error.
   */
  void check() {
    try {
      iceServerList();
      coturnSettings(CoturnMode.PRODUCTION);
    } catch (IllegalArgumentException e) {
      throw asConfigException(e);
    }
  }

  /** An {@link IllegalArgumentException} from {@code dev.palco.turn}, as a {@link ConfigException}. */
  static ConfigException asConfigException(IllegalArgumentException e) {
    String message = e.getMessage() == null ? "invalid" : e.getMessage();
    int colon = message.indexOf(": ");
    if (message.startsWith("palco.turn.") && colon > 0) {
      return new ConfigException.BadValue(message.substring(0, colon), message.substring(colon + 2), e);
    }
    return new ConfigException.BadValue("palco.turn", message, e);
  }

  /** Never shows the secrets. */
  @Override
  public String toString() {
    return "TurnConfig[enabled=" + enabled + ", host=" + host + ", port=" + port + ", tlsPort=" + tlsPort + "]";
  }
}
