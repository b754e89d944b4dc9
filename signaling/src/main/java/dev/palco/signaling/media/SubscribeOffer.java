package dev.palco.signaling.media;

import java.util.List;
import java.util.Objects;

/**
 * An SFU-made offer of the tracks a participant should receive.
 *
 * @param sdp the offer
 * @param revision increases by one per offer of a session; the answer names it back
 * @param tracks the m-lines that carry remote tracks, so the page can label its tiles
 */
public record SubscribeOffer(String sdp, long revision, List<SubscribedTrack> tracks) {
  /** Copies the track list. */
  public SubscribeOffer {
    Objects.requireNonNull(sdp, "sdp");
    tracks = List.copyOf(tracks);
  }
}
