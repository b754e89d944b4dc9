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
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The load run's publisher: synthetic VP8 (PT 96, RTX 97) and Opus (PT 111) sent in real time by
 * one paced sender thread over a connected {@link WebRtcClient}, each packet stamped with its send
 * time ({@link SyntheticPayload}) just before it is protected. A PLI or FIR for the video SSRC
 * makes the next frame a keyframe, as an encoder does.
 */
public final class LoadPublisher implements AutoCloseable {
  static final int VP8_PT = 96;
  static final int VP8_RTX_PT = 97;
  static final int OPUS_PT = 111;
  static final int FRAMES_PER_SECOND = 30;
  static final int MAX_PAYLOAD_BYTES = 1_150;
  private static final long AUDIO_INTERVAL_NANOS = 20_000_000L;

  private final WebRtcClient client;
  private final long videoSsrc;
  private final long audioSsrc;
  private final SyntheticVideoSource video;
  private final SyntheticAudioSource audio;
  private final byte[] sendBuffer = new byte[12 + MAX_PAYLOAD_BYTES + WebRtcClient.MAX_SRTP_OVERHEAD_BYTES];
  private final RtcpCompoundIterator rtcp = new RtcpCompoundIterator();
  private final AtomicBoolean keyframeWanted = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicLong packetsSent = new AtomicLong();
  private final AtomicLong keyframeRequests = new AtomicLong();
  private Thread sender;

  /**
   * @param bitrateBps target video bitrate
   * @param keyframeIntervalFrames periodic keyframes (60: every 2 s)
   */
  public LoadPublisher(WebRtcClient client, long seed, int bitrateBps, int keyframeIntervalFrames) {
    this.client = client;
    SplittableRandom random = new SplittableRandom(seed);
    this.videoSsrc = 0x1000_0000L + random.nextInt(0x1000_0000);
    this.audioSsrc = videoSsrc + 2;
    this.video = new SyntheticVideoSource(videoSsrc, VP8_PT, FRAMES_PER_SECOND, bitrateBps, keyframeIntervalFrames,
        MAX_PAYLOAD_BYTES, 1280, 720, random.split());
    this.audio = new SyntheticAudioSource(audioSsrc, OPUS_PT, 80, random.split());
    client.setMediaReceiver(this::onMedia);
  }

  /** The video track as negotiated: VP8/90000 with RTX and nack, pli, fir. */
  public TrackParameters videoTrack() {
    return new TrackParameters(TrackKind.VIDEO, "0", List.of(CodecParameters.vp8(VP8_PT, VP8_RTX_PT)), Map.of(),
        List.of(new TrackParameters.SsrcPair(videoSsrc, videoSsrc + 1)), List.of(), false, "load", "video");
  }

  /** The audio track: Opus/48000, no feedback. */
  public TrackParameters audioTrack() {
    return new TrackParameters(TrackKind.AUDIO, "1", List.of(CodecParameters.opus(OPUS_PT)), Map.of(),
        List.of(new TrackParameters.SsrcPair(audioSsrc, -1)), List.of(), false, "load", "audio");
  }

  /** RTP packets sent so far (video and audio). */
  public long packetsSent() {
    return packetsSent.get();
  }

  /** PLIs and FIRs received. */
  public long keyframeRequests() {
    return keyframeRequests.get();
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
    while (running.get()) {
      long now = System.nanoTime();
      long nextVideo = start + frames * frameIntervalNanos;
      long nextAudio = start + audioPackets * AUDIO_INTERVAL_NANOS;
      if (now - nextAudio >= 0) {
        audio.nextPacket(this::send);
        audioPackets++;
      } else if (now - nextVideo >= 0) {
        if (keyframeWanted.getAndSet(false)) {
          video.requestKeyframe();
        }
        video.nextFrame(this::send);
        frames++;
      } else {
        LockSupport.parkNanos(Math.min(nextVideo, nextAudio) - now);
      }
    }
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
          && (PliParser.mediaSsrc(buf, p) & 0xFFFF_FFFFL) == videoSsrc;
      boolean fir = rtcp.count() == RtcpFeedback.FMT_FIR && FirParser.validate(buf, p, n) == RtcpDropReason.OK;
      if (pli || fir) {
        keyframeRequests.incrementAndGet();
        keyframeWanted.set(true);
      }
    }
  }
}
