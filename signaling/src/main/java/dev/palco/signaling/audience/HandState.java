package dev.palco.signaling.audience;

import java.util.Locale;

/** A viewer's hand, from down to on stage. */
public enum HandState {
  /** Not raised. */
  DOWN,
  /** Raised: the moderator sees it and may invite. */
  RAISED,
  /** The moderator invited; a stage grant is outstanding until it expires. */
  INVITED,
  /** The viewer took the stage with the grant. */
  ON_STAGE;

  /** The wire name ({@code down}, {@code raised}, {@code invited}, {@code on-stage}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
