package dev.palco.signaling.media;

import java.util.Objects;

/**
 * One {@code sendonly} m-line of a subscribe offer and the remote track it carries.
 *
 * @param mid the m-line's {@code a=mid} in the subscriber's session
 * @param participantId the publisher
 * @param trackId the publisher's track
 * @param kind audio or video
 * @param source what it carries
 */
public record SubscribedTrack(
    String mid, String participantId, String trackId, MediaKind kind, TrackSource source) {
  /** Checks that every part is present. */
  public SubscribedTrack {
    Objects.requireNonNull(mid, "mid");
    Objects.requireNonNull(participantId, "participantId");
    Objects.requireNonNull(trackId, "trackId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(source, "source");
  }
}
