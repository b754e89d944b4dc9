package dev.palco.signaling.media;

import java.util.Locale;

/** The kind of a track, as in an SDP {@code m=} line. */
public enum MediaKind {
  /** {@code m=audio}. */
  AUDIO,
  /** {@code m=video}. */
  VIDEO;

  /** {@code "audio"} or {@code "video"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind for a wire name, or {@code null}. */
  public static MediaKind fromWireName(String name) {
    for (MediaKind kind : values()) {
      if (kind.wireName().equals(name)) {
        return kind;
      }
    }
    return null;
  }
}
