package dev.palco.sfu.room;

import dev.palco.sfu.feedback.KeyframeRequestKind;
import dev.palco.sfu.pipeline.DropReason;
import dev.palco.sfu.pipeline.Node;
import dev.palco.sfu.pipeline.PacketInfo;
import dev.palco.sfu.pipeline.PacketInfoPool;
import dev.palco.sfu.stats.RttEstimator;
import dev.palco.sfu.transport.MediaTransport;
import dev.palco.sfu.util.Clock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One participant of a {@link Room}: one signaling session and one secured {@link MediaTransport}
 * (given by the caller; the participant owns it from then on and closes it when it leaves). It
 * publishes tracks ({@link TrackPublication}) and subscribes to others' ({@link TrackSubscription}).
 *
 * <p><b>Threads</b> (docs/architecture.md). Every datagram from the transport is copied into a
 * pooled {@link PacketInfo} and queued on the participant's {@link SerialQueue}; a media worker
 * drains it through the receive pipeline ({@link ReceivePath}), whose last node shares the packet
 * with each subscription's subscriber by queueing it on that subscriber's queue
 * ({@link #offerForward}): each subscriber's sends run on the worker that drains its own queue, so
 * one publication's fan-out is spread over every worker. Timer ticks (NACKs, keyframe requests,
 * reports) come from the scheduler thread through the same queue. Control calls (publish,
 * subscribe, leave) may come from any thread; changes to the receive state are posted to the
 * queue. Everything sent to this participant — forwarded media, retransmissions, RTCP — goes
 * through its SRTP sender under {@link #sendLock}; all of it is sent from its own queue, so the
 * lock is contended only by control calls (subscribe, negotiation, statistics).
 *
 * <p>The transport's failure is reported to signaling by the transport itself; signaling then calls
 * {@link #leave(String)}.
 */
public final class Participant {
  /** This participant's slot in the room's speaker detector (guarded by the room's speaker lock). */
  int speakerSlot = dev.palco.sfu.speaker.DominantSpeakerDetector.NONE;

  private final Room room;
  private final Sfu sfu;
  private final String id;
  private final MediaTransport transport;
  private final Clock clock;
  private final String cname;
  private final String streamId;
  private final long rtcpSsrc;

  /** Guards everything sent to this participant: its SRTP sender and its subscriptions' state. */
  final Object sendLock = new Object();

  private final SerialQueue queue;
  private final ReceivePath receivePath;
  private final RtcpTermination rtcpTermination;
  private final RtcpSender rtcpSender;
  private final SubscriberSendControl sendControl;
  private final RttEstimator rtt = new RttEstimator();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Packets forwarded to it that its full queue refused; counted from publishers' workers. */
  private final AtomicLong forwardQueueDrops = new AtomicLong();
  private final Map<String, TrackPublication> publicationsByMid = new LinkedHashMap<>();
  private volatile TrackSubscription[] subscriptions = new TrackSubscription[0];
  private final int[] nackScratch = new int[64];
  private long nextReportMs;
  /**
   * Clock time before which a timer tick would find nothing due ({@link Long#MIN_VALUE}: tick every
   * period). A subscriber has work on one tick in ten (its allocation) and one report a second,
   * plus, with bandwidth feedback, whatever its pacer holds and its probe controller's deadlines
   * (see {@link SubscriberSendControl#idleUntilMs}); ticking it every period costs a trip through
   * the worker pool for nothing, as many times a second as the whole audience receives video
   * packets. Written by its worker after a tick, reset by anything that may make work due sooner,
   * read by the timer thread.
   */
  private volatile long timerIdleUntilMs = Long.MIN_VALUE;

  // Drops before the pipeline (transport thread): counted here.
  private final long[] ingressDrops = new long[DropReason.values().length];
  private long timerFailures;
  /** Timer ticks run (its worker; tests read it to see idle participants skipped). */
  long timerTicks;
  private volatile String leaveReason;
  private final SdpNegotiator sdp;
  /** Set once, when it answers a player's offer; guarded by this. */
  private PlaybackSections playback;

  Participant(Room room, Sfu sfu, String id, MediaTransport transport, TransportNegotiation negotiation) {
    this.room = room;
    this.sfu = sfu;
    this.id = id;
    this.transport = transport;
    this.clock = sfu.clock();
    this.cname = sfu.newToken("c");
    this.streamId = sfu.newToken("s");
    this.rtcpSsrc = sfu.nextSsrc();
    this.queue = new SerialQueue(new QueueHandler(), sfu.workers(), sfu.packetPool(),
        sfu.config().queueCapacityPackets());
    this.rtcpTermination = new RtcpTermination(this);
    this.receivePath = new ReceivePath(this, rtcpTermination);
    this.rtcpSender = new RtcpSender(this);
    this.sendControl = new SubscriberSendControl(this, sfu.sendSideConfig());
    this.nextReportMs = clock.nowMillis() + sfu.config().rtcpReportIntervalMs();
    this.sdp = negotiation == null ? null : new SdpNegotiator(this, sfu.capabilities(), negotiation);
  }

  /** Starts receiving from the transport. */
  void start() {
    transport.setMediaReceiver(this::onMedia);
  }

  /** The id signaling gave it, unique in the room. */
  public String id() {
    return id;
  }

  /** Its room. */
  public Room room() {
    return room;
  }

  /** Its transport. */
  public MediaTransport transport() {
    return transport;
  }

  /** The RTCP CNAME of the streams it publishes, as the SFU forwards them. */
  public String cname() {
    return cname;
  }

  /** The msid stream id under which its tracks are offered to others. */
  public String streamId() {
    return streamId;
  }

  /** The SSRC the SFU uses for RTCP toward this participant (RRs, NACKs, PLIs). */
  public long rtcpSsrc() {
    return rtcpSsrc;
  }

  /** Smoothed RTT to this participant from its report blocks, or -1 before the first. */
  public long rttMs() {
    return rtt.smoothedRttMs();
  }

  /** Whether it left. */
  public boolean isClosed() {
    return closed.get();
  }

  /** Its publications. */
  public synchronized List<TrackPublication> publications() {
    return List.copyOf(publicationsByMid.values());
  }

  /** Its publication with this mid, or null. */
  public synchronized TrackPublication publication(String mid) {
    return publicationsByMid.get(mid);
  }

  /** Its subscriptions. */
  public List<TrackSubscription> subscriptions() {
    return List.of(subscriptions);
  }

  /**
   * Starts receiving a track it sends, as negotiated.
   *
   * @throws IllegalStateException if it left, or a track with this mid is already published
   */
  public TrackPublication publish(TrackParameters parameters) {
    TrackPublication pub;
    synchronized (this) {
      if (closed.get()) {
        throw new IllegalStateException("participant " + id + " left");
      }
      if (playback != null) {
        throw new IllegalStateException("participant " + id + " plays the room back; a player publishes nothing");
      }
      if (publicationsByMid.containsKey(parameters.mid())) {
        throw new IllegalStateException("mid " + parameters.mid() + " is already published by " + id);
      }
      pub = new TrackPublication(this, sfu.newToken("t"), sfu.nextPublicationSequence(), parameters,
          sfu.config().keyframeMinIntervalMs(), sfu.config().keyframeMaxAttempts());
      publicationsByMid.put(parameters.mid(), pub);
    }
    queue.post(() -> {
      receivePath.add(pub);
      wakeIdleTimer(); // a publisher ticks every period (NACKs, keyframe requests, its cache)
    });
    room.firePublished(pub);
    return pub;
  }

  /** Stops receiving a track: its subscriptions close, then listeners hear of it. */
  public void unpublish(TrackPublication pub) {
    synchronized (this) {
      if (publicationsByMid.get(pub.mid()) != pub) {
        return;
      }
      publicationsByMid.remove(pub.mid());
    }
    for (TrackSubscription sub : pub.close()) {
      sub.subscriber().unsubscribe(sub);
    }
    queue.post(() -> receivePath.remove(pub));
    room.fireUnpublished(pub);
  }

  /**
   * Subscribes this participant to a track: a new outgoing stream with its own random SSRC and RTX
   * SSRC (unique in this participant), which waits for a keyframe (requested now) before video
   * flows. Call {@link TrackSubscription#applyNegotiation} once the subscriber's answer is known.
   *
   * @throws IllegalStateException if either side is closed, or it publishes the track itself
   */
  public TrackSubscription subscribe(TrackPublication pub) {
    if (pub.publisher() == this) {
      throw new IllegalStateException("a participant does not subscribe to its own track");
    }
    TrackSubscription sub;
    synchronized (this) {
      if (closed.get()) {
        throw new IllegalStateException("participant " + id + " left");
      }
      for (TrackSubscription existing : subscriptions) {
        if (existing.publication() == pub) {
          return existing;
        }
      }
      boolean rtx = pub.kind() == TrackKind.VIDEO && pub.parameters().codecs().get(0).hasRtx();
      sub = newSubscription(pub, rtx, null);
      addSubscription(sub);
    }
    if (!attach(sub)) {
      throw new IllegalStateException(pub + " was unpublished, or " + id + " left");
    }
    return sub;
  }

  /**
   * Subscribes one of a player's sections to a track, with the player's payload types and
   * extension ids from the first packet on. With a predecessor (the section's last subscription,
   * closed), the new one continues its outgoing stream ({@link TrackSubscription#continuing});
   * otherwise it gets new SSRCs, with RTX when the player agreed RTX for the track's codec.
   *
   * @return the subscription, or null if the track was unpublished or the player left meanwhile
   */
  TrackSubscription subscribeForPlayback(TrackPublication pub, TrackParameters playerSide,
      TrackSubscription predecessor) {
    // Built before taking this participant's monitor: continuing() takes the send lock.
    TrackSubscription sub = predecessor == null ? null
        : TrackSubscription.continuing(predecessor, pub, playerSide);
    synchronized (this) {
      if (closed.get()) {
        return null;
      }
      if (sub == null) {
        CodecParameters codec = playerSide.codecLike(pub.parameters().codecs().get(0));
        boolean rtx = pub.kind() == TrackKind.VIDEO && codec != null && codec.hasRtx();
        sub = newSubscription(pub, rtx, playerSide);
      }
      addSubscription(sub);
    }
    return attach(sub) ? sub : null;
  }

  /** A subscription with new SSRCs, unique in this participant. Holds this. */
  private TrackSubscription newSubscription(TrackPublication pub, boolean rtx, TrackParameters subscriberSide) {
    long ssrc = uniqueSsrc(-1);
    long rtxSsrc = rtx ? uniqueSsrc(ssrc) : -1;
    return new TrackSubscription(this, pub, ssrc, rtxSsrc, sfu.nextInt() & 0xFFFF,
        sfu.nextInt() & 0xFFFF_FFFFL, sfu.nextInt() & 0xFFFF, subscriberSide);
  }

  /** Holds this. */
  private void addSubscription(TrackSubscription sub) {
    TrackSubscription[] next = Arrays.copyOf(subscriptions, subscriptions.length + 1);
    next[next.length - 1] = sub;
    subscriptions = next;
  }

  /**
   * Adds a subscription, already listed here, to its publication, and asks for a keyframe for
   * video. False, with the subscription closed again, if the publication was unpublished or this
   * participant left meanwhile (leaving closes only the subscriptions it saw listed).
   */
  private boolean attach(TrackSubscription sub) {
    TrackPublication pub = sub.publication();
    if (!pub.addSubscription(sub)) {
      removeSubscription(sub);
      sub.markClosed();
      return false;
    }
    if (closed.get()) {
      unsubscribe(sub);
      return false;
    }
    if (pub.kind() == TrackKind.VIDEO) {
      pub.requestKeyframe();
    }
    return true;
  }

  /**
   * Its transport can now carry media (the DTLS handshake is done): asks the publisher of each
   * video track it subscribes to for a keyframe now. A keyframe sent before this point could not
   * reach it, and without the request it would wait for the next packet to ask (a frame
   * interval later). Requests fold into each publication's paced PLIs. Any thread.
   */
  public void onTransportSecured() {
    for (TrackSubscription sub : subscriptions) {
      TrackPublication pub = sub.publication();
      if (pub.kind() == TrackKind.VIDEO && !sub.isClosed()) {
        pub.requestKeyframe();
      }
    }
  }

  /** Stops a subscription of this participant. Idempotent. */
  public void unsubscribe(TrackSubscription sub) {
    if (sub.subscriber() != this || !removeSubscription(sub)) {
      return;
    }
    sub.publication().removeSubscription(sub);
    sub.markClosed();
    room.fireUnsubscribed(sub);
  }

  private synchronized boolean removeSubscription(TrackSubscription sub) {
    TrackSubscription[] current = subscriptions;
    for (int i = 0; i < current.length; i++) {
      if (current[i] == sub) {
        TrackSubscription[] next = new TrackSubscription[current.length - 1];
        System.arraycopy(current, 0, next, 0, i);
        System.arraycopy(current, i + 1, next, i, current.length - i - 1);
        subscriptions = next;
        return true;
      }
    }
    return false;
  }

  private long uniqueSsrc(long avoid) {
    while (true) {
      long ssrc = sfu.nextSsrc();
      if (ssrc == avoid || ssrc == rtcpSsrc || subscriptionBySsrc(ssrc) != null) {
        continue;
      }
      boolean clash = false;
      for (TrackSubscription s : subscriptions) {
        if (s.rtxSsrc() == ssrc) {
          clash = true;
        }
      }
      if (!clash) {
        return ssrc;
      }
    }
  }

  /** Leaves the room: {@link #leave(String)} with reason "left". */
  public void leave() {
    leave("left");
  }

  /**
   * Leaves the room: unpublishes its tracks (closing others' subscriptions to them), closes its
   * subscriptions, stops its queue and waits for it (unless called on a media worker), returns
   * pooled buffers, closes the transport, and tells the room's listeners. Idempotent.
   */
  public void leave(String reason) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    leaveReason = reason;
    for (TrackPublication pub : publications()) {
      unpublish(pub);
    }
    for (TrackSubscription sub : subscriptions) {
      unsubscribe(sub);
    }
    CountDownLatch done = new CountDownLatch(1);
    queue.shutdown(() -> {
      receivePath.releaseAll();
      synchronized (sendLock) {
        sendControl.releaseHeld();
      }
      done.countDown();
    });
    if (!sfu.workers().isWorkerThread()) {
      try {
        done.await(sfu.config().leaveTimeoutMs(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    transport.close();
    room.removeParticipant(this);
    sfu.unregister(this);
    room.fireLeft(this, reason);
  }

  /** Why it left, or null. */
  public String leaveReason() {
    return leaveReason;
  }

  // ------------------------------------------------------------------ SDP convenience

  /**
   * Answers the participant's offer (its first, or a renegotiation it started): every section it
   * sends on is published as a track, sections it stopped are unpublished, and the transport
   * learns the remote ICE and DTLS parameters.
   *
   * @return the answer SDP
   * @throws dev.palco.sfu.sdp.SdpException if the offer cannot be parsed or accepted
   * @throws IllegalStateException if the participant is a player, or joined without a
   *     {@link TransportNegotiation}
   */
  public String answerPublishOffer(String offerSdp) {
    if (isPlayer()) {
      throw new IllegalStateException("participant " + id + " plays the room back; a player publishes nothing");
    }
    return negotiator().answer(offerSdp);
  }

  /**
   * The SFU's offer carrying every current subscription as a sendonly section (new tracks added,
   * closed ones stopped): call it whenever subscriptions change, then
   * {@link #applySubscriberAnswer}.
   */
  public String createSubscriberOffer() {
    return negotiator().createOffer();
  }

  /**
   * Applies the participant's answer to the last {@link #createSubscriberOffer()}: each
   * subscription gets the payload types and extension ids it agreed.
   *
   * @throws dev.palco.sfu.sdp.SdpException if the answer does not fit the offer
   * @throws IllegalStateException if no offer is pending
   */
  public void applySubscriberAnswer(String answerSdp) {
    negotiator().acceptAnswer(answerSdp);
  }

  /**
   * Answers a player's offer (WHEP, draft-ietf-wish-whep): the SFU sends and takes nothing from
   * it. Each section the player can receive on, in m-line order, carries the first room track of
   * its kind, in the order of publication, that no earlier section took and whose codec the player
   * offered: it is answered sendonly with the subscription's SSRCs (and RTX SSRC when the player
   * offered RTX for the codec), {@code a=msid} and the player's payload types and extension ids,
   * onto which forwarding rewrites. A section with no track to carry, or on which the player does
   * not receive, is answered inactive. The SFU is the DTLS server ({@code a=setup:passive}); the
   * transport learns the player's ICE and DTLS parameters as for a publish offer. A player
   * publishes nothing from then on.
   *
   * <p>There is no renegotiation: when a section's track is unpublished the section falls silent,
   * and {@link #bindIdlePlaybackSections()} later gives it another track on the same SSRC.
   *
   * @return the answer SDP
   * @throws dev.palco.sfu.sdp.SdpException if the offer cannot be parsed or accepted
   * @throws IllegalStateException if the participant left, publishes, already negotiated, or
   *     joined without a {@link TransportNegotiation}
   */
  public String answerPlaybackOffer(String offerSdp) {
    SdpNegotiator negotiator = negotiator();
    PlaybackSections sections;
    synchronized (this) {
      if (closed.get()) {
        throw new IllegalStateException("participant " + id + " left");
      }
      if (!publicationsByMid.isEmpty()) {
        throw new IllegalStateException("participant " + id + " publishes; a player publishes nothing");
      }
      if (playback == null) {
        playback = new PlaybackSections(this);
      }
      sections = playback;
    }
    return negotiator.answerPlayback(offerSdp, sections);
  }

  /**
   * A player's sections answered sendonly, by mid in m-line order, each with the track it carries
   * now, or null while it is silent. Empty for a participant that is not a player.
   */
  public Map<String, TrackPublication> playbackTracksByMid() {
    PlaybackSections sections;
    synchronized (this) {
      sections = playback;
    }
    return sections == null ? Map.of() : sections.carried();
  }

  /** Whether it plays the room back: it answered a playback offer, and publishes nothing. */
  public synchronized boolean isPlayer() {
    return playback != null;
  }

  /**
   * Gives each of a player's sections that fell silent (its track was unpublished) the first room
   * track of its kind, in the order of publication, that the player does not already receive, that
   * it offered a codec for, and that runs at the section's clock rate. The section keeps its SSRC:
   * the player sees its stream resume ({@link TrackSubscription#continuing}). Call it when a
   * track is published in the room and when one of the player's subscriptions closes; it does
   * nothing for a participant that is not a player or left.
   *
   * @return the subscriptions made
   */
  public List<TrackSubscription> bindIdlePlaybackSections() {
    PlaybackSections sections;
    synchronized (this) {
      sections = playback;
    }
    return sections == null || closed.get() ? List.of() : sections.bindIdle();
  }

  /** The last agreement with the participant, or null before the first exchange. */
  public dev.palco.sfu.sdp.NegotiatedSession negotiatedSession() {
    return sdp == null ? null : sdp.negotiated();
  }

  private SdpNegotiator negotiator() {
    if (sdp == null) {
      throw new IllegalStateException("participant " + id + " joined without a TransportNegotiation");
    }
    return sdp;
  }

  // ------------------------------------------------------------------ packet path

  /** The transport's receiver: copy, stamp, queue. On a transport thread. */
  private void onMedia(byte[] buf, int off, int len, boolean rtcp, long arrivalNanos) {
    PacketInfoPool pool = sfu.packetPool();
    if (len > PacketInfo.MAX_PACKET_BYTES || len < 0) {
      ingressDrops[DropReason.TOO_LARGE.ordinal()]++;
      return;
    }
    PacketInfo p = pool.acquire();
    p.load(buf, off, len);
    p.rtcp = rtcp;
    // Stamped with the SFU's clock, so statistics, NACK timing and cache ages share one time base.
    p.receivedNanos = clock.nowNanos();
    if (!queue.offer(p)) {
      pool.release(p);
      ingressDrops[(closed.get() ? DropReason.TRANSPORT_NOT_READY : DropReason.QUEUE_FULL).ordinal()]++;
    }
  }

  /**
   * Queues one share of a publisher's packet to be sent on {@code sub}, one of this participant's
   * subscriptions, by the worker that drains this participant's queue. Any thread (the
   * publisher's worker).
   *
   * @return false when the queue refused it (full, counted as a {@code QUEUE_FULL} drop, or
   *     shut down because it is leaving): the caller keeps the share
   */
  boolean offerForward(TrackSubscription sub, PacketInfo shared) {
    int result = queueForward(sub, shared);
    if (result == SerialQueue.QUEUED_START) {
      sfu.workers().execute(queue);
    }
    return result != SerialQueue.REFUSED;
  }

  /**
   * {@link #offerForward} without scheduling: on {@link SerialQueue#QUEUED_START} the caller
   * hands {@link #queue()} to the worker pool (the fan-out does it once for every subscriber it
   * woke). A refusal of a full ring is counted here.
   */
  int queueForward(TrackSubscription sub, PacketInfo shared) {
    int result = queue.queueForward(sub, shared);
    if (result == SerialQueue.REFUSED && !closed.get()) {
      // A full ring; a leaving participant's refusals are not a capacity problem.
      forwardQueueDrops.incrementAndGet();
    }
    return result;
  }

  /** Its actor queue. */
  SerialQueue queue() {
    return queue;
  }

  /** {@link #wakeTimer} without scheduling: true when the caller must hand {@link #queue()} to the pool. */
  boolean markTimer() {
    return queue.markTimer();
  }

  /** Whether the periodic tick at {@code nowMs} may have work for it (see {@link #timerIdleUntilMs}). */
  boolean timerDue(long nowMs) {
    return nowMs >= timerIdleUntilMs;
  }

  /** Makes the next periodic tick run (something may have become due sooner). Any thread. */
  void wakeIdleTimer() {
    if (timerIdleUntilMs != Long.MIN_VALUE) {
      timerIdleUntilMs = Long.MIN_VALUE;
    }
  }

  /**
   * {@link #wakeIdleTimer} from a thread other than its worker, for a change the worker reads
   * without a volatile to look at again (see {@link #updateTimerIdle}): the wake runs on the
   * worker, after any tick in progress has published its idle time. Control plane: allocates.
   */
  void wakeIdleTimerOnWorker() {
    queue.post(this::wakeIdleTimer);
  }

  /** Queues a timer tick now (a keyframe request became due). Any thread. */
  void wakeTimer() {
    queue.signalTimer();
  }

  private void onTimer() {
    timerTicks++;
    long nowMs = clock.nowMillis();
    long rttMs = rtt.smoothedRttMs();
    for (TrackPublication pub : receivePath.publications()) {
      if (rttMs > 0) {
        pub.keyframes.setRttMs(rttMs);
      }
      KeyframeRequestKind kind = pub.keyframes.pollDue(nowMs);
      if (kind != KeyframeRequestKind.NONE) {
        synchronized (sendLock) {
          rtcpSender.sendKeyframeRequest(pub, kind, pub.keyframes.firSequenceNumber(),
              pub.parameters().rtcpReducedSize());
        }
        room.fireKeyframeRequested(pub);
      }
      for (IncomingStream s : pub.layers) {
        if (s == null) {
          continue;
        }
        if (s.nacks != null) {
          if (rttMs > 0) {
            s.nacks.setRttMs(rttMs);
          }
          if (s.nacks.missingCount() > 0) {
            int n = s.nacks.collectDue(nowMs, nackScratch);
            if (n > 0) {
              synchronized (sendLock) {
                rtcpSender.sendNack(s, nackScratch, n, pub.parameters().rtcpReducedSize());
              }
            }
          }
        }
        if (s.cache != null) {
          s.cache.evictExpired(nowMs);
        }
      }
    }
    if (receivePath.transportFeedback.isDue(nowMs)) {
      TrackPublication[] pubs = receivePath.publications();
      boolean reducedSize = pubs.length > 0 && pubs[0].parameters().rtcpReducedSize();
      synchronized (sendLock) {
        rtcpSender.sendTransportFeedback(receivePath.transportFeedback, nowMs, reducedSize);
      }
    }
    if (nowMs >= nextReportMs) {
      nextReportMs = nowMs + sfu.config().rtcpReportIntervalMs();
      synchronized (sendLock) {
        rtcpSender.sendReports(nowMs, clock.nowMicros(), clock.wallClockMillis());
      }
    }
    sendControl.onTimer(nowMs);
    updateTimerIdle();
  }

  /**
   * After a tick: lets the SFU's timer skip this participant until its next allocation or report
   * when nothing else can fall due on its own. Received packets (media to NACK and acknowledge, RTCP
   * that starts the estimator) and allocation requests reset it.
   */
  private void updateTimerIdle() {
    long idleUntilMs = sendControl.idleUntilMs();
    if (idleUntilMs == Long.MIN_VALUE || receivePath.publications().length > 0
        || receivePath.transportFeedback.hasUnreported()) {
      timerIdleUntilMs = Long.MIN_VALUE;
      return;
    }
    boolean wanted = sendControl.allocationWanted();
    timerIdleUntilMs = Math.min(idleUntilMs, nextReportMs);
    // A request made while this ran may have reset the time before it was written: look again
    // (both sides write, then read, volatile fields, so at least one of them sees the other).
    if (!wanted && sendControl.allocationWanted()) {
      timerIdleUntilMs = Long.MIN_VALUE;
    }
  }

  private final class QueueHandler implements SerialQueue.Handler {
    @Override
    public void onPacket(PacketInfo packet) {
      wakeIdleTimer();
      receivePath.pipeline.process(packet);
    }

    @Override
    public void onForward(TrackSubscription subscription, PacketInfo shared) {
      try {
        subscription.forward(shared);
      } finally {
        sfu.packetPool().releaseShared(shared);
      }
    }

    @Override
    public void onTimer() {
      Participant.this.onTimer();
    }

    @Override
    public void onFailure(Throwable failure) {
      // A bug, not bad input (bad input is a counted drop): keep serving, count it.
      timerFailures++;
    }
  }

  // ------------------------------------------------------------------ internals for the package

  Sfu sfu() {
    return sfu;
  }

  Clock clock() {
    return clock;
  }

  ReceivePath receivePath() {
    return receivePath;
  }

  /** What decides how much, what and when is sent to this participant. */
  SubscriberSendControl sendControl() {
    return sendControl;
  }

  TrackSubscription[] subscriptionArray() {
    return subscriptions;
  }

  /** The subscription sending with this SSRC, or null. Linear: a subscriber has few tracks. */
  TrackSubscription subscriptionBySsrc(long ssrc) {
    for (TrackSubscription s : subscriptions) {
      if (s.ssrc() == ssrc) {
        return s;
      }
    }
    return null;
  }

  void onRttSample(long rttMs) {
    rtt.onRttSampleMs(rttMs);
  }

  // ------------------------------------------------------------------ statistics

  /** A snapshot of its statistics, built on request. */
  public ParticipantStats stats() {
    List<Node.NodeStats> nodes = new ArrayList<>(receivePath.pipeline.stats());
    nodes.addAll(rtcpSender.pipeline().stats());
    nodes.addAll(sendControl.pipelineStats());
    List<TrackStats> published = new ArrayList<>();
    for (TrackPublication pub : publications()) {
      published.add(new TrackStats(pub.id(), pub.kind(), pub.mid(), true, pub.streamStats()));
    }
    List<TrackStats> subscribed = new ArrayList<>();
    for (TrackSubscription sub : subscriptions) {
      subscribed.add(new TrackStats(sub.trackId(), sub.kind(), sub.publication().mid(), false,
          List.of(sub.stats())));
      nodes.addAll(sub.pipelineStats());
    }
    Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
    for (int i = 0; i < ingressDrops.length; i++) {
      if (ingressDrops[i] != 0) {
        drops.merge(DropReason.values()[i], ingressDrops[i], Long::sum);
      }
    }
    long refusedForwards = forwardQueueDrops.get();
    if (refusedForwards != 0) {
      drops.merge(DropReason.QUEUE_FULL, refusedForwards, Long::sum);
    }
    for (Node.NodeStats n : nodes) {
      for (Map.Entry<DropReason, Long> e : n.drops().entrySet()) {
        drops.merge(e.getKey(), e.getValue(), Long::sum);
      }
    }
    long packetsIn = 0;
    long bytesIn = 0;
    if (!nodes.isEmpty()) {
      packetsIn = nodes.get(0).packetsIn();
      bytesIn = nodes.get(0).bytesIn();
    }
    long packetsOut = 0;
    long bytesOut = 0;
    long retransmissionsReceived = 0;
    long nacksSent = rtcpSender.nackedPacketsRequested;
    for (TrackStats t : subscribed) {
      for (var s : t.streams()) {
        packetsOut += s.packets();
        bytesOut += s.bytes();
      }
    }
    for (TrackStats t : published) {
      for (var s : t.streams()) {
        retransmissionsReceived += s.retransmissions();
      }
    }
    RtcpTermination r = rtcpTermination;
    return new ParticipantStats(id, packetsIn, bytesIn, packetsOut, bytesOut, nacksSent,
        r.nackedPackets, rtcpSender.plisSent + rtcpSender.firsSent, r.plis + r.firs,
        r.retransmissionsSent, r.retransmissionsSuppressedRecent, r.retransmissionsRateLimited,
        retransmissionsReceived, rttMs(), rtcpSender.senderReportsSent,
        rtcpSender.receiverReportsSent, r.senderReports, r.receiverReports, r.rembs,
        r.transportCcFeedback, drops, published, subscribed, nodes, timerFailures,
        sendControl.stats());
  }
}
