package dev.palco.signaling.token;

import dev.palco.signaling.Role;
import java.util.Objects;

/**
 * A verified join token's claims.
 *
 * @param roomId the room it admits to
 * @param role what its holder may do
 * @param expiresAtEpochSeconds when it stops working (seconds since the epoch)
 * @param text the token as presented, kept to revoke exactly this link
 */
public record JoinToken(String roomId, Role role, long expiresAtEpochSeconds, String text) {
  /** Checks that the parts are present. */
  public JoinToken {
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(text, "text");
  }
}
