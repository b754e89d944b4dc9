package dev.palco.turn;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the {@code iceServers} for one participant: a STUN entry, and one TURN entry whose URLs
 * (UDP, TCP, TLS) share a credential issued for that participant at that moment.
 *
 * <pre>
 *   [{urls: ["stun:turn.example.org:3478"]},
 *    {urls: ["turn:turn.example.org:3478?transport=udp",
 *            "turn:turn.example.org:3478?transport=tcp",
 *            "turns:turn.example.org:443?transport=tcp"],
 *     username: "1767229200:room-7/p-3", credential: "…"}]
 * </pre>
 *
 * <p>URL syntax: RFC 7064 §3.1 ({@code stun:host:port}) and RFC 7065 §3.1 ({@code turn:} and
 * {@code turns:} with {@code ?transport=}); an IPv6 host is written in brackets (RFC 3986 §3.2.2).
 */
public final class IceServerList {

  private final IceServerSettings settings;
  private final TurnSecrets secrets;
  private final List<String> stunUrls;
  private final List<String> turnUrls;

  /** Lists for the given TURN server, signing with {@code secrets}. */
  public IceServerList(IceServerSettings settings, TurnSecrets secrets) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    String host = settings.host().indexOf(':') >= 0 ? "[" + settings.host() + "]" : settings.host();
    this.stunUrls = settings.stun() ? List.of("stun:" + host + ":" + settings.port()) : List.of();
    List<String> turn = new ArrayList<>(3);
    if (settings.udp()) {
      turn.add("turn:" + host + ":" + settings.port() + "?transport=udp");
    }
    if (settings.tcp()) {
      turn.add("turn:" + host + ":" + settings.port() + "?transport=tcp");
    }
    if (settings.tls()) {
      turn.add("turns:" + host + ":" + settings.tlsPort() + "?transport=tcp");
    }
    this.turnUrls = List.copyOf(turn);
  }

  /** The STUN URLs (no credential needed). */
  public List<String> stunUrls() {
    return stunUrls;
  }

  /** The TURN URLs, in the order a browser should try them: UDP, TCP, then TLS. */
  public List<String> turnUrls() {
    return turnUrls;
  }

  /** The settings this list was built from. */
  public IceServerSettings settings() {
    return settings;
  }

  /**
   * The entries for one participant, with a credential issued now and valid for the configured TTL.
   *
   * @param userId who the credential is for (see {@link TurnCredentials#issue})
   */
  public List<IceServer> forParticipant(String userId, Instant now) {
    TurnCredential credential = TurnCredentials.issue(secrets, userId, now, settings.ttl());
    IceServer turn = IceServer.turn(turnUrls, credential);
    return stunUrls.isEmpty() ? List.of(turn) : List.of(IceServer.stun(stunUrls), turn);
  }
}
