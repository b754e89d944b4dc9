package dev.palco.sfu.room;

import dev.palco.rtp.codec.H264Payload;
import dev.palco.rtp.codec.PayloadDropReason;
import dev.palco.rtp.codec.Vp8PayloadDescriptor;
import dev.palco.sfu.pipeline.ConsumerNode;
import dev.palco.sfu.pipeline.DemuxerNode;
import dev.palco.sfu.pipeline.DropReason;
import dev.palco.sfu.pipeline.FilterNode;
import dev.palco.sfu.pipeline.ObserverNode;
import dev.palco.sfu.pipeline.PacketInfo;
import dev.palco.sfu.pipeline.PacketInfoPool;
import dev.palco.sfu.pipeline.PacketPipeline;
import dev.palco.sfu.pipeline.TransformerNode;
import dev.palco.sfu.pipeline.node.RtpParseNode;
import dev.palco.sfu.pipeline.node.RtxPackets;
import dev.palco.sfu.feedback.TransportFeedbackGenerator;
import dev.palco.sfu.pipeline.node.SrtpDecryptNode;
import dev.palco.sfu.util.Clock;

import java.util.Arrays;

/**
 * A participant's receive pipeline and the routing state it needs. Wiring:
 *
 * <pre>
 * receive: srtp-decrypt → demux {        (no srtp-decrypt on a PlaintextMediaTransport)
 *   rtp:  rtp-parse → route → rtx-unwrap → dedup → receive-stats → nack → keyframe → cache → fan-out
 *   rtcp: rtcp-termination
 * }
 * </pre>
 *
 * <ul>
 *   <li>{@code transport-cc} notes the arrival of every packet with a transport-wide sequence
 *       number, for the feedback the timer sends the publisher ({@link
 *       TransportFeedbackGenerator}).</li>
 *   <li>{@code route} finds the stream by SSRC (a primary or an RTX SSRC); an SSRC not seen before
 *       is learnt from the sdes:mid and rid / repaired-rid extensions (RFC 8843 §15, RFC 8852),
 *       which is how Chromium sends simulcast without signalling SSRCs. Otherwise the packet is
 *       dropped as {@link DropReason#UNKNOWN_SSRC}. Payload types not negotiated for the track are
 *       dropped as {@link DropReason#UNKNOWN_PAYLOAD_TYPE}.</li>
 *   <li>{@code rtx-unwrap} restores an RFC 4588 retransmission to the original packet.</li>
 *   <li>{@code dedup} drops a packet seen twice (a retransmission after all, a repeat).</li>
 *   <li>{@code nack} follows the sequence numbers so the timer can request what is missing.</li>
 *   <li>{@code keyframe} reads the VP8 descriptor or H.264 NAL type, notes the picture ID, and
 *       tells the publication's keyframe requester that a keyframe arrived.</li>
 *   <li>{@code cache} keeps a copy to answer subscribers' NACKs; {@code fan-out} runs every
 *       subscription's send pipeline on this worker (docs/architecture.md).</li>
 * </ul>
 *
 * <p>Confined to the participant's serial queue: tables are changed by tasks posted to it.
 */
final class ReceivePath {
  private final Participant participant;
  private final Clock clock;
  final SsrcTable<IncomingStream> primaryBySsrc = new SsrcTable<>();
  final SsrcTable<IncomingStream> rtxBySsrc = new SsrcTable<>();
  private TrackPublication[] publications = new TrackPublication[0];
  final RtpParseNode parse = new RtpParseNode();
  final TransportFeedbackGenerator transportFeedback = new TransportFeedbackGenerator();
  final PacketPipeline pipeline;

