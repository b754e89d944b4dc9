package dev.palco.sfu.room;

import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.RtpTimestamp;
import dev.palco.rtp.codec.PayloadDropReason;
import dev.palco.rtp.codec.RedPayload;
import dev.palco.rtp.codec.Vp8PayloadDescriptor;
import dev.palco.sfu.feedback.RecentRetransmissions;
import dev.palco.sfu.forward.RewriteOutput;
import dev.palco.sfu.forward.RtpRewriter;
import dev.palco.sfu.pipeline.DropReason;
import dev.palco.sfu.pipeline.Node;
import dev.palco.sfu.pipeline.PacketInfo;
import dev.palco.sfu.pipeline.PacketPipeline;
import dev.palco.sfu.pipeline.TransformerNode;
import dev.palco.sfu.stats.RttEstimator;
import dev.palco.sfu.stats.SenderReportState;
import dev.palco.sfu.stats.StreamStats;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One track forwarded to one subscriber: an outgoing stream with its own SSRC and RTX SSRC, onto
 * which the publication's packets are rewritten ({@link RtpRewriter}) so that the subscriber sees
 * one continuous stream whatever layer or source is forwarded.
 *
 * <p>Send pipeline, run for every forwarded packet (a copy) by the worker that drains the
 * subscriber's queue (the publisher's fan-out queued a share of the packet there), under the
 * subscriber's send lock:
 *
 * <pre>
 * send[sub]: select → rewrite → pace ──▶ the subscriber's pacer and egress
 * retransmit[sub]: pace ──────────────▶   (NACK answers, built by the subscriber's queue)
 * </pre>
 *
 * The subscriber's {@link SubscriberSendControl} paces, stamps its transport-wide number, then
 * encrypts and sends (no srtp-encrypt toward a {@link PlaintextMediaTransport}). Toward a
 * {@link LocalMediaTransport} (the bridge, in process) the send pipeline ends in local-deliver
 * instead: no pacing, no transport-wide number, the plain packet handed over with its source SSRC
 * and timestamp.
 *
 * <p>Which layer is forwarded is chosen by the subscriber's layer allocation from its bandwidth
 * estimate and from the constraints signaling passes on: {@link #setMaxResolution} (the rendered
 * tile size) and {@link #setVisible}. A hidden track, or one beyond the subscriber's Last-N, is
 * paused ({@link #pauseReason()}); the room's listeners hear of it
 * ({@link RoomListener#onSubscriptionPauseChanged}).
 *
 * <p>{@code select} holds a video subscription back until the first keyframe of the layer it
 * forwards (a decoder cannot start on a delta frame), and skips padding-only packets, telling the
 * rewriter so that no gap appears. {@code rewrite} sets SSRC, sequence number, timestamp, payload
 * type (the subscriber's number for the codec), the VP8 picture ID and TL0PICIDX, and the header
 * extensions (remapped to the subscriber's ids, or stripped).
 *
 * <p>Thread-safety: all send state is guarded by the subscriber's send lock (the same lock guards
 * the subscriber's SRTP sender); statistics are read without it and may be a packet behind.
 */
public final class TrackSubscription {
  private final Participant subscriber;
  private final TrackPublication publication;
  private final long ssrc;
  private final long rtxSsrc;
  private final String streamId;
  private final String trackId;
  private final String cname;
  private final byte[] cnameBytes;
  private final int clockRateHz;

  // Guarded by subscriber.sendLock.
  final RtpRewriter rewriter;
  final RewriteOutput rewriteOutput = new RewriteOutput();
  final ExtensionRewriter extensions = new ExtensionRewriter();
  final Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
  final int[] payloadTypeMap = new int[128];
  final int[] rtxPayloadTypeBySubscriberPt = new int[128];
  // RFC 2198, for a publication that sends RED: the publisher's RED payload type (-1 without RED);
  // whether this subscriber gets the primary block alone (it did not agree RED, or it decodes in
  // process); and, passed through, the blocks' payload type to renumber (publisher's → subscriber's).
  final RedPayload red = new RedPayload();
  int redPayloadType = -1;
  boolean redToPrimary;
  int redBlockFrom = -1;
  int redBlockTo = -1;
  /** RED packets sent as RED, and as their primary block alone; written under the send lock. */
  private volatile long redPassedThrough;
  private volatile long redUnwrapped;
  final SenderReportState senderReports;
  final PacketPipeline sendPipeline;
  final PacketPipeline retransmitPipeline;
  int rtxSequenceNumber;
  /** When each recent outgoing sequence number was last retransmitted (one copy per RTT). */
  final RecentRetransmissions recentRetransmissions;
  /**
   * The layer being forwarded, -1 while waiting for a keyframe. Written under the send lock;
   * volatile because the publisher's fan-out reads it ({@link #mayForwardLayer}).
   */
  volatile int currentLayer = -1;
  /**
   * True while the publication is muted or the allocation paused the track; touched only under
   * the send lock.
   */
  private boolean pausedByMute;
  /** The allocation's layer; written under the send lock, read by the fan-out too. */
  volatile int targetLayer = Integer.MAX_VALUE;
  boolean closed;
  long lastOutTimestamp;
  long lastOutAtMicros;
  /** The SSRC and timestamp the publisher gave the packet being sent (rewrite → local-deliver). */
  private long sourceSsrc;
  private long sourceTimestamp;

  final RttEstimator rtt = new RttEstimator();

  // Layer allocation: the allocator's view (timer, under the send lock) and the subscriber's
  // constraints (any thread).
  dev.palco.sfu.alloc.TrackAllocation allocation;
  /** Paused by the allocation (hidden, or beyond Last-N); read by select under the send lock. */
  boolean allocationPaused;
  /** The pause last reported to listeners; written under the send lock. */
  volatile dev.palco.sfu.alloc.PauseReason reportedPause = dev.palco.sfu.alloc.PauseReason.NONE;
  /** The cap of {@link #setMaxLayer}. */
  volatile int maxLayer = Integer.MAX_VALUE;
  volatile int maxWidthPx;
  volatile int maxHeightPx;
  volatile boolean visible = true;

  // Statistics: written under the lock or on the subscriber's queue, read without a lock (plain
  // longs: a reader may be a packet behind, never torn on a 64-bit JVM).
  long packetsSent;
  long bytesSent;
  long payloadBytesSent;
  long retransmissionsSent;
  /** NACKed sequence numbers not retransmitted: already retransmitted within the last RTT. */
  long retransmissionsSuppressedRecent;
  /** NACKed sequence numbers not retransmitted: the subscriber's retransmission budget was spent. */
  long retransmissionsRateLimited;
  long nacksReceived;
  long keyframeRequestsReceived;
  long remoteCumulativeLost;
  long remoteJitter;
  int remoteFractionLost;

  /**
   * A new outgoing stream.
   *
   * @param subscriberSide what the subscriber agreed for the section carrying it, or null to use
   *     the publisher's numbers until {@link #applyNegotiation} is called
   */
  TrackSubscription(Participant subscriber, TrackPublication publication, long ssrc, long rtxSsrc,
      int initialSequenceNumber, long initialTimestamp, int rtxInitialSequenceNumber,
      TrackParameters subscriberSide) {
    this(subscriber, publication, ssrc, rtxSsrc, publication.publisher().cname(),
        new RtpRewriter(ssrc, clockRateOf(publication), initialSequenceNumber, initialTimestamp),
        rtxInitialSequenceNumber, new SenderReportState(), subscriberSide);
  }

  /**
   * A subscription that continues the outgoing stream of a closed one with another publication of
   * the same clock rate: a player's section whose track was unpublished takes up a new track
   * without renegotiation (draft-ietf-wish-whep has none). The SSRCs, the CNAME the subscriber was
   * told for them, the rewriter and the sender-report state carry over, so the subscriber sees one
   * stream: the rewriter starts a new segment at the next packet (sequence numbers go on from the
   * last one sent, the timestamp advances by the wall-clock time of the silence, RFC 3550 §5.1),
   * and the RTCP sender's packet and octet counts continue (RFC 3550 §6.4.1: they reset only with a
   * new SSRC). Video waits for a keyframe of the new track, as any new subscription does.
   *
   * @throws IllegalArgumentException if the predecessor is still open or runs at another clock
   *     rate
   */
  static TrackSubscription continuing(TrackSubscription predecessor, TrackPublication publication,
      TrackParameters subscriberSide) {
    Participant subscriber = predecessor.subscriber;
    if (clockRateOf(publication) != predecessor.clockRateHz) {
      throw new IllegalArgumentException(publication + " runs at " + clockRateOf(publication)
          + " Hz, the stream it would continue at " + predecessor.clockRateHz + " Hz");
    }
    synchronized (subscriber.sendLock) {
      if (!predecessor.closed) {
        throw new IllegalArgumentException(predecessor + " is still forwarding");
      }
      TrackSubscription next = new TrackSubscription(subscriber, publication, predecessor.ssrc,
          predecessor.rtxSsrc, predecessor.cname, predecessor.rewriter, predecessor.rtxSequenceNumber,
          predecessor.senderReports, subscriberSide);
      // The next packet, whatever its SSRC, opens a new segment that continues the numbering.
      next.rewriter.requestResync();
      next.lastOutTimestamp = predecessor.lastOutTimestamp;
      next.lastOutAtMicros = predecessor.lastOutAtMicros;
      next.packetsSent = predecessor.packetsSent;
      next.bytesSent = predecessor.bytesSent;
      next.payloadBytesSent = predecessor.payloadBytesSent;
      return next;
    }
  }

  private TrackSubscription(Participant subscriber, TrackPublication publication, long ssrc,
      long rtxSsrc, String cname, RtpRewriter rewriter, int rtxSequenceNumber,
      SenderReportState senderReports, TrackParameters subscriberSide) {
    this.subscriber = subscriber;
    this.publication = publication;
    this.ssrc = ssrc;
    this.rtxSsrc = rtxSsrc;
    this.streamId = publication.publisher().streamId();
    this.trackId = publication.id();
    this.cname = cname;
    this.cnameBytes = cname.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    this.clockRateHz = clockRateOf(publication);
    this.rewriter = rewriter;
    this.rtxSequenceNumber = rtxSequenceNumber;
    this.senderReports = senderReports;
    // Sized like the publication's packet cache: a number older than that cannot be resent anyway.
    SfuConfig config = subscriber.sfu().config();
    this.recentRetransmissions = new RecentRetransmissions(publication.kind() == TrackKind.VIDEO
        ? config.videoCachePackets() : Math.max(2, config.audioCachePackets()));
    applyNegotiationLocked(subscriberSide != null ? subscriberSide : publication.parameters());
    String suffix = "[" + publication.id() + "→" + subscriber.id() + "]";
    PacketPipeline.Builder send = PacketPipeline.builder("send" + suffix, subscriber.sfu().packetPool())
        .then(new SelectNode())
        .then(new RewriteNode());
    this.sendPipeline = subscriber.transport() instanceof LocalMediaTransport local
        ? send.end(new LocalDeliverNode(local))
        : send.end(new PaceNode(false));
    this.retransmitPipeline = PacketPipeline.builder("retransmit" + suffix, subscriber.sfu().packetPool())
        .end(new PaceNode(true));
  }

  private static int clockRateOf(TrackPublication publication) {
    return publication.parameters().codecs().get(0).clockRateHz();
  }

  /** Who receives it. */
  public Participant subscriber() {
    return subscriber;
  }

  /** What it forwards. */
  public TrackPublication publication() {
    return publication;
  }

  /** RED packets (RFC 2198) forwarded as RED: the subscriber agreed RED. Any thread. */
  public long redPassedThrough() {
    return redPassedThrough;
  }

  /** RED packets forwarded as their primary block alone: the subscriber did not agree RED. */
  public long redUnwrapped() {
    return redUnwrapped;
  }

  /** The outgoing SSRC. */
  public long ssrc() {
    return ssrc;
  }

  /** The outgoing RTX SSRC, or -1 (audio, or video without RTX). */
  public long rtxSsrc() {
    return rtxSsrc;
  }

  /** The msid stream id the subscriber groups tracks by: the publisher's. */
  public String streamId() {
    return streamId;
  }

  /** The msid track id: the publication's id. */
  public String trackId() {
    return trackId;
  }

  /**
   * The RTCP CNAME: the publisher's, so its audio and video are synchronised (RFC 3550 §6.5.1); a
   * stream {@linkplain #continuing continued} with another track keeps the one it started with.
   */
  public String cname() {
    return cname;
  }

  /** The track as the SDP layer offers it to the subscriber. */
  public dev.palco.sfu.sdp.OutgoingTrack outgoingTrack() {
    return new dev.palco.sfu.sdp.OutgoingTrack(
        kind() == TrackKind.AUDIO ? dev.palco.sfu.sdp.MediaKind.AUDIO : dev.palco.sfu.sdp.MediaKind.VIDEO,
        streamId, trackId, ssrc, rtxSsrc, cname);
  }

  /** Audio or video. */
  public TrackKind kind() {
    return publication.kind();
  }

  /**
   * Applies what the subscriber agreed for the section carrying this track: its payload type for
   * each codec (with its RTX payload type) and its header extension ids. Until called, the
   * publisher's numbers are used as they are.
   */
  public void applyNegotiation(TrackParameters subscriberSide) {
    synchronized (subscriber.sendLock) {
      applyNegotiationLocked(subscriberSide);
    }
  }

  private void applyNegotiationLocked(TrackParameters subscriberSide) {
    Arrays.fill(payloadTypeMap, -1);
    Arrays.fill(rtxPayloadTypeBySubscriberPt, -1);
    for (CodecParameters pub : publication.parameters().codecs()) {
      CodecParameters sub = subscriberSide.codecLike(pub);
      if (sub != null) {
        payloadTypeMap[pub.payloadType()] = sub.payloadType();
        rtxPayloadTypeBySubscriberPt[sub.payloadType()] = sub.rtxPayloadType();
      }
    }
    configureRed();
    extensions.configure(publication.parameters().extensionIds(), subscriberSide.extensionIds());
    synchronized (subscriber.sendLock) {
      // Reentrant from applyNegotiation; from the constructor it is the first time it is held.
      subscriber.sendControl().onTransportCcId(extensions.transportCcOutId());
    }
  }

  /** Under the send lock, after the payload type map is set. */
  private void configureRed() {
    redPayloadType = -1;
    redToPrimary = false;
    redBlockFrom = -1;
    redBlockTo = -1;
    List<CodecParameters> codecs = publication.parameters().codecs();
    for (CodecParameters c : codecs) {
      if (c.family() == CodecParameters.CodecFamily.RED) {
        redPayloadType = c.payloadType();
      }
    }
    if (redPayloadType < 0) {
      return;
    }
    // The track's first codec is the one RED carries (TrackParameters.from).
    int primary = codecs.get(0).payloadType();
    redToPrimary = payloadTypeMap[redPayloadType] < 0 || subscriber.transport() instanceof LocalMediaTransport;
    int subscriberPrimary = payloadTypeMap[primary];
    if (!redToPrimary && subscriberPrimary >= 0 && subscriberPrimary != primary) {
      redBlockFrom = primary;
      redBlockTo = subscriberPrimary;
    }
  }

  /**
   * Adapts a RED packet to this subscriber: reduced to its primary block, which goes out as the
   * codec it is, or passed through with the blocks renumbered. Null when it can be sent.
   */
  private DropReason adaptRed(PacketInfo p) {
    if (!redToPrimary && redBlockFrom < 0) {
      return null;
    }
    byte[] buf = p.buffer();
    if (red.parse(buf, p.payloadOffset, p.payloadLength) != PayloadDropReason.OK) {
      return DropReason.MALFORMED_RED;
    }
    if (!redToPrimary) {
      red.rewritePayloadTypes(buf, redBlockFrom, redBlockTo);
      return null;
    }
    int primaryPt = red.primaryPayloadType();
    if (publication.codecByPayloadType[primaryPt] == null) {
      return DropReason.UNKNOWN_PAYLOAD_TYPE;
    }
    int length = red.stripToPrimary(buf);
    if (length <= 0) {
      return DropReason.PADDING_ONLY; // an empty primary: no Opus packet to send
    }
    int off = p.offset();
    // Any padding stayed behind with the RED packet's end: the bare block carries none.
    buf[off] &= (byte) ~0x20;
    RtpPacket.setPayloadType(buf, off, primaryPt);
    p.payloadType = primaryPt;
    p.payloadLength = length;
    p.setLength(p.payloadOffset - off + length);
    return null;
  }

  /**
   * The highest simulcast layer this subscriber wants (0 = lowest; larger than the highest means
   * no cap): the allocation never picks a layer above it. For a subscriber whose needs are fixed
   * rather than measured, such as the bridge compositing a known tile size. Any thread; takes
   * effect at the next allocation, and a switch at that layer's next keyframe.
   */
  public void setMaxLayer(int layer) {
    maxLayer = Math.max(0, layer);
    subscriber.sendControl().requestAllocation();
  }

  /**
   * The largest picture worth sending to this subscriber: the size, in device pixels, at which its
   * tile is rendered. The allocation never picks a layer larger than that (the lowest layer always
   * qualifies); 0 or less for no limit. Signaling calls it when the client reports its layout. Any
   * thread; takes effect at the next allocation (within {@value
   * SubscriberSendControl#ALLOCATION_MIN_SPACING_MS} ms of a timer tick).
   */
  public void setMaxResolution(int widthPx, int heightPx) {
    maxWidthPx = Math.max(0, widthPx);
    maxHeightPx = Math.max(0, heightPx);
    subscriber.sendControl().requestAllocation();
  }

  /**
   * Whether the subscriber shows this track. A hidden video track is paused (it takes no Last-N
   * slot and no bandwidth) and resumes on a keyframe when shown again. Any thread.
   */
  public void setVisible(boolean visible) {
    this.visible = visible;
    subscriber.sendControl().requestAllocation();
  }

  /** The layer the allocation chose (0 = lowest), or {@link Integer#MAX_VALUE} before it ran. */
  public int targetLayer() {
    synchronized (subscriber.sendLock) {
      return targetLayer;
    }
  }

  /** The layer being forwarded now, -1 while waiting for a keyframe. */
  public int currentLayer() {
    synchronized (subscriber.sendLock) {
      return currentLayer;
    }
  }

  /**
   * Why the track is not forwarded ({@link dev.palco.sfu.alloc.PauseReason#HIDDEN}, {@link
   * dev.palco.sfu.alloc.PauseReason#LAST_N}), or {@link dev.palco.sfu.alloc.PauseReason#NONE}: what
   * signaling tells the client.
   */
  public dev.palco.sfu.alloc.PauseReason pauseReason() {
    return reportedPause;
  }

  /** The allocation's layer; asks for a keyframe when it is not the one forwarded. Send lock held. */
  void applyAllocatedLayerLocked(int allocated) {
    int layer = Math.min(allocated, maxLayer);
    if (targetLayer == layer) {
      return;
    }
    targetLayer = layer;
    int wanted = Math.min(layer, publication.highestLayer());
    if (currentLayer >= 0 && currentLayer != wanted) {
      // Switch at the wanted layer's next keyframe; ask for it now rather than at its next packet.
      // (Before the first keyframe, select asks as it waits.)
      publication.requestKeyframe();
    }
  }

  /** Statistics of the outgoing stream, with what the subscriber reported about it. */
  public StreamStats stats() {
    return new StreamStats(ssrc, packetsSent, bytesSent, remoteCumulativeLost,
        remoteJitter * 1000.0 / clockRateHz, rtt.smoothedRttMs(), 0, nacksReceived,
        keyframeRequestsReceived, retransmissionsSent, retransmissionsSuppressedRecent,
        retransmissionsRateLimited);
  }

  /** The send and retransmit pipelines' node counters. */
  public List<Node.NodeStats> pipelineStats() {
    List<Node.NodeStats> out = new java.util.ArrayList<>(sendPipeline.stats());
    out.addAll(retransmitPipeline.stats());
    return out;
  }

  /** Whether it was closed (unsubscribed, or either side left). */
  public boolean isClosed() {
    synchronized (subscriber.sendLock) {
      return closed;
    }
  }

  /** Stops forwarding and releases it on both sides. */
  public void close() {
    subscriber.unsubscribe(this);
  }

  byte[] cnameBytes() {
    return cnameBytes;
  }

  int clockRateHz() {
    return clockRateHz;
  }

  /**
   * Whether a packet of this simulcast layer can matter to this subscription: {@code select} only
   * ever takes the layer being forwarded, or the layer it waits for (to switch at its keyframe, or
   * to ask for one), so the fan-out does not queue the others to the subscriber at all. With three
   * layers that is two packets in three a subscriber's worker no longer copies and drops. On the
   * publisher's worker, without the send lock: the layer choice is volatile, and an answer a
   * moment stale only delays a switch, which waits for a keyframe requested after the choice
   * changed anyway. Audio, and packets without a layer, always matter.
   */
  boolean mayForwardLayer(int layer) {
    if (layer < 0 || publication.kind() != TrackKind.VIDEO || layer == currentLayer) {
      return true;
    }
    return layer == Math.min(Math.min(targetLayer, maxLayer), publication.highestLayer());
  }

  /**
   * Forwards one packet of the publication: copies it and runs the copy through the send
   * pipeline. On the subscriber's queue (its worker); the original, shared read-only with the
   * other subscribers, stays with the caller.
   */
  void forward(PacketInfo original) {
    synchronized (subscriber.sendLock) {
      if (closed) {
        return;
      }
      PacketInfo copy = subscriber.sfu().packetPool().acquire();
      original.copyTo(copy);
      sendPipeline.process(copy);
    }
  }

  /** Marks it closed. The caller holds no other send lock. */
  void markClosed() {
    synchronized (subscriber.sendLock) {
      closed = true;
    }
  }

  /**
   * Writes the rewritten header values into a packet (parsed, with payload bounds set), for both
   * the send path and retransmissions. Under the send lock.
   */
  void writeOutgoingHeader(PacketInfo p, RewriteOutput out, CodecParameters.CodecFamily family,
      long nowMicros) {
    byte[] buf = p.buffer();
    int off = p.offset();
    RtpPacket.setSsrc(buf, off, out.ssrc());
    RtpPacket.setSequenceNumber(buf, off, out.sequenceNumber());
    RtpPacket.setTimestamp(buf, off, out.timestamp());
    int pt = payloadTypeMap[p.payloadType & 0x7F];
    if (pt >= 0) {
      RtpPacket.setPayloadType(buf, off, pt);
      p.payloadType = pt;
    }
    if (family == CodecParameters.CodecFamily.VP8 && out.pictureId() >= 0
        && vp8.parse(buf, p.payloadOffset, p.payloadLength) == PayloadDropReason.OK) {
      vp8.rewritePictureId(out.pictureId());
      if (out.tl0PicIdx() >= 0) {
        vp8.rewriteTl0PicIdx(out.tl0PicIdx());
      }
    }
    if (RtpPacket.hasExtension(buf, off)) {
      extensions.rewrite(buf, off, p.length(), nowMicros);
    }
    p.ssrc = out.ssrc();
    p.sequenceNumber = out.sequenceNumber();
    p.timestamp = out.timestamp();
  }

  /**
   * Chooses what to forward: one layer, from a keyframe on. Padding-only packets are skipped and
   * reported to the rewriter so the outgoing sequence stays gapless.
   */
  private final class SelectNode extends TransformerNode {
    SelectNode() {
      super("select");
    }

    @Override
    protected DropReason transform(PacketInfo p) {
      IncomingStream stream = (IncomingStream) p.stream;
      if (publication.isMuted() || allocationPaused) {
        if (!pausedByMute) {
          // Forwarding resumes as a new segment of the outgoing numbering (RtpRewriter), so the
          // subscriber sees neither a gap for the muted stretch nor a timestamp jump.
          pausedByMute = true;
          rewriter.requestResync();
          if (publication.kind() == TrackKind.VIDEO) {
            // Resume on a keyframe: the frames in between were never sent.
            currentLayer = -1;
          }
        }
        return DropReason.NOT_SELECTED;
      }
      pausedByMute = false;
      if (p.payloadLength == 0) {
        if (stream.layer == currentLayer) {
          rewriter.drop(p.ssrc, p.sequenceNumber, RtpRewriter.NO_PICTURE_ID,
              subscriber.clock().nowMicros());
        }
        return DropReason.PADDING_ONLY;
      }
      if (publication.kind() == TrackKind.AUDIO) {
        if (currentLayer != stream.layer) {
          currentLayer = stream.layer;
        }
        return null;
      }
      int highest = publication.highestLayer();
      int target = Math.min(Math.min(targetLayer, maxLayer), highest);
      if (stream.layer == currentLayer) {
        return null;
      }
      if (currentLayer < 0 && !subscriber.transport().isSecured()) {
        // A keyframe sent before the subscriber's DTLS handshake is done would be lost, and the
        // subscriber would then wait for its own PLI to get through. Start once it can receive:
        // the next packet after that asks for a keyframe if none is on its way (below).
        return DropReason.WAITING_FOR_KEYFRAME;
      }
      if (stream.layer == target && p.keyframe) {
        // A keyframe of the wanted layer: start (or switch) here. The rewriter sees a new SSRC
        // and starts a segment that continues the outgoing numbering.
        currentLayer = stream.layer;
        return null;
      }
      if (stream.layer == target && !publication.keyframes.isPending()) {
        // Waiting for a layer with no request outstanding (it appeared after we subscribed, or
        // the requester gave up): ask again. Requests fold into the publication's paced PLIs.
        publication.requestKeyframe();
      }
      return currentLayer < 0 ? DropReason.WAITING_FOR_KEYFRAME : DropReason.NOT_SELECTED;
    }
  }

  /** Hands the packet to the subscriber's pacer, which sends it now or when the budget allows. */
  private final class PaceNode extends dev.palco.sfu.pipeline.ConsumerNode {
    private final boolean repair;

    PaceNode(boolean repair) {
      super(repair ? "pace-repair" : "pace");
      this.repair = repair;
    }

    @Override
    protected void consume(PacketInfo p) {
      if (!subscriber.transport().isSecured()) {
        // Before the DTLS handshake (or after the transport failed) nothing can leave: counted
        // here, per subscription, rather than queued.
        reject(p, DropReason.TRANSPORT_NOT_READY);
        return;
      }
      handOff(p);
      if (repair) {
        subscriber.sendControl().sendRepair(p);
      } else {
        subscriber.sendControl().sendMedia(p, publication.kind() == TrackKind.AUDIO);
      }
    }
  }

  /** Maps the packet onto the outgoing stream (see {@link RtpRewriter}). */
  private final class RewriteNode extends TransformerNode {
    RewriteNode() {
      super("rewrite");
    }

    @Override
    protected DropReason transform(PacketInfo p) {
      if (redPayloadType >= 0 && (p.payloadType & 0x7F) == redPayloadType) {
        DropReason refused = adaptRed(p);
        if (refused != null) {
          return refused;
        }
        if (redToPrimary) {
          redUnwrapped++;
        } else {
          redPassedThrough++;
        }
      }
      long nowMicros = subscriber.clock().nowMicros();
      switch (rewriter.rewrite(p.ssrc, p.sequenceNumber, p.timestamp,
          p.pictureId < 0 ? RtpRewriter.NO_PICTURE_ID : p.pictureId,
          p.tl0PicIdx < 0 ? RtpRewriter.NO_TL0PICIDX : p.tl0PicIdx, nowMicros, rewriteOutput)) {
        case FORWARD:
          break;
        case DROP_DUPLICATE:
          return DropReason.DUPLICATE;
        default:
          return DropReason.TOO_OLD;
      }
      sourceSsrc = p.ssrc;
      sourceTimestamp = p.timestamp;
      CodecParameters codec = publication.codecByPayloadType[p.payloadType & 0x7F];
      writeOutgoingHeader(p, rewriteOutput,
          codec == null ? CodecParameters.CodecFamily.OTHER : codec.family(), nowMicros);
      if (!rewriteOutput.outOfOrder()
          || RtpTimestamp.isNewer(rewriteOutput.timestamp(), lastOutTimestamp)) {
        lastOutTimestamp = rewriteOutput.timestamp();
        lastOutAtMicros = nowMicros;
      }
      packetsSent++;
      bytesSent += p.length();
      payloadBytesSent += p.payloadLength;
      return null;
    }
  }

  /**
   * Hands the rewritten packet to an in-process subscriber with the publisher's SSRC and timestamp
   * (still under the send lock, so they are this packet's), instead of encrypting and sending it.
   */
  private final class LocalDeliverNode extends dev.palco.sfu.pipeline.ConsumerNode {
    private final LocalMediaTransport local;

    LocalDeliverNode(LocalMediaTransport local) {
      super("local-deliver");
      this.local = local;
    }

    @Override
    protected void consume(PacketInfo p) {
      local.receiveForwarded(TrackSubscription.this, p.buffer(), p.offset(), p.length(), sourceSsrc,
          sourceTimestamp);
      release(p);
    }
  }

  @Override
  public String toString() {
    return "TrackSubscription[" + publication.id() + " → " + subscriber.id() + " ssrc=" + ssrc + "]";
  }
}
