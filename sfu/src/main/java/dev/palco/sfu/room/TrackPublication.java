package dev.palco.sfu.room;

import dev.palco.rtp.SdesTokenExtension;
import dev.palco.sfu.feedback.KeyframeRequester;
import dev.palco.sfu.stats.StreamStats;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A track one participant publishes: one media section of its offer, received as one stream per
 * simulcast layer (each with its RTX partner), and forwarded to every {@link TrackSubscription}.
 *
 * <p>The subscription list is a copy-on-write array: subscribing and unsubscribing (signaling
 * threads) publish a new array, and fan-out on the publisher's worker iterates whichever array it
 * read, without a lock or an iterator, queueing a share of each packet on every subscriber's queue.
 * A subscription removed meanwhile is closed, which the subscriber's worker checks under its send
 * lock before sending.
 */
public final class TrackPublication {
  private final Participant publisher;
  private final String id;
  private final long sequence;
  private final TrackParameters parameters;
  /** Codec by payload type; null where nothing was negotiated. */
  final CodecParameters[] codecByPayloadType = new CodecParameters[128];
  /** Media payload type by RTX payload type (RFC 4588 apt), -1 where none. */
  final int[] mediaPayloadTypeByRtx = new int[128];
  final byte[] midBytes;
  final byte[][] ridBytes;
  final boolean nackEnabled;
  final boolean firOnly;
  final KeyframeRequester keyframes;

  /** Streams by layer; a new array on every change (publisher's queue writes, anyone reads). */
  volatile IncomingStream[] layers;
  private volatile TrackSubscription[] subscriptions = new TrackSubscription[0];
  /** Set by signaling's thread, read by the publisher's worker on every packet. */
  private volatile boolean muted;
  /** Set by signaling: a screen share is allocated bandwidth before cameras. */
  private volatile boolean screenShare;
  private volatile boolean closed;

  TrackPublication(Participant publisher, String id, long sequence, TrackParameters parameters,
      long keyframeIntervalMs, int keyframeMaxAttempts) {
    this.publisher = publisher;
    this.id = id;
    this.sequence = sequence;
    this.parameters = parameters;
    Arrays.fill(mediaPayloadTypeByRtx, -1);
    boolean nack = false;
    boolean pli = false;
    boolean fir = false;
    for (CodecParameters c : parameters.codecs()) {
      codecByPayloadType[c.payloadType()] = c;
      if (c.hasRtx()) {
        mediaPayloadTypeByRtx[c.rtxPayloadType()] = c.payloadType();
      }
      nack |= c.nack();
      pli |= c.pli();
      fir |= c.fir();
    }
    this.nackEnabled = nack;
    // RFC 5104 §7.1: a sender that negotiated only ccm fir gets FIRs; otherwise PLI.
    this.firOnly = fir && !pli;
    this.keyframes = new KeyframeRequester(firOnly, keyframeIntervalMs, keyframeMaxAttempts);
    this.midBytes = SdesTokenExtension.tokenBytes(parameters.mid());
    List<String> rids = parameters.rids();
    this.ridBytes = new byte[rids.size()][];
    for (int i = 0; i < rids.size(); i++) {
      ridBytes[i] = rids.get(i).getBytes(StandardCharsets.US_ASCII);
    }
    this.layers = new IncomingStream[Math.max(1, rids.size())];
  }

  /** An id unique in the SFU, stable for the publication's life; also its msid track id. */
  public String id() {
    return id;
  }

  /**
   * Its place in the order of publication over the whole SFU: a later publication has a larger
   * number. Players take the room's tracks in this order.
   */
  public long sequence() {
    return sequence;
  }

  /** Who publishes it. */
  public Participant publisher() {
    return publisher;
  }

  /** Audio or video. */
  public TrackKind kind() {
    return parameters.kind();
  }

  /** The publisher's mid for it. */
  public String mid() {
    return parameters.mid();
  }

  /** What was negotiated with the publisher. */
  public TrackParameters parameters() {
    return parameters;
  }

  /** Whether it was unpublished. */
  public boolean isClosed() {
    return closed;
  }

  /** The current subscriptions. */
  public List<TrackSubscription> subscriptions() {
    return List.of(subscriptions);
  }

  /** Per-stream receive statistics. */
  public List<StreamStats> streamStats() {
    List<StreamStats> out = new ArrayList<>();
    long rtt = publisher.rttMs();
    for (IncomingStream s : layers) {
      if (s != null) {
        out.add(s.snapshot(rtt));
      }
    }
    return out;
  }

  /**
   * What each layer does now (index 0 = lowest): bitrate and frame rate over the last half
   * second, size from the last VP8 keyframe, and whether packets still arrive. Built on request.
   */
  public List<LayerStats> layerStats() {
    List<LayerStats> out = new ArrayList<>();
    long nowMs = publisher.clock().nowMillis();
    IncomingStream[] current = layers;
    for (int i = 0; i < current.length; i++) {
      IncomingStream s = current[i];
      if (s == null) {
        out.add(new LayerStats(i, -1, 0, 0, 0, 0, false));
      } else {
        LayerActivity a = s.activity;
        out.add(new LayerStats(i, s.ssrc, a.bitrateBps(), a.framesPerSecond(), a.widthPx(),
            a.heightPx(), a.isLive(nowMs)));
      }
    }
    return out;
  }