  ReceivePath(Participant participant, RtcpTermination rtcpTermination) {
    this.participant = participant;
    this.clock = participant.clock();
    var pool = participant.sfu().packetPool();
    PacketPipeline rtp = PacketPipeline.builder("rtp", pool)
        .then(parse)
        .then(new TransportCcNode())
        .then(new RouteNode())
        .then(new RtxUnwrapNode())
        .then(new DedupNode())
        .then(new ReceiveStatsNode())
        .then(new AudioLevelNode())
        .then(new NackNode())
        .then(new KeyframeNode())
        .then(new CacheNode())
        .end(new FanOutNode());
    PacketPipeline rtcp = PacketPipeline.builder("rtcp", pool).end(rtcpTermination);
    DemuxerNode byKind = new DemuxerNode("demux")
        .addPath("rtp", ReceivePath::isRtp, rtp)
        .addPath("rtcp", ReceivePath::isRtcp, rtcp);
    PacketPipeline.Builder receive = PacketPipeline.builder("receive", pool);
    if (!(participant.transport() instanceof PlaintextMediaTransport)) {
      receive.then(new SrtpDecryptNode(participant.transport()));
    }
    this.pipeline = receive.end(byKind);
  }

  private static boolean isRtp(PacketInfo p) {
    return !p.rtcp;
  }

  private static boolean isRtcp(PacketInfo p) {
    return p.rtcp;
  }

  /** The publications being received, for the timer. */
  TrackPublication[] publications() {
    return publications;
  }

  /** Starts receiving a publication: signalled SSRCs are bound now, others when first seen. */
  void add(TrackPublication pub) {
    publications = Arrays.copyOf(publications, publications.length + 1);
    publications[publications.length - 1] = pub;
    var ssrcs = pub.parameters().ssrcs();
    for (int layer = 0; layer < ssrcs.size() && layer < pub.layers.length; layer++) {
      IncomingStream s = bind(pub, layer, ssrcs.get(layer).ssrc());
      s.signalled = true;
      long rtx = ssrcs.get(layer).rtxSsrc();
      if (rtx >= 0) {
        s.rtxSsrc = rtx;
        rtxBySsrc.put(rtx, s);
      }
    }
    updateExtensionIds(pub.parameters());
  }

  /** Stops receiving a publication and gives its caches back. */
  void remove(TrackPublication pub) {
    int n = 0;
    TrackPublication[] next = new TrackPublication[publications.length];
    for (TrackPublication p : publications) {
      if (p != pub) {
        next[n++] = p;
      }
    }
    publications = Arrays.copyOf(next, n);
    for (IncomingStream s : pub.layers) {
      if (s != null) {
        primaryBySsrc.remove(s.ssrc);
        if (s.rtxSsrc >= 0) {
          rtxBySsrc.remove(s.rtxSsrc);
        }
        s.release();
      }
    }
  }

  /** Releases every publication's state (the participant is leaving). */
  void releaseAll() {
    for (TrackPublication p : publications) {
      for (IncomingStream s : p.layers) {
        if (s != null) {
          s.release();
        }
      }
    }
    publications = new TrackPublication[0];
  }

  private void updateExtensionIds(TrackParameters params) {
    // RFC 8843 §9.2: in a BUNDLE group an id names the same URI in every section.
    parse.setExtensionIds(params.extensionId(ExtensionUris.MID),
        params.extensionId(ExtensionUris.RID), params.extensionId(ExtensionUris.REPAIRED_RID),
        params.extensionId(ExtensionUris.AUDIO_LEVEL), params.extensionId(ExtensionUris.ABS_SEND_TIME),
        params.extensionId(ExtensionUris.TRANSPORT_CC));
  }

  private IncomingStream bind(TrackPublication pub, int layer, long ssrc) {
    IncomingStream old = pub.layers[layer];
    if (old != null) {
      // The publisher changed the layer's SSRC (a renegotiation, a restarted encoder).
      primaryBySsrc.remove(old.ssrc);
      if (old.rtxSsrc >= 0) {
        rtxBySsrc.remove(old.rtxSsrc);
      }
      old.release();
    }
    SfuConfig config = participant.sfu().config();
    boolean video = pub.kind() == TrackKind.VIDEO;
    int cachePackets = video ? config.videoCachePackets() : (pub.nackEnabled ? config.audioCachePackets() : 0);
    IncomingStream s = new IncomingStream(pub, layer, ssrc, pub.nackEnabled,
        participant.sfu().cacheBufferPool(), cachePackets, config.cacheMaxAgeMs());
    pub.setLayer(layer, s);
    primaryBySsrc.put(ssrc, s);
    return s;
  }

