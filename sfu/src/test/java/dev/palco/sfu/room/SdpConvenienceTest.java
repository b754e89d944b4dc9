package dev.palco.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.RtpPacket;
import dev.palco.sfu.sdp.Fingerprint;
import dev.palco.sfu.sdp.IceCandidate;
import dev.palco.sfu.sdp.LocalTransport;
import dev.palco.sfu.sdp.NegotiatedSession;
import dev.palco.sfu.sdp.SessionDescription;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Publishing from a Chromium offer and subscribing through an SFU offer, over the sdp package. */
class SdpConvenienceTest {

  /** A fixed SFU side of the transport, recording what the remote side told it. */
  static final class FakeNegotiation implements TransportNegotiation {
    final List<NegotiatedSession> applied = new ArrayList<>();

    @Override
    public LocalTransport localTransport() {
      return new LocalTransport("sfuU", "sfuPasswordSfuPassword1", List.of("trickle"), false,
          List.of(new Fingerprint("sha-256", "0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:"
              + "0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9")),
          List.of(IceCandidate.of("1", 1, IceCandidate.Transport.UDP, 2130706431L, "127.0.0.1", 10000,
              IceCandidate.Type.HOST, null, -1, null)),
          true);
    }

    @Override
    public void applyRemote(NegotiatedSession session) {
      applied.add(session);
    }
  }

  static String fixture(String name) throws IOException {
    try (InputStream in = SdpConvenienceTest.class.getResourceAsStream("/dev/palco/sfu/sdp/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * What Chromium answers to an SFU offer, made from the offer: same sections, codecs and
   * extensions, its own ICE and DTLS lines, {@code active}, recvonly where the SFU sends.
   */
  static String browserAnswer(String offer) {
    StringBuilder out = new StringBuilder();
    for (String line : offer.split("\r\n")) {
      if (line.startsWith("a=candidate") || line.startsWith("a=end-of-candidates") || line.startsWith("a=ssrc")
          || line.startsWith("a=msid:") || line.startsWith("a=ice-lite")) {
        continue;
      }
      if (line.startsWith("o=")) {
        line = "o=- 4611731400430051336 2 IN IP4 127.0.0.1";
      } else if (line.startsWith("a=ice-ufrag:")) {
        line = "a=ice-ufrag:Zq3b";
      } else if (line.startsWith("a=ice-pwd:")) {
        line = "a=ice-pwd:1r2x/4Vt+6hJq8mK0pXcD2fG";
      } else if (line.startsWith("a=fingerprint:")) {
        line = "a=fingerprint:sha-256 11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:"
            + "11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00";
      } else if (line.equals("a=setup:actpass")) {
        line = "a=setup:active";
      } else if (line.equals("a=sendonly")) {
        line = "a=recvonly";
      } else if (line.equals("a=recvonly")) {
        line = "a=sendonly";
      }
      out.append(line).append("\r\n");
    }
    return out.toString();
  }

  @Test
  void publishFromABrowserOfferAndSubscribeThroughAnSfuOffer() throws IOException {
    try (SfuHarness h = new SfuHarness()) {
      FakeNegotiation aliceNeg = new FakeNegotiation();
      FakeNegotiation bobNeg = new FakeNegotiation();
      TestPeer alice = new TestPeer("alice", 11);
      TestPeer bob = new TestPeer("bob", 12);
      alice.participant = h.room.join("alice", alice.transport, aliceNeg);
      bob.participant = h.room.join("bob", bob.transport, bobNeg);

      String answer = alice.participant.answerPublishOffer(fixture("chromium156-sendonly-offer.sdp"));
      SessionDescription parsed = SessionDescription.parse(answer);
      assertTrue(answer.contains("a=setup:passive"));
      assertEquals(1, aliceNeg.applied.size());
      List<TrackPublication> pubs = alice.participant.publications();
      assertEquals(2, pubs.size(), "audio and video published");
      TrackPublication video = pubs.get(0).kind() == TrackKind.VIDEO ? pubs.get(0) : pubs.get(1);
      assertTrue(h.events().contains("published " + video.mid() + " by alice"));
      TrackParameters vp = video.parameters();
      CodecParameters vp8 = vp.codecs().get(0);
      assertTrue(vp8.hasRtx() && vp8.nack() && vp8.pli());
      assertTrue(vp.extensionId(ExtensionUris.MID) > 0);
      assertNotNull(parsed.media());

      TrackSubscription sub = bob.participant.subscribe(video);
      String offer = bob.participant.createSubscriberOffer();
      assertTrue(offer.contains("a=ssrc:" + sub.ssrc() + " cname:" + sub.cname()), offer);
      assertTrue(offer.contains(" " + sub.trackId()), "msid names the track");
      bob.participant.applySubscriberAnswer(browserAnswer(offer));
      assertEquals(1, bobNeg.applied.size());
      assertThrows(IllegalStateException.class, () -> bob.participant.applySubscriberAnswer(browserAnswer(offer)));

      // Media flows with the subscriber's payload type for VP8.
      long ssrc = vp.ssrcs().isEmpty() ? 0x1234L : vp.ssrcs().get(0).ssrc();
      int bobVp8Pt = bob.participant.negotiatedSession().media().get(0).codecs().stream()
          .filter(c -> c.name().equalsIgnoreCase("VP8")).findFirst().orElseThrow().payloadType();
      alice.sendRtp(MediaFixtures.rtp(vp8.payloadType(), 1, 1000, ssrc, true, video.mid(), null, false, 1,
          MediaFixtures.vp8Payload(true, 1, 1, 10, 1)));
      List<byte[]> got = bob.rtpWithSsrc(sub.ssrc());
      assertEquals(1, got.size());
      assertEquals(bobVp8Pt, RtpPacket.payloadType(got.get(0), 0));

      // Unsubscribing and offering again stops the section.
      sub.close();
      String second = bob.participant.createSubscriberOffer();
      assertTrue(second.contains("m=video 0 "), second);
      bob.participant.applySubscriberAnswer(browserAnswer(second));
    }
  }

  @Test
  void sdpMethodsNeedATransportNegotiation() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      assertThrows(IllegalStateException.class, () -> alice.participant.createSubscriberOffer());
    }
  }
}
