package dev.palco.signaling;

import java.util.Locale;

/** What a participant may do in a room. The server checks it; the web UI is only a convenience. */
public enum Role {
  /** May mute or remove others and end the room, besides everything a presenter does. */
  MODERATOR,
  /** Publishes and receives media, mutes itself. */
  PRESENTER,
  /**
   * Watches the room's stream and takes part through the audience door ({@code /ws/audience}):
   * questions, votes, chat, a raised hand. Holds no seat and no media session; it reaches the
   * stage only with a moderator's stage grant, and then sits there as a presenter.
   */
  AUDIENCE;

  /** The name used in tokens and JSON ({@code "moderator"}, {@code "presenter"}, {@code "audience"}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role for a wire name, or {@code null} if the name is not a role of protocol version 1. */
  public static Role fromWireName(String name) {
    for (Role role : values()) {
      if (role.wireName().equals(name)) {
        return role;
      }
    }
    return null;
  }
}
