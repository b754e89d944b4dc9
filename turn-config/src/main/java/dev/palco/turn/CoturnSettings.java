package dev.palco.turn;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link CoturnConfigGenerator} writes into {@code turnserver.conf}. Mirrors {@code
 * palco.turn} in signaling's {@code reference.conf}; errors name those keys. Build one with {@link
 * #builder}.
 *
 * @param mode production, or a test on loopback
 * @param realm the long-term credential realm (RFC 8489 §9.2); clients learn it from the 401
 * @param listeningIps addresses coturn listens on; empty for all (production only)
 * @param externalIp {@code public} or {@code public/private}, when coturn is behind a 1:1 NAT; or empty
 * @param port STUN and TURN over UDP and TCP
 * @param tlsPort TURN over TLS (used only with a certificate)
 * @param minRelayPort lowest UDP port of relayed allocations
 * @param maxRelayPort highest UDP port of relayed allocations
 * @param certFile PEM certificate chain for TURNS, or empty for no TLS listener
 * @param keyFile PEM private key for TURNS, or empty
 * @param sfuAddresses the SFU's own media addresses: allowed as peers even inside a denied range
 * @param totalQuota allocations at once on the whole server (0: unlimited)
 * @param userQuota allocations at once per user id (0: unlimited)
 * @param maxBps bytes per second one allocation may relay in each direction (0: unlimited)
 * @param bpsCapacity bytes per second all allocations together may relay (0: unlimited)
 * @param staleNonce how long a nonce is good for before the client must re-authenticate
 * @param logFile {@code syslog}, {@code stdout}, or a file path
 * @param pidFile where coturn writes its process id, or empty for coturn's default
 * @param userDb coturn's SQLite database file, or empty for coturn's default
 */
