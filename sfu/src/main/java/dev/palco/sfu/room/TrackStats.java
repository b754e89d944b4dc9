package dev.palco.sfu.room;

import dev.palco.sfu.stats.StreamStats;

import java.util.List;

/**
 * Statistics of one track of a participant.
 *
 * @param trackId the publication's id
 * @param kind audio or video
 * @param mid the publisher's mid
 * @param published true for a track the participant publishes (streams received), false for one
 *     it subscribes to (the stream sent to it)
 * @param streams one entry per RTP stream: per simulcast layer when published, the outgoing stream
 *     when subscribed
 */
public record TrackStats(String trackId, TrackKind kind, String mid, boolean published,
    List<StreamStats> streams) {
  /** Copies the list. */
  public TrackStats {
    streams = List.copyOf(streams);
  }
}
