package dev.palco.sfu.feedback;

import dev.palco.rtp.SequenceUnwrapper;
import dev.palco.rtp.rtcp.TransportCcEncoder;
import java.util.Arrays;

/**
 * Reports the arrival of a publisher's packets with transport-wide congestion control feedback
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3), so that the publisher's send-side
 * bandwidth estimator sees the queueing delay on its uplink and keeps its pacer and encoder below
 * what the path carries.
 *
 * <p>A publisher that negotiated the transport-wide sequence number extension and
 * {@code a=rtcp-fb:* transport-cc} estimates its bandwidth from this feedback alone. Without it,
 * its estimator never learns that packets arrive, and the delay a browser adds on its side grows:
 * on a loaded machine frames queued for hundreds of milliseconds in the publisher before they were
 * sent.
 *
 * <p>Every packet that carries a transport-wide sequence number is recorded with its arrival time
 * (RTX and padding probes included: the estimator needs them). {@link #write} then covers every
 * number from the first one not yet reported to the highest one seen, marking the missing ones
 * not received, at most once per {@code intervalMs} (libwebrtc's receiver reports every 50 to
 * 250 ms; we keep to the low end, since the stage wants the publisher's queues short). A packet
 * that arrives after the feedback that reported it missing is counted, not reported again: the
 * sender has already judged it lost. A jump beyond the window (a sender restart) starts the window
 * afresh instead of reporting thousands of losses.
 *
 * <p>Arrival times are kept in a ring indexed by the unwrapped sequence number, so nothing is
 * allocated per packet. Not thread-safe: confine to the publisher's receive thread, which also
 * runs its timer.
 */
public final class TransportFeedbackGenerator {

  /** Default spacing of feedback packets. */
  public static final long DEFAULT_INTERVAL_MS = 50;
  /** Numbers remembered: more than a feedback interval holds at any stage bitrate. */
  private static final int WINDOW = 4096;
  private static final int MASK = WINDOW - 1;
  /** The largest feedback we build, well inside a path MTU after SRTCP. */
  private static final int MAX_FEEDBACK_BYTES = 1200;

  private final long intervalMs;
  private final SequenceUnwrapper unwrapper = new SequenceUnwrapper();
  private final TransportCcEncoder encoder = new TransportCcEncoder(MAX_FEEDBACK_BYTES);
  /** Arrival (µs) by unwrapped number & MASK; valid when {@code seqAt} holds that number. */
  private final long[] arrivalUs = new long[WINDOW];
  private final long[] seqAt = new long[WINDOW];

  private boolean started;
  /** The first unwrapped number not yet reported. */
  private long nextToReport;
  private long highest;
  private long lastSentMs = Long.MIN_VALUE;
  /** The previous {@link #write} left numbers for an immediate follow-up packet. */
  private boolean continuing;
  private int feedbackCount;
  private int mediaSsrc;

  private long packetsRecorded;
  private long lateArrivals;
  private long resets;
  private long feedbacksSent;

  /** With the default interval. */
  public TransportFeedbackGenerator() {
    this(DEFAULT_INTERVAL_MS);
  }

  /** @param intervalMs the shortest spacing of feedback packets */
  public TransportFeedbackGenerator(long intervalMs) {
    if (intervalMs <= 0) {
      throw new IllegalArgumentException("intervalMs=" + intervalMs);
    }
    this.intervalMs = intervalMs;
    Arrays.fill(seqAt, -1);
  }

  /**
   * Records one packet's arrival.
   *
   * @param transportSeq the 16-bit transport-wide sequence number
   * @param ssrc the packet's SSRC (the feedback names the last one seen as its media source)
   * @param arrivedUs its arrival on our clock
   */
  public void onPacket(int transportSeq, long ssrc, long arrivedUs) {
    long seq = unwrapper.unwrap(transportSeq & 0xFFFF);
    mediaSsrc = (int) ssrc;
    packetsRecorded++;
    if (!started) {
      started = true;
      nextToReport = seq;
      highest = seq;
    } else if (seq < nextToReport) {
      if (nextToReport - seq < WINDOW) {
        lateArrivals++;
        return;
      }
      restart(seq);
    } else if (seq - nextToReport >= WINDOW) {
      restart(seq);
    } else if (seq > highest) {
      highest = seq;
    }
    int slot = (int) (seq & MASK);
    if (seqAt[slot] == seq) {
      return; // a duplicate keeps its first arrival
    }
    seqAt[slot] = seq;
    arrivalUs[slot] = arrivedUs;
  }

  private void restart(long seq) {
    resets++;
    nextToReport = seq;
    highest = seq;
  }

  /** Whether arrivals are waiting to be reported (a feedback will become due once the interval passed). */
  public boolean hasUnreported() {
    return started && highest >= nextToReport;
  }

  /** Whether a feedback is due: something to report, and the interval since the last one passed. */
  public boolean isDue(long nowMs) {
    return started && highest >= nextToReport
        && (lastSentMs == Long.MIN_VALUE || nowMs - lastSentMs >= intervalMs);
  }

  /**
   * Writes the next feedback packet (RTPFB FMT=15) at {@code buf[off]}, if one is due, and marks
   * what it covers as reported. A long stretch may take several packets: call again while it
   * returns more than 0.
   *
   * @param senderSsrc our RTCP SSRC
   * @return the length written, or 0 when nothing is due
   */
  public int write(long nowMs, int senderSsrc, byte[] buf, int off) {
    if (!continuing && !isDue(nowMs)) {
      return 0;
    }
    continuing = false;
    encoder.reset(senderSsrc, mediaSsrc, feedbackCount);
    // The highest number was received, so the stretch holds at least one arrival for the
    // feedback's reference time; missing numbers before it are reported as not received.
    long seq = nextToReport;
    long first = seq;
    for (; seq <= highest; seq++) {
      int slot = (int) (seq & MASK);
      long at = seqAt[slot] == seq ? arrivalUs[slot] : TransportCcEncoder.NOT_RECEIVED;
      if (encoder.add((int) (seq & 0xFFFF), at) != TransportCcEncoder.AddResult.ADDED) {
        break; // full, or a delta too large: the rest goes in the next packet
      }
    }
    if (seq == first) {
      // The encoder refused the first status of an empty feedback (it cannot); skip, never loop.
      nextToReport = first + 1;
      return 0;
    }
    nextToReport = seq;
    continuing = nextToReport <= highest;
    lastSentMs = nowMs;
    feedbackCount++;
    feedbacksSent++;
    return encoder.write(buf, off);
  }

  /** Packets recorded. */
  public long packetsRecorded() {
    return packetsRecorded;
  }

  /** Packets that arrived after the feedback reporting them lost. */
  public long lateArrivals() {
    return lateArrivals;
  }

  /** Times the window started afresh after a jump. */
  public long resets() {
    return resets;
  }

  /** Feedback packets written. */
  public long feedbacksSent() {
    return feedbacksSent;
  }
}
