package dev.palco.signaling.media;

import java.util.Objects;

/**
 * The publisher's word for what an m-line of its offer sends ({@code publish.offer}'s {@code
 * tracks} entries).
 *
 * @param mid the m-line's {@code a=mid}
 * @param source what the track carries
 */
public record TrackSourceHint(String mid, TrackSource source) {
  /** Checks that both parts are present. */
  public TrackSourceHint {
    Objects.requireNonNull(mid, "mid");
    Objects.requireNonNull(source, "source");
  }
}
