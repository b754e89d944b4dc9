package dev.palco.bridge.stage;

import java.util.Objects;

/**
 * One track of the stage as the bridge sees it: whose it is and what it shows.
 *
 * @param participantId the publisher's participant id in the room
 * @param trackId the SFU's id of the published track
 * @param source what the track carries, which decides where the compositor puts it
 */
public record StageTrack(String participantId, String trackId, Source source) {

  /** What a track carries. */
  public enum Source {
    CAMERA,
    SCREEN,
    MICROPHONE;

    public boolean isVideo() {
      return this != MICROPHONE;
    }
  }

  public StageTrack {
    Objects.requireNonNull(participantId, "participantId");
    Objects.requireNonNull(trackId, "trackId");
    Objects.requireNonNull(source, "source");
  }
}
