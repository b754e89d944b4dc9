package dev.palco.sfu.room;

import dev.palco.rtp.RtpHeaderExtensions;
import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.TransportCcExtension;
import dev.palco.rtp.rtcp.TransportCcParser;
import dev.palco.sfu.alloc.LayerAllocator;
import dev.palco.sfu.alloc.PauseReason;
import dev.palco.sfu.alloc.TrackAllocation;
import dev.palco.sfu.cc.ProbeController;
import dev.palco.sfu.cc.SendSideBandwidthEstimator;
import dev.palco.sfu.pacing.Pacer;
import dev.palco.sfu.pacing.PacketPriority;
import dev.palco.sfu.pipeline.DropReason;
import dev.palco.sfu.pipeline.Node;
import dev.palco.sfu.pipeline.PacketInfo;
import dev.palco.sfu.pipeline.PacketInfoPool;
import dev.palco.sfu.pipeline.PacketPipeline;
import dev.palco.sfu.pipeline.TransformerNode;
import dev.palco.sfu.pipeline.node.SrtpEncryptNode;
import dev.palco.sfu.pipeline.node.TransportSendNode;
import dev.palco.sfu.util.Clock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The send side of one subscriber: everything that decides how much, what and when the SFU sends
 * to it (issue 5). One per {@link Participant}, guarded by its send lock.
 *
 * <pre>
 * send[sub] (each subscription): select → rewrite → pace ─┐
 * retransmit[sub]:                                pace ─┤   Pacer (audio | rtx | video queues)
 *                                                         ▼
 *   egress:        transport-cc → srtp-encrypt → transport-send   (our transport-wide number)
 *   egress-repair: transport-cc → srtp-encrypt → transport-send   (RTX and probe padding)
 *
 * RTCP from the subscriber: transport-cc feedback ─▶ SendSideBandwidthEstimator ◀─ REMB (no TWCC)
 * timer: estimate ─▶ probes (pacer clusters, RTX padding) ; LayerAllocator ─▶ target layer (under setMaxLayer) / pause
 * </pre>
 *
 * <ul>
 *   <li><b>Transport-wide numbers</b> (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2): when
 *       the subscriber agreed the extension, every packet leaving toward it (media, RTX, padding)
 *       carries our own 16-bit number for this subscriber, written at the moment it leaves the
 *       pacer, and the number, size and send time go into the estimator's history. The
 *       publisher's element, kept by {@link ExtensionRewriter} under the subscriber's id, is
 *       overwritten in place; a packet without one gets the element added in place, in the
 *       headroom and tailroom its pooled buffer already has.</li>
 *   <li><b>Estimate</b>: {@link SendSideBandwidthEstimator} from the subscriber's transport-cc
 *       feedback, or its REMB when it has no transport-cc.</li>
 *   <li><b>Pacing</b>: nothing is held before the subscriber's first feedback (the estimate is
 *       only a guess until then). From then on packets go through a {@link Pacer} at 2.5 × the
 *       estimate: a packet that finds budget leaves at once, on the thread that brought it; a
 *       burst beyond the budget (a keyframe, a batch of retransmissions) waits in the pacer, and
 *       the rest is drained by the next packet or by the subscriber's timer. Queued packets are
 *       pooled {@link PacketInfo}s held by handle: nothing is allocated per packet.</li>
 *   <li><b>Probing</b>: when the estimator's probe controller asks, the pacer sends a cluster at
 *       the probe rate, media first and RTP padding on an RTX stream (RFC 4588) when no media
 *       waits.</li>
 *   <li><b>Allocation</b>: the {@link LayerAllocator} runs on the timer, at most every {@link
 *       #ALLOCATION_INTERVAL_MS} and sooner ({@link #ALLOCATION_MIN_SPACING_MS}) after the
 *       estimate moved. Video is never paused for bandwidth: a track that does not fit keeps its
 *       lowest layer. Tracks hidden by the subscriber or beyond Last-N are paused, and the room's
 *       listeners hear of every pause and resume.</li>
 * </ul>
 *
 * <p>Threads: the send methods run on the worker draining the subscriber's queue (forwarded
 * packets, retransmissions and the timer all arrive there), under the subscriber's send lock.
 * Constraints set by signaling ({@link TrackSubscription#setMaxResolution}) are volatile and read
 * by the timer.
 */
final class SubscriberSendControl {
  /** Allocation runs at least this often (timer ticks in between skip it). */
  static final long ALLOCATION_INTERVAL_MS = 100;
  /** After the estimate moved, allocation runs at the next tick at least this long after the last. */
  static final long ALLOCATION_MIN_SPACING_MS = 20;
  /** An estimate change smaller than this fraction does not hurry the allocation. */
  private static final double ESTIMATE_CHANGE_RATIO = 0.05;
  /** Probing aims this far above what the tracks would take at their ceilings. */
  private static final double DESIRED_HEADROOM = 1.25;
  /** One drain sends at most this many packets, so a long queue cannot hold a worker long. */
  private static final int MAX_PACKETS_PER_DRAIN = 512;
  private static final long UNLIMITED_BPS = Long.MAX_VALUE / 4;
  /** The rate offered to the pacer is measured over windows of this length. */
  private static final long OFFERED_WINDOW_US = 200_000;
  /**
   * For this long after the first feedback the allocation does not step down for bandwidth: the
   * estimate starts from a guess (300 kbps) and the probes take a few round trips to find the
   * path, so stepping down meanwhile would only mean stepping back up.
   */
  static final long INITIAL_RAMP_MS = 1_000;
  /** A probe cluster lasts at least this long at its rate (several timer ticks). */
  static final long PROBE_DURATION_US = 60_000;
  /** ... and has at least this many packets. */
  static final int PROBE_MIN_PACKETS = 10;
  /** ... of at least this many bytes on average (the largest RTP padding is 255). */
  static final int PROBE_PACKET_BYTES = 200;

  private final Participant participant;
  private final Clock clock;
  private final PacketInfoPool pool;
  final SendSideBandwidthEstimator estimator;
  final LayerAllocator allocator;
  final Pacer pacer;

  // Packets held by the pacer, by handle; handles are recycled through a stack.
  private final PacketInfo[] held;
  private final boolean[] heldRepair;
  private final int[] freeHandles;
  private int freeCount;

  private final PacketPipeline egress;
  private final PacketPipeline repairEgress;

  private int transportCcId;
  private int nextTransportSeq;
  private int sendingProbeCluster = SendSideBandwidthEstimator.NO_PROBE;
  private boolean feedbackSeen;
  private long firstFeedbackMs = Long.MIN_VALUE;
  /** What the allocation sends (video at the chosen layers, plus audio), for the pacing floor. */
  private long allocatedBps;
  /** What the subscriptions handed to the pacer over the last window, for the pacing floor. */
  private long offeredBps;
  private long offeredWindowStartUs = Long.MIN_VALUE;
  private long offeredWindowBytes;
  private long lastAllocationMs = Long.MIN_VALUE;
  private long estimateAtAllocationBps;
  private volatile boolean allocationWanted;

  // Allocation state (timer only).
  private final List<TrackSubscription> tracked = new ArrayList<>();
  private String[] speakingOrder = new String[16];
  /** The room's speaking-order version last given to the allocator. */
  private long speakingOrderVersion = -1;
  private TrackSubscription[] pauseChanges = new TrackSubscription[8];
  private int pauseChangeCount;

  // Statistics: written under the send lock, read without it.
  long transportCcStamped;
  long transportCcNotStamped;
  long paddingPackets;
  long paddingBytes;
  long pacerRefused;
  long pacerExpired;
  long probesStarted;
  long rembsApplied;
  long allocations;

  SubscriberSendControl(Participant participant, SendSideConfig config) {
    this.participant = participant;
    this.clock = participant.clock();
    this.pool = participant.sfu().packetPool();
    this.estimator = new SendSideBandwidthEstimator(config.estimator());
    this.estimator.setTransportCcNegotiated(false);
    this.allocator = new LayerAllocator(config.allocator());
    this.pacer = new Pacer(config.pacer());
    int capacity = 3 * config.pacer().queueCapacity();
    this.held = new PacketInfo[capacity];
    this.heldRepair = new boolean[capacity];
    this.freeHandles = new int[capacity];
    for (int i = 0; i < capacity; i++) {
      freeHandles[i] = capacity - 1 - i;
    }
    this.freeCount = capacity;
    var transport = participant.transport();
    boolean plaintext = transport instanceof PlaintextMediaTransport;
    String suffix = "[" + participant.id() + "]";
    PacketPipeline.Builder media = PacketPipeline.builder("egress" + suffix, pool)
        .then(new TransportCcNode());
    PacketPipeline.Builder repair = PacketPipeline.builder("egress-repair" + suffix, pool)
        .then(new TransportCcNode());
    if (!plaintext) {
      media.then(new SrtpEncryptNode("srtp-encrypt", transport));
      repair.then(new SrtpEncryptNode("srtp-encrypt", transport));
    }
    this.egress = media.end(new TransportSendNode("transport-send", transport,
        participant.sfu().forwardingLatency(), clock));
    this.repairEgress = repair.end(new TransportSendNode("transport-send", transport));
  }

  // ------------------------------------------------------------------ negotiation

  /**
   * A subscription learnt the subscriber's extension ids (0: transport-cc not agreed).
   * Transport-wide numbers are per transport, and in a BUNDLE group an id names the same URI in
   * every section (RFC 8843 §9.2), so the latest negotiation decides. Under the send lock.
   */
  void onTransportCcId(int outId) {
    int id = Math.max(0, outId);
    boolean changed = (id != 0) != (transportCcId != 0);
    transportCcId = id;
    estimator.setTransportCcNegotiated(id != 0);
    if (changed && feedbackSeen) {
      // Probing starts or stops: the idle time the worker computed no longer holds. Called off the
      // worker, so the wake goes through its queue and lands after any tick in progress.
      participant.wakeIdleTimerOnWorker();
    }
  }

  /** The subscriber's transport-cc extension id, 0 when it did not agree it. */
  int transportCcId() {
    return transportCcId;
  }

  // ------------------------------------------------------------------ send path (send lock held)

  /** A rewritten packet of a subscription, to send now or when the pacer allows. */
  void sendMedia(PacketInfo p, boolean audio) {
    enqueue(p, audio ? PacketPriority.AUDIO : PacketPriority.VIDEO, false);
  }

  /** A retransmission (RTX, or the packet as it was), paced ahead of new video. */
  void sendRepair(PacketInfo p) {
    enqueue(p, PacketPriority.RETRANSMISSION, true);
  }

  private void enqueue(PacketInfo p, PacketPriority priority, boolean repair) {
    if (!feedbackSeen) {
      // No feedback yet: the estimate is a guess, so nothing is held back.
      (repair ? repairEgress : egress).process(p);
      return;
    }
    long nowUs = clock.nowMicros();
    measureOffered(p.length(), nowUs);
    if (freeCount == 0) {
      pacerRefused++;
      pool.release(p);
      return;
    }
    int handle = freeHandles[--freeCount];
    if (!pacer.enqueue(priority, handle, p.length(), nowUs)) {
      freeHandles[freeCount++] = handle;
      pacerRefused++;
      pool.release(p);
      return;
    }
    held[handle] = p;
    heldRepair[handle] = repair;
    drain(nowUs);
    if (!pacer.isIdle()) {
      // A burst beyond the budget waits: the timer drains it. After the queueing, like every wake
      // (see #requestAllocation); on the worker, which also computes the idle time.
      participant.wakeIdleTimer();
    }
  }

  private void measureOffered(int sizeBytes, long nowUs) {
    if (offeredWindowStartUs == Long.MIN_VALUE) {
      offeredWindowStartUs = nowUs;
    }
    offeredWindowBytes += sizeBytes;
    long elapsedUs = nowUs - offeredWindowStartUs;
    if (elapsedUs >= OFFERED_WINDOW_US) {
      offeredBps = offeredWindowBytes * 8_000_000L / elapsedUs;
      offeredWindowStartUs = nowUs;
      offeredWindowBytes = 0;
      updatePacingRate();
    }
  }

  /** Sends what the pacer lets go now: queued packets, then probe padding. */
  void drain(long nowUs) {
    for (int i = 0; i < MAX_PACKETS_PER_DRAIN; i++) {
      int handle = pacer.poll(nowUs);
      if (handle == Pacer.NOTHING) {
        return;
      }
      int cluster = pacer.lastProbeClusterId();
      if (handle == Pacer.PADDING) {
        if (!sendPadding(pacer.paddingSizeBytes(), cluster)) {
          return;
        }
        continue;
      }
      PacketInfo p = held[handle];
      boolean repair = heldRepair[handle];
      held[handle] = null;
      freeHandles[freeCount++] = handle;
      if (p == null) {
        continue;
      }
      if (pacer.lastPollDropped()) {
        // Waited beyond the bound: it would arrive too late to be played. The subscriber's NACK
        // gets it from the cache if it still matters.
        pacerExpired++;
        pool.release(p);
        continue;
      }
      sendingProbeCluster = cluster == Pacer.NO_PROBE ? SendSideBandwidthEstimator.NO_PROBE : cluster;
      (repair ? repairEgress : egress).process(p);
      sendingProbeCluster = SendSideBandwidthEstimator.NO_PROBE;
    }
  }

  /**
   * A padding-only packet on the RTX stream of a started video subscription (RFC 3550 §5.1 P bit;
   * RFC 4588 lets an RTX stream carry it, and a receiver drops it after noting its transport-wide
   * number). False when no subscription has an RTX stream to carry it.
   */
  private boolean sendPadding(int sizeBytes, int cluster) {
    TrackSubscription carrier = null;
    int rtxPt = -1;
    for (TrackSubscription s : participant.subscriptionArray()) {
      if (s.closed || s.rtxSsrc() < 0 || s.currentLayer < 0 || s.kind() != TrackKind.VIDEO) {
        continue;
      }
      int pt = s.payloadTypeMap[s.publication().parameters().codecs().get(0).payloadType() & 0x7F];
      int rtx = pt < 0 ? -1 : s.rtxPayloadTypeBySubscriberPt[pt];
      if (rtx >= 0) {
        carrier = s;
        rtxPt = rtx;
        break;
      }
    }
    if (carrier == null) {
      return false;
    }
    int pad = Math.max(1, Math.min(255, sizeBytes));
    PacketInfo p = pool.acquire();
    byte[] buf = p.buffer();
    int off = PacketInfo.HEADROOM_BYTES;
    int header = RtpPacket.writeFixedHeader(buf, off, false, rtxPt, carrier.rtxSequenceNumber,
        carrier.lastOutTimestamp, carrier.rtxSsrc());
    buf[off] |= 0x20;
    Arrays.fill(buf, off + header, off + header + pad - 1, (byte) 0);
    buf[off + header + pad - 1] = (byte) pad;
    p.setWindow(off, header + pad);
    p.payloadOffset = off + header;
    p.payloadLength = 0;
    carrier.rtxSequenceNumber = (carrier.rtxSequenceNumber + 1) & 0xFFFF;
    paddingPackets++;
    paddingBytes += header + pad;
    sendingProbeCluster = cluster == Pacer.NO_PROBE ? SendSideBandwidthEstimator.NO_PROBE : cluster;
    repairEgress.process(p);
    sendingProbeCluster = SendSideBandwidthEstimator.NO_PROBE;
    return true;
  }

  /**
   * Writes our transport-wide number into the packet and notes it in the estimator's history.
   * The element is overwritten where it is, or added in place.
   */
  private final class TransportCcNode extends TransformerNode {
    private final byte[] value = new byte[TransportCcExtension.DATA_SIZE_BYTES];

    TransportCcNode() {
      super("transport-cc");
    }

    @Override
    protected DropReason transform(PacketInfo p) {
      int id = transportCcId;
      if (id == 0) {
        return null;
      }
      int seq = nextTransportSeq;
      byte[] buf = p.buffer();
      int off = p.offset();
      int len = p.length();
      int data = RtpHeaderExtensions.findDataOffset(buf, off, len, id);
      if (data >= 0) {
        if (!TransportCcExtension.isValidLength(RtpHeaderExtensions.dataLengthAt(buf, off, data))) {
          transportCcNotStamped++;
          return null;
        }
        TransportCcExtension.write(buf, data, seq);
      } else {
        TransportCcExtension.write(value, 0, seq);
        int capacity = buf.length - PacketInfo.TAILROOM_BYTES - off;
        int grown = RtpHeaderExtensions.add(buf, off, len, capacity, id, value, 0, value.length);
        if (grown < 0) {
          // A block we may not edit (or no room): sent without; its feedback is simply missing.
          transportCcNotStamped++;
          return null;
        }
        p.payloadOffset += grown - len;
        p.setLength(grown);
      }
      nextTransportSeq = (seq + 1) & 0xFFFF;
      transportCcStamped++;
      estimator.onPacketSent(seq, clock.nowMicros(), p.length(), sendingProbeCluster);
      return null;
    }
  }

  // ------------------------------------------------------------------ feedback (send lock held)

  /** Transport-wide feedback from the subscriber, parsed with an OK result. */
  void onTransportCcFeedback(TransportCcParser feedback, long nowUs) {
    if (transportCcId == 0) {
      return;
    }
    estimator.onTransportCcFeedback(feedback, nowUs);
    onEstimateMaybeChanged();
  }

  /** A REMB from the subscriber: its estimate when it has no transport-cc. */
  void onRemb(long bitrateBps, long nowUs) {
    if (transportCcId != 0 || bitrateBps <= 0) {
      return;
    }
    rembsApplied++;
    estimator.onRemb(bitrateBps, nowUs);
    onEstimateMaybeChanged();
  }

  /**
   * Loss from a receiver report block (RFC 3550 §6.4.1 fraction lost): the loss-based estimate of
   * a subscriber without transport-cc, once its REMB started the estimate.
   */
  void onReceiverReportLoss(int fractionLost, long nowUs) {
    if (transportCcId != 0 || !feedbackSeen) {
      return;
    }
    estimator.onReceiverReportLoss(fractionLost, nowUs);
    onEstimateMaybeChanged();
  }

  private void onEstimateMaybeChanged() {
    if (!feedbackSeen) {
      feedbackSeen = true;
      firstFeedbackMs = clock.nowMillis();
    }
    long estimate = estimator.targetBitrateBps();
    updatePacingRate();
    if (Math.abs(estimate - estimateAtAllocationBps) > ESTIMATE_CHANGE_RATIO * estimateAtAllocationBps) {
      allocationWanted = true;
    }
    // The estimator and the pacer start (first feedback), a probe may be pending, and the probe
    // controller's deadlines may have moved: the next tick runs and computes the idle time anew.
    // After the changes, like every wake (see #requestAllocation).
    participant.wakeIdleTimer();
  }

  /**
   * Paces at 2.5 × the estimate, but never below 2.5 × what is being forwarded (what the
   * allocation chose, and what the subscriptions actually offered over the last 200 ms): the
   * pacer smooths bursts, and cutting the rate is the allocation's job (a layer down, at a
   * keyframe). A pacer slower than the forwarded layers would only queue them until they
   * expire, which the subscriber sees as loss, in the second before the allocation steps down.
   */
  private void updatePacingRate() {
    if (feedbackSeen && pacer.isIdle()) {
      // The timer may have skipped this idle pacer (see #idleUntilMs): credit the time until now
      // at the rate it had, as the skipped ticks' polls would have, before the rate changes.
      pacer.advanceTo(clock.nowMicros());
    }
    pacer.setEstimateBps(Math.max(estimator.targetBitrateBps(), Math.max(allocatedBps, offeredBps)));
  }

  // ------------------------------------------------------------------ timer

  /** Asks for an allocation at the next tick (a constraint changed). Any thread. */
  void requestAllocation() {
    allocationWanted = true;
    // After the flag: the participant's worker re-reads it once it has published its idle time,
    // so one of the two sees the other (see Participant#updateTimerIdle).
    participant.wakeIdleTimer();
  }

  /** Whether an allocation was asked for since the last one. Any thread. */
  boolean allocationWanted() {
    return allocationWanted;
  }

  /**
   * The clock time before which {@link #onTimer} would find nothing to do, so the SFU's timer can
   * skip this subscriber until then; {@link Long#MIN_VALUE} when it has work on every tick. A tick
   * runs the allocation every {@link #ALLOCATION_INTERVAL_MS} (or {@link
   * #ALLOCATION_MIN_SPACING_MS} after a request). With bandwidth feedback it also drains the pacer,
   * which has work on every tick while it holds packets or sends a probe cluster, and lets the
   * probe controller act, which has work when a probe is pending and otherwise only at its next
   * deadline ({@link SendSideBandwidthEstimator#nextProcessUs}: a periodic or recovery probe, the
   * end of a raise's verification or of the peak window, a probe result's timeout). An idle pacer
   * needs no tick ({@link Pacer#isIdle}), and the round-trip time a tick hands the estimator only
   * changes with a report from the subscriber, whose packet wakes the timer. Whatever creates work
   * sooner wakes the timer: a packet left in the pacer, feedback, an allocation request.
   * Its worker, after {@link #onTimer}.
   */
  long idleUntilMs() {
    if (lastAllocationMs == Long.MIN_VALUE || pauseChangeCount > 0) {
      return Long.MIN_VALUE;
    }
    long allocationDueMs =
        lastAllocationMs + (allocationWanted ? ALLOCATION_MIN_SPACING_MS : ALLOCATION_INTERVAL_MS);
    if (!feedbackSeen) {
      return allocationDueMs;
    }
    if (!pacer.isIdle() || estimator.probes().hasPendingProbe()) {
      return Long.MIN_VALUE;
    }
    long nowUs = clock.nowMicros();
    long dueUs = estimator.nextProcessUs(nowUs);
    if (dueUs <= nowUs) {
      return Long.MIN_VALUE;
    }
    // Rounded down: a tick in the millisecond before the deadline finds nothing and idles again.
    return Math.min(allocationDueMs, Math.floorDiv(dueUs, 1000L));
  }

  /**
   * The subscriber's timer tick, on its worker: probes, draining what the pacer held, and the
   * allocation when due. Listeners hear of pauses after the send lock is released.
   */
  void onTimer(long nowMs) {
    synchronized (participant.sendLock) {
      long nowUs = clock.nowMicros();
      if (feedbackSeen) {
        long rttMs = participant.rttMs();
        if (rttMs > 0) {
          estimator.setRttMs(rttMs);
        }
        estimator.process(nowUs);
        startPendingProbe(nowUs);
        drain(nowUs);
      }
      boolean due = lastAllocationMs == Long.MIN_VALUE
          || nowMs - lastAllocationMs >= ALLOCATION_INTERVAL_MS
          || (allocationWanted && nowMs - lastAllocationMs >= ALLOCATION_MIN_SPACING_MS);
      if (due) {
        allocate(nowMs);
      }
    }
    for (int i = 0; i < pauseChangeCount; i++) {
      TrackSubscription sub = pauseChanges[i];
      pauseChanges[i] = null;
      participant.room().firePauseChanged(sub, sub.reportedPause);
    }
    pauseChangeCount = 0;
  }

  private void startPendingProbe(long nowUs) {
    ProbeController probes = estimator.probes();
    if (transportCcId == 0 || !probes.hasPendingProbe() || pacer.isProbing()) {
      return;
    }
    long rateBps = probes.pendingTargetBps();
    // Queued packets are drained on timer ticks (10 ms), so a cluster must span several ticks:
    // the packets of one tick leave together, and a cluster sent within one tick would show no
    // send interval to measure a rate over.
    // At a low rate the duration alone would make a cluster of a few bytes a packet, which
    // measures per-packet timing more than a rate: its packets are at least PROBE_PACKET_BYTES.
    int minBytes = (int) Math.max(PROBE_MIN_PACKETS * PROBE_PACKET_BYTES,
        rateBps * PROBE_DURATION_US / 8_000_000L);
    pacer.startProbe(probes.pendingClusterId(), rateBps, minBytes,
        Math.max(PROBE_MIN_PACKETS, ProbeController.MIN_PROBE_PACKETS));
    probes.onProbeStarted(nowUs);
    probesStarted++;
  }

  /** Runs the allocator over the video subscriptions and applies its choice. Send lock held. */
  private void allocate(long nowMs) {
    lastAllocationMs = nowMs;
    allocationWanted = false;
    TrackSubscription[] subs = participant.subscriptionArray();
    boolean tracksChanged = syncTracks(subs);
    if (tracked.isEmpty()) {
      return;
    }
    allocations++;
    Room room = participant.room();
    // Read before the order: if it moves meanwhile, the next allocation copies again.
    long version = room.speakingOrderVersion();
    if (tracksChanged || version != speakingOrderVersion) {
      // Copying the order is linear in the room's size, and every subscriber allocates ten times
      // a second: only when it changed (or a track came whose rank is not known yet).
      speakingOrderVersion = version;
      int n = room.speakingOrder(speakingOrder);
      while (n == speakingOrder.length) {
        speakingOrder = new String[speakingOrder.length * 2];
        n = room.speakingOrder(speakingOrder);
      }
      allocator.setSpeakingOrder(speakingOrder, n);
    }
    long audioBps = 0;
    for (TrackSubscription s : subs) {
      if (s.kind() == TrackKind.AUDIO && !s.closed) {
        IncomingStream in = s.publication().layers[0];
        audioBps += in == null ? 0 : in.activity.bitrateBps();
      }
    }
    for (int i = 0; i < tracked.size(); i++) {
      updateTrack(tracked.get(i), nowMs);
    }
    long estimate = estimator.targetBitrateBps();
    estimateAtAllocationBps = estimate;
    boolean limited = feedbackSeen && nowMs - firstFeedbackMs >= INITIAL_RAMP_MS;
    long budget = limited ? Math.max(0, estimate - audioBps) : UNLIMITED_BPS;
    allocator.allocate(budget, nowMs);
    allocatedBps = allocator.allocatedBps() + audioBps;
    updatePacingRate();
    estimator.setDesiredBps((long) (allocator.desiredBps() * DESIRED_HEADROOM) + audioBps);
    for (int i = 0; i < tracked.size(); i++) {
      apply(tracked.get(i));
    }
  }

  /** Adds new video subscriptions to the allocator and removes closed ones; true if any changed. */
  private boolean syncTracks(TrackSubscription[] subs) {
    boolean changed = false;
    for (int i = tracked.size() - 1; i >= 0; i--) {
      TrackSubscription t = tracked.get(i);
      boolean present = false;
      for (TrackSubscription s : subs) {
        present |= s == t;
      }
      if (!present || t.closed || t.allocation.isScreenShare() != t.publication().isScreenShare()) {
        allocator.removeTrack(t.allocation.trackId());
        t.allocation = null;
        tracked.remove(i);
        changed = true;
      }
    }
    for (TrackSubscription s : subs) {
      if (s.kind() == TrackKind.VIDEO && !s.closed && s.allocation == null) {
        s.allocation = allocator.addTrack(s.trackId(), s.publication().publisher().id(),
            s.publication().isScreenShare());
        tracked.add(s);
        changed = true;
      }
    }
    return changed;
  }

  /** Copies the publication's layer activity and the subscriber's constraints into the allocator. */
  private static void updateTrack(TrackSubscription sub, long nowMs) {
    TrackAllocation t = sub.allocation;
    IncomingStream[] layers = sub.publication().layers;
    int count = Math.min(layers.length, TrackAllocation.MAX_LAYERS);
    t.setLayerCount(count);
    for (int i = 0; i < count; i++) {
      IncomingStream s = layers[i];
      if (s == null) {
        t.setLayer(i, 0, 0, 0, 0, false);
      } else {
        LayerActivity a = s.activity;
        t.setLayer(i, a.bitrateBps(), a.widthPx(), a.heightPx(), a.framesPerSecond(), a.isLive(nowMs));
      }
    }
    t.setMaxResolution(sub.maxWidthPx, sub.maxHeightPx);
    t.setHidden(!sub.visible);
  }

  /** Applies one track's decision to its subscription. */
  private void apply(TrackSubscription sub) {
    TrackAllocation t = sub.allocation;
    PauseReason reason = t.pauseReason();
    if (reason == PauseReason.NO_LIVE_LAYER) {
      // Nothing arrives to forward anyway; keep the choice for when a layer comes back.
      return;
    }
    boolean pause = reason == PauseReason.HIDDEN || reason == PauseReason.LAST_N;
    if (!pause) {
      int layer = t.targetLayer();
      // Never paused for bandwidth: the lowest layer keeps the picture alive (the estimate's
      // minimum is meant to cover it).
      sub.applyAllocatedLayerLocked(layer == TrackAllocation.PAUSED ? 0 : layer);
    }
    sub.allocationPaused = pause;
    PauseReason reported = pause ? reason : PauseReason.NONE;
    if (reported != sub.reportedPause) {
      sub.reportedPause = reported;
      if (pauseChangeCount == pauseChanges.length) {
        pauseChanges = Arrays.copyOf(pauseChanges, pauseChangeCount * 2);
      }
      pauseChanges[pauseChangeCount++] = sub;
    }
  }

  // ------------------------------------------------------------------ statistics

  /** The egress pipelines' node counters. */
  List<Node.NodeStats> pipelineStats() {
    List<Node.NodeStats> out = new ArrayList<>(egress.stats());
    out.addAll(repairEgress.stats());
    return out;
  }

  /** A snapshot; read without the lock, so values may be a packet apart. */
  SendSideStats stats() {
    List<SendSideStats.LayerSelection> layers = new ArrayList<>();
    for (TrackSubscription s : participant.subscriptionArray()) {
      if (s.kind() == TrackKind.VIDEO) {
        TrackAllocation t = s.allocation;
        layers.add(new SendSideStats.LayerSelection(s.trackId(), s.targetLayer(), s.currentLayer(),
            s.pauseReason(), t == null ? 0 : t.upswitches(), t == null ? 0 : t.downswitches()));
      }
    }
    return new SendSideStats(transportCcId != 0, feedbackSeen, estimator.targetBitrateBps(),
        estimator.delayBasedBps(), estimator.lossBasedBps(), estimator.ackedBitrateBps(),
        estimator.feedbackMessages(), estimator.packetsLost(), estimator.packetsAcked(), transportCcStamped,
        transportCcNotStamped, pacer.pacingRateBps(),
        pacer.queuedPackets(PacketPriority.AUDIO) + pacer.queuedPackets(PacketPriority.RETRANSMISSION)
            + pacer.queuedPackets(PacketPriority.VIDEO),
        pacer.queuedBytes(), pacerExpired, pacerRefused, probesStarted,
        estimator.probes().probesSucceeded(), paddingPackets, paddingBytes, rembsApplied,
        allocations, layers);
  }

  /** Gives back the packets the pacer still holds (the participant is leaving). Send lock held. */
  void releaseHeld() {
    for (int i = 0; i < held.length; i++) {
      if (held[i] != null) {
        pool.release(held[i]);
        held[i] = null;
      }
    }
  }
}
