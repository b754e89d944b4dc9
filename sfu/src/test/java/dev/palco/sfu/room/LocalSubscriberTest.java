package dev.palco.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.rtcp.ReportBlock;
import dev.palco.rtp.rtcp.SenderReportEncoder;
import dev.palco.sfu.stats.SenderReportInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * An in-process subscriber ({@link LocalMediaTransport}): forwarded packets arrive as plain views
 * with the publisher's SSRC and timestamp next to the rewritten header, nothing is encrypted, and
 * the publisher's sender reports can be read from the publication.
 */
class LocalSubscriberTest {
  private static final long PUB_SSRC = 0x1111_0000L;
  private static final long PUB_RTX_SSRC = 0x1111_0001L;

  /** Records what it is handed. */
  static final class RecordingLocalTransport extends InMemoryMediaTransport implements LocalMediaTransport {
    final List<long[]> forwarded = new ArrayList<>();
    final List<byte[]> packets = new ArrayList<>();

    RecordingLocalTransport() {
      super("bridge", null);
    }

    @Override
    public synchronized void receiveForwarded(TrackSubscription subscription, byte[] buf, int off, int len,
        long sourceSsrc, long sourceTimestamp) {
      forwarded.add(new long[] {sourceSsrc, sourceTimestamp});
      packets.add(Arrays.copyOfRange(buf, off, off + len));
    }

    @Override
    public boolean isSecured() {
      return true;
    }
  }

  @Test
  void forwardedPacketsCarryTheSourceSsrcAndTimestamp() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      RecordingLocalTransport local = new RecordingLocalTransport();
      Participant bridge = h.room.join("bridge", local);
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, PUB_RTX_SSRC));
      TrackSubscription sub = bridge.subscribe(cam);
      assertNull(cam.lastSenderReport(PUB_SSRC));

      for (int i = 0; i < 5; i++) {
        byte[] payload = MediaFixtures.vp8Payload(i == 0, 100 + i, 3, 40, i);
        alice.sendRtp(MediaFixtures.rtp(MediaFixtures.VP8_PT, 500 + i, 90_000L + i * 3000L, PUB_SSRC, true, payload));
      }
      byte[] sr = new byte[64];
      int n = SenderReportEncoder.write(sr, 0, (int) PUB_SSRC, 0x1234_5678_9ABC_DEF0L, 93_000, 5, 200,
          new ReportBlock[0], 0);
      alice.sendRtcp(Arrays.copyOf(sr, n));

      synchronized (local) {
        assertEquals(5, local.forwarded.size());
        for (int i = 0; i < 5; i++) {
          assertEquals(PUB_SSRC, local.forwarded.get(i)[0]);
          assertEquals(90_000L + i * 3000L, local.forwarded.get(i)[1]);
          byte[] p = local.packets.get(i);
          // Rewritten onto the subscription's stream, and in the clear.
          assertEquals(sub.ssrc(), RtpPacket.ssrc(p, 0));
          assertEquals(2, RtpPacket.version(p, 0));
        }
      }
      assertTrue(local.drainSent().stream().noneMatch(p -> (p[1] & 0xFF) < 192 || (p[1] & 0xFF) > 223),
          "RTP to a local subscriber never goes through send()");
      SenderReportInfo info = cam.lastSenderReport(PUB_SSRC);
      assertNotNull(info);
      assertEquals(0x1234_5678_9ABC_DEF0L, info.ntp64());
      assertEquals(93_000, info.rtpTimestamp());
      assertEquals(1, info.count());
      assertNull(cam.lastSenderReport(PUB_SSRC + 5));
      assertEquals(0, h.sfu.packetPool().outstanding());
    }
  }
}
