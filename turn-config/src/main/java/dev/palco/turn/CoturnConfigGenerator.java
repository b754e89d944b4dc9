package dev.palco.turn;

import java.time.Instant;
import java.util.Objects;

/**
 * Writes a hardened coturn 4.6 {@code turnserver.conf} from {@link CoturnSettings} and the shared
 * secrets. Each option comes with a comment saying why it is there, so the file explains itself to
 * whoever opens it on the server.
 *
 * <p>What makes it hardened:
 *
 * <ul>
 *   <li>Only the TURN REST API scheme ({@code use-auth-secret}): no anonymous access, no static
 *       users, and {@code fingerprint}, {@code stale-nonce}.
 *   <li>The relay cannot reach private, loopback, link-local, multicast or reserved addresses
 *       ({@link DeniedPeerRange#ALL}), except the SFU's own addresses ({@code allowed-peer-ip}
 *       wins over {@code denied-peer-ip} in coturn). Loopback peers are never allowed in
 *       production: coturn 4.6 forbids them by default ({@code no-loopback-peers} is gone and is
 *       now a configuration error; only {@code allow-loopback-peers} exists, which test mode alone
 *       writes).
 *   <li>UDP relays only ({@code no-tcp-relay}): browsers never ask for TCP relays (RFC 6062), which
 *       would let a client open TCP connections anywhere. No DTLS listener: browsers do not speak
 *       TURN over DTLS.
 *   <li>TLS 1.2 or newer; quotas and bandwidth caps; no telnet CLI; no answers that amplify
 *       (RFC 5780 extras, old STUN); the software version hidden in production.
 * </ul>
 *
 * <p>Pure: the caller passes the time, which decides whether a rotated-out secret is still listed.
 */
public final class CoturnConfigGenerator {

  private CoturnConfigGenerator() {}

