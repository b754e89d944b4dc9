package dev.palco.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The security settings of the generated {@code turnserver.conf}, read back the way coturn reads
 * the file, so that none of them can go missing without a test failing.
 */
class CoturnConfigGeneratorTest {

  private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
  private static final String SECRET = "generator-test-secret-0001";
  private static final String OLD_SECRET = "generator-test-secret-0000";
  private static final String SFU = "10.0.0.5";

  /** Addresses the relay must never reach, one or more per range family. */
  private static final List<String> INTERNAL =
      List.of(
          "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.254", "127.0.0.1",
          "127.0.0.53", "127.255.255.255", "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.8",
          "192.0.2.1", "192.88.99.1", "192.168.0.1", "192.168.255.255", "198.18.0.1", "198.19.255.255",
          "198.51.100.1", "203.0.113.1", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
          "::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1", "100::1",
          "2001::1", "2001:db8::1", "2002:a00:1::1", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1",
          "fec0::1", "ff02::1");

  /** Public addresses the relay must still reach. */
  private static final List<String> PUBLIC =
      List.of("1.1.1.1", "8.8.8.8", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0", "192.169.0.0",
          "223.255.255.255", "2606:4700::1111", "2a00:1450::1");

  private static CoturnSettings settings(CoturnMode mode, UnaryOperator<CoturnSettings.Builder> customize) {
    CoturnSettings.Builder b =
        CoturnSettings.builder(mode, "palco.example")
            .listeningIps(mode == CoturnMode.TEST ? List.of("127.0.0.1") : List.of())
            .sfuAddresses(List.of(SFU));
    return customize.apply(b).build();
  }

  private static ParsedConf generate(CoturnMode mode) {
    return ParsedConf.parse(CoturnConfigGenerator.generate(settings(mode, b -> b), TurnSecrets.of(SECRET), NOW));
  }

  @Test
  void deniedRangesAreTheirCidrBlocks() {
    for (DeniedPeerRange r : DeniedPeerRange.ALL) {
      int slash = r.cidr().indexOf('/');
      byte[] network = IpLiterals.parse(r.cidr().substring(0, slash));
      assertNotNull(network, r.cidr());
      int prefix = Integer.parseInt(r.cidr().substring(slash + 1));
      int bits = network.length * 8;
      BigInteger first = new BigInteger(1, network);
      BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
      assertEquals(BigInteger.ZERO, first.and(hostMask), r.cidr() + " is a network address");
      assertEquals(first, number(r.first()), r.cidr() + " first");
      BigInteger last = r.last() == null ? number(r.first()) : number(r.last());
      assertEquals(first.or(hostMask), last, r.cidr() + " last");
      assertEquals(network.length, IpLiterals.parse(r.first()).length, r.cidr() + " family");
    }
  }

