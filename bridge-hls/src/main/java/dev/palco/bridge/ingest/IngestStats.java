package dev.palco.bridge.ingest;

import dev.palco.bridge.stage.StageTrack;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of the ingest's counters (read without locks: each may be a packet behind).
 *
 * @param queueDrops packets dropped on the SFU's worker: the hand-off queue was full (or a packet was
 *     larger than a slot)
 * @param queueDepth packets waiting in the hand-off queue now
 * @param tracks per followed track
 * @param listenerFailures exceptions thrown by the {@link dev.palco.bridge.stage.StageListener}
 */
public record IngestStats(long queueDrops, int queueDepth, List<Track> tracks, long listenerFailures) {

  /**
   * One track's counters.
   *
   * @param track the stage track
   * @param received RTP packets that reached it from the hand-off queue
   * @param packets RTP packets taken into its jitter buffer
   * @param framesDecoded frames the decoder took
   * @param outputs pictures or PCM blocks handed to the listener
   * @param keyframeRequests keyframes it asked the publisher for
   * @param drops drops by reason (packets or frames, see {@link IngestDropReason}); reasons with none left out
   */
  public record Track(StageTrack track, long received, long packets, long framesDecoded, long outputs, long keyframeRequests,
      Map<IngestDropReason, Long> drops) {

    /** The count for one reason (0 if none). */
    public long drops(IngestDropReason reason) {
      return drops.getOrDefault(reason, 0L);
    }
  }

  /** The track with this track id, or null. */
  public Track track(String trackId) {
    for (Track t : tracks) {
      if (t.track().trackId().equals(trackId)) {
        return t;
      }
    }
    return null;
  }
}
