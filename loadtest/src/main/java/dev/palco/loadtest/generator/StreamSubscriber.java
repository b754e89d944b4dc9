package dev.palco.loadtest.generator;

import dev.palco.rtp.HeaderExtensionCursor;
import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.SequenceUnwrapper;
import dev.palco.rtp.TransportCcExtension;
import dev.palco.rtp.codec.PayloadDropReason;
import dev.palco.rtp.codec.Vp8PayloadDescriptor;
import dev.palco.rtp.rtcp.NackEncoder;
import dev.palco.rtp.rtcp.ReceiverReportEncoder;
import dev.palco.rtp.rtcp.ReportBlock;
import dev.palco.rtp.rtcp.TransportCcEncoder;
import dev.palco.sfu.client.SyntheticPayload;
import dev.palco.loadtest.generator.net.MediaClient;
import dev.palco.sfu.stats.LatencyHistogram;

/**
 * One simulated subscriber: receives a video and an audio stream, proves what arrived (per-stream
 * sequence accounting, the {@link SyntheticPayload} send time), and answers as a browser's
 * receiver does: a NACK (RFC 4585 §6.2.1) for each gap in the video, repeated up to {@value
 * #MAX_NACKS_PER_SEQ} times while the packet stays missing, RTX (RFC 4588) taken as recovery, a
 * receiver report every second (RFC 3550 §6.4.2), and transport-wide congestion control feedback
 * every 100 ms when the stream carries the transport-wide sequence number
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).
 *
 * <p>Threads: packets arrive on the client's ICE reader thread; {@link #tick} runs on the
 * {@link MediaLoop}. Both lock this object, which only they contend for.
 */
public final class StreamSubscriber implements AutoCloseable {
  static final int MAX_NACKS_PER_SEQ = 3;
  private static final long NACK_RETRY_NANOS = 40_000_000L;
  private static final long RR_INTERVAL_NANOS = 1_000_000_000L;
  private static final long TWCC_INTERVAL_NANOS = 100_000_000L;
  private static final int PENDING_CAPACITY = 512;
  private static final int TWCC_CAPACITY = 2048;

  /** Which payload types and header extension the negotiation gave this subscriber. */
  public record Negotiated(int videoPt, int rtxPt, int audioPt, int twccExtensionId) {}

  private final MediaClient client;
  private final Negotiated negotiated;
  private final LoadStats stats;
  private final long startNanos;
  private final int localSsrc;
  private final SequenceTracker video = new SequenceTracker();
  private final SequenceTracker audio = new SequenceTracker();
  private final Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
  private final HeaderExtensionCursor extensions = new HeaderExtensionCursor();
  private final SequenceUnwrapper twccUnwrapper = new SequenceUnwrapper();
  private final TransportCcEncoder twccEncoder = new TransportCcEncoder(1_000);
  private final long[] twccSeq = new long[TWCC_CAPACITY];
  private final long[] twccArrivalUs = new long[TWCC_CAPACITY];
  private final long[] pendingSeq = new long[PENDING_CAPACITY];
  private final int[] pendingAttempts = new int[PENDING_CAPACITY];
  private final long[] pendingSentNanos = new long[PENDING_CAPACITY];
  private final int[] nackSeqs = new int[PENDING_CAPACITY];
  private final byte[] rtcpBuffer = new byte[1_500 + MediaClient.MAX_SRTP_OVERHEAD_BYTES];
  private final ReportBlock[] blocks = {new ReportBlock(), new ReportBlock()};

  private int pendingCount;
  private int twccCount;
  private int twccFeedbackCount;
  private long videoSsrc = -1;
  private long audioSsrc = -1;
  private long firstFrameNanos = -1;
  private long nextRrNanos;
  private long nextTwccNanos;
  private long rtxReceived;
  private long nackedSeqs;
  private long feedbackPackets;
  private long received;
  private long bytes;
  private volatile boolean closed;
  private ReceiveShaper shaper;
  private int keyframeWidthPx;
  private int keyframeHeightPx;
  private long videoBytes;