  @Test
  void noRangeIsTheUnspecifiedAddressAloneWhichCoturnReadsAsEverything() {
    for (DeniedPeerRange r : DeniedPeerRange.ALL) {
      if (r.last() == null) {
        assertTrue(number(r.first()).signum() != 0, r.cidr());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(CoturnMode.class)
  void everyInternalAddressIsDeniedAndEveryPublicOneIsNot(CoturnMode mode) {
    ParsedConf conf = generate(mode);

    for (String ip : INTERNAL) {
      if (mode == CoturnMode.TEST && ip.equals("127.0.0.1")) {
        continue;
      }
      assertFalse(conf.relayAllowed(ip), mode + ": the relay could reach " + ip);
    }
    for (String ip : PUBLIC) {
      assertTrue(conf.relayAllowed(ip), mode + ": the relay could not reach " + ip);
    }
  }

  @ParameterizedTest
  @EnumSource(CoturnMode.class)
  void theSfuIsReachableThoughItSitsInAPrivateRange(CoturnMode mode) {
    ParsedConf conf = generate(mode);

    assertEquals(List.of(SFU), mode == CoturnMode.PRODUCTION ? conf.all("allowed-peer-ip") : conf.all("allowed-peer-ip").subList(0, 1));
    assertTrue(conf.relayAllowed(SFU));
    assertFalse(conf.relayAllowed("10.0.0.6"), "only the SFU, not its neighbours");
  }

  @Test
  void productionNeverAllowsLoopbackPeers() {
    ParsedConf conf = generate(CoturnMode.PRODUCTION);

    assertFalse(conf.has("allow-loopback-peers"));
    assertFalse(conf.relayAllowed("127.0.0.1"));
    assertFalse(conf.relayAllowed("::1"));
    assertFalse(conf.all("allowed-peer-ip").stream().anyMatch(ip -> ip.startsWith("127.") || ip.equals("::1")));
    // coturn 4.6 refuses the old option outright ("Bad configuration format"), so it must not appear.
    assertFalse(conf.has("no-loopback-peers"));
    assertTrue(conf.has("no-software-attribute"));
  }

  @Test
  void testModeAllowsOnly127001OnLoopbackAndListensOnLoopbackOnly() {
    ParsedConf conf = generate(CoturnMode.TEST);

    assertTrue(conf.has("allow-loopback-peers"));
    assertTrue(conf.relayAllowed("127.0.0.1"));
    assertFalse(conf.relayAllowed("127.0.0.2"));
    assertFalse(conf.relayAllowed("::1"));
    assertEquals(List.of("127.0.0.1"), conf.all("listening-ip"));
  }

  @ParameterizedTest
  @EnumSource(CoturnMode.class)
  void authenticationIsTheRestApiSchemeOnly(CoturnMode mode) {
    ParsedConf conf = generate(mode);

    assertTrue(conf.has("use-auth-secret"));
    assertEquals(List.of(SECRET), conf.all("static-auth-secret"));
    assertEquals(List.of("palco.example"), conf.all("realm"));
    assertTrue(conf.has("fingerprint"));
    assertEquals(List.of("600"), conf.all("stale-nonce"));
    for (String forbidden : List.of("no-auth", "lt-cred-mech", "user", "oauth", "secure-stun-off", "server-relay")) {
      assertFalse(conf.has(forbidden), forbidden);
    }
  }

  @ParameterizedTest
  @EnumSource(CoturnMode.class)
  void attackSurfaceIsOff(CoturnMode mode) {
    ParsedConf conf = generate(mode);

    for (String flag : List.of("no-cli", "no-tcp-relay", "no-dtls", "no-multicast-peers", "no-tlsv1", "no-tlsv1_1",
        "no-rfc5780", "no-stun-backward-compatibility", "response-origin-only-with-rfc5780")) {
      assertTrue(conf.has(flag), flag);
    }
    for (String admin : List.of("web-admin", "prometheus", "cli-password", "cli-ip")) {
      assertFalse(conf.has(admin), admin);
    }
  }

  @Test
  void quotasBandwidthAndPortsAreWritten() {
    CoturnSettings s =
        settings(CoturnMode.PRODUCTION, b -> b.quotas(500, 6).bandwidth(2_000_000, 80_000_000).relayPorts(40000, 40999)
            .port(3479).tlsPort(443).tls("/etc/palco/turn.crt", "/etc/palco/turn.key").externalIp("203.0.113.9/10.0.0.9")
            .staleNonce(Duration.ofMinutes(5)).logFile("/var/log/turnserver.log"));
    ParsedConf conf = ParsedConf.parse(CoturnConfigGenerator.generate(s, TurnSecrets.of(SECRET), NOW));

    assertEquals(List.of("500"), conf.all("total-quota"));
    assertEquals(List.of("6"), conf.all("user-quota"));
    assertEquals(List.of("2000000"), conf.all("max-bps"));
    assertEquals(List.of("80000000"), conf.all("bps-capacity"));
    assertEquals(List.of("40000"), conf.all("min-port"));
    assertEquals(List.of("40999"), conf.all("max-port"));
    assertEquals(List.of("3479"), conf.all("listening-port"));
    assertEquals(List.of("443"), conf.all("tls-listening-port"));
    assertEquals(List.of("/etc/palco/turn.crt"), conf.all("cert"));
    assertEquals(List.of("/etc/palco/turn.key"), conf.all("pkey"));
    assertEquals(List.of("203.0.113.9/10.0.0.9"), conf.all("external-ip"));
    assertEquals(List.of("300"), conf.all("stale-nonce"));
    assertEquals(List.of("/var/log/turnserver.log"), conf.all("log-file"));
    assertTrue(conf.has("no-stdout-log"));
    assertTrue(conf.has("simple-log"));
    assertTrue(conf.has("new-log-timestamp"));
    assertFalse(conf.has("no-tls"));
    assertFalse(conf.has("syslog"));
  }

  @Test
  void withoutACertificateThereIsNoTlsListenerAndLogsGoToSyslog() {
    ParsedConf conf = generate(CoturnMode.PRODUCTION);

    assertTrue(conf.has("no-tls"));
    assertFalse(conf.has("tls-listening-port"));
    assertFalse(conf.has("cert"));
    assertTrue(conf.has("syslog"));
    assertFalse(conf.has("log-file"));
  }

  @Test
  void duringARotationBothSecretsAreListedAndAfterItOnlyTheNewOne() {
    Instant overlapEnds = NOW.plus(Duration.ofHours(24));
    TurnSecrets rotating = TurnSecrets.of(OLD_SECRET).rotateTo(SECRET, overlapEnds);
    CoturnSettings s = settings(CoturnMode.PRODUCTION, b -> b);

    ParsedConf during = ParsedConf.parse(CoturnConfigGenerator.generate(s, rotating, overlapEnds.minusSeconds(1)));
    ParsedConf after = ParsedConf.parse(CoturnConfigGenerator.generate(s, rotating, overlapEnds));

    assertEquals(List.of(SECRET, OLD_SECRET), during.all("static-auth-secret"));
    assertEquals(List.of(SECRET), after.all("static-auth-secret"));
    assertFalse(after.text.contains(OLD_SECRET));
  }

  @Test
  void everyLineIsACommentAnOptionOrBlank() {
    String text = CoturnConfigGenerator.generate(settings(CoturnMode.PRODUCTION, b -> b), TurnSecrets.of(SECRET), NOW);

    for (String line : text.split("\n", -1)) {
      boolean ok =
          line.isEmpty()
              || line.startsWith("# ")
              || line.matches("[a-z0-9_-]+")
              || line.matches("[a-z0-9_-]+=[^\\s#\"']+");
      assertTrue(ok, "coturn would misread: \"" + line + "\"");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"192.168.1.1", "0.0.0.0", "::"})
  void testModeRefusesToListenBeyondLoopback(String ip) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class,
            () -> CoturnSettings.builder(CoturnMode.TEST, "r").listeningIps(List.of(ip)).build());
    assertTrue(e.getMessage().startsWith("palco.turn.listening-ips:"), e.getMessage());
  }

  @Test
  void badSettingsNameTheirKey() {
    Map<String, UnaryOperator<CoturnSettings.Builder>> cases = new LinkedHashMap<>();
    cases.put("palco.turn.port:", b -> b.port(0));
    cases.put("palco.turn.tls-port:", b -> b.tlsPort(70000));
    cases.put("palco.turn.relay-ports.min:", b -> b.relayPorts(0, 100));
    cases.put("palco.turn.relay-ports:", b -> b.relayPorts(50000, 40000));
    cases.put("palco.turn.relay-ports: must not contain", b -> b.relayPorts(3000, 4000));
    cases.put("palco.turn.tls.key:", b -> b.tls("/etc/cert.pem", ""));
    cases.put("palco.turn.tls.cert:", b -> b.tls("", "/etc/key.pem"));
    cases.put("palco.turn.tls.cert: must not contain", b -> b.tls("/etc/my cert.pem", "/etc/key.pem"));
    cases.put("palco.turn.tls-port: must differ", b -> b.tls("/c", "/k").tlsPort(3478));
    cases.put("palco.turn.listening-ips:", b -> b.listeningIps(List.of("turn.example.org")));
    cases.put("palco.turn.external-ip:", b -> b.externalIp("203.0.113.9/not-an-ip"));
    cases.put("palco.turn.sfu-addresses:", b -> b.sfuAddresses(List.of("10.0.0.0/8")));
    cases.put("palco.turn.quota.total:", b -> b.quotas(-1, 1));
    cases.put("palco.turn.quota.per-user:", b -> b.quotas(1, -1));
    cases.put("palco.turn.bandwidth.max-bps:", b -> b.bandwidth(-1, 0));
    cases.put("palco.turn.bandwidth.bps-capacity:", b -> b.bandwidth(0, -1));
    cases.put("palco.turn.stale-nonce:", b -> b.staleNonce(Duration.ZERO));
    cases.put("palco.turn.log-file:", b -> b.logFile(""));
    cases.put("palco.turn.log-file: must not contain", b -> b.logFile("/var/log/x\nno-auth"));
    cases.put("palco.turn.pid-file:", b -> b.pidFile("/run/a b.pid"));
    cases.put("palco.turn.userdb:", b -> b.userDb("/var/lib/turn/#db"));
    for (Map.Entry<String, UnaryOperator<CoturnSettings.Builder>> c : cases.entrySet()) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> settings(CoturnMode.PRODUCTION, c.getValue()), c.getKey());
      assertTrue(e.getMessage().startsWith(c.getKey()), c.getKey() + " vs " + e.getMessage());
    }
    for (String realm : new String[] {"", "has space", "x".repeat(128), "line\nbreak"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> CoturnSettings.builder(CoturnMode.PRODUCTION, realm).build());
      assertTrue(e.getMessage().startsWith("palco.turn.realm:"), e.getMessage());
    }
  }

  private static BigInteger number(String ip) {
    byte[] a = IpLiterals.parse(ip);
    assertNotNull(a, ip);
    return new BigInteger(1, a);
  }

  /** The options of a turnserver.conf, read as coturn reads them: one option per line, '#' lines ignored. */
  private static final class ParsedConf {
    final String text;
    final List<String[]> options = new ArrayList<>();

    private ParsedConf(String text) {
      this.text = text;
    }

    static ParsedConf parse(String text) {
      ParsedConf conf = new ParsedConf(text);
      for (String raw : text.split("\n")) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int eq = line.indexOf('=');
        conf.options.add(eq < 0 ? new String[] {line, ""} : new String[] {line.substring(0, eq), line.substring(eq + 1)});
      }
      return conf;
    }

    boolean has(String name) {
      return options.stream().anyMatch(o -> o[0].equals(name));
    }

    List<String> all(String name) {
      return options.stream().filter(o -> o[0].equals(name)).map(o -> o[1]).toList();
    }

    /**
     * coturn's peer check: an address on an allowed-peer-ip range passes; otherwise one on a
     * denied-peer-ip range is refused; loopback needs allow-loopback-peers; multicast is refused
     * under no-multicast-peers.
     */
    boolean relayAllowed(String ip) {
      BigInteger a = number(ip);
      int family = IpLiterals.parse(ip).length;
      if (inAny(all("allowed-peer-ip"), a, family)) {
        return true;
      }
      if (inAny(all("denied-peer-ip"), a, family)) {
        return false;
      }
      boolean loopback = family == 4 ? ip.startsWith("127.") : a.equals(BigInteger.ONE);
      return !loopback || has("allow-loopback-peers");
    }

    private static boolean inAny(List<String> ranges, BigInteger a, int family) {
      for (String range : ranges) {
        int dash = range.indexOf('-');
        String first = dash < 0 ? range : range.substring(0, dash);
        String last = dash < 0 ? range : range.substring(dash + 1);
        if (IpLiterals.parse(first).length != family) {
          continue;
        }
        if (a.compareTo(number(first)) >= 0 && a.compareTo(number(last)) <= 0) {
          return true;
        }
      }
      return false;
    }
  }
}
