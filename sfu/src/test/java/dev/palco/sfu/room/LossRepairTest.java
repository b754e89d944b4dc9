package dev.palco.sfu.room;

import static dev.palco.sfu.room.MediaFixtures.VP8_PT;
import static dev.palco.sfu.room.MediaFixtures.VP8_RTX_PT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.rtcp.NackEncoder;
import dev.palco.rtp.rtcp.NackParser;
import dev.palco.rtp.rtcp.PliEncoder;
import dev.palco.rtp.rtcp.RtcpFeedback;
import dev.palco.rtp.rtcp.RtcpHeader;
import dev.palco.sfu.pipeline.DropReason;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** RTX unwrapping, duplicates, NACKs in both directions, and keyframe request aggregation. */
class LossRepairTest {
  private static final long PUB_SSRC = 0x2222_0001L;
  private static final long PUB_RTX_SSRC = 0x2222_0002L;

  private static byte[] frame(int seq, int f, boolean key) {
    return MediaFixtures.rtp(VP8_PT, seq, 5000L + f * 3000L, PUB_SSRC, true,
        MediaFixtures.vp8Payload(key, 200 + f, f, 30, f));
  }

  private static List<Integer> nackedSeqs(TestPeer peer, long mediaSsrc) {
    List<Integer> out = new ArrayList<>();
    for (int[] ref : peer.rtcpPackets(RtcpHeader.PT_RTPFB)) {
      byte[] c = peer.rtcpCompound(ref);
      if (ref[4] == RtcpFeedback.FMT_NACK
          && (RtcpFeedback.mediaSsrc(c, ref[1]) & 0xFFFF_FFFFL) == mediaSsrc) {
        NackParser.forEachLost(c, ref[1], ref[2], out::add);
      }
    }
    return out;
  }