  /**
   * One received layer.
   *
   * @param layer index, 0 = lowest
   * @param ssrc its SSRC, -1 while unknown
   * @param bitrateBps over the last measurement window
   * @param framesPerSecond over the last measurement window
   * @param widthPx from the last keyframe, 0 if unknown
   * @param heightPx from the last keyframe, 0 if unknown
   * @param live whether a packet arrived in the last 800 ms
   */
  public record LayerStats(int layer, long ssrc, long bitrateBps, int framesPerSecond, int widthPx,
      int heightPx, boolean live) {}

  /**
   * The last sender report of the publisher's stream with this SSRC (a simulcast layer, or the
   * track's only stream), or null if none arrived or no stream of this track has that SSRC. An
   * in-process subscriber maps media time to the publisher's clock with it
   * ({@link LocalMediaTransport}). Any thread; allocates a snapshot, so call it when a report may
   * have changed, not per packet.
   */
  public dev.palco.sfu.stats.SenderReportInfo lastSenderReport(long ssrc) {
    IncomingStream s = streamBySsrc(ssrc);
    return s == null ? null : s.senderReports.lastReceived();
  }

  /**
   * Stops or resumes forwarding this track to every subscriber. The server enforces a mute this
   * way, so a muted microphone is silent for all even if the publisher keeps sending. Resuming a
   * video track asks the publisher for a keyframe, which subscribers wait for.
   */
  public void setMuted(boolean mute) {
    boolean was = muted;
    muted = mute;
    if (was && !mute && kind() == TrackKind.VIDEO) {
      requestKeyframe();
    }
  }

  /**
   * Marks the track as a screen share (signaling knows it from the client): subscribers' layer
   * allocation serves it before cameras. Any thread.
   */
  public void setScreenShare(boolean screenShare) {
    this.screenShare = screenShare;
    for (TrackSubscription sub : subscriptions) {
      sub.subscriber().sendControl().requestAllocation();
    }
  }

  /** Whether it is a screen share ({@link #setScreenShare}). */
  public boolean isScreenShare() {
    return screenShare;
  }

  /** Whether forwarding is stopped by {@link #setMuted}. */
  public boolean isMuted() {
    return muted;
  }

  /**
   * Asks the publisher for a keyframe. Requests from any number of subscribers in one interval
   * produce one PLI (or FIR); it is repeated until a keyframe arrives. Any thread.
   */
  public void requestKeyframe() {
    keyframes.request(publisher.clock().nowMillis());
    publisher.wakeTimer();
  }

  TrackSubscription[] subscriptionArray() {
    return subscriptions;
  }

  /** The highest layer index with a known stream, or -1. */
  int highestLayer() {
    IncomingStream[] current = layers;
    for (int i = current.length - 1; i >= 0; i--) {
      if (current[i] != null) {
        return i;
      }
    }
    return -1;
  }

  /** The stream with this primary SSRC, or null. Any thread. */
  IncomingStream streamBySsrc(long ssrc) {
    for (IncomingStream s : layers) {
      if (s != null && s.ssrc == ssrc) {
        return s;
      }
    }
    return null;
  }

  /** The layer a rid names, or -1. */
  int layerOfRid(byte[] buf, int off, int len) {
    for (int i = 0; i < ridBytes.length; i++) {
      if (SdesTokenExtension.tokenEquals(buf, off, len, ridBytes[i])) {
        return i;
      }
    }
    return -1;
  }

  /** Installs a stream for a layer. On the publisher's queue. */
  void setLayer(int layer, IncomingStream stream) {
    IncomingStream[] next = layers.clone();
    next[layer] = stream;
    layers = next;
  }

  synchronized boolean addSubscription(TrackSubscription sub) {
    if (closed) {
      return false;
    }
    TrackSubscription[] current = subscriptions;
    TrackSubscription[] next = Arrays.copyOf(current, current.length + 1);
    next[current.length] = sub;
    subscriptions = next;
    return true;
  }

  synchronized void removeSubscription(TrackSubscription sub) {
    TrackSubscription[] current = subscriptions;
    for (int i = 0; i < current.length; i++) {
      if (current[i] == sub) {
        TrackSubscription[] next = new TrackSubscription[current.length - 1];
        System.arraycopy(current, 0, next, 0, i);
        System.arraycopy(current, i + 1, next, i, current.length - i - 1);
        subscriptions = next;
        return;
      }
    }
  }

  /** Marks it closed and returns the subscriptions it had. */
  synchronized TrackSubscription[] close() {
    closed = true;
    TrackSubscription[] had = subscriptions;
    subscriptions = new TrackSubscription[0];
    return had;
  }

  @Override
  public String toString() {
    return "TrackPublication[" + id + " " + kind() + " mid=" + mid() + " of " + publisher.id() + "]";
  }
}
