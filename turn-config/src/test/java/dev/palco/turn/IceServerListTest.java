package dev.palco.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.turn.TurnCredentials.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The RTCIceServer entries a participant is handed, and the checks on their settings. */
class IceServerListTest {

  private static final TurnSecrets SECRETS = TurnSecrets.of("ice-server-list-secret-01");
  private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
  private static final Duration TTL = Duration.ofHours(12);

  @Test
  void defaultsGiveStunThenOneTurnEntryWithUdpTcpAndTurnsOn443() {
    IceServerList list = new IceServerList(IceServerSettings.defaults("turn.palco.example", TTL), SECRETS);

    List<IceServer> servers = list.forParticipant("room-7/p-3", NOW);

    assertEquals(2, servers.size());
    assertEquals(List.of("stun:turn.palco.example:3478"), servers.get(0).urls());
    assertNull(servers.get(0).username());
    assertNull(servers.get(0).credential());
    IceServer turn = servers.get(1);
    assertEquals(
        List.of(
            "turn:turn.palco.example:3478?transport=udp",
            "turn:turn.palco.example:3478?transport=tcp",
            "turns:turn.palco.example:443?transport=tcp"),
        turn.urls());
    long expiry = NOW.plus(TTL).getEpochSecond();
    assertEquals(expiry + ":room-7/p-3", turn.username());
    assertEquals(Verdict.VALID, TurnCredentials.verify(SECRETS, turn.username(), turn.credential(), NOW));
    assertEquals(Verdict.EXPIRED, TurnCredentials.verify(SECRETS, turn.username(), turn.credential(), NOW.plus(TTL).plusSeconds(1)));
  }

  @Test
  void credentialsAreFreshPerParticipantAndPerCall() {
    IceServerList list = new IceServerList(IceServerSettings.defaults("turn.palco.example", TTL), SECRETS);

    IceServer first = list.forParticipant("room-7/p-3", NOW).get(1);
    IceServer other = list.forParticipant("room-7/p-4", NOW).get(1);
    IceServer rejoin = list.forParticipant("room-7/p-3", NOW.plusSeconds(30)).get(1);

    assertTrue(!first.credential().equals(other.credential()));
    assertTrue(!first.username().equals(rejoin.username()));
    assertEquals(NOW.plusSeconds(30).plus(TTL).getEpochSecond() + ":room-7/p-3", rejoin.username());
  }

  @Test
  void ipv6HostsAreBracketedAndTransportsCanBeLeftOut() {
    IceServerSettings settings =
        new IceServerSettings("[2001:db8::7]", false, true, false, true, 3479, 5349, TTL);

    List<IceServer> servers = new IceServerList(settings, SECRETS).forParticipant("u", NOW);

    assertEquals(1, servers.size(), "no STUN entry");
    assertEquals(List.of("turn:[2001:db8::7]:3479?transport=udp", "turns:[2001:db8::7]:5349?transport=tcp"), servers.get(0).urls());
  }

  @Test
  void ipv4HostsAreUsedAsGiven() {
    IceServerSettings settings = new IceServerSettings("203.0.113.9", true, false, true, false, 3478, 443, TTL);

    IceServerList list = new IceServerList(settings, SECRETS);

    assertEquals(List.of("stun:203.0.113.9:3478"), list.stunUrls());
    assertEquals(List.of("turn:203.0.113.9:3478?transport=tcp"), list.turnUrls());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                   | 3478  | 443   | true  | palco.turn.host: must be a host name or an IP address, and is empty",
        "turn example.org     | 3478  | 443   | true  | palco.turn.host:",
        "turn:turn.example.org| 3478  | 443   | true  | palco.turn.host:",
        "https://turn.example | 3478  | 443   | true  | palco.turn.host:",
        "-turn.example.org    | 3478  | 443   | true  | palco.turn.host:",
        "300.1.2.3            | 3478  | 443   | true  | palco.turn.host:",
        "[turn.example.org]   | 3478  | 443   | true  | palco.turn.host:",
        "turn.example.org     | 0     | 443   | true  | palco.turn.port: must be a port number from 1 to 65535 (got 0)",
        "turn.example.org     | 65536 | 443   | true  | palco.turn.port:",
        "turn.example.org     | 3478  | -1    | true  | palco.turn.tls-port:",
        "turn.example.org     | 3478  | 443   | false | palco.turn.transports: at least one of udp, tcp and tls must be on",
      })
  void badSettingsAreRefusedNamingTheKey(String host, int port, int tlsPort, boolean anyTransport, String message) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new IceServerSettings(host, true, anyTransport, anyTransport, anyTransport, port, tlsPort, TTL));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @Test
  void ttlMustBePositive() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> IceServerSettings.defaults("turn.example.org", Duration.ZERO));
    assertTrue(e.getMessage().startsWith("palco.turn.ttl:"), e.getMessage());
  }

  @Test
  void hostNamesOfEveryShapeAreAccepted() {
    for (String host : List.of("turn", "turn.example.org", "turn.example.org.", "t-1.x9.example", "127.0.0.1", "::1", "[::1]")) {
      IceServerSettings.defaults(host, TTL);
    }
  }
}