  /**
   * The {@code turnserver.conf} text.
   *
   * @param now decides which secrets are listed ({@link TurnSecrets#validAt}): regenerate and
   *     restart coturn once a rotation's overlap has ended, to drop the old secret
   */
  public static String generate(CoturnSettings s, TurnSecrets secrets, Instant now) {
    Objects.requireNonNull(s, "settings");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(now, "now");
    Conf c = new Conf();
    c.comment("coturn configuration for Palco, written by `palco turn-config`"
        + (s.mode() == CoturnMode.TEST ? " in TEST mode (loopback only, never for real use)" : "") + ".");
    c.comment("Change Palco's palco.turn settings and regenerate, rather than editing this file.");
    c.comment("It holds the TURN shared secret: keep it readable by root and coturn only (mode 0640).");

    c.section("Listeners");
    if (s.listeningIps().isEmpty()) {
      c.comment("No listening-ip: coturn listens on every address of the machine.");
    }
    for (String ip : s.listeningIps()) {
      c.option("listening-ip", ip);
    }
    c.comment("STUN, TURN over UDP and TURN over TCP.");
    c.option("listening-port", s.port());
    if (s.tlsEnabled()) {
      c.comment("TURN over TLS: 443 gets through firewalls that let only HTTPS out.");
      c.option("tls-listening-port", s.tlsPort());
    } else {
      c.comment("No certificate configured (palco.turn.tls): no TURNS listener.");
      c.flag("no-tls");
    }
    c.comment("Browsers never speak TURN over DTLS; a listener nobody uses is only attack surface.");
    c.flag("no-dtls");
    if (!s.externalIp().isEmpty()) {
      c.comment("Behind a 1:1 NAT: the public address is what XOR-RELAYED-ADDRESS reports.");
      c.option("external-ip", s.externalIp());
    }

    c.section("Relay");
    c.comment("UDP ports of relayed allocations; open them in the firewall.");
    c.option("min-port", s.minRelayPort());
    c.option("max-port", s.maxRelayPort());
    c.comment("Browsers only allocate UDP relays; TCP relays (RFC 6062) would let clients open TCP");
    c.comment("connections to any host the server can reach.");
    c.flag("no-tcp-relay");

    c.section("Authentication: TURN REST API (ephemeral credentials)");
    c.comment("Long-term credential realm (RFC 8489 section 9.2).");
    c.option("realm", s.realm());
    c.comment("Usernames are \"<expiry>:<user id>\", passwords base64(HMAC-SHA1(secret, username)):");
    c.comment("Palco issues a fresh one per participant, and coturn refuses it after the expiry.");
    c.comment("This is the only mechanism: no static users, no anonymous access (no-auth).");
    c.flag("use-auth-secret");
    Instant until = secrets.previousValidUntil().orElse(null);
    boolean overlap = secrets.previousValidAt(now);
    if (overlap) {
      c.comment("Secret rotation: the new secret signs; the previous one is accepted until " + until + ".");
      c.comment("Regenerate and restart coturn after that time to drop it.");
    } else if (until != null) {
      c.comment("The previous secret's overlap ended at " + until + ": it is no longer listed.");
    }
    for (String secret : secrets.validAt(now)) {
      c.option("static-auth-secret", secret);
    }
    c.comment("Every message carries a FINGERPRINT (RFC 8489 section 14.7).");
    c.flag("fingerprint");
    c.comment("A nonce lives this many seconds; then the client must authenticate again.");
    c.option("stale-nonce", s.staleNonce().getSeconds());

    c.section("TLS");
    if (s.tlsEnabled()) {
      c.option("cert", s.certFile());
      c.option("pkey", s.keyFile());
    } else {
      c.comment("No certificate: the settings below apply if one is added later.");
    }
    c.comment("TLS 1.0 and 1.1 are deprecated (RFC 8996).");
    c.flag("no-tlsv1");
    c.flag("no-tlsv1_1");

    c.section("Quotas and bandwidth");
    c.comment("Allocations at once: on the whole server, and per user id (0: unlimited).");
    c.option("total-quota", s.totalQuota());
    c.option("user-quota", s.userQuota());
    c.comment("Bytes per second: per allocation and direction, and for the whole server (0: unlimited).");
    c.option("max-bps", s.maxBps());
    c.option("bps-capacity", s.bpsCapacity());

    c.section("Peers the relay may reach");
    c.comment("A relay that can reach internal networks is a proxy into them (the cloud metadata");
    c.comment("service, databases, the TURN host's own loopback services). Deny every range that is");
    c.comment("not on the public internet, or that embeds such an address.");
    c.flag("no-multicast-peers");
    for (DeniedPeerRange r : DeniedPeerRange.ALL) {
      c.comment(r.cidr() + ": " + r.why());
      c.option("denied-peer-ip", r.coturnValue());
    }
    if (!s.sfuAddresses().isEmpty()) {
      c.comment("The SFU's own media addresses: the one place relayed media must reach, even when it");
      c.comment("sits in a denied range (allowed-peer-ip overrides denied-peer-ip).");
    }
    for (String ip : s.sfuAddresses()) {
      c.option("allowed-peer-ip", ip);
    }
    if (s.mode() == CoturnMode.TEST) {
      c.comment("TEST mode: the SFU under test is on 127.0.0.1. coturn 4.6 refuses loopback peers");
      c.comment("unless allow-loopback-peers is set; 127.0.0.0/8 stays denied except 127.0.0.1.");
      c.flag("allow-loopback-peers");
      c.option("allowed-peer-ip", "127.0.0.1");
    } else {
      c.comment("Production: no allow-loopback-peers, so coturn refuses loopback peers (its 4.6 default).");
    }

    c.section("Amplification and disclosure");
    c.comment("No NAT behaviour discovery (RFC 5780) and no RFC 3489 answers: both make STUN");
    c.comment("responses larger than requests, which reflection attacks exploit.");
    c.flag("no-rfc5780");
    c.flag("no-stun-backward-compatibility");
    c.flag("response-origin-only-with-rfc5780");
    if (s.mode() == CoturnMode.PRODUCTION) {
      c.comment("Do not tell the world which coturn version runs here (RFC 8489 section 16.1.2).");
      c.flag("no-software-attribute");
    }

    c.section("Administration");
    c.comment("No telnet CLI: nothing administers this server over the network.");
    c.flag("no-cli");

    c.section("Logging");
    if (s.logFile().equals("syslog")) {
      c.flag("syslog");
    } else {
      c.option("log-file", s.logFile());
      if (!s.logFile().equals("stdout")) {
        c.comment("Everything goes to the log file only.");
        c.flag("no-stdout-log");
      }
    }
    c.comment("One file under its own name (rotate it with logrotate), ISO 8601 timestamps.");
    c.flag("simple-log");
    c.flag("new-log-timestamp");
    if (!s.pidFile().isEmpty()) {
      c.option("pidfile", s.pidFile());
    }
    if (!s.userDb().isEmpty()) {
      c.comment("coturn opens its SQLite database even with static secrets; keep it somewhere writable.");
      c.option("userdb", s.userDb());
    }
    return c.text();
  }

  /** Builds the text: one option per line, comments on their own lines (coturn has no trailing comments). */
  private static final class Conf {
    private final StringBuilder out = new StringBuilder(8192);

    void comment(String text) {
      out.append("# ").append(text).append('\n');
    }

    void section(String title) {
      out.append("\n# --- ").append(title).append(" ---\n");
    }

    void flag(String name) {
      out.append(name).append('\n');
    }

    void option(String name, Object value) {
      out.append(name).append('=').append(value).append('\n');
    }

    String text() {
      return out.toString();
    }
  }
}
