package dev.palco.sfu.room;

import dev.palco.sfu.alloc.PauseReason;

import java.util.List;

/**
 * A snapshot of what the SFU sends to one subscriber and why ({@link SubscriberSendControl}).
 *
 * @param transportCc whether the subscriber agreed transport-wide sequence numbers
 * @param feedbackSeen whether its first transport-cc feedback or REMB arrived (pacing and
 *     bandwidth-limited allocation start then)
 * @param estimateBps the send-side bandwidth estimate (min of delay- and loss-based)
 * @param delayBasedBps the delay-based (or REMB) estimate
 * @param lossBasedBps the loss-based estimate
 * @param ackedBps the rate the subscriber acknowledged receiving
 * @param feedbackMessages transport-cc feedback messages consumed
 * @param packetsReportedLost packets its feedback reported lost
 * @param packetsAcked packets its feedback reported received
 * @param transportCcStamped packets sent with our transport-wide number
 * @param transportCcNotStamped packets that could not take the number (sent without)
 * @param pacingRateBps the pacer's rate
 * @param pacerQueuePackets packets waiting in the pacer
 * @param pacerQueueBytes their bytes
 * @param pacerExpired packets dropped after waiting beyond the pacer's bound
 * @param pacerRefused packets dropped because the pacer's queue was full
 * @param probesStarted probe clusters started
 * @param probesSucceeded probe clusters that reached 70% of their target
 * @param paddingPackets padding packets sent for probes
 * @param paddingBytes their bytes
 * @param rembsApplied REMB values used (only without transport-cc)
 * @param allocations layer allocations run
 * @param layers per video subscription, the layer chosen and forwarded
 */
public record SendSideStats(
    boolean transportCc, boolean feedbackSeen, long estimateBps, long delayBasedBps,
    long lossBasedBps, long ackedBps, long feedbackMessages, long packetsReportedLost, long packetsAcked,
    long transportCcStamped, long transportCcNotStamped, long pacingRateBps, int pacerQueuePackets,
    long pacerQueueBytes, long pacerExpired, long pacerRefused, long probesStarted,
    long probesSucceeded, long paddingPackets, long paddingBytes, long rembsApplied,
    long allocations, List<LayerSelection> layers) {

  /** Copies the list. */
  public SendSideStats {
    layers = List.copyOf(layers);
  }

  /**
   * One video subscription's layer.
   *
   * @param trackId the publication's id
   * @param targetLayer the layer chosen (0 = lowest)
   * @param currentLayer the layer being forwarded, -1 before the first keyframe
   * @param pauseReason why it is paused, or {@link PauseReason#NONE}
   * @param upswitches allocation switches up so far
   * @param downswitches allocation switches down so far
   */
  public record LayerSelection(String trackId, int targetLayer, int currentLayer,
      PauseReason pauseReason, long upswitches, long downswitches) {}
}