  @Test
  void rtxIsUnwrappedIntoTheSlotOfTheLostPacket() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, PUB_RTX_SSRC));
      TrackSubscription sub = bob.participant.subscribe(cam);
      byte[] lost = frame(12, 2, false);
      alice.sendRtp(frame(10, 0, true));
      alice.sendRtp(frame(11, 1, false));
      alice.sendRtp(frame(13, 3, false));
      alice.sendRtp(MediaFixtures.rtx(lost, VP8_RTX_PT, 500, PUB_RTX_SSRC));
      List<byte[]> got = bob.rtpWithSsrc(sub.ssrc());
      assertEquals(4, got.size());
      int base = RtpPacket.sequenceNumber(got.get(0), 0);
      byte[] recovered = got.get(3);
      // The recovered packet takes the slot the gap left: base + 2, between 11 and 13.
      assertEquals((base + 2) & 0xFFFF, RtpPacket.sequenceNumber(recovered, 0));
      assertEquals(VP8_PT, RtpPacket.payloadType(recovered, 0));
      byte[] want = MediaFixtures.payloadOf(lost);
      byte[] have = MediaFixtures.payloadOf(recovered);
      assertArrayEquals(Arrays.copyOfRange(want, 5, want.length), Arrays.copyOfRange(have, 5, have.length));
      assertEquals(1, cam.streamStats().get(0).retransmissions());
    }
  }

  @Test
  void aRetransmissionOfAPacketAlreadyReceivedIsDroppedAsDuplicate() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, PUB_RTX_SSRC));
      TrackSubscription sub = bob.participant.subscribe(cam);
      byte[] first = frame(10, 0, true);
      alice.sendRtp(first);
      alice.sendRtp(frame(11, 1, false));
      alice.sendRtp(MediaFixtures.rtx(first, VP8_RTX_PT, 1, PUB_RTX_SSRC));
      assertEquals(2, bob.rtpWithSsrc(sub.ssrc()).size());
      assertEquals(1, alice.participant.stats().dropped(DropReason.DUPLICATE));
    }
  }

  @Test
  void subscriberNackIsAnsweredWithRtxFromTheCache() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, PUB_RTX_SSRC));
      TrackSubscription sub = bob.participant.subscribe(cam);
      for (int i = 0; i < 10; i++) {
        alice.sendRtp(frame(300 + i, i, i == 0));
      }
      List<byte[]> got = bob.rtpWithSsrc(sub.ssrc());
      assertEquals(10, got.size());
      byte[] original = got.get(4);
      int outSeq = RtpPacket.sequenceNumber(original, 0);
      byte[] nack = new byte[64];
      int n = NackEncoder.write(nack, 0, 0x0B0B, (int) sub.ssrc(), new int[] {outSeq}, 0, 1);
      bob.sendRtcp(Arrays.copyOf(nack, n));
      List<byte[]> rtx = bob.rtpWithSsrc(sub.rtxSsrc());
      assertEquals(1, rtx.size());
      byte[] r = rtx.get(0);
      assertEquals(VP8_RTX_PT, RtpPacket.payloadType(r, 0));
      byte[] rtxPayload = MediaFixtures.payloadOf(r);
      // RFC 4588 §4: the OSN is the sequence number the subscriber knows the packet by.
      assertEquals(outSeq, ((rtxPayload[0] & 0xFF) << 8) | (rtxPayload[1] & 0xFF));
      assertArrayEquals(MediaFixtures.payloadOf(original), Arrays.copyOfRange(rtxPayload, 2, rtxPayload.length),
          "the retransmitted payload is the one sent, picture ID rewritten the same way");
      assertEquals(RtpPacket.timestamp(original, 0), RtpPacket.timestamp(r, 0));
      ParticipantStats stats = bob.participant.stats();
      assertEquals(1, stats.nacksReceived());
      assertEquals(1, stats.retransmissionsSent());
      assertEquals(1, sub.stats().retransmissions());
      // A NACK for a number never sent is a counted miss, not an error.
      n = NackEncoder.write(nack, 0, 0x0B0B, (int) sub.ssrc(), new int[] {(outSeq + 1000) & 0xFFFF}, 0, 1);
      bob.sendRtcp(Arrays.copyOf(nack, n));
      assertEquals(1, bob.rtpWithSsrc(sub.rtxSsrc()).size());
    }
  }

  private static void nack(TestPeer subscriber, TrackSubscription sub, int[] outSeqs) {
    byte[] nack = new byte[16 + 4 * outSeqs.length];
    int n = NackEncoder.write(nack, 0, 0x0B0B, (int) sub.ssrc(), outSeqs, 0, outSeqs.length);
    subscriber.sendRtcp(Arrays.copyOf(nack, n));
  }

  @Test
  void aNackRepeatedWithinOneRttIsAnsweredOnce() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, PUB_RTX_SSRC));
      TrackSubscription sub = bob.participant.subscribe(cam);
      for (int i = 0; i < 10; i++) {
        alice.sendRtp(frame(300 + i, i, i == 0));
      }
      int outSeq = RtpPacket.sequenceNumber(bob.rtpWithSsrc(sub.ssrc()).get(4), 0);
      // No report has measured Bob's RTT: a copy is not repeated for 100 ms. Ten NACKs 5 ms apart,
      // as a receiver whose NACK timer ignores the RTT would send them.
      assertEquals(-1, bob.participant.rttMs());
      for (int i = 0; i < 10; i++) {
        nack(bob, sub, new int[] {outSeq});
        h.advance(5);
      }
      assertEquals(1, bob.rtpWithSsrc(sub.rtxSsrc()).size());
      ParticipantStats stats = bob.participant.stats();
      assertEquals(10, stats.nacksReceived());
      assertEquals(1, stats.retransmissionsSent());
      assertEquals(9, stats.retransmissionsSuppressedRecent());
      assertEquals(0, stats.retransmissionsRateLimited());
      assertEquals(1, sub.stats().retransmissions());
      assertEquals(9, sub.stats().retransmissionsSuppressedRecent());
      // The same NACK one RTT after the copy is answered again: that copy may have been lost too.
      h.advance(100 - 50);
      nack(bob, sub, new int[] {outSeq});
      assertEquals(2, bob.rtpWithSsrc(sub.rtxSsrc()).size());
      stats = bob.participant.stats();
      assertEquals(2, stats.retransmissionsSent());
      assertEquals(9, stats.retransmissionsSuppressedRecent());
      assertEquals(2, sub.stats().retransmissions());
    }
  }

  @Test
  void aNackFloodIsCutAtTheRetransmissionBudget() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, PUB_RTX_SSRC));
      TrackSubscription sub = bob.participant.subscribe(cam);
      // Bob agreed no header extensions: what he receives is exactly what the limiter charged
      // (no transport-wide number added on the way out).
      sub.applyNegotiation(new TrackParameters(TrackKind.VIDEO, "0",
          List.of(CodecParameters.vp8(VP8_PT, VP8_RTX_PT)), java.util.Map.of(), List.of(), List.of(),
          false, "stream", "track"));
      int packets = 100;
      for (int round = 0; round < 2; round++) {
        int firstSeq = 1000 + round * packets;
        for (int i = 0; i < packets; i++) {
          int f = round * packets + i;
          alice.sendRtp(MediaFixtures.rtp(VP8_PT, firstSeq + i, 5000L + f * 3000L, PUB_SSRC, true,
              MediaFixtures.vp8Payload(f == 0, 200 + f, f, 1_000, f)));
        }
        List<byte[]> media = bob.rtpWithSsrc(sub.ssrc());
        assertEquals((round + 1) * packets, media.size());
        int[] outSeqs = new int[packets];
        for (int i = 0; i < packets; i++) {
          outSeqs[i] = RtpPacket.sequenceNumber(media.get(round * packets + i), 0);
        }
        int rtxBefore = bob.rtpWithSsrc(sub.rtxSsrc()).size();
        // One NACK for all of them, as a receiver that lost a whole burst would send.
        nack(bob, sub, outSeqs);
        List<byte[]> rtx = bob.rtpWithSsrc(sub.rtxSsrc());
        List<byte[]> answered = rtx.subList(rtxBefore, rtx.size());
        // No feedback from Bob: the estimate is the 300 kbps start, so the budget is 150 kbps,
        // 18,750 bytes a second. Retransmissions go on while less than that was sent.
        long estimateBps = bob.participant.stats().sendSide().estimateBps();
        assertEquals(300_000, estimateBps);
        long budgetBytes = 150_000 / 8;
        long bytes = 0;
        for (byte[] r : answered) {
          assertTrue(bytes < budgetBytes, "a retransmission after the budget was spent");
          bytes += r.length;
        }
        assertTrue(bytes >= budgetBytes, "stopped at " + bytes + " bytes, before the budget");
        int sent = answered.size();
        assertTrue(sent > 10 && sent < packets / 2, "sent " + sent);
        // The first packets asked for are the ones answered, in order.
        for (int i = 0; i < sent; i++) {
          byte[] rtxPayload = MediaFixtures.payloadOf(answered.get(i));
          assertEquals(outSeqs[i], ((rtxPayload[0] & 0xFF) << 8) | (rtxPayload[1] & 0xFF));
        }
        ParticipantStats stats = bob.participant.stats();
        assertEquals((round + 1) * packets, stats.nacksReceived());
        assertEquals(rtx.size(), stats.retransmissionsSent());
        assertEquals((round + 1) * packets - rtx.size(), stats.retransmissionsRateLimited());
        assertEquals(0, stats.retransmissionsSuppressedRecent());
        assertEquals(stats.retransmissionsSent(), sub.stats().retransmissions());
        assertEquals(stats.retransmissionsRateLimited(), sub.stats().retransmissionsRateLimited());
        // Once the window has slid past the burst, the budget is whole again (next round).
        h.advance(1_000);
      }
    }
  }

  @Test
  void publisherLossIsNackedWithRetriesUntilRecovered() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, PUB_RTX_SSRC));
      alice.sendRtp(frame(1, 0, true));
      alice.sendRtp(frame(2, 1, false));
      byte[] three = frame(3, 2, false);
      alice.sendRtp(frame(5, 4, false));
      // The first request waits for reordering (10 ms).
      h.advance(5);
      assertTrue(nackedSeqs(alice, PUB_SSRC).isEmpty());
      h.advance(10);
      assertEquals(List.of(3, 4), nackedSeqs(alice, PUB_SSRC));
      // Repeated after max(RTT, 20 ms): the default RTT is 100 ms until reports measure one.
      h.advance(50);
      assertEquals(List.of(3, 4), nackedSeqs(alice, PUB_SSRC));
      h.advance(60);
      assertEquals(List.of(3, 4, 3, 4), nackedSeqs(alice, PUB_SSRC));
      // 3 comes back as RTX: only 4 is asked for again.
      alice.sendRtp(MediaFixtures.rtx(three, VP8_RTX_PT, 9, PUB_RTX_SSRC));
      h.advance(110);
      assertEquals(List.of(3, 4, 3, 4, 4), nackedSeqs(alice, PUB_SSRC));
      // Limits: at most 10 requests per packet and none once it is 1 s old. Every 110 ms from
      // 15 ms on, the age limit comes first: requests at 15, 125, ..., 895 ms, then it is given up.
      for (int i = 0; i < 20; i++) {
        h.advance(110);
      }
      long fours = nackedSeqs(alice, PUB_SSRC).stream().filter(s -> s == 4).count();
      assertEquals(9, fours);
      assertEquals(11, alice.participant.stats().nacksSent());
    }
  }

  @Test
  void aHundredSubscriberPlisBecomeOnePli() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, PUB_RTX_SSRC));
      List<TestPeer> viewers = new ArrayList<>();
      List<TrackSubscription> subs = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        TestPeer v = h.join("viewer" + i);
        viewers.add(v);
        subs.add(v.participant.subscribe(cam));
      }
      alice.sendRtp(frame(1, 0, true));
      h.advance(1000);
      alice.receive();
      alice.rtcp.clear();
      byte[] pli = new byte[PliEncoder.SIZE_BYTES];
      for (int i = 0; i < 100; i++) {
        PliEncoder.write(pli, 0, 0x0C0C + i, (int) subs.get(i).ssrc());
        viewers.get(i).sendRtcp(pli);
      }
      h.sfu.tickTimers();
      assertEquals(1, alice.rtcpPackets(RtcpHeader.PT_PSFB).size());
      assertEquals(100, cam.keyframes.requestsReceived() - 100, "every PLI reached the requester");
      long received = 0;
      for (TestPeer v : viewers) {
        received += v.participant.stats().keyframeRequestsReceived();
      }
      assertEquals(100, received);
    }
  }
}
