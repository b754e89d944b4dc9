package dev.palco.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.codec.PayloadDropReason;
import dev.palco.rtp.codec.Vp8PayloadDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A muted publication reaches no subscriber, and resuming shows the subscriber no gap. */
class MuteTest {
  private static final long PUB_SSRC = 0x2222_0001L;
  private static final long PUB_RTX_SSRC = 0x2222_0002L;

  private static void sendFrame(TestPeer pub, int seq, boolean keyframe, int frame) {
    byte[] payload = MediaFixtures.vp8Payload(keyframe, (500 + frame) & 0x7FFF, frame & 0xFF, 40, frame);
    pub.sendRtp(MediaFixtures.rtp(MediaFixtures.VP8_PT, seq & 0xFFFF, 90_000L + frame * 3000L,
        PUB_SSRC, true, "0", null, false, seq, payload));
  }

  @Test
  void mutedVideoStopsAndResumesOnAKeyframeWithContinuousNumbering() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam =
          alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, PUB_RTX_SSRC));
      TrackSubscription sub = bob.participant.subscribe(cam);
      int seq = 1000;
      int frame = 0;
      for (; frame < 5; frame++) {
        sendFrame(alice, seq++, frame == 0, frame);
      }
      assertEquals(5, bob.rtpWithSsrc(sub.ssrc()).size());

      cam.setMuted(true);
      assertTrue(cam.isMuted());
      for (; frame < 15; frame++) {
        sendFrame(alice, seq++, false, frame);
      }
      assertEquals(5, bob.rtpWithSsrc(sub.ssrc()).size(), "nothing forwarded while muted");

      alice.rtcp.clear();
      cam.setMuted(false);
      h.sfu.tickTimers();
      alice.receive();
      assertFalse(alice.rtcpPackets(dev.palco.rtp.rtcp.RtcpHeader.PT_PSFB).isEmpty(),
          "unmuting video asks the publisher for a keyframe");
      // Delta frames before the keyframe are held back; the keyframe resumes the stream.
      sendFrame(alice, seq++, false, frame++);
      sendFrame(alice, seq++, true, frame++);
      sendFrame(alice, seq++, false, frame++);

      List<byte[]> got = bob.rtpWithSsrc(sub.ssrc());
      assertEquals(7, got.size());
      int firstSeq = RtpPacket.sequenceNumber(got.get(0), 0);
      for (int i = 0; i < got.size(); i++) {
        assertEquals((firstSeq + i) & 0xFFFF, RtpPacket.sequenceNumber(got.get(i), 0),
            "no gap across the mute");
      }
      Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
      byte[] resumed = MediaFixtures.payloadOf(got.get(5));
      assertEquals(PayloadDropReason.OK, vp8.parse(resumed, 0, resumed.length));
      assertTrue(vp8.keyframe(), "the first packet after the mute is a keyframe");
      assertEquals(0, h.sfu.packetPool().outstanding());
    }
  }
}
