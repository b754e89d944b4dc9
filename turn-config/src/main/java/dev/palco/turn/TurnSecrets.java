package dev.palco.turn;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The shared secret(s) of coturn's {@code use-auth-secret} mode, with rotation.
 *
 * <p>Credentials are always signed with the {@linkplain #current() current} secret. During a
 * rotation the {@linkplain #previous() previous} secret stays valid until {@linkplain
 * #previousValidUntil() its deadline}, so credentials handed out just before the switch keep
 * working: coturn accepts any of several {@code static-auth-secret} lines (it tries each in turn),
 * and {@link CoturnConfigGenerator} lists the previous one only while it is within its overlap.
 * The overlap should be at least the credential TTL, or a participant who joined just before the
 * switch loses TURN before its credential expires.
 *
 * <p>Immutable. {@link #toString()} never shows a secret.
 */
public final class TurnSecrets {

  private final String current;
  private final String previous;
  private final Instant previousValidUntil;

  private TurnSecrets(String current, String previous, Instant previousValidUntil) {
    this.current = ConfigValues.secret("secret", current);
    if (previous != null) {
      ConfigValues.secret("previous-secret", previous);
      Objects.requireNonNull(previousValidUntil, "previousValidUntil");
      if (previous.equals(current)) {
        throw ConfigValues.bad("previous-secret", "must differ from palco.turn.secret");
      }
    }
    this.previous = previous;
    this.previousValidUntil = previous == null ? null : previousValidUntil;
  }

  /**
   * One secret, no rotation in progress.
   *
   * @throws IllegalArgumentException if the secret is empty, short or not safe to write into
   *     {@code turnserver.conf} (the message names {@code palco.turn.secret})
   */
  public static TurnSecrets of(String current) {
    return new TurnSecrets(current, null, null);
  }

  /**
   * A rotation in progress: {@code current} signs, {@code previous} is still accepted before
   * {@code previousValidUntil}.
   *
   * @throws IllegalArgumentException if either secret is unusable or both are the same
   */
  public static TurnSecrets rotating(String current, String previous, Instant previousValidUntil) {
    return new TurnSecrets(current, Objects.requireNonNull(previous, "previous"), previousValidUntil);
  }

  /**
   * Starts a rotation: {@code next} signs from now on, and this object's current secret stays
   * accepted before {@code overlapEnds}. Any older previous secret is dropped.
   */
  public TurnSecrets rotateTo(String next, Instant overlapEnds) {
    return new TurnSecrets(next, current, overlapEnds);
  }

  /** The secret new credentials are signed with. */
  public String current() {
    return current;
  }

  /** The secret being rotated out, if a rotation was configured. */
  public Optional<String> previous() {
    return Optional.ofNullable(previous);
  }

  /** When the previous secret stops being accepted, if there is one. */
  public Optional<Instant> previousValidUntil() {
    return Optional.ofNullable(previousValidUntil);
  }

  /**
   * Whether the previous secret is still accepted at {@code now}: strictly before its deadline
   * (at the deadline itself it is already out).
   */
  public boolean previousValidAt(Instant now) {
    return previous != null && now.isBefore(previousValidUntil);
  }

  /** The secrets accepted at {@code now}: the current one first, then the previous one during its overlap. */
  public List<String> validAt(Instant now) {
    return previousValidAt(now) ? List.of(current, previous) : List.of(current);
  }

  @Override
  public String toString() {
    return previous == null
        ? "TurnSecrets[current=<hidden>]"
        : "TurnSecrets[current=<hidden>, previous=<hidden> until " + previousValidUntil + "]";
  }
}
