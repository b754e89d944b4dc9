package dev.palco.turn;

import java.time.Instant;
import java.util.Objects;

/**
 * One ephemeral TURN credential in coturn's {@code use-auth-secret} form.
 *
 * @param username {@code "<expiry in Unix seconds>:<userId>"}
 * @param password Base64 of HMAC-SHA1(secret, username)
 * @param expiresAt the expiry the username carries; coturn refuses the credential after it
 */
public record TurnCredential(String username, String password, Instant expiresAt) {
  /** Checks that the parts are present. */
  public TurnCredential {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "TurnCredential[username=" + username + ", password=<hidden>, expiresAt=" + expiresAt + "]";
  }
}
