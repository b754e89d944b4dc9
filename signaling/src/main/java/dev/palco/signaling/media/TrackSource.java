package dev.palco.signaling.media;

/** What a published track carries, as the publisher declares it in {@code publish.offer}. */
public enum TrackSource {
  /** A microphone. */
  MICROPHONE("microphone"),
  /** A camera. */
  CAMERA("camera"),
  /** A shared screen or window. */
  SCREEN("screen"),
  /** The audio of a shared tab or screen. */
  SCREEN_AUDIO("screen-audio");

  private final String wireName;

  TrackSource(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in JSON. */
  public String wireName() {
    return wireName;
  }

  /** The source for a wire name, or {@code null}. */
  public static TrackSource fromWireName(String name) {
    for (TrackSource source : values()) {
      if (source.wireName.equals(name)) {
        return source;
      }
    }
    return null;
  }

  /** The source assumed for a track whose publisher named none (WHIP tools such as OBS). */
  public static TrackSource defaultFor(MediaKind kind) {
    return kind == MediaKind.AUDIO ? MICROPHONE : CAMERA;
  }
}
