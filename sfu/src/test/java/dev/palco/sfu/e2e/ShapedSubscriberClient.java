package dev.palco.sfu.e2e;

import dev.palco.rtp.RtpHeaderExtensions;
import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.TransportCcExtension;
import dev.palco.rtp.codec.PayloadDropReason;
import dev.palco.rtp.codec.Vp8PayloadDescriptor;
import dev.palco.sfu.client.SyntheticPayload;
import dev.palco.sfu.client.WebRtcClient;
import dev.palco.sfu.feedback.TransportFeedbackGenerator;
import dev.palco.sfu.util.RtpWrap;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A subscriber behind a token-bucket shaper, with a browser's transport-wide feedback.
 *
 * <p><b>Shaper</b> (in the client's receive path, after decryption): packets leave a FIFO at
 * {@link #setRateBps the link rate}, one after the other; a packet that would wait more than
 * {@link #MAX_QUEUE_MS} behind the ones already queued is dropped, as a bottleneck router's tail
 * drop does. A rate of 0 passes everything at once. A shaper thread delivers each packet at its
 * departure time.
 *
 * <p><b>Feedback</b> (draft-holmer-rmcat-transport-wide-cc-extensions-01): the transport-wide
 * number of every delivered packet (media, RTX, padding) goes with its delivery time into a
 * {@link TransportFeedbackGenerator}, the SFU's own; a timer sends what is due every 10 ms
 * (feedback goes out every 50 ms).
 *
 * <p><b>Checks</b>: on the video SSRC the SFU forwards on, each packet's synthetic body says which
 * layer it came from ({@link SyntheticPayload#sourceId}); the sequence numbers are followed for
 * duplicates, reordering and holes. All state is guarded by this object's monitor.
 */
final class ShapedSubscriberClient implements AutoCloseable {
  static final long MAX_QUEUE_MS = 250;
  private static final long FEEDBACK_TICK_MS = 10;

  final String name;
  private final WebRtcClient client;
  private final SimulcastPublisherClient publisher;
  private final int transportCcId;
  private final long videoSsrc;
  private final TransportFeedbackGenerator feedback = new TransportFeedbackGenerator();
  private final ArrayDeque<Object[]> queue = new ArrayDeque<>();
  private final Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
  private final byte[] rtcp = new byte[1500 + WebRtcClient.MAX_SRTP_OVERHEAD_BYTES];
  private final Thread shaper;
  private volatile boolean running = true;
  private ScheduledFuture<?> feedbackTimer;

  private long rateBps;
  private long linkFreeAtNanos;

  // Observations.
  long shaperDrops;
  long shaperVideoDrops;
  long delivered;
  long feedbackSent;
  private boolean started;
  private long firstExt;
  private long highestExt;
  private final BitSet received = new BitSet();
  long duplicates;
  long reordered;
  /** The layer of the last video packet, -1 before the first. */
  int lastLayer = -1;
  /** Nanos of the first packet of the current layer. */
  long layerSinceNanos;
  /** Video packets per source layer. */
  final long[] packetsByLayer = new long[SimulcastPublisherClient.RIDS.size()];
  /** Layer switches seen (by source), with the nanos of each. */
  final java.util.List<long[]> switches = new java.util.ArrayList<>();

  ShapedSubscriberClient(String name, WebRtcClient client, SimulcastPublisherClient publisher,
      long videoSsrc, int transportCcId) {
    this.name = name;
    this.client = client;
    this.publisher = publisher;
    this.videoSsrc = videoSsrc;
    this.transportCcId = transportCcId;
    client.setMediaReceiver(this::onMedia);
    shaper = new Thread(this::shapeLoop, "e2e-shaper-" + name);
    shaper.setDaemon(true);
    shaper.start();
  }

  /** The link rate from now on; 0 for no limit. */
  synchronized void setRateBps(long rateBps) {
    this.rateBps = rateBps;
  }

  void startFeedback(ScheduledExecutorService timer) {
    feedbackTimer = timer.scheduleAtFixedRate(this::sendFeedback, FEEDBACK_TICK_MS, FEEDBACK_TICK_MS,
        TimeUnit.MILLISECONDS);
  }

  private synchronized void onMedia(byte[] buf, int off, int len, boolean isRtcp, long arrivalNanos) {
    if (isRtcp) {
      return;
    }
    byte[] copy = Arrays.copyOfRange(buf, off, off + len);
    if (rateBps <= 0) {
      deliver(copy, arrivalNanos);
      return;
    }
    long start = Math.max(arrivalNanos, linkFreeAtNanos);
    if (start - arrivalNanos > MAX_QUEUE_MS * 1_000_000L) {
      shaperDrops++;
      if (RtpPacket.ssrc(copy, 0) == videoSsrc) {
        shaperVideoDrops++;
      }
      return;
    }
    // UDP, IP and SRTP overhead as the link would carry it.
    linkFreeAtNanos = start + (len + 28 + 16) * 8_000_000_000L / rateBps;
    queue.add(new Object[] {copy, linkFreeAtNanos});
    notifyAll();
  }

  private void shapeLoop() {
    while (running) {
      byte[] packet;
      long departNanos;
      synchronized (this) {
        Object[] head = queue.peek();
        if (head == null) {
          try {
            wait(5);
          } catch (InterruptedException e) {
            return;
          }
          continue;
        }
        departNanos = (Long) head[1];
        long now = System.nanoTime();
        if (departNanos - now > 0) {
          packet = null;
        } else {
          queue.poll();
          packet = (byte[]) head[0];
        }
      }
      if (packet == null) {
        LockSupport.parkNanos(Math.min(departNanos - System.nanoTime(), 1_000_000L));
        continue;
      }
      synchronized (this) {
        deliver(packet, departNanos);
      }
    }
  }

  /** A packet arrives at the subscriber (after the shaper). Holds this. */
  private void deliver(byte[] p, long atNanos) {
    delivered++;
    int len = p.length;
    int data = RtpHeaderExtensions.findDataOffset(p, 0, len, transportCcId);
    if (data >= 0) {
      feedback.onPacket(TransportCcExtension.sequenceNumber(p, data), RtpPacket.ssrc(p, 0), atNanos / 1_000);
    }
    if (RtpPacket.ssrc(p, 0) != videoSsrc) {
      return;
    }
    int seq = RtpPacket.sequenceNumber(p, 0);
    if (!started) {
      started = true;
      firstExt = seq;
      highestExt = seq;
      received.set(0);
    } else {
      long ext = RtpWrap.extendSeq(highestExt, seq);
      int index = (int) (ext - firstExt);
      if (index < 0 || received.get(index)) {
        duplicates++;
      } else {
        if (ext < highestExt) {
          reordered++;
        }
        received.set(index);
        highestExt = Math.max(highestExt, ext);
      }
    }
    int headerLength = RtpPacket.headerLength(p, 0, len);
    if (headerLength < 0 || vp8.parse(p, headerLength, len - headerLength) != PayloadDropReason.OK) {
      return;
    }
    int body = headerLength + vp8.descriptorLength();
    if (vp8.startOfFrame()) {
      body += vp8.keyframe() ? Vp8PayloadDescriptor.KEYFRAME_HEADER_SIZE_BYTES
          : Vp8PayloadDescriptor.PAYLOAD_HEADER_SIZE_BYTES;
    }
    if (body + SyntheticPayload.HEADER_SIZE_BYTES > len) {
      return;
    }
    int layer = publisher.layerOf(SyntheticPayload.sourceId(p, body));
    if (layer < 0) {
      return;
    }
    packetsByLayer[layer]++;
    if (layer != lastLayer) {
      switches.add(new long[] {atNanos, lastLayer, layer});
      lastLayer = layer;
      layerSinceNanos = atNanos;
    }
  }

  private synchronized void sendFeedback() {
    long nowMs = System.nanoTime() / 1_000_000;
    int n;
    while ((n = feedback.write(nowMs, 0x5EED_0000 | name.hashCode() & 0xFFFF, rtcp, 0)) > 0) {
      client.sendRtcp(rtcp, 0, n);
      feedbackSent++;
    }
  }

  /** Sequence numbers missing between the first and the highest received. */
  synchronized long missing() {
    return started ? (highestExt - firstExt + 1) - received.cardinality() : 0;
  }

  synchronized int lastLayer() {
    return lastLayer;
  }

  synchronized long layerSinceNanos() {
    return layerSinceNanos;
  }

  @Override
  public void close() {
    running = false;
    if (feedbackTimer != null) {
      feedbackTimer.cancel(false);
    }
    shaper.interrupt();
    client.close();
  }

  @Override
  public synchronized String toString() {
    return name + "[delivered=" + delivered + " feedback=" + feedbackSent + " shaperDrops=" + shaperDrops
        + " missing=" + missing() + " dup=" + duplicates + " reordered=" + reordered + " layers="
        + Arrays.toString(packetsByLayer) + " lastLayer=" + lastLayer + " switches=" + switches.size() + "]";
  }
}
