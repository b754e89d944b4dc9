package dev.palco.bridge.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.bridge.stage.StageTrack;
import dev.palco.rtp.RtpHeaderExtensions;
import dev.palco.rtp.SdesTokenExtension;
import dev.palco.rtp.rtcp.ReportBlock;
import dev.palco.rtp.rtcp.SenderReportEncoder;
import dev.palco.sfu.room.CodecParameters;
import dev.palco.sfu.room.ExtensionUris;
import dev.palco.sfu.room.Participant;
import dev.palco.sfu.room.Room;
import dev.palco.sfu.room.Sfu;
import dev.palco.sfu.room.SfuConfig;
import dev.palco.sfu.room.TrackKind;
import dev.palco.sfu.room.TrackParameters;
import dev.palco.sfu.room.TrackPublication;
import dev.palco.sfu.util.Clock;
import dev.palco.sfu.util.ManualClock;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A simulcast camera (two VP8 layers, 160x90 and 320x180, each with its own SSRC, timestamp base
 * and sender reports, learnt by the SFU from the mid and rid extensions): the ingest gets the
 * layer it asks for, and the capture times map through the SR of the layer's own SSRC.
 */
class SimulcastIngestTest {
  private static final long WALL0_MS = 1_800_000_000_000L;
  private static final long SENDER_AHEAD_US = -3_000_000L;
  private static final int MID_ID = 4;
  private static final int RID_ID = 10;
  private static final int FRAMES = 45;

  @ParameterizedTest(name = "target layer {0}")
  @CsvSource({"2147483647, 320, 180", "0, 160, 90"})
  void theIngestGetsTheLayerItAsksFor(int targetLayer, int width, int height) {
    ManualClock clock = new ManualClock(1_000, WALL0_MS);
    RecordingStageListener listener = new RecordingStageListener();
    try (Sfu sfu = new Sfu(SfuConfig.defaults().withWorkerThreads(1), Clock.SYSTEM, new SplittableRandom(5))) {
      Room room = sfu.createRoom("simulcast");
      StageIngest ingest = StageIngest.attach(room, IngestConfig.defaults().withClock(clock).withTargetLayer(targetLayer),
          pub -> StageTrack.Source.CAMERA, listener);
      ingest.start();
      TestPublisherTransport transport = new TestPublisherTransport("alice");
      Participant alice = room.join("alice", transport);
      TrackPublication cam = alice.publish(new TrackParameters(TrackKind.VIDEO, "0",
          List.of(CodecParameters.vp8(96, 97)),
          Map.of(ExtensionUris.MID, MID_ID, ExtensionUris.RID, RID_ID), List.of(), List.of("l", "h"), false,
          "s", "cam"));
      long[] ssrcs = {0x5100, 0x5200};
      long[] tsBases = {1_000, 3_000_000_000L};
      int[] seqs = {100, 40_000};
      int[] sentPerLayer = new int[2];
      try (TestEncoders.Video low = new TestEncoders.Video("libvpx", 160, 90, 30);
          TestEncoders.Video high = new TestEncoders.Video("libvpx", 320, 180, 30)) {
        TestEncoders.Video[] layers = {low, high};
        long start = System.nanoTime();
        for (int i = 0; i < FRAMES; i++) {
          long mediaUs = TestStagePublisher.videoMediaUs(i);
          if (i > 0) {
            clock.advanceMicros(mediaUs - TestStagePublisher.videoMediaUs(i - 1));
          }
          // Real-time pacing: the SFU's keyframe requests run on its real timer.
          long due = start + mediaUs * 1000;
          for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
            java.util.concurrent.locks.LockSupport.parkNanos(due - now);
          }
          boolean force = i == 0 | transport.keyframeWanted.getAndSet(false);
          // The high layer first: the SFU then knows it from the first packet on and never starts
          // on the low one when the highest is asked for.
          for (int l = 1; l >= 0; l--) {
            long ts = (tsBases[l] + i * 3000L) & 0xFFFF_FFFFL;
            if (i % 15 == 0) {
              byte[] sr = new byte[64];
              int n = SenderReportEncoder.write(sr, 0, (int) ssrcs[l],
                  TestStagePublisher.ntp64(WALL0_MS * 1000 + SENDER_AHEAD_US + mediaUs), (int) ts, 0, 0,
                  new ReportBlock[0], 0);
              transport.deliver(Arrays.copyOf(sr, n), true);
            }
            TestEncoders.Encoded e = layers[l].encode(i, force);
            List<byte[]> payloads = TestPacketizer.vp8(e.data(), i, 1100);
            for (int k = 0; k < payloads.size(); k++) {
              byte[] p = TestPacketizer.rtp(96, seqs[l]++, ts, ssrcs[l], k == payloads.size() - 1, payloads.get(k));
              transport.deliver(withMidAndRid(p, l == 0 ? "l" : "h"), false);
              sentPerLayer[l]++;
            }
          }
          // Each packet arrives (and is stamped) before the ingest's clock moves on.
          int expected = sentPerLayer[targetLayer == 0 ? 0 : 1];
          awaitTrue(() -> ingest.stats().tracks().stream().mapToLong(IngestStats.Track::received).sum() >= expected,
              2_000);
        }
        clock.advanceMillis(1_000);
        awaitTrue(() -> {
          List<RecordingStageListener.Picture> p = listener.pictures(cam.id());
          return !p.isEmpty() && p.get(p.size() - 1).index() == FRAMES - 1;
        }, 5_000);
      } finally {
        ingest.close();
      }
      List<RecordingStageListener.Picture> pictures = listener.pictures(cam.id());
      assertTrue(pictures.size() >= FRAMES - 5, pictures.size() + " pictures");
      for (RecordingStageListener.Picture p : pictures) {
        assertEquals(width, p.width(), p.toString());
        assertEquals(height, p.height(), p.toString());
        assertTrue(p.contentMatches(), p.toString());
        long expectedUs = WALL0_MS * 1000 + TestStagePublisher.videoMediaUs(p.index());
        assertTrue(Math.abs(p.captureUs() - expectedUs) <= 1_000, p + " expected " + expectedUs);
      }
      assertEquals(FRAMES - 1, pictures.get(pictures.size() - 1).index());
    }
  }

  /** Adds the mid and rid extensions (RFC 8285 one-byte form; RFC 8843 mid, RFC 8852 rid). */
  private static byte[] withMidAndRid(byte[] packet, String rid) {
    byte[] buf = Arrays.copyOf(packet, packet.length + 32);
    byte[] value = new byte[16];
    int n = SdesTokenExtension.write(value, 0, SdesTokenExtension.tokenBytes("0"));
    int len = RtpHeaderExtensions.add(buf, 0, packet.length, buf.length, MID_ID, value, 0, n);
    n = SdesTokenExtension.write(value, 0, SdesTokenExtension.tokenBytes(rid));
    len = RtpHeaderExtensions.add(buf, 0, len, buf.length, RID_ID, value, 0, n);
    return Arrays.copyOf(buf, len);
  }

  private static void awaitTrue(BooleanSupplier condition, long timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(200_000L);
    }
  }
}
