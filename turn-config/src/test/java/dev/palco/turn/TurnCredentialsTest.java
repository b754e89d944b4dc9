package dev.palco.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.turn.TurnCredentials.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The coturn {@code use-auth-secret} credential: vectors computed outside Java, expiry and rotation edges. */
class TurnCredentialsTest {

  private static final String SECRET = "palco-turn-test-secret-0001";
  private static final String NEXT_SECRET = "palco-turn-test-secret-0002";
  /** 2026-01-01T00:00:00Z is Unix time 1767225600 ({@code date -u -d @1767225600}). */
  private static final Instant NEW_YEAR = Instant.ofEpochSecond(1_767_225_600L);

  /**
   * Independent vectors, from OpenSSL:
   *
   * <pre>
   * echo -n "1767225600:ada" | openssl dgst -sha1 -hmac "palco-turn-test-secret-0001" -binary | base64
   * echo -n "1767229200:room-7/p-3" | openssl dgst -sha1 -hmac "north" -binary | base64
   * </pre>
   */
  @ParameterizedTest
  @CsvSource({
    "palco-turn-test-secret-0001, 1767225600:ada, GVbY2Dc4EKAvGPsN3PVQKEMbJ5k=",
    "north, 1767229200:room-7/p-3, ep4kWYXyNHaAaVJ9gRgSsPE7Z94="
  })
  void passwordIsBase64OfHmacSha1OfTheUsername(String secret, String username, String expected) {
    assertEquals(expected, TurnCredentials.password(secret, username));
  }

  @Test
  void issuedCredentialCarriesExpiryAndUserIdAndTheOpensslPassword() {
    TurnCredential c = TurnCredentials.issue(TurnSecrets.of(SECRET), "ada", NEW_YEAR.minusSeconds(3600), Duration.ofHours(1));

    assertEquals("1767225600:ada", c.username());
    assertEquals("GVbY2Dc4EKAvGPsN3PVQKEMbJ5k=", c.password());
    assertEquals(NEW_YEAR, c.expiresAt());
  }

  @Test
  void expiryTruncatesToWholeSeconds() {
    Instant now = NEW_YEAR.plusMillis(999);
    TurnCredential c = TurnCredentials.issue(TurnSecrets.of(SECRET), "ada", now, Duration.ofMillis(61_500));

    assertEquals("1767225661:ada", c.username());
  }

  @Test
  void eachIssueIsFreshForItsTimeAndUser() {
    TurnSecrets secrets = TurnSecrets.of(SECRET);
    TurnCredential a = TurnCredentials.issue(secrets, "room/p-1", NEW_YEAR, Duration.ofHours(1));
    TurnCredential b = TurnCredentials.issue(secrets, "room/p-2", NEW_YEAR, Duration.ofHours(1));
    TurnCredential later = TurnCredentials.issue(secrets, "room/p-1", NEW_YEAR.plusSeconds(1), Duration.ofHours(1));

    assertNotEquals(a.password(), b.password());
    assertNotEquals(a.password(), later.password());
    assertNotEquals(a.username(), later.username());
  }

  @Test
  void validUpToAndIncludingTheExpirySecondAsCoturnChecksIt() {
    TurnSecrets secrets = TurnSecrets.of(SECRET);
    TurnCredential c = TurnCredentials.issue(secrets, "ada", NEW_YEAR, Duration.ofSeconds(600));
    Instant expiry = c.expiresAt();

    assertEquals(Verdict.VALID, TurnCredentials.verify(secrets, c.username(), c.password(), NEW_YEAR));
    assertEquals(Verdict.VALID, TurnCredentials.verify(secrets, c.username(), c.password(), expiry));
    // coturn: refused once the expiry is before its time(NULL); within the expiry second it still works.
    assertEquals(Verdict.VALID, TurnCredentials.verify(secrets, c.username(), c.password(), expiry.plusMillis(999)));
    assertEquals(Verdict.EXPIRED, TurnCredentials.verify(secrets, c.username(), c.password(), expiry.plusSeconds(1)));
  }

