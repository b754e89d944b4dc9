package dev.palco.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.turn.testing.CoturnProcess;
import dev.palco.turn.testing.TurnTestClient;
import dev.palco.turn.testing.TurnTestClient.Allocation;
import dev.palco.turn.testing.TurnTestClient.Transport;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real coturn, run with the generated test-mode configuration on 127.0.0.1, accepts the
 * credentials {@link TurnCredentials} issues and refuses forged and expired ones, over UDP and TCP;
 * and its peer rules keep the relay away from private and loopback addresses.
 *
 * <p>coturn checks expiry against its own clock, so credentials here are issued at the real time.
 */
class CoturnRelayTest {

  private static final String SECRET = "coturn-test-secret-9c4e1f07a3";
  private static final Duration TTL = Duration.ofHours(1);

  private static CoturnProcess coturn;

  @BeforeAll
  static void start() {
    coturn = CoturnProcess.start(Path.of("target", "coturn", "relay"), TurnSecrets.of(SECRET), Instant.now());
  }

  @AfterAll
  static void stop() {
    if (coturn != null) {
      coturn.close();
    }
  }

  private static TurnCredential fresh(String userId) {
    return TurnCredentials.issue(TurnSecrets.of(SECRET), userId, Instant.now(), TTL);
  }

  @Test
  void everyGeneratedOptionIsOneCoturnAccepts() {
    String log = coturn.log();
    assertFalse(log.contains("Bad configuration format"), log);
    assertFalse(log.contains("Wrong address format"), log);
    for (DeniedPeerRange r : DeniedPeerRange.ALL) {
      assertTrue(log.contains("Black listing: " + r.coturnValue()), "coturn did not take " + r.coturnValue() + ":\n" + log);
    }
    assertTrue(log.contains("White listing: 127.0.0.1"), log);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aFreshCredentialAllocatesARelayOnLoopback(Transport transport) {
    TurnCredential credential = fresh("room-1/p-" + transport);

    Allocation allocation = TurnTestClient.allocate(transport, coturn.address(), credential.username(), credential.password());

    assertTrue(allocation.granted(), "error " + allocation.errorCode() + "\n" + coturn.log());
    assertEquals(InetAddress.getLoopbackAddress(), allocation.relayed().getAddress());
    int relayPort = allocation.relayed().getPort();
    assertTrue(relayPort >= coturn.settings().minRelayPort() && relayPort <= coturn.settings().maxRelayPort(),
        "relay port " + relayPort + " outside min-port/max-port");
    assertTrue(allocation.responseSigned(), "coturn signed its answer with the key of our password");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aPasswordFromAnotherSecretIsRefused(Transport transport) {
    TurnCredential real = fresh("room-1/p-forger");
    String forged = TurnCredentials.password("not-the-coturn-secret-at-all", real.username());

    Allocation allocation = TurnTestClient.allocate(transport, coturn.address(), real.username(), forged);

    assertEquals(401, allocation.errorCode());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aUsernameWithALaterExpiryThanItsPasswordIsRefused(Transport transport) {
    TurnCredential real = fresh("room-1/p-stretch");
    long expiry = real.expiresAt().getEpochSecond();
    String stretched = (expiry + 86_400) + real.username().substring(real.username().indexOf(':'));

    Allocation allocation = TurnTestClient.allocate(transport, coturn.address(), stretched, real.password());

    assertEquals(401, allocation.errorCode());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anExpiredCredentialIsRefused(Transport transport) {
    // Signed with the right secret, but it expired a minute ago.
    TurnCredential expired =
        TurnCredentials.issue(TurnSecrets.of(SECRET), "room-1/p-late", Instant.now().minus(TTL).minusSeconds(60), TTL);

    Allocation allocation = TurnTestClient.allocate(transport, coturn.address(), expired.username(), expired.password());

    assertEquals(401, allocation.errorCode());
  }

  @Test
  void theRelayReachesLoopbackOnlyAt127001AndNeverPrivateRanges() {
    TurnCredential credential = fresh("room-1/p-peers");
    try (TurnTestClient.Session session = TurnTestClient.Session.open(Transport.UDP, coturn.address())) {
      assertTrue(session.allocate(credential.username(), credential.password()).granted());
      // Test mode: the SFU under test listens on 127.0.0.1.
      assertEquals(0, session.createPermission(address("127.0.0.1")));
      // CreatePermission sends nothing to the peer (RFC 8656 §9): it only asks coturn whether it
      // would relay there, and the test never sends data through the relay.
      assertEquals(403, session.createPermission(address("127.0.0.2")), "rest of 127.0.0.0/8");
      assertEquals(403, session.createPermission(address("10.1.2.3")), "RFC 1918");
      assertEquals(403, session.createPermission(address("172.20.0.1")), "RFC 1918");
      assertEquals(403, session.createPermission(address("192.168.1.10")), "RFC 1918");
      assertEquals(403, session.createPermission(address("169.254.169.254")), "cloud metadata");
      assertEquals(403, session.createPermission(address("100.64.0.1")), "CGNAT");
      // And a public address is allowed: the deny list does not deny everything.
      assertEquals(0, session.createPermission(address("1.1.1.1")), "public peer");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1", "192.168.0.1"})
  void deniedPeersStayDeniedOverTcpToo(String peer) {
    TurnCredential credential = fresh("room-1/p-tcp-peers");
    try (TurnTestClient.Session session = TurnTestClient.Session.open(Transport.TCP, coturn.address())) {
      assertTrue(session.allocate(credential.username(), credential.password()).granted());
      assertEquals(403, session.createPermission(address(peer)));
    }
  }

  static InetAddress address(String literal) {
    try {
      return InetAddress.getByAddress(IpLiterals.parse(literal));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
