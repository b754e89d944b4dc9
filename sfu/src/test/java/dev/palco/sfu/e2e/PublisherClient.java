package dev.palco.sfu.e2e;

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
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A publisher as a browser behaves: synthetic VP8 (with RTX negotiated) and Opus sent in real time
 * by one sender thread over a connected {@link WebRtcClient}, and a keyframe on the next frame
 * whenever the SFU sends a PLI or FIR for the video SSRC (RFC 4585 §6.3.1, RFC 5104 §4.3.1).
 *
 * <p>The sender thread paces itself with {@link LockSupport#parkNanos}: audio every 20 ms, video
 * every 1/fps s, each due time computed from the start so the rate does not drift.
 */
final class PublisherClient implements AutoCloseable {
  static final int VP8_PT = 96;
  static final int VP8_RTX_PT = 97;
  static final int OPUS_PT = 111;
  static final int FRAMES_PER_SECOND = 30;
  static final int MAX_PAYLOAD_BYTES = 1_150;
  static final int OPUS_PAYLOAD_BYTES = 80;
  private static final long AUDIO_INTERVAL_NANOS = 20_000_000L;

  final WebRtcClient client;
  final long videoSsrc;
  final long videoRtxSsrc;
  final long audioSsrc;
  private final SyntheticVideoSource video;
  private final SyntheticAudioSource audio;
  private final byte[] sendBuffer =
      new byte[12 + MAX_PAYLOAD_BYTES + WebRtcClient.MAX_SRTP_OVERHEAD_BYTES];
  private final AtomicBoolean keyframeWanted = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean();
  private Thread sender;

  final AtomicLong videoPacketsSent = new AtomicLong();
  final AtomicLong audioPacketsSent = new AtomicLong();
  final AtomicInteger framesSent = new AtomicInteger();
  final AtomicInteger plisReceived = new AtomicInteger();
  final AtomicInteger firsReceived = new AtomicInteger();
  final AtomicInteger sendFailures = new AtomicInteger();
  /** Frame numbers of keyframes sent because of a PLI or FIR, in order. */
  final List<Integer> requestedKeyframes = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** When the last PLI or FIR arrived (System.nanoTime), 0 before the first. */
  final AtomicLong lastKeyframeRequestNanos = new AtomicLong();

  /**
   * @param keyframeIntervalFrames periodic keyframes (60: every 2 s at 30 fps)
   * @param bitrateBps target video bitrate
   */
  PublisherClient(WebRtcClient client, long seed, int bitrateBps, int keyframeIntervalFrames) {
    this.client = client;
    SplittableRandom random = new SplittableRandom(seed);
    this.videoSsrc = 0x1000_0000L + random.nextInt(0x1000_0000);
    this.videoRtxSsrc = videoSsrc + 1;
    this.audioSsrc = videoSsrc + 2;
    this.video = new SyntheticVideoSource(videoSsrc, VP8_PT, FRAMES_PER_SECOND, bitrateBps,
        keyframeIntervalFrames, MAX_PAYLOAD_BYTES, 640, 360, random.split());
    this.audio = new SyntheticAudioSource(audioSsrc, OPUS_PT, OPUS_PAYLOAD_BYTES, random.split());
    client.setMediaReceiver(this::onMedia);
  }

  /** The video track as negotiation would describe it: VP8/90000 PT 96, RTX 97, nack/pli/fir. */
  TrackParameters videoTrack(String mid) {
    return new TrackParameters(TrackKind.VIDEO, mid, List.of(CodecParameters.vp8(VP8_PT, VP8_RTX_PT)),
        Map.of(), List.of(new TrackParameters.SsrcPair(videoSsrc, videoRtxSsrc)), List.of(), false,
        "stream", "video");
  }

  /**
   * The audio track: Opus/48000 PT 111. With {@code nack}, generic NACK is negotiated for it too
   * (RFC 4585 allows it for any media; the SFU then answers with plain retransmissions).
   */
  TrackParameters audioTrack(String mid, boolean nack) {
    CodecParameters opus = new CodecParameters("opus", OPUS_PT, SyntheticAudioSource.CLOCK_RATE_HZ, -1,
        nack, false, false);
    return new TrackParameters(TrackKind.AUDIO, mid, List.of(opus), Map.of(),
        List.of(new TrackParameters.SsrcPair(audioSsrc, -1)), List.of(), false, "stream", "audio");
  }

  /** Starts the sender thread. */
  void start() {
    running.set(true);
    sender = new Thread(this::sendLoop, "e2e-publisher-" + Long.toHexString(videoSsrc));
    sender.setDaemon(true);
    sender.start();
  }

  /** Stops the sender thread and waits for it. */
  void stop() {
    running.set(false);
    Thread t = sender;
    if (t != null) {
      try {
        t.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    stop();
    client.close();
  }

  private void sendLoop() {
    long start = System.nanoTime();
    long frameIntervalNanos = 1_000_000_000L / FRAMES_PER_SECOND;
    long frames = 0;
    long audioPackets = 0;
    while (running.get()) {
      long now = System.nanoTime();
      long nextVideo = start + frames * frameIntervalNanos;
      long nextAudio = start + audioPackets * AUDIO_INTERVAL_NANOS;
      if (now - nextAudio >= 0) {
        audio.nextPacket(this::send);
        audioPackets++;
        audioPacketsSent.incrementAndGet();
        continue;
      }
      if (now - nextVideo >= 0) {
        boolean requested = keyframeWanted.getAndSet(false);
        if (requested) {
          video.requestKeyframe();
        }
        int frame = video.framesProduced();
        boolean keyframe = video.nextFrame(this::sendVideo);
        if (requested && keyframe) {
          requestedKeyframes.add(frame);
        }
        frames++;
        framesSent.incrementAndGet();
        continue;
      }
      LockSupport.parkNanos(Math.min(nextVideo, nextAudio) - now);
    }
  }

  private void sendVideo(byte[] buf, int off, int len, int bodyOffset) {
    send(buf, off, len, bodyOffset);
    videoPacketsSent.incrementAndGet();
  }

  private void send(byte[] buf, int off, int len, int bodyOffset) {
    System.arraycopy(buf, off, sendBuffer, 0, len);
    SyntheticPayload.stampSendTime(sendBuffer, bodyOffset - off, System.nanoTime());
    if (client.sendRtp(sendBuffer, 0, len) != ClientSendResult.SENT) {
      sendFailures.incrementAndGet();
    }
  }

  /** RTCP from the SFU, on the client's ICE thread: keyframe requests for our video. */
  private void onMedia(byte[] buf, int off, int len, boolean rtcp, long arrivalNanos) {
    if (!rtcp) {
      return;
    }
    RtcpCompoundIterator it = new RtcpCompoundIterator();
    if (it.reset(buf, off, len) != RtcpDropReason.OK) {
      return;
    }
    while (it.next()) {
      if (it.packetType() != RtcpHeader.PT_PSFB) {
        continue;
      }
      int p = it.offset();
      int n = it.length();
      if (it.count() == RtcpFeedback.FMT_PLI && PliParser.validate(buf, p, n) == RtcpDropReason.OK
          && (PliParser.mediaSsrc(buf, p) & 0xFFFF_FFFFL) == videoSsrc) {
        plisReceived.incrementAndGet();
        keyframeRequested(arrivalNanos);
      } else if (it.count() == RtcpFeedback.FMT_FIR && FirParser.validate(buf, p, n) == RtcpDropReason.OK) {
        for (int i = 0; i < FirParser.entryCount(buf, p, n); i++) {
          if ((FirParser.entrySsrc(buf, p, i) & 0xFFFF_FFFFL) == videoSsrc) {
            firsReceived.incrementAndGet();
            keyframeRequested(arrivalNanos);
          }
        }
      }
    }
  }

  private void keyframeRequested(long arrivalNanos) {
    lastKeyframeRequestNanos.set(arrivalNanos);
    keyframeWanted.set(true);
  }
}
