package dev.palco.signaling.media;

import java.util.Objects;

/**
 * A track the media plane now receives from a publisher.
 *
 * @param trackId the media plane's id for the track, unique in its room (for example {@code t-11})
 * @param mid the m-line of the publisher's offer that carries it
 * @param kind audio or video
 * @param source what it carries
 */
public record PublishedTrack(String trackId, String mid, MediaKind kind, TrackSource source) {
  /** Checks that every part is present. */
  public PublishedTrack {
    Objects.requireNonNull(trackId, "trackId");
    Objects.requireNonNull(mid, "mid");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(source, "source");
  }
}
