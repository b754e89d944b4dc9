package dev.palco.bridge.ingest;

import dev.palco.rtp.rtcp.ReportBlock;
import dev.palco.rtp.rtcp.SenderReportEncoder;
import dev.palco.sfu.room.CodecParameters;
import dev.palco.sfu.room.Participant;
import dev.palco.sfu.room.Room;
import dev.palco.sfu.room.TrackKind;
import dev.palco.sfu.room.TrackParameters;
import dev.palco.sfu.room.TrackPublication;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A presenter as the SFU sees one: a participant on a plaintext in-memory transport publishing a
 * camera (VP8 or H.264, really encoded) and a microphone (Opus, a sine), packetized as a browser
 * would, with RTCP sender reports from its own wall clock, and optional packet loss and
 * reordering on the camera. It answers PLIs with a keyframe at the next frame.
 */
final class TestStagePublisher implements AutoCloseable {
  static final int FPS = 30;
  static final int WIDTH = 320;
  static final int HEIGHT = 180;
  static final int MAX_PAYLOAD_BYTES = 1100;
  static final int OPUS_PT = 111;
  static final long SR_INTERVAL_US = 500_000;

  final Participant participant;
  final TestPublisherTransport transport;
  final TrackPublication camera;
  final TrackPublication microphone;
  final Set<Integer> keyframeIndices = new HashSet<>();
  private final TestEncoders.Video video;
  private final TestEncoders.Opus opus;
  private final int videoPt;
  private final long senderBaseUs;
  private final long videoSsrc;
  private final long audioSsrc;
  private final long videoTsBase;
  private final long audioTsBase;
  private int videoSeq;
  private int audioSeq;
  private long videoPackets;
  private long audioPackets;
  private long nextSrUs;
  private final SplittableRandom random;
  private double lossProbability;
  private double reorderProbability;
  private byte[] held;
  int videoPacketsSent;
  int videoPacketsDropped;
  int audioPacketsSent;

  /**
   * @param h264 H.264 (libx264) instead of VP8 (libvpx)
   * @param senderBaseUs the presenter's wall clock (Unix µs) at media time 0
   */
  TestStagePublisher(Room room, String id, boolean h264, double toneHz, long senderBaseUs, long seed) {
    this.transport = new TestPublisherTransport(id);
    this.participant = room.join(id, transport);
    this.random = new SplittableRandom(seed);
    this.senderBaseUs = senderBaseUs;
    this.videoPt = h264 ? 102 : 96;
    this.videoSsrc = 0x1000_0000L + seed;
    this.audioSsrc = 0x2000_0000L + seed;
    // Sequence numbers and timestamps about to wrap (RFC 3550 §5.1): the round trip crosses both.
    this.videoSeq = 65_500;
    this.audioSeq = 65_450;
    this.videoTsBase = 0xFFFF_FFFFL - 90_000L;
    this.audioTsBase = 0xFFFF_FFFFL - 48_000L;
    this.video = new TestEncoders.Video(h264 ? "libx264" : "libvpx", WIDTH, HEIGHT, FPS);
    this.opus = new TestEncoders.Opus(toneHz, 8000);
    this.camera = participant.publish(new TrackParameters(TrackKind.VIDEO, "0",
        List.of(h264 ? CodecParameters.h264(videoPt, 103) : CodecParameters.vp8(videoPt, 97)), Map.of(),
        List.of(new TrackParameters.SsrcPair(videoSsrc, -1)), List.of(), false, "s-" + id, "cam-" + id));
    this.microphone = participant.publish(new TrackParameters(TrackKind.AUDIO, "1",
        List.of(CodecParameters.opus(OPUS_PT)), Map.of(), List.of(new TrackParameters.SsrcPair(audioSsrc, -1)),
        List.of(), false, "s-" + id, "mic-" + id));
  }

  /** From now on, drops camera packets with this probability and swaps neighbours with that one. */
  void impair(double loss, double reorder) {
    lossProbability = loss;
    reorderProbability = reorder;
  }

  /** Drops the second packet of video frame {@code index} (once), as a loss the SFU cannot repair. */
  void dropSecondPacketOf(int index) {
    dropSecondPacketOfFrame = index;
  }

