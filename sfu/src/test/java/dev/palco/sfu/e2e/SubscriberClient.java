package dev.palco.sfu.e2e;

import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.codec.PayloadDropReason;
import dev.palco.rtp.codec.Vp8PayloadDescriptor;
import dev.palco.rtp.demux.PacketKind;
import dev.palco.rtp.rtcp.NackEncoder;
import dev.palco.sfu.client.ClientSendResult;
import dev.palco.sfu.client.SyntheticPayload;
import dev.palco.sfu.client.WebRtcClient;
import dev.palco.sfu.feedback.NackGenerator;
import dev.palco.sfu.room.TrackSubscription;
import dev.palco.sfu.stats.LatencyHistogram;
import dev.palco.sfu.util.RtpWrap;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber that checks everything it receives, the way a browser's jitter buffer would have
 * to cope with it:
 * <ul>
 *   <li>every RTP packet carries the SSRC and payload type of one of its subscriptions (the
 *       outgoing stream the SFU rewrote onto, or its RTX stream);</li>
 *   <li>each stream's sequence numbers are continuous from the first packet on: a first-time
 *       packet is newer than every earlier one (in order), none arrives twice, and by the end
 *       every number from the first to the highest has arrived, originally or repaired;</li>
 *   <li>every payload is byte-exact ({@link SyntheticPayload#verify}) and comes from the
 *       publisher's stream ({@link SyntheticPayload#sourceId}); for VP8 the descriptor (whose
 *       picture id the SFU rewrites) is parsed and the body after it is checked;</li>
 *   <li>a video stream starts with the first packet of a keyframe.</li>
 * </ul>
 *
 * <p>Loss repair as a browser does it: a {@link NackGenerator} per stream follows the gaps; a
 * timer task every {@value #NACK_TICK_MS} ms sends generic NACKs (RFC 4585 §6.2.1, reduced-size
 * RTCP) for what is due, and RTX packets (RFC 4588 §4: the original sequence number in the first
 * two payload bytes) are unwrapped into the hole. A seeded loss filter on the client can drop a
 * share of the RTP datagrams before decryption, as the network would.
 *
 * <p>All state is guarded by this object's monitor: the ICE reader thread delivers, the timer
 * thread sends NACKs, the test thread reads.
 */
final class SubscriberClient implements AutoCloseable {
  static final long NACK_TICK_MS = 5;
  private static final int RTX_OSN_SIZE_BYTES = 2;

  final String name;
  final WebRtcClient client;
  private final long sourceVideoSsrc;
  private final long sourceAudioSsrc;
  private final long rtcpSsrc;
  private final List<Stream> streams = new ArrayList<>();
  private final Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
  private final int[] due = new int[256];
  private final byte[] nackBuffer = new byte[1500];
  private final long createdNanos = System.nanoTime();
  private ScheduledFuture<?> nackTimer;

  // Loss injection (ICE reader thread only).
  private SplittableRandom lossRandom;
  private double lossRate;
  long rtpDroppedByFilter;

  // Totals, guarded by this.
  /** Packets of SSRCs not (yet) expected, by SSRC: a subscription's first packets may race expect(). */
  private final java.util.Map<Long, Long> unexpectedBySsrc = new java.util.HashMap<>();
  /**
   * Copies of the first unexpected packets, replayed by {@link #expect}: the SFU forwards as soon as
   * a subscription exists, and a keyframe may reach this client before the test thread has read
   * the subscription's SSRC. A browser has the SSRC from the SDP first; this keeps the same order.
   */
  private final List<Early> early = new ArrayList<>();
  private static final int MAX_EARLY_PACKETS = 256;
  long replayedEarly;

  private record Early(byte[] packet, long arrivalNanos) {}
  long wrongPayloadType;
  long payloadFailures;
  long nackPacketsSent;
  long nackedSequenceNumbers;
  long nackSendFailures;
  final LatencyHistogram endToEnd = new LatencyHistogram();

  SubscriberClient(String name, WebRtcClient client, long sourceVideoSsrc, long sourceAudioSsrc, long rtcpSsrc) {
    this.name = name;
    this.client = client;
    this.sourceVideoSsrc = sourceVideoSsrc;
    this.sourceAudioSsrc = sourceAudioSsrc;
    this.rtcpSsrc = rtcpSsrc;
    client.setMediaReceiver(this::onMedia);
    client.setReceiveFilter(this::accept);
  }

  /**
   * Expects the stream of a subscription: its SSRC, RTX SSRC (or -1) and payload types, read from
   * the subscription as signaling would put them in the subscriber's SDP. Call before the first
   * packet of it can arrive (before the publisher starts, or right after subscribing: a packet of
   * an unexpected SSRC counts as wrong).
   */
  synchronized Stream expect(TrackSubscription sub, boolean video, int payloadType, int rtxPayloadType) {
    return expect(sub.ssrc(), sub.rtxSsrc(), video, payloadType, rtxPayloadType);
  }

  /**
   * Expects a stream by its SSRCs, as the SFU's SDP answer names them (a player's), with the
   * payload types the client offered.
   */
  synchronized Stream expect(long streamSsrc, long streamRtxSsrc, boolean video, int payloadType,
      int rtxPayloadType) {
    Stream s = new Stream(streamSsrc, streamRtxSsrc, payloadType, rtxPayloadType, video,
        video ? sourceVideoSsrc : sourceAudioSsrc);
    streams.add(s);
    for (java.util.Iterator<Early> it = early.iterator(); it.hasNext(); ) {
      Early e = it.next();
      long ssrc = RtpPacket.ssrc(e.packet(), 0);
      if (ssrc == s.ssrc || ssrc == s.rtxSsrc) {
        it.remove();
        unexpectedBySsrc.computeIfPresent(ssrc, (k, n) -> n == 1 ? null : n - 1);
        replayedEarly++;
        onMedia(e.packet(), 0, e.packet().length, false, e.arrivalNanos());
      }
    }
    return s;
  }

  /** Starts sending NACKs on {@code timer}. */
  void startNacks(ScheduledExecutorService timer) {
    nackTimer = timer.scheduleAtFixedRate(this::sendDueNacks, NACK_TICK_MS, NACK_TICK_MS,
        TimeUnit.MILLISECONDS);
  }

  /**
   * Drops {@code rate} of the RTP datagrams from the SFU (media and RTX), decided by a random
   * generator seeded with {@code seed}; 0 stops dropping. The first packet of each stream always
   * passes, so the receiver knows where the stream starts (a real receiver that lost it would ask
   * for a keyframe instead).
   */
  synchronized void setLoss(double rate, long seed) {
    lossRandom = new SplittableRandom(seed);
    lossRate = rate;
  }

  /** Receive filter, on the ICE reader thread, before decryption. */
  private boolean accept(byte[] buf, int off, int len, PacketKind kind) {
    if (kind != PacketKind.RTP) {
      return true;
    }
    synchronized (this) {
      if (lossRate <= 0) {
        return true;
      }
      // The SSRC is in the clear in SRTP (RFC 3711 §3.1).
      long ssrc = RtpPacket.ssrc(buf, off);
      for (Stream s : streams) {
        if ((s.ssrc == ssrc && !s.started) || (s.rtxSsrc == ssrc && !s.started)) {
          return true;
        }
      }
      if (lossRandom.nextDouble() < lossRate) {
        rtpDroppedByFilter++;
        return false;
      }
      return true;
    }
  }

  private synchronized void onMedia(byte[] buf, int off, int len, boolean rtcp, long arrivalNanos) {
    if (rtcp) {
      return; // SRs and RRs from the SFU: not checked here.
    }
    int headerLen = RtpPacket.headerLength(buf, off, len);
    if (headerLen < 0) {
      payloadFailures++;
      return;
    }
    long ssrc = RtpPacket.ssrc(buf, off);
    int pt = RtpPacket.payloadType(buf, off);
    int seq = RtpPacket.sequenceNumber(buf, off);
    long nowMs = (arrivalNanos - createdNanos) / 1_000_000L;
    for (Stream s : streams) {
      if (ssrc == s.ssrc) {
        if (pt != s.payloadType) {
          wrongPayloadType++;
          return;
        }
        s.onPrimary(buf, off + headerLen, len - headerLen, seq, nowMs, arrivalNanos);
        return;
      }
      if (ssrc == s.rtxSsrc) {
        if (pt != s.rtxPayloadType || len - headerLen < RTX_OSN_SIZE_BYTES) {
          wrongPayloadType++;
          return;
        }
        int osn = ((buf[off + headerLen] & 0xFF) << 8) | (buf[off + headerLen + 1] & 0xFF);
        s.onRtx(buf, off + headerLen + RTX_OSN_SIZE_BYTES, len - headerLen - RTX_OSN_SIZE_BYTES, osn,
            nowMs);
        return;
      }
    }
    unexpectedBySsrc.merge(ssrc, 1L, Long::sum);
    if (early.size() < MAX_EARLY_PACKETS) {
      early.add(new Early(java.util.Arrays.copyOfRange(buf, off, off + len), arrivalNanos));
    }
  }

  /** Packets whose SSRC is none of the expected streams'. */
  synchronized long wrongSsrc() {
    long n = 0;
    for (java.util.Map.Entry<Long, Long> e : unexpectedBySsrc.entrySet()) {
      boolean known = false;
      for (Stream s : streams) {
        known |= s.ssrc == e.getKey() || s.rtxSsrc == e.getKey();
      }
      if (!known) {
        n += e.getValue();
      }
    }
    return n;
  }

  /** Timer thread: a reduced-size generic NACK per stream with anything due. */
  private synchronized void sendDueNacks() {
    long nowMs = (System.nanoTime() - createdNanos) / 1_000_000L;
    for (Stream s : streams) {
      if (s.nacks.missingCount() == 0) {
        continue;
      }
      int n = s.nacks.collectDue(nowMs, due);
      if (n == 0) {
        continue;
      }
      int len = NackEncoder.write(nackBuffer, 0, (int) rtcpSsrc, (int) s.ssrc, due, 0, n);
      if (client.sendRtcp(nackBuffer, 0, len) == ClientSendResult.SENT) {
        nackPacketsSent++;
        nackedSequenceNumbers += n;
      } else {
        nackSendFailures++;
      }
    }
  }

  /** Whether every stream has started and has nothing missing. */
  synchronized boolean complete() {
    for (Stream s : streams) {
      if (!s.started || s.nacks.missingCount() > 0) {
        return false;
      }
    }
    return true;
  }

  /** The streams, for assertions under this monitor's snapshot. */
  synchronized List<Stream> streams() {
    return List.copyOf(streams);
  }

  @Override
  public void close() {
    if (nackTimer != null) {
      nackTimer.cancel(false);
    }
    client.close();
  }

  /** Checks one subscription's stream. Guarded by the enclosing client's monitor. */
  final class Stream {
    final long ssrc;
    final long rtxSsrc;
    final int payloadType;
    final int rtxPayloadType;
    final boolean video;
    final long sourceSsrc;
    final NackGenerator nacks;
    private final BitSet received = new BitSet();
    boolean started;
    long firstExt;
    long highestExt;
    long firstPacketNanos;
    boolean firstPacketStartsKeyframe;
    int firstFrameNumber = -1;
    long primaryPackets;
    long rtxPackets;
    long repairedByRtx;
    long repairedByRetransmission;
    long redundantRepairs;
    long duplicates;
    long outOfOrder;

    Stream(long ssrc, long rtxSsrc, int payloadType, int rtxPayloadType, boolean video, long sourceSsrc) {
      this.ssrc = ssrc;
      this.rtxSsrc = rtxSsrc;
      this.payloadType = payloadType;
      this.rtxPayloadType = rtxPayloadType;
      this.video = video;
      this.sourceSsrc = sourceSsrc;
      // Loopback RTT is about a millisecond; retry after 30 ms, as a browser does on a LAN.
      this.nacks = new NackGenerator(NackGenerator.DEFAULT_REORDER_DELAY_MS, 30,
          NackGenerator.DEFAULT_MAX_NACKS_PER_PACKET, NackGenerator.DEFAULT_MAX_AGE_MS,
          NackGenerator.DEFAULT_MAX_MISSING_PACKETS, NackGenerator.DEFAULT_RESET_JUMP_PACKETS);
      nacks.setRttMs(30);
    }

    void onPrimary(byte[] buf, int payloadOff, int payloadLen, int seq, long nowMs, long arrivalNanos) {
      primaryPackets++;
      if (!verify(buf, payloadOff, payloadLen, arrivalNanos)) {
        payloadFailures++;
      }
      if (!started) {
        started = true;
        firstExt = seq;
        highestExt = seq;
        received.set(0);
        firstPacketNanos = arrivalNanos;
        if (video) {
          firstPacketStartsKeyframe = vp8.parse(buf, payloadOff, payloadLen) == PayloadDropReason.OK
              && vp8.startOfFrame() && vp8.keyframe();
          int body = bodyOffset(buf, payloadOff, payloadLen);
          firstFrameNumber = body < 0 ? -1 : SyntheticPayload.frame(buf, body);
        } else {
          firstPacketStartsKeyframe = true;
        }
        nacks.onPacket(seq, nowMs);
        return;
      }
      long ext = RtpWrap.extendSeq(highestExt, seq);
      int index = (int) (ext - firstExt);
      if (index < 0) {
        outOfOrder++;
        return;
      }
      if (received.get(index)) {
        duplicates++;
        return;
      }
      if (ext < highestExt) {
        if (rtxSsrc >= 0) {
          outOfOrder++; // with RTX negotiated, a repair never comes on the media SSRC
        } else {
          repairedByRetransmission++; // RFC 4585 without RTX: the packet as it was, sent again
        }
      }
      received.set(index);
      highestExt = Math.max(highestExt, ext);
      nacks.onPacket(seq, nowMs);
    }

    void onRtx(byte[] buf, int payloadOff, int payloadLen, int osn, long nowMs) {
      rtxPackets++;
      if (!verify(buf, payloadOff, payloadLen, 0)) {
        payloadFailures++;
      }
      if (!started) {
        outOfOrder++;
        return;
      }
      long ext = RtpWrap.extendSeq(highestExt, osn);
      int index = (int) (ext - firstExt);
      if (index < 0 || ext > highestExt) {
        outOfOrder++; // repairs only fill holes behind the highest number seen
        return;
      }
      if (received.get(index)) {
        redundantRepairs++; // a repeated NACK crossed the first repair
        return;
      }
      received.set(index);
      repairedByRtx++;
      nacks.onPacket(osn, nowMs);
    }

    /** Sequence numbers from the first to the highest that never arrived. */
    long unrecovered() {
      long span = highestExt - firstExt + 1;
      return span - received.cardinality();
    }

    /** Distinct sequence numbers received. */
    long distinct() {
      return received.cardinality();
    }

    private boolean verify(byte[] buf, int payloadOff, int payloadLen, long arrivalNanos) {
      int body = bodyOffset(buf, payloadOff, payloadLen);
      if (body < 0) {
        return false;
      }
      int bodyLen = payloadOff + payloadLen - body;
      if (!SyntheticPayload.verify(buf, body, bodyLen) || SyntheticPayload.sourceId(buf, body) != sourceSsrc) {
        return false;
      }
      if (arrivalNanos != 0) {
        endToEnd.record(arrivalNanos - SyntheticPayload.sendNanos(buf, body));
      }
      return true;
    }

    /** Where the synthetic body starts after the codec headers, or -1. */
    private int bodyOffset(byte[] buf, int payloadOff, int payloadLen) {
      if (!video) {
        return payloadLen < 1 ? -1 : payloadOff + 1; // the Opus TOC byte
      }
      if (vp8.parse(buf, payloadOff, payloadLen) != PayloadDropReason.OK) {
        return -1;
      }
      int body = payloadOff + vp8.descriptorLength();
      if (vp8.startOfFrame()) {
        // RFC 7741 §4.3: the payload header, 10 bytes on a keyframe (start code and size).
        body += vp8.keyframe() ? Vp8PayloadDescriptor.KEYFRAME_HEADER_SIZE_BYTES
            : Vp8PayloadDescriptor.PAYLOAD_HEADER_SIZE_BYTES;
      }
      return body <= payloadOff + payloadLen ? body : -1;
    }

    @Override
    public String toString() {
      return (video ? "video" : "audio") + "[ssrc=" + ssrc + " first=" + firstExt + " highest=" + highestExt
          + " distinct=" + distinct() + " primary=" + primaryPackets + " rtx=" + rtxPackets
          + " repairedByRtx=" + repairedByRtx + " repairedByRetransmission=" + repairedByRetransmission
          + " redundant=" + redundantRepairs + " duplicates=" + duplicates + " outOfOrder=" + outOfOrder
          + " missing=" + nacks.missingCount() + " givenUp=" + nacks.givenUp() + "]";
    }
  }

  @Override
  public synchronized String toString() {
    return name + ": " + streams + " wrongSsrc=" + wrongSsrc() + " replayedEarly=" + replayedEarly + " wrongPt=" + wrongPayloadType
        + " payloadFailures=" + payloadFailures + " filtered=" + rtpDroppedByFilter + " nacks="
        + nackPacketsSent + "/" + nackedSequenceNumbers;
  }
}