public record CoturnSettings(
    CoturnMode mode,
    String realm,
    List<String> listeningIps,
    String externalIp,
    int port,
    int tlsPort,
    int minRelayPort,
    int maxRelayPort,
    String certFile,
    String keyFile,
    List<String> sfuAddresses,
    int totalQuota,
    int userQuota,
    long maxBps,
    long bpsCapacity,
    Duration staleNonce,
    String logFile,
    String pidFile,
    String userDb) {

  /** RFC 8489 §14.9: REALM is fewer than 128 characters. */
  private static final int MAX_REALM_CHARS = 127;

  /**
   * Checks every value.
   *
   * @throws IllegalArgumentException naming the {@code palco.turn} key at fault
   */
  public CoturnSettings {
    Objects.requireNonNull(mode, "mode");
    if (realm == null || realm.isEmpty()) {
      throw ConfigValues.bad("realm", "must not be empty");
    }
    if (realm.length() > MAX_REALM_CHARS) {
      throw ConfigValues.bad("realm", "must be shorter than 128 characters");
    }
    ConfigValues.confValue("realm", realm);
    listeningIps = ConfigValues.ips("listening-ips", listeningIps);
    if (mode == CoturnMode.TEST) {
      // Test mode lets coturn relay to 127.0.0.1: never let that listen beyond this machine.
      if (listeningIps.isEmpty()) {
        throw ConfigValues.bad("listening-ips", "test mode must listen on loopback only, and lists none");
      }
      for (String ip : listeningIps) {
        if (!isLoopback(ip)) {
          throw ConfigValues.bad("listening-ips", "test mode listens on loopback only, not " + ip);
        }
      }
    }
    Objects.requireNonNull(externalIp, "externalIp");
    if (!externalIp.isEmpty()) {
      int slash = externalIp.indexOf('/');
      ConfigValues.ip("external-ip", slash < 0 ? externalIp : externalIp.substring(0, slash));
      if (slash >= 0) {
        ConfigValues.ip("external-ip", externalIp.substring(slash + 1));
      }
    }
    ConfigValues.port("port", port);
    ConfigValues.port("tls-port", tlsPort);
    ConfigValues.port("relay-ports.min", minRelayPort);
    ConfigValues.port("relay-ports.max", maxRelayPort);
    if (minRelayPort > maxRelayPort) {
      throw ConfigValues.bad("relay-ports", "min (" + minRelayPort + ") is above max (" + maxRelayPort + ")");
    }
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    if (certFile.isEmpty() != keyFile.isEmpty()) {
      throw ConfigValues.bad(certFile.isEmpty() ? "tls.cert" : "tls.key", "TURNS needs both tls.cert and tls.key");
    }
    ConfigValues.confValue("tls.cert", certFile);
    ConfigValues.confValue("tls.key", keyFile);
    boolean tls = !certFile.isEmpty();
    if (tls && tlsPort == port) {
      throw ConfigValues.bad("tls-port", "must differ from palco.turn.port (" + port + ")");
    }
    if (inRange(port, minRelayPort, maxRelayPort) || (tls && inRange(tlsPort, minRelayPort, maxRelayPort))) {
      throw ConfigValues.bad("relay-ports", "must not contain the listening ports");
    }
    sfuAddresses = ConfigValues.ips("sfu-addresses", sfuAddresses);
    ConfigValues.notNegative("quota.total", totalQuota);
    ConfigValues.notNegative("quota.per-user", userQuota);
    ConfigValues.notNegative("bandwidth.max-bps", maxBps);
    ConfigValues.notNegative("bandwidth.bps-capacity", bpsCapacity);
    // stale-nonce=0 would mean nonces that never expire: refuse rather than weaken it silently.
    if (staleNonce == null || staleNonce.getSeconds() < 1) {
      throw ConfigValues.bad("stale-nonce", "must be at least one second (got " + staleNonce + ")");
    }
    if (logFile == null || logFile.isEmpty()) {
      throw ConfigValues.bad("log-file", "must be syslog, stdout or a file path");
    }
    ConfigValues.confValue("log-file", logFile);
    ConfigValues.confValue("pid-file", Objects.requireNonNull(pidFile, "pidFile"));
    ConfigValues.confValue("userdb", Objects.requireNonNull(userDb, "userDb"));
  }

  /** Whether coturn gets a TLS listener (a certificate and key are configured). */
  public boolean tlsEnabled() {
    return !certFile.isEmpty();
  }

  /** A builder with the defaults of {@code reference.conf}. */
  public static Builder builder(CoturnMode mode, String realm) {
    return new Builder(mode, realm);
  }

  private static boolean inRange(int port, int min, int max) {
    return port >= min && port <= max;
  }

  private static boolean isLoopback(String ip) {
    byte[] a = IpLiterals.parse(ip);
    if (a.length == 4) {
      return a[0] == 127;
    }
    for (int i = 0; i < 15; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[15] == 1;
  }

  /** Collects settings; {@link #build} checks them. */
  public static final class Builder {
    private final CoturnMode mode;
    private final String realm;
    private List<String> listeningIps = List.of();
    private String externalIp = "";
    private int port = IceServerSettings.DEFAULT_PORT;
    private int tlsPort = IceServerSettings.DEFAULT_TLS_PORT;
    private int minRelayPort = 49152;
    private int maxRelayPort = 65535;
    private String certFile = "";
    private String keyFile = "";
    private List<String> sfuAddresses = List.of();
    private int totalQuota = 1200;
    private int userQuota = 12;
    private long maxBps = 4_000_000;
    private long bpsCapacity = 0;
    private Duration staleNonce = Duration.ofMinutes(10);
    private String logFile = "syslog";
    private String pidFile = "";
    private String userDb = "";

    private Builder(CoturnMode mode, String realm) {
      this.mode = mode;
      this.realm = realm;
    }

    /** Addresses to listen on (default: all). */
    public Builder listeningIps(List<String> ips) {
      this.listeningIps = ips;
      return this;
    }

    /** {@code public} or {@code public/private} (default: none). */
    public Builder externalIp(String externalIp) {
      this.externalIp = externalIp;
      return this;
    }

    /** STUN/TURN port for UDP and TCP (default 3478). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** TURNS port (default 443). */
    public Builder tlsPort(int tlsPort) {
      this.tlsPort = tlsPort;
      return this;
    }

    /** Relay port range (default 49152–65535, the IANA dynamic ports RFC 8656 suggests for relays). */
    public Builder relayPorts(int min, int max) {
      this.minRelayPort = min;
      this.maxRelayPort = max;
      return this;
    }

    /** Certificate chain and key for TURNS (default: none, no TLS listener). */
    public Builder tls(String certFile, String keyFile) {
      this.certFile = certFile;
      this.keyFile = keyFile;
      return this;
    }

    /** The SFU's media addresses, allowed as peers (default: none). */
    public Builder sfuAddresses(List<String> addresses) {
      this.sfuAddresses = addresses;
      return this;
    }

    /** Allocation quotas (default 1200 in total, 12 per user). */
    public Builder quotas(int total, int perUser) {
      this.totalQuota = total;
      this.userQuota = perUser;
      return this;
    }

    /** Bandwidth caps in bytes per second (default 4,000,000 per allocation, no total cap). */
    public Builder bandwidth(long maxBps, long bpsCapacity) {
      this.maxBps = maxBps;
      this.bpsCapacity = bpsCapacity;
      return this;
    }

    /** Nonce lifetime (default 10 minutes). */
    public Builder staleNonce(Duration staleNonce) {
      this.staleNonce = staleNonce;
      return this;
    }

    /** {@code syslog} (default), {@code stdout} or a file path. */
    public Builder logFile(String logFile) {
      this.logFile = logFile;
      return this;
    }

    /** Where coturn writes its pid (default: coturn's own default). */
    public Builder pidFile(String pidFile) {
      this.pidFile = pidFile;
      return this;
    }

    /** coturn's SQLite database (default: coturn's own default). */
    public Builder userDb(String userDb) {
      this.userDb = userDb;
      return this;
    }

    /**
     * The checked settings.
     *
     * @throws IllegalArgumentException naming the {@code palco.turn} key at fault
     */
    public CoturnSettings build() {
      return new CoturnSettings(
          mode, realm, listeningIps, externalIp, port, tlsPort, minRelayPort, maxRelayPort, certFile, keyFile,
          sfuAddresses, totalQuota, userQuota, maxBps, bpsCapacity, staleNonce, logFile, pidFile, userDb);
    }
  }
}
