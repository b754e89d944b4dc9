package dev.palco.sfu.room;

import dev.palco.sfu.pipeline.DropReason;
import dev.palco.sfu.pipeline.Node;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of one participant's statistics. Counters are read without locks from the threads
 * that write them, so a snapshot may be a packet behind; it is never torn.
 *
 * @param participantId the participant
 * @param packetsReceived datagrams that entered its receive pipeline (RTP and RTCP)
 * @param bytesReceived their bytes
 * @param packetsSent RTP packets forwarded to it
 * @param bytesSent their bytes (before SRTP)
 * @param nacksSent sequence numbers the SFU requested from it (as a publisher)
 * @param nacksReceived sequence numbers it requested (as a subscriber)
 * @param keyframeRequestsSent PLIs and FIRs the SFU sent it
 * @param keyframeRequestsReceived PLIs and FIRs it sent
 * @param retransmissionsSent RTX packets sent to it in answer to its NACKs
 * @param retransmissionsSuppressedRecent sequence numbers it NACKed that were not retransmitted
 *     because they had been less than one RTT before (its repeat crossed the copy in flight)
 * @param retransmissionsRateLimited sequence numbers it NACKed that were not retransmitted because
 *     its retransmission budget (a share of its bandwidth estimate, per second) was spent
 * @param retransmissionsReceived RTX packets it sent
 * @param rttMs smoothed round-trip time, or -1
 * @param senderReportsSent SRs sent to it
 * @param receiverReportsSent RRs sent to it
 * @param senderReportsReceived SRs it sent
 * @param receiverReportsReceived RRs it sent
 * @param rembsReceived REMB messages it sent
 * @param transportCcFeedbackReceived transport-cc feedback packets it sent
 * @param drops every drop by reason, over all its pipelines and before them
 * @param published its publications
 * @param subscribed its subscriptions
 * @param nodes every pipeline node's counters (receive, rtcp-out, each send and retransmit)
 * @param internalFailures tasks that threw on its queue (a bug, not bad input); 0 when healthy
 * @param sendSide what is sent to it and why: bandwidth estimate, pacer, probes, layers chosen
 */
public record ParticipantStats(
    String participantId, long packetsReceived, long bytesReceived, long packetsSent, long bytesSent,
    long nacksSent, long nacksReceived, long keyframeRequestsSent, long keyframeRequestsReceived,
    long retransmissionsSent, long retransmissionsSuppressedRecent, long retransmissionsRateLimited,
    long retransmissionsReceived, long rttMs, long senderReportsSent,
    long receiverReportsSent, long senderReportsReceived, long receiverReportsReceived,
    long rembsReceived, long transportCcFeedbackReceived, Map<DropReason, Long> drops,
    List<TrackStats> published, List<TrackStats> subscribed, List<Node.NodeStats> nodes,
    long internalFailures, SendSideStats sendSide) {

  /** Copies the collections. */
  public ParticipantStats {
    drops = Map.copyOf(drops);
    published = List.copyOf(published);
    subscribed = List.copyOf(subscribed);
    nodes = List.copyOf(nodes);
  }

  /** Drops for one reason. */
  public long dropped(DropReason reason) {
    return drops.getOrDefault(reason, 0L);
  }
}