  @Test
  void forgedPasswordsAndStretchedExpiriesAreRefused() {
    TurnSecrets secrets = TurnSecrets.of(SECRET);
    TurnCredential c = TurnCredentials.issue(secrets, "ada", NEW_YEAR, Duration.ofHours(1));
    String stretched = (c.expiresAt().getEpochSecond() + 86_400) + ":ada";
    String otherUser = c.expiresAt().getEpochSecond() + ":bob";
    String wrongSecret = TurnCredentials.password("some-other-secret-entirely", c.username());

    assertEquals(Verdict.FORGED, TurnCredentials.verify(secrets, c.username(), wrongSecret, NEW_YEAR));
    assertEquals(Verdict.FORGED, TurnCredentials.verify(secrets, stretched, c.password(), NEW_YEAR));
    assertEquals(Verdict.FORGED, TurnCredentials.verify(secrets, otherUser, c.password(), NEW_YEAR));
    assertEquals(Verdict.FORGED, TurnCredentials.verify(secrets, c.username(), "", NEW_YEAR));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "ada", ":ada", "17x7225600:ada", "-1:ada", "99999999999999999999:ada", " 1767225600:ada"})
  void malformedUsernamesAreNamedSo(String username) {
    assertEquals(Verdict.MALFORMED, TurnCredentials.verify(TurnSecrets.of(SECRET), username, "x", NEW_YEAR));
  }

  @Test
  void nullUsernameOrPasswordIsMalformed() {
    assertEquals(Verdict.MALFORMED, TurnCredentials.verify(TurnSecrets.of(SECRET), null, "x", NEW_YEAR));
    assertEquals(Verdict.MALFORMED, TurnCredentials.verify(TurnSecrets.of(SECRET), "1767225600:ada", null, NEW_YEAR));
  }

  @Test
  void userIdsMayContainTheSeparatorSinceCoturnSplitsAtTheFirstOne() {
    TurnSecrets secrets = TurnSecrets.of(SECRET);
    TurnCredential c = TurnCredentials.issue(secrets, "room:7/p-3", NEW_YEAR, Duration.ofHours(1));

    assertEquals(Verdict.VALID, TurnCredentials.verify(secrets, c.username(), c.password(), NEW_YEAR));
  }

  @Test
  void credentialsAreAlwaysSignedWithTheCurrentSecret() {
    Instant overlapEnds = NEW_YEAR.plus(Duration.ofHours(2));
    TurnSecrets rotating = TurnSecrets.of(SECRET).rotateTo(NEXT_SECRET, overlapEnds);
    TurnCredential c = TurnCredentials.issue(rotating, "ada", NEW_YEAR, Duration.ofHours(1));

    assertEquals(TurnCredentials.password(NEXT_SECRET, c.username()), c.password());
  }

  @Test
  void thePreviousSecretIsAcceptedUntilJustBeforeItsDeadline() {
    Instant overlapEnds = NEW_YEAR.plus(Duration.ofHours(2));
    TurnSecrets rotating = TurnSecrets.of(SECRET).rotateTo(NEXT_SECRET, overlapEnds);
    // Handed out before the rotation, with a TTL reaching past the overlap.
    TurnCredential old = TurnCredentials.issue(TurnSecrets.of(SECRET), "ada", NEW_YEAR, Duration.ofHours(3));

    assertEquals(Verdict.VALID, TurnCredentials.verify(rotating, old.username(), old.password(), NEW_YEAR));
    assertEquals(Verdict.VALID, TurnCredentials.verify(rotating, old.username(), old.password(), overlapEnds.minusNanos(1)));
    assertEquals(Verdict.FORGED, TurnCredentials.verify(rotating, old.username(), old.password(), overlapEnds));
    assertEquals(Verdict.FORGED, TurnCredentials.verify(rotating, old.username(), old.password(), overlapEnds.plusSeconds(1)));
  }

  @Test
  void aSecondRotationDropsTheOldestSecret() {
    String third = "palco-turn-test-secret-0003";
    TurnSecrets twice =
        TurnSecrets.of(SECRET).rotateTo(NEXT_SECRET, NEW_YEAR.plusSeconds(60)).rotateTo(third, NEW_YEAR.plusSeconds(120));

    assertEquals(java.util.List.of(third, NEXT_SECRET), twice.validAt(NEW_YEAR));
    assertEquals(java.util.List.of(third), twice.validAt(NEW_YEAR.plusSeconds(120)));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"has space", "tab\tinside", "ünïcode", "control\u0001char",
      "a12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678"})
  void badUserIdsAreRefused(String userId) {
    TurnSecrets secrets = TurnSecrets.of(SECRET);
    assertThrows(IllegalArgumentException.class, () -> TurnCredentials.issue(secrets, userId, NEW_YEAR, Duration.ofHours(1)));
  }

  @Test
  void ttlMustBeAtLeastOneSecond() {
    TurnSecrets secrets = TurnSecrets.of(SECRET);
    for (Duration ttl : new Duration[] {Duration.ZERO, Duration.ofSeconds(-5), Duration.ofMillis(999), null}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> TurnCredentials.issue(secrets, "ada", NEW_YEAR, ttl));
      assertTrue(e.getMessage().startsWith("palco.turn.ttl:"), e.getMessage());
    }
  }

  @Test
  void toStringNeverShowsThePassword() {
    TurnCredential c = TurnCredentials.issue(TurnSecrets.of(SECRET), "ada", NEW_YEAR, Duration.ofHours(1));

    assertFalse(c.toString().contains(c.password()));
    assertFalse(IceServer.turn(java.util.List.of("turn:h:1"), c).toString().contains(c.password()));
  }
}
