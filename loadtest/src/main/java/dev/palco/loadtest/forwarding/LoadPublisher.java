package dev.palco.loadtest.forwarding;

import dev.palco.rtp.rtcp.FirParser;
import dev.palco.rtp.rtcp.PliParser;
import dev.palco.rtp.rtcp.RtcpCompoundIterator;
import dev.palco.rtp.rtcp.RtcpDropReason;
import dev.palco.rtp.rtcp.RtcpFeedback;
import dev.palco.rtp.rtcp.RtcpHeader;
import dev.palco.sfu.client.ClientSendResult;
import dev.palco.sfu.client.SyntheticAudioSource;
import dev.palco.sfu.client.SyntheticPayload;
import dev.palco.sfu.client.SyntheticVideoSource;
import dev.palco.sfu.client.WebRtcClient;
import dev.palco.sfu.room.CodecParameters;
import dev.palco.sfu.room.TrackKind;
import dev.palco.sfu.room.TrackParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The load run's publisher: synthetic VP8 (PT 96, RTX 97), one layer or simulcast layers, and
 * Opus (PT 111), sent in real time by one sender thread over a connected {@link WebRtcClient},
 * each packet stamped with its send time ({@link SyntheticPayload}) just before it is protected. A
 * PLI or FIR for a video SSRC makes the next frame of every layer a keyframe, as an encoder does.
 *
 * <p>Two ways to send a frame:
 * <ul>
 *   <li><b>bursts</b> ({@code pacingFactor} 0): a frame's packets leave back to back as soon as
 *       the frame is due, so a keyframe of about 45 packets reaches the SFU within a fraction of a
 *       millisecond;</li>
 *   <li><b>paced</b>, as Chromium sends: its pacer (WebRTC {@code PacingController}) lets media
 *       leave at {@code pacingFactor} × the target bitrate (2.5 in Chromium:
 *       {@code kDefaultPaceMultiplier}) and only a few milliseconds of budget may accumulate
 *       while idle, so a keyframe is spread over tens of milliseconds. Audio is not held (it
 *       goes first in Chromium's pacer too).</li>
 * </ul>
 */
public final class LoadPublisher implements AutoCloseable {
  static final int VP8_PT = 96;
  static final int VP8_RTX_PT = 97;
  static final int OPUS_PT = 111;
  static final int FRAMES_PER_SECOND = 30;
  static final int MAX_PAYLOAD_BYTES = 1_150;
  /** Chromium's pacing multiplier over the target bitrate. */
  public static final double CHROMIUM_PACING_FACTOR = 2.5;
  private static final long AUDIO_INTERVAL_NANOS = 20_000_000L;
  private static final int AUDIO_BPS = 80_000;
  /** Pacing budget that may build up while the pacer idles or the thread wakes late. */
  private static final long MAX_PACING_DEBT_NANOS = 5_000_000L;
  private static final int PACED_SLOTS = 1024;

  /**
   * One video layer.
   *
   * @param rid the simulcast rid, or null for a single-layer track
   */
  public record VideoLayer(String rid, int bitrateBps, int widthPx, int heightPx) {}

  private final WebRtcClient client;
  private final long audioSsrc;
  private final long[] videoSsrcs;
  private final List<VideoLayer> layers;
  private final SyntheticVideoSource[] video;
  private final SyntheticAudioSource audio;
  private final byte[] sendBuffer = new byte[12 + MAX_PAYLOAD_BYTES + WebRtcClient.MAX_SRTP_OVERHEAD_BYTES];
  private final RtcpCompoundIterator rtcp = new RtcpCompoundIterator();
  private final AtomicBoolean keyframeWanted = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong packetsSent = new AtomicLong();
  private final AtomicLong keyframeRequests = new AtomicLong();
  private final double pacingFactor;
  private final long pacingRateBps;
  // The paced queue (sender thread only): a ring of packet copies.
  private final byte[][] paced = new byte[PACED_SLOTS][12 + MAX_PAYLOAD_BYTES + 64];
  private final int[] pacedLength = new int[PACED_SLOTS];
  private final int[] pacedBody = new int[PACED_SLOTS];
  private int pacedHead;
  private int pacedCount;
  private long pacedOverflow;
  private long nextPacedSendNanos;
  private final SyntheticVideoSource.PacketSink videoSink;
  private final SyntheticVideoSource.PacketSink audioSink;
  private Thread sender;

  /**
   * A single-layer publisher sending frames in bursts, as the load runs did before pacing.
   *
   * @param bitrateBps target video bitrate
   * @param keyframeIntervalFrames periodic keyframes (60: every 2 s)
   */
  public LoadPublisher(WebRtcClient client, long seed, int bitrateBps, int keyframeIntervalFrames) {
    this(client, seed, List.of(new VideoLayer(null, bitrateBps, 1280, 720)), keyframeIntervalFrames, 0);
  }

  /**
   * @param layers lowest first; more than one makes a simulcast track (each layer with a rid)
   * @param pacingFactor 0 to send each frame as a burst, else the pacing rate over the sum of the
   *     layers' bitrates and the audio ({@link #CHROMIUM_PACING_FACTOR})
   */
  public LoadPublisher(WebRtcClient client, long seed, List<VideoLayer> layers, int keyframeIntervalFrames,
      double pacingFactor) {
    if (layers.isEmpty() || pacingFactor < 0) {
      throw new IllegalArgumentException("layers " + layers + ", pacing factor " + pacingFactor);
    }
    this.client = client;
    this.layers = List.copyOf(layers);
    SplittableRandom random = new SplittableRandom(seed);
    long base = 0x1000_0000L + random.nextInt(0x1000_0000);
    this.videoSsrcs = new long[layers.size()];
    this.video = new SyntheticVideoSource[layers.size()];
    long totalBps = AUDIO_BPS;
    for (int i = 0; i < layers.size(); i++) {
      VideoLayer l = layers.get(i);
      videoSsrcs[i] = base + 2L * i;
      video[i] = new SyntheticVideoSource(videoSsrcs[i], VP8_PT, FRAMES_PER_SECOND, l.bitrateBps(),
          keyframeIntervalFrames, MAX_PAYLOAD_BYTES, l.widthPx(), l.heightPx(), random.split());
      totalBps += l.bitrateBps();
    }
    this.audioSsrc = base + 2L * layers.size();
    this.audio = new SyntheticAudioSource(audioSsrc, OPUS_PT, 80, random.split());
    this.pacingFactor = pacingFactor;
    this.pacingRateBps = (long) (pacingFactor * totalBps);
    this.videoSink = pacingFactor > 0 ? this::enqueuePaced : this::send;
    this.audioSink = this::send;
    client.setMediaReceiver(this::onMedia);
  }

  /**
   * The video track as negotiated: VP8/90000 with RTX and nack, pli, fir; simulcast with rids and
   * signalled SSRCs (one FID pair per layer, lowest first) when there are several layers.
   */
  public TrackParameters videoTrack() {
    List<TrackParameters.SsrcPair> ssrcs = new ArrayList<>();
    List<String> rids = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      ssrcs.add(new TrackParameters.SsrcPair(videoSsrcs[i], videoSsrcs[i] + 1));
      if (layers.size() > 1) {
        rids.add(layers.get(i).rid());
      }
    }
    return new TrackParameters(TrackKind.VIDEO, "0", List.of(CodecParameters.vp8(VP8_PT, VP8_RTX_PT)), Map.of(),
        ssrcs, rids, false, "load", "video");
  }

  /** The audio track: Opus/48000, no feedback. */
  public TrackParameters audioTrack() {
    return new TrackParameters(TrackKind.AUDIO, "1", List.of(CodecParameters.opus(OPUS_PT)), Map.of(),
        List.of(new TrackParameters.SsrcPair(audioSsrc, -1)), List.of(), false, "load", "audio");
  }

  /** The pacing rate, 0 when frames go out as bursts. */
  public long pacingRateBps() {
    return pacingRateBps;
  }

  /** The pacing factor, 0 for bursts. */
  public double pacingFactor() {
    return pacingFactor;
  }

  /** RTP packets sent so far (video and audio). */
  public long packetsSent() {
    return packetsSent.get();
  }

  /** PLIs and FIRs received. */
  public long keyframeRequests() {
    return keyframeRequests.get();
  }

  /** Packets sent at once because the paced queue was full (should stay 0). */
  public synchronized long pacedOverflow() {
    return pacedOverflow;
  }

  /** Starts the sender thread. */
  public void start() {
    running.set(true);
    sender = new Thread(this::sendLoop, "load-publisher");
    sender.setDaemon(true);
    sender.start();
  }

  /** Stops sending and waits for the sender thread. */
  public void stop() throws InterruptedException {
    running.set(false);
    if (sender != null) {
      sender.join(2_000);
    }
  }

  @Override
  public void close() {
    running.set(false);
    client.close();
  }

  private void sendLoop() {
    long start = System.nanoTime();
    long frameIntervalNanos = 1_000_000_000L / FRAMES_PER_SECOND;
    long frames = 0;
    long audioPackets = 0;
    nextPacedSendNanos = start;
    while (running.get()) {
      long now = System.nanoTime();
      long nextVideo = start + frames * frameIntervalNanos;
      long nextAudio = start + audioPackets * AUDIO_INTERVAL_NANOS;
      if (now - nextAudio >= 0) {
        audio.nextPacket(audioSink);
        audioPackets++;
      } else if (now - nextVideo >= 0) {
        if (keyframeWanted.getAndSet(false)) {
          for (SyntheticVideoSource v : video) {
            v.requestKeyframe();
          }
        }
        for (SyntheticVideoSource v : video) {
          v.nextFrame(videoSink);
        }
        frames++;
      } else if (pacedCount > 0 && now - nextPacedSendNanos >= 0) {
        sendPacedHead(now);
      } else {
        long wake = Math.min(nextVideo, nextAudio);
        if (pacedCount > 0 && nextPacedSendNanos - wake < 0) {
          wake = nextPacedSendNanos;
        }
        LockSupport.parkNanos(wake - now);
      }
    }
  }

  private void enqueuePaced(byte[] buf, int off, int len, int bodyOffset) {
    if (pacedCount == PACED_SLOTS || len > paced[0].length) {
      synchronized (this) {
        pacedOverflow++;
      }
      send(buf, off, len, bodyOffset);
      return;
    }
    int slot = (pacedHead + pacedCount) % PACED_SLOTS;
    System.arraycopy(buf, off, paced[slot], 0, len);
    pacedLength[slot] = len;
    pacedBody[slot] = bodyOffset - off;
    pacedCount++;
  }

  private void sendPacedHead(long now) {
    int slot = pacedHead;
    pacedHead = (pacedHead + 1) % PACED_SLOTS;
    pacedCount--;
    int len = pacedLength[slot];
    send(paced[slot], 0, len, pacedBody[slot]);
    // A leaky bucket: the next packet may leave once this one's bits have drained at the pacing
    // rate; at most MAX_PACING_DEBT_NANOS of unused budget carries over.
    long from = Math.max(nextPacedSendNanos, now - MAX_PACING_DEBT_NANOS);
    nextPacedSendNanos = from + (len + WebRtcClient.MAX_SRTP_OVERHEAD_BYTES) * 8L * 1_000_000_000L / pacingRateBps;
  }

  private void send(byte[] buf, int off, int len, int bodyOffset) {
    System.arraycopy(buf, off, sendBuffer, 0, len);
    SyntheticPayload.stampSendTime(sendBuffer, bodyOffset - off, System.nanoTime());
    if (client.sendRtp(sendBuffer, 0, len) == ClientSendResult.SENT) {
      packetsSent.incrementAndGet();
    }
  }

  private void onMedia(byte[] buf, int off, int len, boolean isRtcp, long arrivalNanos) {
    if (!isRtcp || rtcp.reset(buf, off, len) != RtcpDropReason.OK) {
      return;
    }
    while (rtcp.next()) {
      if (rtcp.packetType() != RtcpHeader.PT_PSFB) {
        continue;
      }
      int p = rtcp.offset();
      int n = rtcp.length();
      boolean pli = rtcp.count() == RtcpFeedback.FMT_PLI && PliParser.validate(buf, p, n) == RtcpDropReason.OK
          && isVideoSsrc(PliParser.mediaSsrc(buf, p) & 0xFFFF_FFFFL);
      boolean fir = rtcp.count() == RtcpFeedback.FMT_FIR && FirParser.validate(buf, p, n) == RtcpDropReason.OK;
      if (pli || fir) {
        keyframeRequests.incrementAndGet();
        keyframeWanted.set(true);
      }
    }
  }

  private boolean isVideoSsrc(long ssrc) {
    for (long s : videoSsrcs) {
      if (s == ssrc) {
        return true;
      }
    }
    return false;
  }
}
