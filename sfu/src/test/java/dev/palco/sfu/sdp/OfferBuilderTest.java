package dev.palco.sfu.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OfferBuilderTest {

  private static final OutgoingTrack A1 = new OutgoingTrack(MediaKind.AUDIO, "sfu-stream", "track-a1", 1010, -1, "sfu");
  private static final OutgoingTrack V1 = new OutgoingTrack(MediaKind.VIDEO, "sfu-stream", "track-v1", 1015, 2010, "sfu");
  private static final OutgoingTrack A2 = new OutgoingTrack(MediaKind.AUDIO, "sfu-stream", "track-a2", 1020, -1, "sfu");
  private static final OutgoingTrack V2 = new OutgoingTrack(MediaKind.VIDEO, "sfu-stream", "track-v2", 1025, 2020, "sfu");

  private static OfferBuilder builder() {
    return new OfferBuilder(SfuCapabilities.defaults(), TestTransports.SFU, new SplittableRandom(7));
  }

  private static List<String> mids(SessionDescription d) {
    return d.media().stream().map(MediaDescription::mid).toList();
  }

  private static List<Integer> ports(SessionDescription d) {
    return d.media().stream().map(m -> m.mediaLine().port()).toList();
  }

  @Test
  void firstOfferHasSendonlySectionsWithOurPayloadTypesSsrcsAndActpass() {
    OfferResult r = builder().offer(List.of(A1, V1));
    SessionDescription o = r.offer();
    assertEquals(List.of("0", "1"), mids(o));
    assertEquals(List.of("0", "1"), o.bundleGroup().mids());
    assertEquals(Map.of("track-a1", "0", "track-v1", "1"), r.midsByTrackId());
    MediaDescription audio = o.media().get(0);
    MediaDescription video = o.media().get(1);
    // Opus, and Opus in RED (RFC 2198) whose fmtp names this offer's Opus payload type.
    assertEquals("audio 10000 UDP/TLS/RTP/SAVPF 111 63", audio.mediaLine().toValue());
    assertEquals(new Fmtp(63, "111/111"), audio.fmtp(63));
    assertEquals("video 9 UDP/TLS/RTP/SAVPF 96 97 102 103", video.mediaLine().toValue());
    for (MediaDescription m : o.media()) {
      assertEquals(Direction.SENDONLY, m.direction());
      assertEquals(SetupRole.ACTPASS, m.setup());
      assertTrue(m.rtcpMux() && m.rtcpRsize());
    }
    assertEquals(List.of(new SsrcGroup("FID", List.of(1015L, 2010L))), video.ssrcGroups());
    assertEquals(List.of(1015L, 2010L), video.ssrcIds());
    assertEquals("sfu-stream track-v1", video.msids().get(0).toValue());
    assertEquals(new Fmtp(102, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"), video.fmtp(102));
    assertEquals(new Fmtp(103, "apt=102"), video.fmtp(103));
    // One id per URI across the BUNDLE group (RFC 8843 §9.1.2, RFC 8285 §6).
    for (ExtMap e : video.extmaps()) {
      for (ExtMap a : audio.extmaps()) {
        assertEquals(e.uri().equals(a.uri()), e.id() == a.id(), e + " vs " + a);
      }
    }
    assertEquals(List.of(RtpHeaderExtensionUris.ABS_SEND_TIME, RtpHeaderExtensionUris.TRANSPORT_WIDE_CC,
        RtpHeaderExtensionUris.SDES_MID, RtpHeaderExtensionUris.ABS_CAPTURE_TIME, RtpHeaderExtensionUris.SDES_RTP_STREAM_ID,
        RtpHeaderExtensionUris.SDES_REPAIRED_RTP_STREAM_ID), video.extmaps().stream().map(ExtMap::uri).toList());
    // Audio feedback: transport-cc only.
    assertEquals(List.of(new RtcpFeedback(111, "transport-cc", null)), audio.rtcpFeedback());
  }

  /**
   * The interop fixtures are a real exchange: Chromium 156 published (its offer), the SFU answered,
   * the SFU then offered a1+v1 and Chromium answered. Rebuilding the chain must give the same SFU
   * offer byte for byte, and the real answer must be read correctly. The SFU's offer has since
   * gained RED in its audio sections (the fixture with it); Chromium's recorded answer, which
   * agreed Opus alone, is still a valid answer to it.
   */
  @Test
  void realChromiumAnswerToAnSfuOfferIsRead() {
    SessionDescription publish = SessionDescription.parse(Fixtures.load("interop-chromium156-publish-offer.sdp"));
    AnswerResult published = TestTransports.answerBuilder(SfuCapabilities.defaults().withSimulcast(true)).answer(publish);
    OfferResult offer = builder().offer(published.answer(), publish, List.of(A1, V1));
    assertEquals(Fixtures.load("interop-sfu-offer-a1-v1.sdp"), offer.offer().toSdp());

    SessionDescription answer = SessionDescription.parse(Fixtures.load("interop-chromium156-answer-to-sfu-offer.sdp"));
    NegotiatedSession s = builder().acceptAnswer(offer.offer(), answer);
    assertEquals(List.of("0", "1", "3", "4"), s.bundleMids());
    assertEquals(List.of("2"), s.rejectedMids());
    assertEquals(SetupRole.ACTIVE, s.remoteSetup());
    assertEquals(answer.media().get(0).iceUfrag(), s.remoteIceUfrag());
    // Publisher sections stay receive-only, with simulcast layers.
    assertEquals(Direction.RECVONLY, s.media("1").direction());
    // Subscriber sections: what the SFU sends, with the answer's numbers and feedback.
    NegotiatedMedia a1 = s.media("3");
    assertEquals(Direction.SENDONLY, a1.direction());
    assertEquals(A1, a1.localTrack());
    assertEquals(List.of("opus"), a1.codecs().stream().map(NegotiatedCodec::name).toList());
    assertEquals(111, a1.codecs().get(0).payloadType());
    assertTrue(a1.codecs().get(0).supports(RtcpFeedbackType.TRANSPORT_CC));
    assertEquals(4, a1.extensionId(RtpHeaderExtensionUris.SDES_MID));
    NegotiatedMedia v1 = s.media("4");
    assertEquals(V1, v1.localTrack());
    assertEquals(Direction.SENDONLY, v1.direction());
    NegotiatedCodec vp8 = v1.codec(96);
    assertEquals(97, vp8.rtxPayloadType());
    for (RtcpFeedbackType t : RtcpFeedbackType.values()) {
      assertTrue(vp8.supports(t), t.name());
    }
    NegotiatedCodec h264 = v1.codec(108);
    assertEquals("42e01f", h264.fmtp().get("profile-level-id"));
    assertEquals(109, h264.rtxPayloadType());
    assertEquals(List.of(), v1.remoteSsrcs(), "the browser does not send on a subscriber section");
    assertEquals(Map.of("3", A1, "4", V1), s.outgoingTracksByMid());
  }

  /** A hand-written answer in Chromium's form (the subset that matters), to the SFU's first offer. */
  private static String chromiumStyleAnswer(SessionDescription offer, String setup) {
    StringBuilder sb = new StringBuilder("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n")
        .append("a=group:BUNDLE 0 1\r\na=msid-semantic: WMS\r\n");
    String[] pts = {"111", "96 97 102 103"};
    for (int i = 0; i < 2; i++) {
      MediaDescription m = offer.media().get(i);
      sb.append("m=").append(m.mediaLine().media()).append(" 9 UDP/TLS/RTP/SAVPF ").append(pts[i]).append("\r\n")
          .append("c=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n")
          .append("a=ice-ufrag:Zq3b\r\na=ice-pwd:1r2x/4Vt+6hJq8mK0pXcD2fG\r\na=ice-options:trickle\r\n")
          .append("a=fingerprint:sha-256 ").append(TestTransports.SFU_FINGERPRINT.value()).append("\r\n")
          .append("a=setup:").append(setup).append("\r\na=mid:").append(m.mid()).append("\r\n");
      for (ExtMap e : m.extmaps()) {
        if (!e.uri().equals(RtpHeaderExtensionUris.ABS_CAPTURE_TIME)) {
          sb.append("a=extmap:").append(e.toValue()).append("\r\n");
        }
      }
      sb.append("a=recvonly\r\na=rtcp-mux\r\na=rtcp-rsize\r\n");
      if (i == 0) {
        sb.append("a=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\n")
            .append("a=fmtp:111 minptime=10;useinbandfec=1\r\n");
      } else {
        sb.append("a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 goog-remb\r\na=rtcp-fb:96 transport-cc\r\n")
            .append("a=rtcp-fb:96 ccm fir\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\n")
            .append("a=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n")
            .append("a=rtpmap:102 H264/90000\r\na=rtcp-fb:102 nack\r\n")
            .append("a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n")
            .append("a=rtpmap:103 rtx/90000\r\na=fmtp:103 apt=102\r\n");
      }
    }
    return sb.toString();
  }

  @Test
  void handWrittenChromiumStyleAnswerIsParsed() {
    SessionDescription offer = builder().offer(List.of(A1, V1)).offer();
    NegotiatedSession s = builder().acceptAnswer(offer, SessionDescription.parse(chromiumStyleAnswer(offer, "active")));
    assertEquals("Zq3b", s.remoteIceUfrag());
    assertEquals("1r2x/4Vt+6hJq8mK0pXcD2fG", s.remoteIcePwd());
    assertEquals(List.of(TestTransports.SFU_FINGERPRINT), s.remoteFingerprints());
    NegotiatedMedia v = s.media("1");
    assertEquals(Direction.SENDONLY, v.direction());
    NegotiatedCodec h264 = v.codec(102);
    assertEquals(java.util.Set.of(RtcpFeedbackType.NACK), h264.feedback(), "only what both sides listed");
    assertEquals(103, h264.rtxPayloadType());
    assertEquals(-1, v.extensionId(RtpHeaderExtensionUris.ABS_CAPTURE_TIME), "not answered, not agreed");
    assertEquals(3, v.extensionId(RtpHeaderExtensionUris.TRANSPORT_WIDE_CC));
  }

  @Test
  void answersThatBreakTheRulesAreRefused() {
    SessionDescription offer = builder().offer(List.of(A1, V1)).offer();
    String ok = chromiumStyleAnswer(offer, "active");
    assertThrows(SdpNegotiationException.class, () -> builder().acceptAnswer(offer,
        SessionDescription.parse(chromiumStyleAnswer(offer, "passive"))), "the SFU is always the DTLS server");
    SdpException noMux = assertThrows(SdpNegotiationException.class, () -> builder().acceptAnswer(offer,
        SessionDescription.parse(ok.replace("a=rtcp-mux\r\n", ""))));
    assertEquals("m=audio mid=0: answer has no a=rtcp-mux (RFC 8829 §5.1.3)", noMux.getMessage());
    assertThrows(SdpNegotiationException.class, () -> builder().acceptAnswer(offer,
        SessionDescription.parse(ok.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0"))));
    assertThrows(SdpNegotiationException.class, () -> builder().acceptAnswer(offer,
        SessionDescription.parse(ok.replace("a=mid:1", "a=mid:7"))));
    SdpException noCodec = assertThrows(SdpNegotiationException.class, () -> builder().acceptAnswer(offer,
        SessionDescription.parse(ok.replace("m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103", "m=video 9 UDP/TLS/RTP/SAVPF 45"))));
    assertTrue(noCodec.getMessage().startsWith("m=video mid=1: answer has no codec the SFU offered"), noCodec.getMessage());
  }

  @Test
  void renegotiationKeepsMidsStopsRemovedTracksAndRecyclesOnlyInALaterOffer() {
    OfferBuilder b = builder();
    SessionDescription o1 = b.offer(List.of(A1, V1)).offer();
    SessionDescription ans1 = SessionDescription.parse(chromiumStyleAnswer(o1, "active"));
    b.acceptAnswer(o1, ans1);

    // Remove V1, add A2: V1's section is stopped (port 0, mid kept, out of BUNDLE); A2 is appended
    // because a section stopped in this same offer is not reused yet.
    OfferResult r2 = b.offer(o1, ans1, List.of(A1, A2));
    SessionDescription o2 = r2.offer();
    assertEquals(List.of("0", "1", "2"), mids(o2));
    assertEquals(List.of(10000, 0, 9), ports(o2));
    assertEquals(List.of("0", "2"), o2.bundleGroup().mids());
    assertEquals(Map.of("track-a1", "0", "track-a2", "2"), r2.midsByTrackId());
    assertEquals(o1.media().get(0).lines().stream().filter(l -> !SectionWriter.isTransportLine(l)).toList().toString(),
        o2.media().get(0).lines().stream().filter(l -> !SectionWriter.isTransportLine(l)).toList().toString(),
        "a kept section is unchanged apart from transport lines");
    assertEquals(o1.origin().sessionId(), o2.origin().sessionId());
    assertEquals(o1.origin().sessionVersion() + 1, o2.origin().sessionVersion());

    // Add V2 in the next offer: it takes the stopped video slot with a new mid (3).
    OfferResult r3 = b.offer(o2, null, List.of(A1, A2, V2));
    SessionDescription o3 = r3.offer();
    assertEquals(List.of("0", "3", "2"), mids(o3));
    assertEquals(List.of(10000, 9, 9), ports(o3));
    assertEquals(List.of("0", "3", "2"), o3.bundleGroup().mids());
    assertEquals(Map.of("track-a1", "0", "track-a2", "2", "track-v2", "3"), r3.midsByTrackId());
    // The reused slot uses the session's payload types (the same numbers as before).
    assertEquals(o1.media().get(1).mediaLine().formats(), o3.media().get(1).mediaLine().formats());

    // Removing the first section moves the BUNDLE tag (and the candidates) to the next live one.
    SessionDescription o4 = b.offer(o3, null, List.of(A2, V2)).offer();
    assertEquals(List.of("0", "3", "2"), mids(o4));
    assertEquals(List.of(0, 10000, 9), ports(o4));
    assertEquals(2, o4.media().get(1).candidates().size());
    assertEquals(List.of("3", "2"), o4.bundleGroup().mids());

    // Adding audio again recycles the first slot (audio) with mid 4; mids never come back.
    SessionDescription o5 = b.offer(o4, null, List.of(A2, V2, A1)).offer();
    assertEquals(List.of("4", "3", "2"), mids(o5));
  }

  @Test
  void sectionRejectedByTheBrowserIsRecyclable() {
    OfferBuilder b = builder();
    SessionDescription o1 = b.offer(List.of(A1, V1)).offer();
    String ans = chromiumStyleAnswer(o1, "active");
    String videoPart = ans.substring(ans.indexOf("m=video"));
    String rejectedVideo = "m=video 0 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\n";
    SessionDescription ans1 = SessionDescription.parse(ans.replace(videoPart, rejectedVideo).replace("BUNDLE 0 1", "BUNDLE 0"));
    NegotiatedSession s = b.acceptAnswer(o1, ans1);
    assertEquals(List.of("1"), s.rejectedMids());
    assertNull(s.media("1"));
    SessionDescription o2 = b.offer(o1, ans1, List.of(A1, V2)).offer();
    assertEquals(List.of("0", "2"), mids(o2));
    assertEquals(List.of("0", "2"), o2.bundleGroup().mids());
  }

  @Test
  void offerAfterABrowserOfferKeepsItsPublishSectionsAndNumbering() {
    SessionDescription publish = SessionDescription.parse(Fixtures.load("chromium156-sendonly-offer.sdp"));
    AnswerResult published = TestTransports.answerBuilder(SfuCapabilities.defaults()).answer(publish);
    SessionDescription o = builder().offer(published.answer(), publish, List.of(V1)).offer();
    assertEquals(List.of("0", "1", "2"), mids(o));
    assertEquals(Direction.RECVONLY, o.media().get(0).direction());
    assertEquals(Direction.RECVONLY, o.media().get(1).direction());
    assertEquals(SetupRole.ACTPASS, o.media().get(1).setup());
    // The new video section reuses the browser's numbers for the same codecs: VP8 96/97, H.264 108/109.
    assertEquals(List.of("96", "97", "108", "109"), o.media().get(2).mediaLine().formats());
    // ... and the browser's extension ids.
    assertEquals(4, o.media().get(2).extmaps().stream()
        .filter(e -> e.uri().equals(RtpHeaderExtensionUris.SDES_MID)).findFirst().orElseThrow().id());
  }

  @Test
  void inconsistentTrackListsAreRefused() {
    assertThrows(SdpNegotiationException.class, () -> builder().offer(List.of(A1, A1)));
    OutgoingTrack clash = new OutgoingTrack(MediaKind.AUDIO, "s", "other", A1.ssrc(), -1, "c");
    assertThrows(SdpNegotiationException.class, () -> builder().offer(List.of(A1, clash)));
  }
}
