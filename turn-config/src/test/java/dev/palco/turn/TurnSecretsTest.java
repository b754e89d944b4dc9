package dev.palco.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rotation windows, secret validation, and that secrets never show in logs. */
class TurnSecretsTest {

  private static final String OLD = "0123456789abcdef-old";
  private static final String NEW = "0123456789abcdef-new";
  private static final Instant UNTIL = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void withoutRotationOnlyTheCurrentSecretIsValid() {
    TurnSecrets s = TurnSecrets.of(NEW);

    assertEquals(List.of(NEW), s.validAt(UNTIL));
    assertFalse(s.previous().isPresent());
    assertFalse(s.previousValidAt(Instant.EPOCH));
  }

  @Test
  void theOverlapEndsExactlyAtItsDeadline() {
    TurnSecrets s = TurnSecrets.rotating(NEW, OLD, UNTIL);

    assertEquals(List.of(NEW, OLD), s.validAt(UNTIL.minusSeconds(3600)));
    assertEquals(List.of(NEW, OLD), s.validAt(UNTIL.minusNanos(1)));
    assertEquals(List.of(NEW), s.validAt(UNTIL));
    assertEquals(List.of(NEW), s.validAt(UNTIL.plusSeconds(1)));
  }

  @Test
  void rotateToMakesTheCurrentSecretThePreviousOne() {
    TurnSecrets s = TurnSecrets.of(OLD).rotateTo(NEW, UNTIL);

    assertEquals(NEW, s.current());
    assertEquals(OLD, s.previous().orElseThrow());
    assertEquals(UNTIL, s.previousValidUntil().orElseThrow());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                      | palco.turn.secret: must not be empty",
        "short-secret            | palco.turn.secret: must be at least 16 characters",
        "'with a space in it 123'| palco.turn.secret: must be printable ASCII",
        "with#hash-0123456789    | palco.turn.secret: must be printable ASCII",
        "with\"quote-0123456789  | palco.turn.secret: must be printable ASCII",
      })
  void unusableSecretsAreRefusedNamingTheKey(String secret, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TurnSecrets.of(secret));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
    if (secret.length() > 3) {
      assertFalse(e.getMessage().contains(secret), "the message must not repeat the secret");
    }
  }

  @Test
  void nullSecretIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> TurnSecrets.of(null));
  }

  @Test
  void aRotationNeedsAUsableDifferentPreviousSecret() {
    IllegalArgumentException same = assertThrows(IllegalArgumentException.class, () -> TurnSecrets.rotating(NEW, NEW, UNTIL));
    assertTrue(same.getMessage().startsWith("palco.turn.previous-secret:"), same.getMessage());
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> TurnSecrets.rotating(NEW, "", UNTIL));
    assertTrue(empty.getMessage().startsWith("palco.turn.previous-secret:"), empty.getMessage());
    assertThrows(NullPointerException.class, () -> TurnSecrets.rotating(NEW, OLD, null));
  }

  @Test
  void toStringHidesBothSecrets() {
    String text = TurnSecrets.rotating(NEW, OLD, UNTIL).toString();

    assertFalse(text.contains(NEW));
    assertFalse(text.contains(OLD));
    assertTrue(text.contains(UNTIL.toString()));
  }
}
