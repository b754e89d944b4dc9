package dev.palco.sfu.room;

import static dev.palco.sfu.room.MediaFixtures.VP8_PT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.HeaderExtensionCursor;
import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.TransportCcExtension;
import dev.palco.rtp.codec.PayloadDropReason;
import dev.palco.rtp.codec.Vp8PayloadDescriptor;
import dev.palco.rtp.rtcp.PliParser;
import dev.palco.rtp.rtcp.RtcpHeader;
import dev.palco.sfu.pipeline.DropReason;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Publisher → subscribers through the real pipelines and real SRTP, without sockets. */
class ForwardingTest {
  private static final long PUB_SSRC = 0x1111_0001L;
  private static final long PUB_RTX_SSRC = 0x1111_0002L;

  /** Sends one single-packet VP8 frame; returns the plaintext sent. */
  static byte[] sendFrame(TestPeer pub, int seq, boolean keyframe, int frame) {
    byte[] payload = MediaFixtures.vp8Payload(keyframe, (1000 + frame) & 0x7FFF, frame & 0xFF, 40, frame);
    byte[] packet = MediaFixtures.rtp(VP8_PT, seq & 0xFFFF, 90_000L * 10 + frame * 3000L, PUB_SSRC, true,
        "0", null, false, seq, payload);
    pub.sendRtp(packet);
    return packet;
  }

