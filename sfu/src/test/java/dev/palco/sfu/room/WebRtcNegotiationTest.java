package dev.palco.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.dtls.DtlsCertificate;
import dev.palco.rtp.dtls.DtlsSettings;
import dev.palco.sfu.sdp.IceCandidate;
import dev.palco.sfu.sdp.MediaDescription;
import dev.palco.sfu.sdp.SdpException;
import dev.palco.sfu.sdp.SessionDescription;
import dev.palco.sfu.transport.CandidateDescription;
import dev.palco.sfu.transport.IceServer;
import dev.palco.sfu.transport.IceTestSupport;
import dev.palco.sfu.transport.WebRtcTransport;
import dev.palco.sfu.transport.WebRtcTransportListener;
import dev.palco.sfu.transport.WebRtcTransportState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real {@link WebRtcTransport} on loopback negotiated through SDP: the answer to a Chromium
 * offer states the transport, and the offer's side reaches the transport.
 */
class WebRtcNegotiationTest {
  private static IceServer ice;
  private static DtlsCertificate certificate;
  private static ExecutorService handshakes;
  private static Sfu sfu;

  @BeforeAll
  static void start() throws IOException {
    ice = IceServer.start(IceTestSupport.loopbackConfig(true));
    certificate = DtlsCertificate.generate(Instant.now());
    handshakes = Executors.newCachedThreadPool();
    sfu = new Sfu(SfuConfig.defaults());
  }

  @AfterAll
  static void stop() {
    sfu.close();
    ice.close();
    handshakes.shutdownNow();
  }

  private static String chromiumOffer() throws IOException {
    try (InputStream in = WebRtcNegotiationTest.class.getResourceAsStream(
        "/dev/palco/sfu/sdp/chromium156-sendonly-offer-gathered.sdp")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static WebRtcTransport transport(String id) throws IOException {
    return WebRtcTransport.create(id, ice, certificate, DtlsSettings.DEFAULTS, handshakes,
        new WebRtcTransportListener() {});
  }

  @Test
  void answerStatesTheTransportAndTheOfferReachesIt() throws IOException {
    WebRtcTransport transport = transport("neg-1");
    Participant participant =
        sfu.getOrCreateRoom("negotiation").join("p-1", transport, new WebRtcNegotiation(transport));
    try {
      SessionDescription answer =
          SessionDescription.parse(participant.answerPublishOffer(chromiumOffer()));
      MediaDescription first = answer.media().get(0);
      assertEquals(transport.localIceCredentials().ufrag(), first.iceUfrag());
      String text = answer.toSdp();
      assertTrue(text.contains("a=fingerprint:" + transport.localFingerprint().toSdp()), text);
      assertTrue(text.contains("a=setup:passive"), text);
      assertTrue(text.contains("a=end-of-candidates"), text);
      int udpPort = ice.udpAddresses().get(0).getPort();
      assertTrue(text.contains(" 127.0.0.1 " + udpPort + " typ host"), text);
      assertEquals(transport.localCandidates().size(), first.candidates().size());
      // The offer's credentials and fingerprint were applied: ICE checks are running.
      assertEquals(WebRtcTransportState.CONNECTING, transport.state());
      assertEquals(2, participant.publications().size());
    } finally {
      participant.leave();
    }
  }

  @Test
  void offerWithNewIceCredentialsRestartsIce() throws IOException {
    WebRtcTransport transport = transport("neg-2");
    Participant participant =
        sfu.getOrCreateRoom("negotiation").join("p-2", transport, new WebRtcNegotiation(transport));
    try {
      String offer = chromiumOffer();
      String firstUfrag = SessionDescription.parse(participant.answerPublishOffer(offer))
          .media().get(0).iceUfrag();
      String restart = offer.replace("a=ice-ufrag:E0KJ", "a=ice-ufrag:R3st")
          .replace("a=ice-pwd:pEV0FLHBwORPxilaNtlzho4Z", "a=ice-pwd:restartedPasswordOf24ch");
      String secondUfrag = SessionDescription.parse(participant.answerPublishOffer(restart))
          .media().get(0).iceUfrag();
      assertNotEquals(firstUfrag, secondUfrag);
      assertEquals(transport.localIceCredentials().ufrag(), secondUfrag);
    } finally {
      participant.leave();
    }
  }

  @Test
  void offerWithoutAUsableFingerprintIsRefusedByName() throws IOException {
    WebRtcTransport transport = transport("neg-3");
    Participant participant =
        sfu.getOrCreateRoom("negotiation").join("p-3", transport, new WebRtcNegotiation(transport));
    try {
      String md5 = chromiumOffer().replaceAll("a=fingerprint:sha-256 [0-9A-F:]+",
          "a=fingerprint:md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");
      SdpException e = assertThrows(SdpException.class, () -> participant.answerPublishOffer(md5));
      assertTrue(e.getMessage().contains("fingerprint"), e.getMessage());
    } finally {
      participant.leave();
    }
  }

  @Test
  void candidatesConvertBothWaysAndMdnsNamesAreSkipped() throws IOException {
    WebRtcTransport transport = transport("neg-4");
    try {
      for (CandidateDescription c : transport.localCandidates()) {
        assertEquals(c, WebRtcNegotiation.fromSdp(WebRtcNegotiation.toSdp(c)));
      }
      assertNull(WebRtcNegotiation.fromSdp(IceCandidate.parse(
          "candidate:1 1 udp 2122260223 0b7c2bbc-1b4e-4d3c-9f1a-5a1e0d0c8e11.local 54321 typ host")));
    } finally {
      transport.close();
    }
  }
}