  private TrackPublication publicationByMid(PacketInfo p) {
    if (p.midOffset < 0) {
      // Without a mid, a participant with a single publication of that payload type is unambiguous.
      TrackPublication only = null;
      for (TrackPublication pub : publications) {
        if (pub.codecByPayloadType[p.payloadType] != null
            || pub.mediaPayloadTypeByRtx[p.payloadType] >= 0) {
          if (only != null) {
            return null;
          }
          only = pub;
        }
      }
      return only != null && only.parameters().ssrcs().isEmpty() && only.ridBytes.length == 0
          ? only : null;
    }
    byte[] buf = p.buffer();
    for (TrackPublication pub : publications) {
      if (dev.palco.rtp.SdesTokenExtension.tokenEquals(buf, p.midOffset, p.midLength, pub.midBytes)) {
        return pub;
      }
    }
    return null;
  }

  /** Learns the stream of an SSRC seen for the first time, or returns null. */
  private DropReason learn(PacketInfo p) {
    TrackPublication pub = publicationByMid(p);
    if (pub == null) {
      return DropReason.UNKNOWN_SSRC;
    }
    boolean rtxPt = pub.mediaPayloadTypeByRtx[p.payloadType] >= 0;
    byte[] buf = p.buffer();
    if (p.repairedRidOffset >= 0 || (rtxPt && p.ridOffset < 0)) {
      int layer = p.repairedRidOffset >= 0
          ? pub.layerOfRid(buf, p.repairedRidOffset, p.repairedRidLength)
          : (pub.ridBytes.length == 0 ? 0 : -1);
      IncomingStream s = layer >= 0 ? pub.layers[layer] : null;
      if (s == null || (s.signalled && s.rtxSsrc >= 0)) {
        // RTX can only be bound to a known primary stream, and never over a signalled pair.
        return DropReason.UNKNOWN_SSRC;
      }
      if (s.rtxSsrc >= 0) {
        rtxBySsrc.remove(s.rtxSsrc);
      }
      s.rtxSsrc = p.ssrc;
      rtxBySsrc.put(p.ssrc, s);
      p.stream = s;
      p.arrivedAsRtx = true;
      return null;
    }
    int layer;
    if (p.ridOffset >= 0) {
      layer = pub.layerOfRid(buf, p.ridOffset, p.ridLength);
    } else {
      layer = pub.ridBytes.length == 0 ? 0 : -1;
    }
    IncomingStream current = layer < 0 ? null : pub.layers[layer];
    if (layer < 0 || (current != null && current.signalled)) {
      // Signalled SSRCs are authoritative: an extension does not move a layer off them.
      return DropReason.UNKNOWN_SSRC;
    }
    p.stream = bind(pub, layer, p.ssrc);
    return null;
  }

  /**
   * Notes each packet's transport-wide sequence number and arrival, before anything may drop it:
   * a retransmission or a padding-only probe is as much a sign of the uplink's state as media.
   */
  private final class TransportCcNode extends ObserverNode {
    TransportCcNode() {
      super("transport-cc");
    }

    @Override
    protected void observe(PacketInfo p) {
      if (p.transportSequenceNumber != PacketInfo.UNSET) {
        transportFeedback.onPacket(p.transportSequenceNumber, p.ssrc, p.receivedNanos / 1_000L);
      }
    }
  }

  /** SSRC table first, then the mid/rid extensions; checks the payload type. */
  private final class RouteNode extends TransformerNode {
    RouteNode() {
      super("route");
    }