  /**
   * @param client the client, connected after this is built (so the first packet is not missed)
   * @param negotiated payload types and extension id
   * @param stats where this subscriber's packets, delays and feedback are counted
   * @param startNanos when the subscription was asked for, for the time to first frame
   */
  public StreamSubscriber(MediaClient client, Negotiated negotiated, LoadStats stats, long startNanos) {
    this.client = client;
    this.negotiated = negotiated;
    this.stats = stats;
    this.startNanos = startNanos;
    this.localSsrc = System.identityHashCode(this) | 1;
    this.nextRrNanos = startNanos + RR_INTERVAL_NANOS;
    this.nextTwccNanos = startNanos + TWCC_INTERVAL_NANOS;
    client.setMediaReceiver(this::onMedia);
  }

  /** The client. */
  public MediaClient client() {
    return client;
  }

  /** When the first video keyframe's first packet arrived, or -1. */
  public synchronized long firstFrameNanos() {
    return firstFrameNanos;
  }

  /**
   * Adds this subscriber's counts to {@code into}: video expected, video distinct received, audio
   * expected, audio distinct received.
   */
  public synchronized void addCounts(long[] into) {
    into[0] += video.expected();
    into[1] += video.unique();
    into[2] += audio.expected();
    into[3] += audio.unique();
  }

  /** Video and audio packets expected from the first and highest sequence numbers seen. */
  public synchronized long expected() {
    return video.expected() + audio.expected();
  }

  /** Distinct video and audio packets received, retransmissions that filled a gap included. */
  public synchronized long uniqueReceived() {
    return video.unique() + audio.unique();
  }

  /**
   * Puts a bottleneck link in front of this subscriber (the simulcast scenario's bandwidth
   * classes): media over its budget is dropped before it is counted or acknowledged.
   */
  public synchronized void setShaper(ReceiveShaper receiveShaper) {
    this.shaper = receiveShaper;
  }

  /** The shaper, or null. */
  public synchronized ReceiveShaper shaper() {
    return shaper;
  }

  /** Width and height of the last video keyframe received (the simulcast layer forwarded), or 0. */
  public synchronized int[] lastKeyframeSizePx() {
    return new int[] {keyframeWidthPx, keyframeHeightPx};
  }

  /** RTP bytes of video received (after any shaper), RTX included. */
  public synchronized long videoBytes() {
    return videoBytes;
  }

