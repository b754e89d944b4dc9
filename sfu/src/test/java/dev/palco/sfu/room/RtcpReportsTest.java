package dev.palco.sfu.room;

import static dev.palco.sfu.room.MediaFixtures.VP8_PT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.rtcp.ReceiverReportEncoder;
import dev.palco.rtp.rtcp.ReceiverReportParser;
import dev.palco.rtp.rtcp.RembEncoder;
import dev.palco.rtp.rtcp.ReportBlock;
import dev.palco.rtp.rtcp.RtcpHeader;
import dev.palco.rtp.rtcp.SdesParser;
import dev.palco.rtp.rtcp.SenderReportEncoder;
import dev.palco.rtp.rtcp.SenderReportParser;
import dev.palco.sfu.stats.NtpTime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** SR and RR generation and termination (RFC 3550 §6.4), RTT from LSR/DLSR, no leaks. */
class RtcpReportsTest {
  private static final long PUB_SSRC = 0x3333_0001L;
  private static final int PAYLOAD_BYTES = 38;

  private static byte[] frame(int seq, int f) {
    return MediaFixtures.rtp(VP8_PT, seq, 9000L + f * 3000L, PUB_SSRC, true,
        MediaFixtures.vp8Payload(f == 0, 10 + f, f, PAYLOAD_BYTES - 15 + (f == 0 ? 0 : 7), f));
  }