    @Override
    protected DropReason transform(PacketInfo p) {
      IncomingStream s = primaryBySsrc.get(p.ssrc);
      if (s != null) {
        p.stream = s;
      } else {
        s = rtxBySsrc.get(p.ssrc);
        if (s != null) {
          p.stream = s;
          p.arrivedAsRtx = true;
        } else {
          DropReason learnt = learn(p);
          if (learnt != null) {
            return learnt;
          }
          s = (IncomingStream) p.stream;
        }
      }
      TrackPublication pub = s.publication;
      if (p.arrivedAsRtx
          ? pub.mediaPayloadTypeByRtx[p.payloadType] < 0
          : pub.codecByPayloadType[p.payloadType] == null) {
        return DropReason.UNKNOWN_PAYLOAD_TYPE;
      }
      p.layer = s.layer;
      return null;
    }
  }

  /** RFC 4588 §4: OSN from the first two payload bytes; original SSRC and payload type restored. */
  private static final class RtxUnwrapNode extends TransformerNode {
    RtxUnwrapNode() {
      super("rtx-unwrap");
    }

    @Override
    protected DropReason transform(PacketInfo p) {
      if (!p.arrivedAsRtx) {
        return null;
      }
      IncomingStream s = (IncomingStream) p.stream;
      s.rtxPacketsReceived++;
      if (p.payloadLength == 0) {
        // Padding-only RTX packets are bandwidth probes (they carry no OSN).
        return DropReason.PADDING_ONLY;
      }
      int mediaPt = s.publication.mediaPayloadTypeByRtx[p.payloadType];
      if (!RtxPackets.unwrap(p, s.ssrc, mediaPt)) {
        return DropReason.MALFORMED_RTX;
      }
      return null;
    }
  }

  /** Drops what the stream already received. */
  private static final class DedupNode extends FilterNode {
    DedupNode() {
      super("dedup", DropReason.DUPLICATE);
    }

    @Override
    protected boolean accept(PacketInfo p) {
      return ((IncomingStream) p.stream).duplicates.accept(p.sequenceNumber);
    }
  }

  /** RFC 3550 A.1/A.3/A.8 reception statistics. */
  private final class ReceiveStatsNode extends ObserverNode {
    ReceiveStatsNode() {
      super("receive-stats");
    }

    @Override
    protected void observe(PacketInfo p) {
      IncomingStream s = (IncomingStream) p.stream;
      s.statistics.onPacket(p.sequenceNumber, p.timestamp, p.length(),
          p.receivedNanos / 1_000L, p.retransmission);
      if (!p.retransmission) {
        s.activity.onPacket(p.length(), p.timestamp, p.receivedNanos / 1_000_000L);
      }
    }
  }

  /**
   * Feeds the room's speaker detection with each new audio packet's RFC 6464 level (a repair
   * carries the level of a moment already counted).
   */
  private final class AudioLevelNode extends ObserverNode {
    AudioLevelNode() {
      super("audio-level");
    }

    @Override
    protected void observe(PacketInfo p) {
      if (p.audioLevel != PacketInfo.UNSET && !p.retransmission) {
        participant.room().onAudioLevel(participant, p.audioLevel, p.voiceActivity,
            p.receivedNanos / 1_000_000L);
      }
    }
  }

  /** Feeds the NACK generator; the timer sends what it finds missing. */
  private final class NackNode extends ObserverNode {
    NackNode() {
      super("nack");
    }

    @Override
    protected void observe(PacketInfo p) {
      IncomingStream s = (IncomingStream) p.stream;
      if (s.nacks != null) {
        s.nacks.onPacket(p.sequenceNumber, p.receivedNanos / 1_000_000L);
      }
    }
  }

  /** Keyframe detection and VP8 picture IDs. */
  private final class KeyframeNode extends ObserverNode {
    private final Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
    private final H264Payload h264 = new H264Payload();

    KeyframeNode() {
      super("keyframe");
    }