  private synchronized void onMedia(byte[] buf, int off, int len, boolean rtcp, long arrivalNanos) {
    if (rtcp || closed) {
      return;
    }
    if (shaper != null) {
      // The packet arrives when it leaves the simulated bottleneck (its queueing delay included).
      long leftNanos = shaper.pass(len, arrivalNanos);
      if (leftNanos == ReceiveShaper.DROPPED) {
        return;
      }
      arrivalNanos = leftNanos;
    }
    int header = RtpPacket.headerLength(buf, off, len);
    if (header < 0) {
      stats.malformed.increment();
      return;
    }
    received++;
    bytes += len;
    stats.packets.increment();
    stats.bytes.add(len);
    if (negotiated.twccExtensionId() > 0 && RtpPacket.hasExtension(buf, off)
        && extensions.reset(buf, off, len) && extensions.find(negotiated.twccExtensionId())
        && TransportCcExtension.isValidLength(extensions.dataLength()) && twccCount < TWCC_CAPACITY) {
      twccSeq[twccCount] = twccUnwrapper.unwrap(TransportCcExtension.sequenceNumber(buf, extensions.dataOffset()));
      twccArrivalUs[twccCount] = arrivalNanos / 1_000;
      twccCount++;
    }
    int pt = RtpPacket.payloadType(buf, off);
    int seq = RtpPacket.sequenceNumber(buf, off);
    int payload = off + header;
    int end = off + len;
    if (pt == negotiated.videoPt()) {
      videoBytes += len;
      videoSsrc = RtpPacket.ssrc(buf, off);
      long gap = video.onPacket(seq);
      if (gap > 0) {
        addPending(video.highest() - gap, gap, arrivalNanos);
      }
      if (vp8.parse(buf, payload, end - payload) != PayloadDropReason.OK) {
        stats.malformed.increment();
        return;
      }
      int body = payload + vp8.descriptorLength();
      if (vp8.startOfFrame()) {
        if (vp8.keyframe() && vp8.keyframeWidthPx() > 0) {
          keyframeWidthPx = vp8.keyframeWidthPx();
          keyframeHeightPx = vp8.keyframeHeightPx();
        }
        if (vp8.keyframe() && firstFrameNanos < 0) {
          firstFrameNanos = arrivalNanos;
          stats.timeToFirstFrame.record(arrivalNanos - startNanos);
        }
        body += vp8.keyframe() ? Vp8PayloadDescriptor.KEYFRAME_HEADER_SIZE_BYTES
            : Vp8PayloadDescriptor.PAYLOAD_HEADER_SIZE_BYTES;
      }
      recordDelay(buf, body, end, arrivalNanos);
    } else if (pt == negotiated.rtxPt() && negotiated.rtxPt() >= 0) {
      videoBytes += len;
      rtxReceived++;
      stats.rtxReceived.increment();
      if (end - payload >= 2) {
        video.onRetransmission(((buf[payload] & 0xFF) << 8) | (buf[payload + 1] & 0xFF));
      }
    } else if (pt == negotiated.audioPt()) {
      audioSsrc = RtpPacket.ssrc(buf, off);
      audio.onPacket(seq);
      recordDelay(buf, payload + 1, end, arrivalNanos); // after the Opus TOC byte
    } else {
      stats.unknownPayloadType.increment();
    }
  }

  private void recordDelay(byte[] buf, int body, int end, long arrivalNanos) {
    if (end - body >= SyntheticPayload.HEADER_SIZE_BYTES && SyntheticPayload.sourceId(buf, body) != 0) {
      long delay = arrivalNanos - SyntheticPayload.sendNanos(buf, body);
      stats.window.record(delay);
      stats.run.record(delay);
    }
  }

  /** Remembers the {@code count} sequence numbers after {@code firstMissingMinusOne} and NACKs them now. */
  private void addPending(long firstMissingMinusOne, long count, long nowNanos) {
    for (long s = firstMissingMinusOne + 1; s <= firstMissingMinusOne + count && pendingCount < PENDING_CAPACITY;
        s++) {
      pendingSeq[pendingCount] = s;
      pendingAttempts[pendingCount] = 0;
      pendingSentNanos[pendingCount] = Long.MIN_VALUE;
      pendingCount++;
    }
    sendNacks(nowNanos);
  }

  /** NACKs every pending sequence number due for a (first or repeated) request; drops what arrived. */
  private void sendNacks(long nowNanos) {
    int keep = 0;
    int n = 0;
    for (int i = 0; i < pendingCount; i++) {
      long s = pendingSeq[i];
      if (video.has(s) || pendingAttempts[i] >= MAX_NACKS_PER_SEQ || video.highest() - s > 1_000) {
        continue;
      }
      if (pendingSentNanos[i] == Long.MIN_VALUE || nowNanos - pendingSentNanos[i] >= NACK_RETRY_NANOS) {
        nackSeqs[n++] = (int) (s & 0xFFFF);
        pendingAttempts[i]++;
        pendingSentNanos[i] = nowNanos;
      }
      pendingSeq[keep] = s;
      pendingAttempts[keep] = pendingAttempts[i];
      pendingSentNanos[keep] = pendingSentNanos[i];
      keep++;
    }
    pendingCount = keep;
    if (n == 0 || videoSsrc < 0) {
      return;
    }
    int from = 0;
    while (from < n) {
      int count = Math.min(n - from, 64);
      int len = NackEncoder.write(rtcpBuffer, 0, localSsrc, (int) videoSsrc, nackSeqs, from, count);
      client.sendRtcp(rtcpBuffer, 0, len);
      from += count;
    }
    nackedSeqs += n;
    stats.nacksSent.add(n);
  }