  private int dropSecondPacketOfFrame = -1;

  /** Media time of video frame {@code index}, µs. */
  static long videoMediaUs(int index) {
    return index * 1_000_000L / FPS;
  }

  /** Encodes and sends frame {@code index} (a keyframe first, and whenever a PLI came). */
  void sendVideoFrame(int index) {
    long mediaUs = videoMediaUs(index);
    maybeSendReports(mediaUs);
    boolean force = index == 0 | transport.keyframeWanted.getAndSet(false);
    TestEncoders.Encoded e = video.encode(index, force);
    if (e.keyframe()) {
      keyframeIndices.add(index);
    }
    List<byte[]> payloads = videoPt == 102 ? TestPacketizer.h264(e.data(), MAX_PAYLOAD_BYTES)
        : TestPacketizer.vp8(e.data(), index & 0x7FFF, MAX_PAYLOAD_BYTES);
    long ts = (videoTsBase + index * 90_000L / FPS) & 0xFFFF_FFFFL;
    for (int i = 0; i < payloads.size(); i++) {
      byte[] p = TestPacketizer.rtp(videoPt, videoSeq, ts, videoSsrc, i == payloads.size() - 1, payloads.get(i));
      videoSeq = (videoSeq + 1) & 0xFFFF;
      videoPackets++;
      if (index == dropSecondPacketOfFrame && i == 1) {
        videoPacketsDropped++;
        continue;
      }
      if (random.nextDouble() < lossProbability) {
        videoPacketsDropped++;
        continue;
      }
      if (held == null && random.nextDouble() < reorderProbability) {
        held = p;
        continue;
      }
      sendVideoPacket(p);
      if (held != null) {
        sendVideoPacket(held);
        held = null;
      }
    }
  }

  private void sendVideoPacket(byte[] p) {
    transport.deliver(p, false);
    videoPacketsSent++;
  }

  /** Sends what reordering still holds. */
  void flush() {
    if (held != null) {
      sendVideoPacket(held);
      held = null;
    }
  }

  /** Encodes and sends 20 ms of audio number {@code k}. */
  void sendAudio(int k) {
    long mediaUs = k * 20_000L;
    maybeSendReports(mediaUs);
    byte[] packet = opus.encode();
    if (packet == null) {
      return;
    }
    long ts = (audioTsBase + k * 960L) & 0xFFFF_FFFFL;
    transport.deliver(TestPacketizer.rtp(OPUS_PT, audioSeq, ts, audioSsrc, k == 0, packet), false);
    audioSeq = (audioSeq + 1) & 0xFFFF;
    audioPackets++;
    audioPacketsSent++;
  }

  /** RFC 3550 §6.4.1: an SR per stream, NTP from the presenter's clock, RTP of the same instant. */
  private void maybeSendReports(long mediaUs) {
    if (mediaUs < nextSrUs) {
      return;
    }
    nextSrUs = mediaUs + SR_INTERVAL_US;
    long ntp = ntp64(senderBaseUs + mediaUs);
    byte[] buf = new byte[64];
    int n = SenderReportEncoder.write(buf, 0, (int) videoSsrc, ntp, (int) (videoTsBase + mediaUs * 90_000L / 1_000_000L),
        videoPackets, 0, new ReportBlock[0], 0);
    transport.deliver(Arrays.copyOf(buf, n), true);
    n = SenderReportEncoder.write(buf, 0, (int) audioSsrc, ntp, (int) (audioTsBase + mediaUs * 48_000L / 1_000_000L),
        audioPackets, 0, new ReportBlock[0], 0);
    transport.deliver(Arrays.copyOf(buf, n), true);
  }

  /** Unix µs as a 64-bit NTP timestamp (RFC 5905 §6). */
  static long ntp64(long unixUs) {
    long seconds = unixUs / 1_000_000L + NtpClock.NTP_UNIX_OFFSET_SECONDS;
    long fraction = ((unixUs % 1_000_000L) << 32) / 1_000_000L;
    return seconds << 32 | fraction;
  }

  @Override
  public void close() {
    video.close();
    opus.close();
  }
}
