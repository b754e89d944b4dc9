package dev.palco.loadtest.generator;

import dev.palco.sfu.stats.LatencyHistogram;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters and delay histograms shared by every subscriber of a run. {@link #window} is reset at
 * each progress interval or load step; {@link #run} covers the whole measured run.
 */
public final class LoadStats {
  /** RTP packets received by all subscribers. */
  public final LongAdder packets = new LongAdder();
  /** RTP bytes received (after SRTP). */
  public final LongAdder bytes = new LongAdder();
  /** RTX packets received. */
  public final LongAdder rtxReceived = new LongAdder();
  /** Sequence numbers NACKed (repeats included). */
  public final LongAdder nacksSent = new LongAdder();
  /** Receiver reports sent. */
  public final LongAdder receiverReports = new LongAdder();
  /** Transport-wide feedback packets sent. */
  public final LongAdder transportFeedback = new LongAdder();
  /** Packets whose RTP or VP8 header did not parse. */
  public final LongAdder malformed = new LongAdder();
  /** Packets with a payload type nobody negotiated. */
  public final LongAdder unknownPayloadType = new LongAdder();
  /** Subscriptions that failed (signaling, ICE or DTLS). */
  public final LongAdder connectFailures = new LongAdder();
  /** Publisher send to subscriber receive, per packet, since the last window reset. */
  public final LatencyHistogram window = new LatencyHistogram();
  /** The same over the whole measured run. */
  public final LatencyHistogram run = new LatencyHistogram();
  /** Subscription request to the end of its DTLS handshake (signaling, ICE and DTLS), per subscription. */
  public final LatencyHistogram connectTime = new LatencyHistogram();
  /** Subscription request to the first keyframe's first packet. */
  public final LatencyHistogram timeToFirstFrame = new LatencyHistogram();
}