  /**
   * Periodic feedback, on the media loop: repeated NACKs, receiver reports, TWCC.
   *
   * @return when this subscriber next needs a tick
   */
  synchronized long tick(long nowNanos) {
    if (closed) {
      return nowNanos + RR_INTERVAL_NANOS;
    }
    if (pendingCount > 0) {
      sendNacks(nowNanos);
    }
    if (nowNanos - nextTwccNanos >= 0) {
      sendTransportFeedback();
      nextTwccNanos = nowNanos + TWCC_INTERVAL_NANOS;
    }
    if (nowNanos - nextRrNanos >= 0) {
      sendReceiverReport();
      nextRrNanos = nowNanos + RR_INTERVAL_NANOS;
    }
    long next = Math.min(nextRrNanos, negotiated.twccExtensionId() > 0 ? nextTwccNanos : nextRrNanos);
    return pendingCount > 0 ? Math.min(next, nowNanos + NACK_RETRY_NANOS) : next;
  }

  /** RFC 3550 §6.4.2 with one block per stream (§A.3 for the loss fields). */
  private void sendReceiverReport() {
    int count = 0;
    if (videoSsrc >= 0) {
      video.fill(blocks[count++], (int) videoSsrc);
    }
    if (audioSsrc >= 0) {
      audio.fill(blocks[count++], (int) audioSsrc);
    }
    int len = ReceiverReportEncoder.write(rtcpBuffer, 0, localSsrc, blocks, count);
    if (client.sendRtcp(rtcpBuffer, 0, len) == dev.palco.sfu.client.ClientSendResult.SENT) {
      feedbackPackets++;
      stats.receiverReports.increment();
    }
  }

  /** Transport-wide feedback over what arrived since the last one, in sequence order. */
  private void sendTransportFeedback() {
    if (twccCount == 0 || videoSsrc < 0) {
      return;
    }
    sortBySequence();
    twccEncoder.reset(localSsrc, (int) videoSsrc, twccFeedbackCount++);
    int added = 0;
    for (int i = 0; i < twccCount; i++) {
      TransportCcEncoder.AddResult r = twccEncoder.add((int) (twccSeq[i] & 0xFFFF), twccArrivalUs[i]);
      if (r == TransportCcEncoder.AddResult.PACKET_FULL || r == TransportCcEncoder.AddResult.DELTA_OUT_OF_RANGE) {
        flushTwcc();
        twccEncoder.reset(localSsrc, (int) videoSsrc, twccFeedbackCount++);
        twccEncoder.add((int) (twccSeq[i] & 0xFFFF), twccArrivalUs[i]);
      }
      added++;
    }
    if (added > 0) {
      flushTwcc();
    }
    twccCount = 0;
  }

  private void flushTwcc() {
    if (twccEncoder.packetStatusCount() == 0) {
      return;
    }
    int len = twccEncoder.write(rtcpBuffer, 0);
    if (client.sendRtcp(rtcpBuffer, 0, len) == dev.palco.sfu.client.ClientSendResult.SENT) {
      stats.transportFeedback.increment();
    }
  }

  /** Insertion sort: arrivals are nearly in order already. */
  private void sortBySequence() {
    for (int i = 1; i < twccCount; i++) {
      long s = twccSeq[i];
      long a = twccArrivalUs[i];
      int j = i - 1;
      while (j >= 0 && twccSeq[j] > s) {
        twccSeq[j + 1] = twccSeq[j];
        twccArrivalUs[j + 1] = twccArrivalUs[j];
        j--;
      }
      twccSeq[j + 1] = s;
      twccArrivalUs[j + 1] = a;
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    client.close();
  }
}