    @Override
    protected void observe(PacketInfo p) {
      IncomingStream s = (IncomingStream) p.stream;
      CodecParameters codec = s.publication.codecByPayloadType[p.payloadType];
      if (codec == null || p.payloadLength == 0) {
        return;
      }
      byte[] buf = p.buffer();
      switch (codec.family()) {
        case VP8:
          if (vp8.parse(buf, p.payloadOffset, p.payloadLength) == PayloadDropReason.OK) {
            p.keyframe = vp8.keyframe();
            if (p.keyframe) {
              s.activity.onKeyframe(vp8.keyframeWidthPx(), vp8.keyframeHeightPx());
            }
            // The rewriter works on 15-bit picture IDs, which is what browsers send.
            if (vp8.pictureIdBits() == 15) {
              p.pictureId = vp8.pictureId();
              p.tl0PicIdx = vp8.tl0PicIdx();
            }
          }
          break;
        case H264:
          if (h264.parse(buf, p.payloadOffset, p.payloadLength) == PayloadDropReason.OK) {
            // Parameter sets lead the IDR picture; a decoder can start from them.
            p.keyframe = h264.keyframe() || h264.hasSps();
          }
          break;
        default:
          break;
      }
      if (p.keyframe) {
        s.publication.keyframes.onKeyframe(p.receivedNanos / 1_000_000L);
      }
    }
  }

  /** Keeps a copy of the packet to answer subscribers' NACKs. */
  private static final class CacheNode extends ObserverNode {
    CacheNode() {
      super("cache");
    }

    @Override
    protected void observe(PacketInfo p) {
      IncomingStream s = (IncomingStream) p.stream;
      if (s.cache != null && p.payloadLength > 0) {
        s.cache.put(p.sequenceNumber, p.buffer(), p.offset(), p.length(), p.receivedNanos / 1_000_000L);
      }
    }
  }

  /**
   * Shares the packet with every subscription's subscriber: each gets it through its own queue
   * and runs its send pipeline on whichever worker drains that queue, so a burst to N subscribers
   * is spread over every media worker rather than sent serially on this one. One copy is shared
   * (reference-counted, {@link PacketInfo#share}); each subscriber copies it into a pooled packet
   * of its own before rewriting. A subscriber whose queue is full loses the packet (counted as its
   * {@code QUEUE_FULL}); its NACK can still fetch it from the cache. A subscriber on another
   * simulcast layer is skipped ({@link TrackSubscription#mayForwardLayer}). The subscribers' queues
   * this packet woke are handed to the worker pool together, under one acquisition of its lock.
   */
  private static final class FanOutNode extends ConsumerNode {
    /** Queues woken by the packet being fanned out; one publisher's worker at a time uses it. */
    private Runnable[] woken = new Runnable[16];

    FanOutNode() {
      super("fan-out");
    }

    @Override
    protected void consume(PacketInfo p) {
      TrackPublication publication = ((IncomingStream) p.stream).publication;
      TrackSubscription[] subs = publication.subscriptionArray();
      if (subs.length == 0) {
        release(p);
        return;
      }
      PacketInfoPool pool = publication.publisher().sfu().packetPool();
      int layer = ((IncomingStream) p.stream).layer;
      // One share per subscriber, plus this loop's own: a subscriber's worker may finish with its
      // share before the loop ends, and the packet must not go back to the pool before that.
      // Subscribers on another simulcast layer give their share back at once, here.
      p.share(subs.length + 1);
      handOff(p);
      if (woken.length < subs.length) {
        // Grows with the audience, then stays: no allocation per packet.
        woken = new Runnable[Integer.highestOneBit(subs.length) << 1];
      }
      int wokenCount = 0;
      for (TrackSubscription sub : subs) {
        if (!sub.mayForwardLayer(layer)) {
          pool.releaseShared(p);
          continue;
        }
        Participant subscriber = sub.subscriber();
        int result = subscriber.queueForward(sub, p);
        if (result == SerialQueue.REFUSED) {
          pool.releaseShared(p);
        } else if (result == SerialQueue.QUEUED_START) {
          woken[wokenCount++] = subscriber.queue();
        }
      }
      if (wokenCount > 0) {
        publication.publisher().sfu().workers().executeAll(woken, wokenCount);
        java.util.Arrays.fill(woken, 0, wokenCount, null);
      }
      pool.releaseShared(p);
    }
  }
}
