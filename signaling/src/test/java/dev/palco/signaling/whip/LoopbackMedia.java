package dev.palco.signaling.whip;

import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.codec.PayloadDropReason;
import dev.palco.rtp.codec.Vp8PayloadDescriptor;
import dev.palco.rtp.rtcp.RtcpCompoundIterator;
import dev.palco.rtp.rtcp.RtcpDropReason;
import dev.palco.rtp.rtcp.RtcpHeader;
import dev.palco.sfu.client.ClientSdp;
import dev.palco.sfu.client.ClientSendResult;
import dev.palco.sfu.client.IceClientOptions;
import dev.palco.sfu.client.SyntheticAudioSource;
import dev.palco.sfu.client.SyntheticPayload;
import dev.palco.sfu.client.SyntheticVideoSource;
import dev.palco.sfu.client.WebRtcClient;
import dev.palco.sfu.client.WebRtcClientOptions;
import dev.palco.sfu.sdp.MediaKind;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * WHIP and WHEP peers made of the SFU's own client stack ({@link WebRtcClient}, {@link ClientSdp},
 * synthetic sources), for tests of the HTTP endpoints with real media on loopback.
 */
final class LoopbackMedia {
  private LoopbackMedia() {}

  static final int PUBLISHER_OPUS_PT = 111;
  static final int PUBLISHER_VP8_PT = 96;
  static final int PUBLISHER_VP8_RTX_PT = 97;

  static WebRtcClient client(String name) throws IOException {
    return WebRtcClient.create(name,
        WebRtcClientOptions.of(IceClientOptions.Mode.UDP, InetAddress.getLoopbackAddress()));
  }

  /**
   * A WHIP publisher: Opus every 20 ms and VP8 at 30 fps from one sender thread, and a keyframe
   * on the next frame whenever the SFU sends a keyframe request (any payload-specific feedback:
   * PLI or FIR, RFC 4585 §6.3.1, RFC 5104 §4.3.1). Periodic keyframes are ten seconds apart, so a
   * player's first keyframe is one the SFU asked for.
   */
  static final class Publisher implements AutoCloseable {
    private static final long AUDIO_INTERVAL_NANOS = 20_000_000L;
    private static final int FRAMES_PER_SECOND = 30;

    final WebRtcClient client;
    final long videoSsrc;
    final long audioSsrc;
    private final SyntheticVideoSource video;
    private final SyntheticAudioSource audio;
    private final byte[] sendBuffer = new byte[1500 + WebRtcClient.MAX_SRTP_OVERHEAD_BYTES];
    private final AtomicBoolean keyframeWanted = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();
    final AtomicInteger framesSent = new AtomicInteger();
    final AtomicInteger keyframeRequests = new AtomicInteger();
    final AtomicInteger sendFailures = new AtomicInteger();
    private Thread sender;

    Publisher(String name, long videoSsrc) throws IOException {
      this.client = client(name);
      this.videoSsrc = videoSsrc;
      this.audioSsrc = videoSsrc + 2;
      SplittableRandom random = new SplittableRandom(videoSsrc);
      this.video = new SyntheticVideoSource(videoSsrc, PUBLISHER_VP8_PT, FRAMES_PER_SECOND, 500_000,
          300, 1_100, 640, 360, random.split());
      this.audio = new SyntheticAudioSource(audioSsrc, PUBLISHER_OPUS_PT, 80, random.split());
      client.setMediaReceiver(this::onRtcp);
    }

    /** The WHIP offer: sendonly Opus, then sendonly VP8 with RTX, SSRCs signalled. */
    String offer() {
      return ClientSdp.offer(client, List.of(
          ClientSdp.Section.sending(MediaKind.AUDIO, List.of(ClientSdp.Codec.opus(PUBLISHER_OPUS_PT)),
              audioSsrc, -1, "ingest" + videoSsrc),
          ClientSdp.Section.sending(MediaKind.VIDEO,
              List.of(ClientSdp.Codec.vp8(PUBLISHER_VP8_PT, PUBLISHER_VP8_RTX_PT)),
              videoSsrc, videoSsrc + 1, "ingest" + videoSsrc)));
    }

    void start() {
      running.set(true);
      sender = new Thread(this::sendLoop, "whip-publisher-" + videoSsrc);
      sender.setDaemon(true);
      sender.start();
    }