  @Test
  void twoSubscribersGetContinuousRewrittenSequenceNumbersAndExactPayloads() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TestPeer carol = h.join("carol");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, PUB_RTX_SSRC));
      TrackSubscription toBob = bob.participant.subscribe(cam);
      TrackSubscription toCarol = carol.participant.subscribe(cam);
      assertFalse(toBob.ssrc() == toCarol.ssrc() && toBob.rtxSsrc() == toCarol.rtxSsrc());

      byte[][] sent = new byte[60][];
      // Start near the wrap, so the publisher's sequence numbers cross 65535 → 0.
      for (int i = 0; i < sent.length; i++) {
        sent[i] = sendFrame(alice, 65_510 + i, i == 0, i);
      }
      for (TestPeer peer : List.of(bob, carol)) {
        TrackSubscription sub = peer == bob ? toBob : toCarol;
        List<byte[]> got = peer.rtpWithSsrc(sub.ssrc());
        assertEquals(sent.length, got.size(), peer.id);
        int firstSeq = RtpPacket.sequenceNumber(got.get(0), 0);
        long firstTs = RtpPacket.timestamp(got.get(0), 0);
        Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
        int firstPictureId = -1;
        for (int i = 0; i < got.size(); i++) {
          byte[] out = got.get(i);
          assertEquals((firstSeq + i) & 0xFFFF, RtpPacket.sequenceNumber(out, 0), "continuous seq");
          assertEquals((firstTs + i * 3000L) & 0xFFFF_FFFFL, RtpPacket.timestamp(out, 0), "timestamp step");
          assertEquals(VP8_PT, RtpPacket.payloadType(out, 0));
          assertTrue(RtpPacket.marker(out, 0));
          byte[] inPayload = MediaFixtures.payloadOf(sent[i]);
          byte[] outPayload = MediaFixtures.payloadOf(out);
          assertEquals(PayloadDropReason.OK, vp8.parse(outPayload, 0, outPayload.length));
          if (i == 0) {
            firstPictureId = vp8.pictureId();
            assertTrue(vp8.keyframe());
          }
          assertEquals((firstPictureId + i) & 0x7FFF, vp8.pictureId(), "continuous picture ID");
          // Everything but the picture ID and TL0PICIDX is byte for byte what the publisher sent.
          byte[] a = inPayload.clone();
          byte[] b = outPayload.clone();
          for (int k = MediaFixtures.VP8_PICTURE_ID_OFFSET; k <= MediaFixtures.VP8_TL0PICIDX_OFFSET; k++) {
            a[k] = 0;
            b[k] = 0;
          }
          assertArrayEquals(a, b, "payload of packet " + i);
          // mid is the publisher's and must not reach the subscriber; the transport-wide number is
          // ours for this subscriber (it agreed the extension): continuous from the first packet.
          HeaderExtensionCursor cursor = new HeaderExtensionCursor();
          int transportSeq = -1;
          if (cursor.reset(out, 0, out.length)) {
            while (cursor.next()) {
              assertFalse(cursor.id() == MediaFixtures.MID_ID, "stripped extension " + cursor.id());
              if (cursor.id() == MediaFixtures.TRANSPORT_CC_ID) {
                transportSeq = TransportCcExtension.sequenceNumber(out, cursor.dataOffset());
              }
            }
          }
          assertEquals(i, transportSeq, "our transport-wide number, from 0 per subscriber");
        }
        assertEquals(0, peer.receiveFailures);
      }
      // Both subscriptions asked for a keyframe; the publisher saw PLIs for its SSRC.
      List<int[]> plis = alice.rtcpPackets(RtcpHeader.PT_PSFB);
      assertFalse(plis.isEmpty());
      int[] pli = plis.get(0);
      assertEquals(PUB_SSRC, PliParser.mediaSsrc(alice.rtcpCompound(pli), pli[1]) & 0xFFFF_FFFFL);
      assertEquals(0, h.sfu.packetPool().outstanding());
    }
  }

  @Test
  void lateSubscriberWaitsForKeyframeAndItsFirstPacketIsOne() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, PUB_RTX_SSRC));
      int seq = 100;
      for (int f = 0; f < 5; f++) {
        sendFrame(alice, seq++, f == 0, f);
      }
      alice.receive();
      alice.rtcp.clear();
      TrackSubscription sub = bob.participant.subscribe(cam);
      // The subscription asked for a keyframe at once.
      assertEquals(1, alice.rtcpPackets(RtcpHeader.PT_PSFB).size());
      assertTrue(h.events().contains("keyframe 0"));
      for (int f = 5; f < 10; f++) {
        sendFrame(alice, seq++, false, f);
      }
      assertTrue(bob.rtpWithSsrc(sub.ssrc()).isEmpty(), "no delta frame before the keyframe");
      assertEquals(5, bob.participant.stats().dropped(DropReason.WAITING_FOR_KEYFRAME));
      // No keyframe yet: the request is repeated after the interval, not before.
      h.advance(100);
      assertEquals(1, alice.rtcpPackets(RtcpHeader.PT_PSFB).size());
      h.advance(250);
      assertEquals(2, alice.rtcpPackets(RtcpHeader.PT_PSFB).size());
      byte[] key = sendFrame(alice, seq++, true, 10);
      sendFrame(alice, seq++, false, 11);
      List<byte[]> got = bob.rtpWithSsrc(sub.ssrc());
      assertEquals(2, got.size());
      Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
      byte[] first = MediaFixtures.payloadOf(got.get(0));
      assertEquals(PayloadDropReason.OK, vp8.parse(first, 0, first.length));
      assertTrue(vp8.keyframe(), "first packet starts a keyframe");
      byte[] keyPayload = MediaFixtures.payloadOf(key);
      assertArrayEquals(Arrays.copyOfRange(keyPayload, 5, keyPayload.length),
          Arrays.copyOfRange(first, 5, first.length));
      // The keyframe arrived: no more requests.
      h.advance(1000);
      assertEquals(2, alice.rtcpPackets(RtcpHeader.PT_PSFB).size());
    }
  }

  @Test
  void aSubscriberStartsOnAKeyframeSentAfterItsHandshakeNotOneLostBeforeIt() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, PUB_RTX_SSRC));
      int seq = 100;
      sendFrame(alice, seq++, true, 0);
      alice.receive();
      alice.rtcp.clear();
      bob.transport.setSecured(false);
      TrackSubscription sub = bob.participant.subscribe(cam);
      assertEquals(1, alice.rtcpPackets(RtcpHeader.PT_PSFB).size(), "asked at once");
      // The keyframe answers while Bob's DTLS handshake still runs: it is not where Bob starts.
      sendFrame(alice, seq++, true, 1);
      sendFrame(alice, seq++, false, 2);
      assertTrue(bob.rtpWithSsrc(sub.ssrc()).isEmpty(), "nothing before the handshake");
      assertEquals(2, bob.participant.stats().dropped(DropReason.WAITING_FOR_KEYFRAME));
      bob.transport.setSecured(true);
      alice.rtcp.clear();
      // The first packet after the handshake asks again (the earlier request was answered), as
      // soon as the requests' spacing allows.
      h.advance(300);
      sendFrame(alice, seq++, false, 3);
      h.advance(10);
      assertEquals(1, alice.rtcpPackets(RtcpHeader.PT_PSFB).size(), "a new keyframe request");
      sendFrame(alice, seq++, true, 4);
      List<byte[]> got = bob.rtpWithSsrc(sub.ssrc());
      assertEquals(1, got.size());
      Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
      byte[] first = MediaFixtures.payloadOf(got.get(0));
      assertEquals(PayloadDropReason.OK, vp8.parse(first, 0, first.length));
      assertTrue(vp8.keyframe(), "Bob starts on the keyframe sent after his handshake");
    }
  }

  @Test
  void theHandshakeEndingAsksForAKeyframeWithoutWaitingForAPacket() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, PUB_RTX_SSRC));
      TrackPublication mic = alice.participant.publish(MediaFixtures.audio("1", PUB_SSRC + 10));
      int seq = 100;
      sendFrame(alice, seq++, true, 0);
      alice.receive();
      bob.transport.setSecured(false);
      bob.participant.subscribe(mic);
      bob.participant.subscribe(cam);
      sendFrame(alice, seq++, true, 1); // answers the request made on subscribing, too early for Bob
      assertEquals(1, alice.rtcpPackets(RtcpHeader.PT_PSFB).size(), "asked on subscribing");
      alice.rtcp.clear();
      h.advance(300);
      assertTrue(alice.rtcpPackets(RtcpHeader.PT_PSFB).isEmpty(), "the first request was answered");

      bob.transport.setSecured(true);
      bob.participant.onTransportSecured();
      h.advance(10);
      assertEquals(1, alice.rtcpPackets(RtcpHeader.PT_PSFB).size(),
          "one keyframe request for the one video track, with no packet from Alice in between");
    }
  }

  @Test
  void thePublisherGetsTransportWideFeedbackForWhatArrivedAndWhatDidNot() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      alice.participant.publish(MediaFixtures.video("0", PUB_SSRC, PUB_RTX_SSRC));
      alice.receive();
      alice.rtcp.clear();
      // sendFrame stamps transport-wide number = RTP sequence number; 203 never arrives.
      for (int seq : new int[] {200, 201, 202, 204}) {
        sendFrame(alice, seq, seq == 200, seq);
        h.advance(5);
      }
      h.advance(60);
      List<int[]> feedback = new java.util.ArrayList<>();
      for (int[] ref : alice.rtcpPackets(RtcpHeader.PT_RTPFB)) {
        if (ref[4] == 15) {
          feedback.add(ref);
        }
      }
      // The first goes at the first tick; the next waits out the 50 ms interval (80 ms in all).
      assertEquals(2, feedback.size(), "transport-cc feedback (RTPFB FMT=15), spaced");
      dev.palco.rtp.rtcp.TransportCcParser parser = new dev.palco.rtp.rtcp.TransportCcParser();
      StringBuilder statuses = new StringBuilder();
      for (int[] ref : feedback) {
        assertEquals(dev.palco.rtp.rtcp.RtcpDropReason.OK, parser.reset(alice.rtcpCompound(ref), ref[1], ref[2]));
        while (parser.next()) {
          statuses.append(parser.sequenceNumber()).append(parser.received() ? "+" : "-").append(' ');
        }
      }
      assertEquals("200+ 201+ 202+ 203- 204+ ", statuses.toString());
    }
  }
}
