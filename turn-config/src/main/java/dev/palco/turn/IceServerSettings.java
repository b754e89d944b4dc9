package dev.palco.turn;

import java.time.Duration;

/**
 * Where clients reach the TURN server, and how long their credentials last. Mirrors {@code
 * palco.turn} in signaling's {@code reference.conf}; errors name those keys.
 *
 * <p>coturn answers STUN, TURN over UDP and TURN over TCP on one {@code listening-port}, and TURN
 * over TLS on its {@code tls-listening-port}. TURNS on 443 gets through firewalls that pass only
 * HTTPS.
 *
 * @param host the name or address clients use; for TURNS it must match the certificate
 * @param stun whether to hand out {@code stun:host:port} (coturn answers Binding requests)
 * @param udp whether to hand out {@code turn:host:port?transport=udp}
 * @param tcp whether to hand out {@code turn:host:port?transport=tcp}
 * @param tls whether to hand out {@code turns:host:tlsPort?transport=tcp}
 * @param port coturn's listening port, for STUN and TURN over UDP and TCP
 * @param tlsPort coturn's TLS listening port (443 in production)
 * @param ttl how long each credential works; at least one second
 */
public record IceServerSettings(
    String host,
    boolean stun,
    boolean udp,
    boolean tcp,
    boolean tls,
    int port,
    int tlsPort,
    Duration ttl) {

  /** coturn's default listening port (RFC 8489 §18.6 assigns 3478 to STUN and TURN). */
  public static final int DEFAULT_PORT = 3478;

  /** TURNS on 443: the port every firewall that lets HTTPS out also lets through. */
  public static final int DEFAULT_TLS_PORT = 443;

  /**
   * Checks every value.
   *
   * @throws IllegalArgumentException naming the {@code palco.turn} key at fault
   */
  public IceServerSettings {
    host = ConfigValues.host("host", host);
    ConfigValues.port("port", port);
    ConfigValues.port("tls-port", tlsPort);
    if (!udp && !tcp && !tls) {
      throw ConfigValues.bad("transports", "at least one of udp, tcp and tls must be on");
    }
    TurnCredentials.checkTtl(ttl);
  }

  /** All of STUN, UDP, TCP and TLS on the default ports. */
  public static IceServerSettings defaults(String host, Duration ttl) {
    return new IceServerSettings(host, true, true, true, true, DEFAULT_PORT, DEFAULT_TLS_PORT, ttl);
  }
}