    /** Stops the sender thread and waits for it. */
    void stopSending() {
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
      stopSending();
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
          framesSent.incrementAndGet();
        } else {
          LockSupport.parkNanos(Math.min(nextVideo, nextAudio) - now);
        }
      }
    }

    private void send(byte[] buf, int off, int len, int bodyOffset) {
      System.arraycopy(buf, off, sendBuffer, 0, len);
      SyntheticPayload.stampSendTime(sendBuffer, bodyOffset - off, System.nanoTime());
      if (client.sendRtp(sendBuffer, 0, len) != ClientSendResult.SENT) {
        sendFailures.incrementAndGet();
      }
    }

    /** On the client's ICE thread. */
    private void onRtcp(byte[] buf, int off, int len, boolean rtcp, long arrivalNanos) {
      RtcpCompoundIterator it = new RtcpCompoundIterator();
      if (!rtcp || it.reset(buf, off, len) != RtcpDropReason.OK) {
        return;
      }
      while (it.next()) {
        if (it.packetType() == RtcpHeader.PT_PSFB) {
          keyframeRequests.incrementAndGet();
          keyframeWanted.set(true);
        }
      }
    }
  }

  /** One RTP packet as a player received it. */
  record Received(long ssrc, int payloadType, int sequenceNumber, long sourceId, boolean keyframeStart) {}

  /**
   * A WHEP player that records every RTP packet it receives: SSRC, payload type, sequence number,
   * which publisher stream the synthetic payload came from, and whether it starts a VP8 keyframe.
   */
  static final class Player implements AutoCloseable {
    final WebRtcClient client;
    final int opusPt;
    final int vp8Pt;
    final int vp8RtxPt;
    private final List<Received> received = new ArrayList<>();
    private final Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
    private int malformed;

    Player(String name, int opusPt, int vp8Pt, int vp8RtxPt) throws IOException {
      this.client = client(name);
      this.opusPt = opusPt;
      this.vp8Pt = vp8Pt;
      this.vp8RtxPt = vp8RtxPt;
      client.setMediaReceiver(this::onMedia);
    }

    /** The WHEP offer: recvonly audio and video with the player's payload types. */
    String offer() {
      return ClientSdp.offer(client, List.of(
          ClientSdp.Section.receiving(MediaKind.AUDIO, List.of(ClientSdp.Codec.opus(opusPt)), Map.of()),
          ClientSdp.Section.receiving(MediaKind.VIDEO, List.of(ClientSdp.Codec.vp8(vp8Pt, vp8RtxPt)),
              Map.of())));
    }

    private synchronized void onMedia(byte[] buf, int off, int len, boolean rtcp, long arrivalNanos) {
      if (rtcp) {
        return;
      }
      int header = RtpPacket.headerLength(buf, off, len);
      if (header < 0 || len - header < 2) {
        malformed++;
        return;
      }
      int payload = off + header;
      int payloadLen = len - header;
      int pt = RtpPacket.payloadType(buf, off);
      long source = -1;
      boolean keyframeStart = false;
      if (pt == vp8Pt && vp8.parse(buf, payload, payloadLen) == PayloadDropReason.OK) {
        int body = payload + vp8.descriptorLength();
        if (vp8.startOfFrame()) {
          keyframeStart = vp8.keyframe();
          body += vp8.keyframe() ? Vp8PayloadDescriptor.KEYFRAME_HEADER_SIZE_BYTES
              : Vp8PayloadDescriptor.PAYLOAD_HEADER_SIZE_BYTES;
        }
        source = readSource(buf, body, payload + payloadLen);
      } else if (pt == opusPt) {
        // The synthetic body follows the Opus TOC byte.
        source = readSource(buf, payload + 1, payload + payloadLen);
      }
      received.add(new Received(RtpPacket.ssrc(buf, off), RtpPacket.payloadType(buf, off),
          RtpPacket.sequenceNumber(buf, off), source, keyframeStart));
    }

    private static long readSource(byte[] buf, int body, int end) {
      if (body < 0 || end - body < SyntheticPayload.HEADER_SIZE_BYTES || !SyntheticPayload.verify(buf, body, end - body)) {
        return -1;
      }
      return SyntheticPayload.sourceId(buf, body);
    }

    /** Packets received with this SSRC, in arrival order. */
    synchronized List<Received> stream(long ssrc) {
      List<Received> out = new ArrayList<>();
      for (Received r : received) {
        if (r.ssrc() == ssrc) {
          out.add(r);
        }
      }
      return out;
    }

    /** Packets received on this SSRC that came from this publisher stream. */
    synchronized int countFrom(long ssrc, long sourceSsrc) {
      int n = 0;
      for (Received r : received) {
        if (r.ssrc() == ssrc && r.sourceId() == sourceSsrc) {
          n++;
        }
      }
      return n;
    }

    synchronized int total() {
      return received.size();
    }

    synchronized int malformed() {
      return malformed;
    }

    @Override
    public void close() {
      client.close();
    }
  }
}
