package dev.palco.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.turn.testing.CoturnProcess;
import dev.palco.turn.testing.TurnTestClient;
import dev.palco.turn.testing.TurnTestClient.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Secret rotation against a real coturn: during the overlap the generated configuration lists both
 * secrets and coturn takes credentials signed with either; once the overlap has ended the
 * regenerated configuration lists only the new one, and after a restart coturn refuses the old
 * secret's credentials while the new ones keep working.
 */
class CoturnRotationTest {

  private static final String OLD_SECRET = "rotation-old-secret-51d2c8e0";
  private static final String NEW_SECRET = "rotation-new-secret-7ab94f13";
  private static final Duration TTL = Duration.ofHours(1);

  private CoturnProcess coturn;

  @AfterEach
  void stop() {
    if (coturn != null) {
      coturn.close();
    }
  }

  @Test
  void theOldSecretWorksDuringTheOverlapAndIsRefusedAfterIt() {
    Instant now = Instant.now();
    Instant overlapEnds = now.plus(TTL);
    TurnSecrets rotating = TurnSecrets.of(OLD_SECRET).rotateTo(NEW_SECRET, overlapEnds);
    // Handed out before the switch (signed with the old secret), and after it (the new one).
    TurnCredential before = TurnCredentials.issue(TurnSecrets.of(OLD_SECRET), "room-9/p-early", now, TTL);
    TurnCredential after = TurnCredentials.issue(rotating, "room-9/p-late", now, TTL);

    coturn = CoturnProcess.start(Path.of("target", "coturn", "rotation"), rotating, now);
    assertTrue(coturn.config().contains("static-auth-secret=" + OLD_SECRET));
    assertTrue(coturn.config().contains("static-auth-secret=" + NEW_SECRET));
    for (Transport t : Transport.values()) {
      assertTrue(allocate(t, before).granted(), "old secret during the overlap over " + t + "\n" + coturn.log());
      assertTrue(allocate(t, after).granted(), "new secret during the overlap over " + t);
    }

    // The overlap is over: the operator regenerates the configuration and restarts coturn.
    coturn.restart(rotating, overlapEnds);
    assertTrue(!coturn.config().contains(OLD_SECRET), "the old secret is no longer in the file");
    for (Transport t : Transport.values()) {
      assertEquals(401, allocate(t, before).errorCode(), "old secret after the overlap over " + t);
      assertTrue(allocate(t, after).granted(), "new secret after the overlap over " + t);
    }
  }

  private TurnTestClient.Allocation allocate(Transport transport, TurnCredential credential) {
    return TurnTestClient.allocate(transport, coturn.address(), credential.username(), credential.password());
  }
}