  @Test
  void receiverReportToThePublisherCarriesLossJitterAndLsrDlsr() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, -1));
      // The publisher's SR: NTP 0xE8A1B2C3.44556677, RTP timestamp 9000.
      byte[] sr = new byte[64];
      long ntp = 0xE8A1_B2C3_4455_6677L;
      int n = SenderReportEncoder.write(sr, 0, (int) PUB_SSRC, ntp, 9000, 10, 1000, new ReportBlock[0], 0);
      for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 5) {
          alice.sendRtp(frame(100 + i, i));
        }
      }
      alice.sendRtcp(Arrays.copyOf(sr, n));
      // Empty RRs lead the NACK compounds (RFC 4585 §3.1); reports with blocks wait for the interval.
      h.advance(250);
      assertTrue(reportsWithBlocks(alice).isEmpty(), "reports wait for the interval");
      h.advance(750);
      List<int[]> rrs = reportsWithBlocks(alice);
      assertEquals(1, rrs.size());
      byte[] c = alice.rtcpCompound(rrs.get(0));
      int off = rrs.get(0)[1];
      assertEquals(alice.participant.rtcpSsrc(), ReceiverReportParser.senderSsrc(c, off) & 0xFFFF_FFFFL);
      assertEquals(1, ReceiverReportParser.reportCount(c, off));
      int block = ReceiverReportParser.reportBlockOffset(off, 0);
      assertEquals(PUB_SSRC, ReportBlock.ssrc(c, block) & 0xFFFF_FFFFL);
      assertEquals(2, ReportBlock.cumulativeLost(c, block));
      assertEquals(2 * 256 / 10, ReportBlock.fractionLost(c, block));
      assertEquals(109, ReportBlock.extendedHighestSeq(c, block));
      // LSR: the middle 32 bits of the SR's NTP timestamp; DLSR: 1 s held, in 1/65536 s.
      assertEquals(0xB2C3_4455L, ReportBlock.lastSrNtp(c, block));
      assertEquals(65_536L, ReportBlock.delaySinceLastSr(c, block));
      // Jitter: every packet arrived at the same instant, 3000 ticks apart in media time.
      assertTrue(ReportBlock.jitter(c, block) > 0);
      // The compound carries an SDES CNAME for the RR's SSRC (RFC 3550 §6.1).
      boolean sdes = false;
      for (int[] ref : alice.rtcpPackets(RtcpHeader.PT_SDES)) {
        sdes |= ref[0] == rrs.get(0)[0];
      }
      assertTrue(sdes);
    }
  }

  private static List<int[]> reportsWithBlocks(TestPeer peer) {
    List<int[]> out = new java.util.ArrayList<>();
    for (int[] ref : peer.rtcpPackets(RtcpHeader.PT_RR)) {
      if (ref[4] > 0) {
        out.add(ref);
      }
    }
    return out;
  }

  @Test
  void senderReportToTheSubscriberAndRttFromItsAnswer() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, -1));
      TrackSubscription sub = bob.participant.subscribe(cam);
      long payloadBytes = 0;
      for (int i = 0; i < 10; i++) {
        byte[] p = frame(100 + i, i);
        payloadBytes += MediaFixtures.payloadOf(p).length;
        alice.sendRtp(p);
      }
      long firstOutTs = dev.palco.rtp.RtpPacket.timestamp(bob.rtpWithSsrc(sub.ssrc()).get(0), 0);
      h.advance(1000);
      List<int[]> srs = bob.rtcpPackets(RtcpHeader.PT_SR);
      assertEquals(1, srs.size());
      byte[] c = bob.rtcpCompound(srs.get(0));
      int off = srs.get(0)[1];
      assertEquals(sub.ssrc(), SenderReportParser.senderSsrc(c, off) & 0xFFFF_FFFFL);
      long ntp = SenderReportParser.ntpTimestamp(c, off);
      assertEquals(NtpTime.fromUnixMillis(SfuHarness.WALL_START_MS + 1000), ntp);
      // The RTP timestamp of "now": the last one sent (9 frames after the first) + 1 s at 90 kHz.
      assertEquals((firstOutTs + 9 * 3000L + 90_000L) & 0xFFFF_FFFFL,
          SenderReportParser.rtpTimestamp(c, off) & 0xFFFF_FFFFL);
      assertEquals(10, SenderReportParser.packetCount(c, off));
      assertEquals(payloadBytes, SenderReportParser.octetCount(c, off));
      // The SDES of that compound names the publisher's CNAME for the subscriber's SSRC.
      List<int[]> sdes = bob.rtcpPackets(RtcpHeader.PT_SDES);
      SdesParser parser = new SdesParser();
      byte[] sc = bob.rtcpCompound(sdes.get(0));
      parser.reset(sc, sdes.get(0)[1], sdes.get(0)[2]);
      assertTrue(parser.nextChunk());
      assertEquals(sub.ssrc(), parser.chunkSsrc() & 0xFFFF_FFFFL);
      assertTrue(parser.nextItem());
      assertEquals(alice.participant.cname(), new String(sc, parser.itemOffset(), parser.itemLength(),
          StandardCharsets.US_ASCII));

      // Bob answers 600 ms later, having held the SR 500 ms: RTT = 600 - 500 = 100 ms.
      h.clock.advanceMillis(600);
      byte[] rr = new byte[64];
      ReportBlock b = new ReportBlock().set((int) sub.ssrc(), 0, 0, 0, 0, NtpTime.middle32(ntp),
          NtpTime.millisToMiddle32Units(500));
      int n = ReceiverReportEncoder.write(rr, 0, 0x0B0B, new ReportBlock[] {b}, 1);
      bob.sendRtcp(Arrays.copyOf(rr, n));
      assertEquals(100, bob.participant.rttMs());
      assertEquals(100, sub.stats().rttMs());
      assertEquals(100, bob.participant.stats().rttMs());
    }
  }

  @Test
  void subscriberReportsNeverReachThePublisher() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, -1));
      TrackSubscription sub = bob.participant.subscribe(cam);
      alice.sendRtp(frame(1, 0));
      alice.receive();
      alice.rtcp.clear();
      int bobSsrc = 0x0B0B_0B0B;
      byte[] rr = new byte[128];
      ReportBlock b = new ReportBlock().set((int) sub.ssrc(), 12, 34, 56, 78, 0, 0);
      int n = ReceiverReportEncoder.write(rr, 0, bobSsrc, new ReportBlock[] {b}, 1);
      n += RembEncoder.write(rr, n, bobSsrc, 300_000, new int[] {(int) sub.ssrc()}, 0, 1);
      bob.sendRtcp(Arrays.copyOf(rr, n));
      h.advance(2000);
      for (int[] ref : alice.rtcpPackets(-1)) {
        byte[] c = alice.rtcpCompound(ref);
        int sender = c[ref[1] + 4] << 24 | (c[ref[1] + 5] & 0xFF) << 16 | (c[ref[1] + 6] & 0xFF) << 8
            | (c[ref[1] + 7] & 0xFF);
        assertFalse(sender == bobSsrc, "a subscriber's RTCP reached the publisher");
        if (ref[3] == RtcpHeader.PT_RR) {
          for (int i = 0; i < ReceiverReportParser.reportCount(c, ref[1]); i++) {
            int block = ReceiverReportParser.reportBlockOffset(ref[1], i);
            assertEquals(PUB_SSRC, ReportBlock.ssrc(c, block) & 0xFFFF_FFFFL);
          }
        }
      }
      ParticipantStats stats = bob.participant.stats();
      assertEquals(1, stats.receiverReportsReceived());
      assertEquals(1, stats.rembsReceived());
      assertEquals(34, sub.stats().packetsLost());
    }
  }
}
