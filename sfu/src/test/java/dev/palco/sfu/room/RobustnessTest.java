package dev.palco.sfu.room;

import static dev.palco.sfu.room.MediaFixtures.VP8_PT;
import static dev.palco.sfu.room.MediaFixtures.VP8_RTX_PT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.RtpPacket;
import dev.palco.sfu.pipeline.DropReason;
import dev.palco.sfu.stats.StreamStats;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Garbage, unknown streams, simulcast SSRC learning, statistics. */
class RobustnessTest {
  private static final long PUB_SSRC = 0x4444_0001L;

  private static byte[] frame(long ssrc, int seq, int f, boolean key, String mid, String rid) {
    return MediaFixtures.rtp(VP8_PT, seq, 100L + f * 3000L, ssrc, true, mid, rid, false, -1,
        MediaFixtures.vp8Payload(key, 50 + f, f, 20, f));
  }

  @Test
  void garbageIsCountedByReasonAndTheSessionGoesOn() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, -1));
      TrackSubscription sub = bob.participant.subscribe(cam);
      alice.sendRtp(frame(PUB_SSRC, 1, 0, true, null, null));
      SplittableRandom random = new SplittableRandom(7);
      int datagrams = 2000;
      for (int i = 0; i < datagrams; i++) {
        byte[] junk = new byte[random.nextInt(0, 300)];
        random.nextBytes(junk);
        if (junk.length > 0) {
          junk[0] = (byte) (0x80 | (junk[0] & 0x3F)); // looks like version 2, so it reaches SRTP
        }
        alice.transport.deliver(junk, 0, junk.length, random.nextBoolean());
      }
      // Well-authenticated, but an SSRC that nothing announced and no mid to learn it from.
      alice.sendRtp(frame(0x9999L, 1, 0, true, null, null));
      // Well-authenticated, right SSRC, a payload type that was not negotiated.
      alice.sendRtp(MediaFixtures.rtp(45, 2, 4000, PUB_SSRC, false, new byte[] {1, 2, 3}));
      // Too large for any buffer.
      byte[] huge = new byte[3000];
      alice.transport.deliver(huge, 0, huge.length, false);
      // A replayed SRTP packet.
      byte[] replay = alice.protectRtp(frame(PUB_SSRC, 3, 2, false, null, null));
      alice.transport.deliver(replay, 0, replay.length, false);
      alice.transport.deliver(replay, 0, replay.length, false);
      // The session is unaffected.
      alice.sendRtp(frame(PUB_SSRC, 4, 3, false, null, null));
      List<byte[]> got = bob.rtpWithSsrc(sub.ssrc());
      assertEquals(3, got.size());
      ParticipantStats stats = alice.participant.stats();
      long srtp = stats.dropped(DropReason.SRTP_AUTH_FAIL) + stats.dropped(DropReason.SRTP_OTHER);
      assertTrue(srtp >= datagrams - 10, "garbage fails authentication: " + stats.drops());
      assertEquals(1, stats.dropped(DropReason.UNKNOWN_SSRC));
      assertEquals(1, stats.dropped(DropReason.UNKNOWN_PAYLOAD_TYPE));
      assertEquals(1, stats.dropped(DropReason.TOO_LARGE));
      assertEquals(1, stats.dropped(DropReason.SRTP_REPLAY));
      assertEquals(0, stats.internalFailures());
      assertEquals(0, h.sfu.packetPool().outstanding());
    }
  }

  @Test
  void simulcastStreamsAreLearntFromMidAndRid() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(MediaFixtures.simulcastVideo("1", "q", "h", "f"));
      TrackSubscription sub = bob.participant.subscribe(cam);
      long[] ssrcs = {0x5000_0001L, 0x5000_0002L, 0x5000_0003L};
      String[] rids = {"q", "h", "f"};
      for (int layer = 0; layer < 3; layer++) {
        alice.sendRtp(frame(ssrcs[layer], 10, 0, false, "1", rids[layer]));
      }
      // Later packets carry no extensions: the SSRCs are known now.
      alice.sendRtp(frame(ssrcs[2], 11, 1, true, null, null));
      alice.sendRtp(frame(ssrcs[0], 11, 1, true, null, null));
      alice.sendRtp(frame(ssrcs[2], 12, 2, false, null, null));
      // A stream of an unknown mid is not learnt.
      alice.sendRtp(frame(0x5000_0009L, 1, 0, true, "7", "q"));
      // RTX for the top layer, learnt from repaired-rid.
      byte[] lost = frame(ssrcs[2], 13, 3, false, null, null);
      alice.sendRtp(frame(ssrcs[2], 14, 4, false, null, null));
      byte[] rtx = MediaFixtures.rtx(MediaFixtures.rtp(VP8_PT, 13, 100L + 3 * 3000L, ssrcs[2], true, "1", "f",
          true, -1, MediaFixtures.vp8Payload(false, 53, 3, 20, 3)), VP8_RTX_PT, 77, 0x5000_0013L);
      alice.sendRtp(rtx);
      List<StreamStats> layers = cam.streamStats();
      assertEquals(3, layers.size());
      // The highest layer is forwarded from its keyframe on; the others are not selected.
      List<byte[]> got = bob.rtpWithSsrc(sub.ssrc());
      assertEquals(4, got.size());
      int base = RtpPacket.sequenceNumber(got.get(0), 0);
      assertEquals((base + 2) & 0xFFFF, RtpPacket.sequenceNumber(got.get(3), 0), "RTX fills seq 13's slot");
      byte[] want = MediaFixtures.payloadOf(lost);
      byte[] have = MediaFixtures.payloadOf(got.get(3));
      // Equal apart from the rewritten picture ID and TL0PICIDX (bytes 2..4).
      assertTrue(Arrays.equals(want, 5, want.length, have, 5, have.length));
      ParticipantStats stats = alice.participant.stats();
      assertEquals(1, stats.dropped(DropReason.UNKNOWN_SSRC));
      assertEquals(1, layers.get(2).retransmissions());
    }
  }

  @Test
  void statisticsPerParticipantAndTrack() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, -1));
      TrackPublication mic = alice.participant.publish(MediaFixtures.audio("a", 0x4444_00AAL));
      TrackSubscription video = bob.participant.subscribe(cam);
      TrackSubscription audio = bob.participant.subscribe(mic);
      long bytes = 0;
      for (int i = 0; i < 20; i++) {
        if (i == 7) {
          continue;
        }
        byte[] p = frame(PUB_SSRC, 500 + i, i, i == 0, null, null);
        bytes += p.length;
        alice.sendRtp(p);
      }
      for (int i = 0; i < 5; i++) {
        alice.sendRtp(MediaFixtures.rtp(MediaFixtures.OPUS_PT, 10 + i, 960L * i, 0x4444_00AAL, false,
            new byte[] {0x78, 1, 2, 3}));
      }
      h.advance(20);
      ParticipantStats a = alice.participant.stats();
      assertEquals(2, a.published().size());
      StreamStats camStats = a.published().get(0).streams().get(0);
      assertEquals(PUB_SSRC, camStats.ssrc());
      assertEquals(19, camStats.packets());
      assertEquals(bytes, camStats.bytes());
      assertEquals(1, camStats.packetsLost());
      assertEquals(1, camStats.nacksSent());
      assertTrue(camStats.plis() >= 1);
      assertEquals(5, a.published().get(1).streams().get(0).packets());
      assertEquals(1, a.nacksSent());
      assertTrue(a.keyframeRequestsSent() >= 1);
      ParticipantStats b = bob.participant.stats();
      assertEquals(2, b.subscribed().size());
      assertEquals(19, video.stats().packets());
      assertEquals(5, audio.stats().packets());
      assertEquals(24, b.packetsSent());
      assertTrue(b.nodes().size() > 10, "every node reports");
    }
  }
}
