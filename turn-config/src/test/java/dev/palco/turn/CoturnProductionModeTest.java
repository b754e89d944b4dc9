package dev.palco.turn;

import static dev.palco.turn.CoturnRelayTest.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.turn.testing.CoturnProcess;
import dev.palco.turn.testing.TurnTestClient;
import dev.palco.turn.testing.TurnTestClient.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The production configuration, run by a real coturn (on 127.0.0.1, the only place tests may
 * listen): coturn takes every option, refuses loopback peers, and lets the SFU's own address
 * through although it sits in a denied private range.
 */
class CoturnProductionModeTest {

  private static final String SECRET = "production-mode-secret-0e6f2a9d";

  @Test
  void coturnTakesTheProductionFileRefusesLoopbackAndAllowsOnlyTheSfuInPrivateRanges() {
    Instant now = Instant.now();
    try (CoturnProcess coturn =
        CoturnProcess.start(
            Path.of("target", "coturn", "production"), CoturnMode.PRODUCTION, TurnSecrets.of(SECRET), now,
            b -> b.sfuAddresses(List.of("10.20.30.40")))) {
      String log = coturn.log();
      assertFalse(log.contains("Bad configuration format"), log);
      assertFalse(log.contains("Wrong address format"), log);
      assertTrue(coturn.config().lines().noneMatch(l -> l.strip().startsWith("allow-loopback-peers")));

      TurnCredential credential = TurnCredentials.issue(TurnSecrets.of(SECRET), "room-2/p-1", now, Duration.ofHours(1));
      try (TurnTestClient.Session session = TurnTestClient.Session.open(Transport.UDP, coturn.address())) {
        assertTrue(session.allocate(credential.username(), credential.password()).granted(), coturn.log());
        // CreatePermission only; nothing is relayed to any of these.
        assertEquals(403, session.createPermission(address("127.0.0.1")), "loopback in production");
        assertEquals(403, session.createPermission(address("10.20.30.41")), "the SFU's neighbour");
        assertEquals(0, session.createPermission(address("10.20.30.40")), "the SFU itself");
        assertEquals(0, session.createPermission(address("1.1.1.1")), "a public peer");
      }
    }
  }
}
