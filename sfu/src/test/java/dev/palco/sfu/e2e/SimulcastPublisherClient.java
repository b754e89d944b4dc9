package dev.palco.sfu.e2e;

import dev.palco.rtp.rtcp.PliParser;
import dev.palco.rtp.rtcp.RtcpCompoundIterator;
import dev.palco.rtp.rtcp.RtcpDropReason;
import dev.palco.rtp.rtcp.RtcpFeedback;
import dev.palco.rtp.rtcp.RtcpHeader;
import dev.palco.sfu.client.ClientSendResult;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A simulcast publisher as Chromium sends one: three VP8 layers (rids q, h, f; 320x180, 640x360,
 * 1280x720) from three {@link SyntheticVideoSource}s on their own SSRCs, signalled with their RTX
 * SSRCs (RFC 8853 with RFC 5576 SSRCs, so no rid header extension is needed to bind them), sent in
 * real time at 30 fps by one thread. A PLI for a layer's SSRC makes that layer's next frame a
 * keyframe (RFC 4585 §6.3.1).
 */
final class SimulcastPublisherClient implements AutoCloseable {
  static final int VP8_PT = 96;
  static final int VP8_RTX_PT = 97;
  static final int FRAMES_PER_SECOND = 30;
  static final int MAX_PAYLOAD_BYTES = 1_150;
  static final List<String> RIDS = List.of("q", "h", "f");
  /** Layer bitrates, lowest first. */
  static final int[] BITRATES_BPS = {150_000, 500_000, 1_200_000};
  private static final int[][] SIZES_PX = {{320, 180}, {640, 360}, {1280, 720}};

  final WebRtcClient client;
  final long[] ssrcs = new long[RIDS.size()];
  private final SyntheticVideoSource[] layers = new SyntheticVideoSource[RIDS.size()];
  private final AtomicBoolean[] keyframeWanted = new AtomicBoolean[RIDS.size()];
  private final byte[] sendBuffer =
      new byte[12 + MAX_PAYLOAD_BYTES + WebRtcClient.MAX_SRTP_OVERHEAD_BYTES];
  private final AtomicBoolean running = new AtomicBoolean();
  private Thread sender;
  final AtomicInteger plisReceived = new AtomicInteger();
  final AtomicInteger sendFailures = new AtomicInteger();

  SimulcastPublisherClient(WebRtcClient client, long seed) {
    this.client = client;
    SplittableRandom random = new SplittableRandom(seed);
    long base = 0x2000_0000L + random.nextInt(0x1000_0000);
    for (int i = 0; i < layers.length; i++) {
      ssrcs[i] = base + 0x10L * i;
      layers[i] = new SyntheticVideoSource(ssrcs[i], VP8_PT, FRAMES_PER_SECOND, BITRATES_BPS[i], 3_000,
          MAX_PAYLOAD_BYTES, SIZES_PX[i][0], SIZES_PX[i][1], random.split());
      keyframeWanted[i] = new AtomicBoolean();
    }
    client.setMediaReceiver(this::onMedia);
  }

  /** The track as negotiation would describe it: VP8 with RTX, three layers with their SSRCs. */
  TrackParameters videoTrack(String mid) {
    List<TrackParameters.SsrcPair> pairs = new ArrayList<>();
    for (long ssrc : ssrcs) {
      pairs.add(new TrackParameters.SsrcPair(ssrc, ssrc + 1));
    }
    return new TrackParameters(TrackKind.VIDEO, mid, List.of(CodecParameters.vp8(VP8_PT, VP8_RTX_PT)),
        Map.of(), pairs, RIDS, false, "stream", "camera");
  }

  /** The layer an SSRC belongs to, or -1. */
  int layerOf(long ssrc) {
    for (int i = 0; i < ssrcs.length; i++) {
      if (ssrcs[i] == ssrc) {
        return i;
      }
    }
    return -1;
  }

  void start() {
    running.set(true);
    sender = new Thread(this::sendLoop, "e2e-simulcast-publisher");
    sender.setDaemon(true);
    sender.start();
  }

  @Override
  public void close() {
    running.set(false);
    Thread t = sender;
    if (t != null) {
      try {
        t.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    client.close();
  }

  private void sendLoop() {
    long start = System.nanoTime();
    long intervalNanos = 1_000_000_000L / FRAMES_PER_SECOND;
    long frames = 0;
    while (running.get()) {
      long due = start + frames * intervalNanos;
      long now = System.nanoTime();
      if (now - due < 0) {
        LockSupport.parkNanos(due - now);
        continue;
      }
      for (int i = 0; i < layers.length; i++) {
        if (keyframeWanted[i].getAndSet(false)) {
          layers[i].requestKeyframe();
        }
        layers[i].nextFrame(this::send);
      }
      frames++;
    }
  }

  private void send(byte[] buf, int off, int len, int bodyOffset) {
    System.arraycopy(buf, off, sendBuffer, 0, len);
    SyntheticPayload.stampSendTime(sendBuffer, bodyOffset - off, System.nanoTime());
    if (client.sendRtp(sendBuffer, 0, len) != ClientSendResult.SENT) {
      sendFailures.incrementAndGet();
    }
  }

  /** PLIs from the SFU, on the client's ICE thread. */
  private void onMedia(byte[] buf, int off, int len, boolean rtcp, long arrivalNanos) {
    if (!rtcp) {
      return;
    }
    RtcpCompoundIterator it = new RtcpCompoundIterator();
    if (it.reset(buf, off, len) != RtcpDropReason.OK) {
      return;
    }
    while (it.next()) {
      if (it.packetType() == RtcpHeader.PT_PSFB && it.count() == RtcpFeedback.FMT_PLI
          && PliParser.validate(buf, it.offset(), it.length()) == RtcpDropReason.OK) {
        int layer = layerOf(PliParser.mediaSsrc(buf, it.offset()) & 0xFFFF_FFFFL);
        if (layer >= 0) {
          plisReceived.incrementAndGet();
          keyframeWanted[layer].set(true);
        }
      }
    }
  }
}
