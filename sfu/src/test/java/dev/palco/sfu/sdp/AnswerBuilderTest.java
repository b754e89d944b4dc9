package dev.palco.sfu.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

class AnswerBuilderTest {

  private static final String AUDIO_LEVEL = RtpHeaderExtensionUris.SSRC_AUDIO_LEVEL;
  private static final String ABS_SEND_TIME = RtpHeaderExtensionUris.ABS_SEND_TIME;
  private static final String TWCC = RtpHeaderExtensionUris.TRANSPORT_WIDE_CC;
  private static final String MID = RtpHeaderExtensionUris.SDES_MID;
  private static final String RID = RtpHeaderExtensionUris.SDES_RTP_STREAM_ID;
  private static final String RRID = RtpHeaderExtensionUris.SDES_REPAIRED_RTP_STREAM_ID;

  private static AnswerResult answer(String sdp) {
    return TestTransports.answerBuilder(SfuCapabilities.defaults()).answer(SessionDescription.parse(sdp));
  }

  @ParameterizedTest
  @FieldSource("dev.palco.sfu.sdp.Fixtures#CHROMIUM_OFFERS")
  void answersEveryChromiumOfferWithExactlyTheExpectedCodecsExtensionsAndFeedback(String fixture) {
    AnswerResult r = answer(Fixtures.load(fixture));
    SessionDescription a = SessionDescription.parse(r.answer().toSdp());

    assertEquals(List.of("0", "1"), a.bundleGroup().mids());
    MediaDescription audio = a.media().get(0);
    MediaDescription video = a.media().get(1);

    // Audio: Opus (offerer's PT 111) wrapped in RED (63, "111/111", RFC 2198) and listed first, so
    // that the browser sends RED; G722, PCMU/A, CN and telephone-event refused.
    assertEquals(List.of("63", "111"), audio.mediaLine().formats());
    assertEquals(List.of(new RtpMap(63, "red", 48000, 2), new RtpMap(111, "opus", 48000, 2)), audio.rtpmaps());
    assertEquals(List.of(new Fmtp(63, "111/111"), new Fmtp(111, "minptime=10;useinbandfec=1")), audio.fmtps());
    assertEquals(List.of(new RtcpFeedback(111, "transport-cc", null)), audio.rtcpFeedback());
    assertEquals(List.of(new ExtMap(1, null, AUDIO_LEVEL, null), new ExtMap(2, null, ABS_SEND_TIME, null),
        new ExtMap(3, null, TWCC, null), new ExtMap(4, null, MID, null)), audio.extmaps());

    // Video: VP8 96 + RTX 97, H.264 42e01f mode 1 at 108 + RTX 109 (42001f, mode 0, VP9, AV1 refused).
    assertEquals(List.of("96", "97", "108", "109"), video.mediaLine().formats());
    assertEquals(List.of(new RtpMap(96, "VP8", 90000, 0), new RtpMap(97, "rtx", 90000, 0),
        new RtpMap(108, "H264", 90000, 0), new RtpMap(109, "rtx", 90000, 0)), video.rtpmaps());
    assertEquals(List.of(new Fmtp(97, "apt=96"),
        new Fmtp(108, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"),
        new Fmtp(109, "apt=108")), video.fmtps());
    for (int pt : new int[] {96, 108}) {
      List<String> fb = video.rtcpFeedback().stream().filter(f -> f.payloadType() == pt)
          .map(f -> f.type() + (f.parameter() == null ? "" : " " + f.parameter())).toList();
      assertEquals(List.of("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc"), fb);
    }
    assertEquals(List.of(new ExtMap(2, null, ABS_SEND_TIME, null), new ExtMap(3, null, TWCC, null),
        new ExtMap(4, null, MID, null), new ExtMap(10, null, RID, null), new ExtMap(11, null, RRID, null)),
        video.extmaps());

    for (MediaDescription m : List.of(audio, video)) {
      assertEquals(SetupRole.PASSIVE, m.setup());
      assertEquals(Direction.RECVONLY, m.direction());
      assertTrue(m.rtcpMux());
      assertTrue(m.rtcpRsize());
      assertEquals("sfuU", m.iceUfrag());
      assertEquals(List.of(TestTransports.SFU_FINGERPRINT), m.fingerprints());
      assertTrue(m.ssrcs().isEmpty(), "nothing is sent to a publisher");
      assertNull(m.simulcast(), "simulcast is off by default");
    }
    // Candidates go into the BUNDLE tag section only, whose m= line carries the default candidate.
    assertEquals(2, audio.candidates().size());
    assertTrue(audio.endOfCandidates());
    assertEquals(10000, audio.mediaLine().port());
    assertEquals(List.of(), video.candidates());
    assertEquals(9, video.mediaLine().port());

    // The agreement mirrors the answer.
    NegotiatedSession s = r.session();
    assertEquals(List.of("0", "1"), s.bundleMids());
    assertEquals(SetupRole.ACTPASS, s.remoteSetup());
    assertEquals(SetupRole.PASSIVE, s.localSetup());
    assertEquals(List.of("trickle"), s.remoteIceOptions());
    assertEquals("sha-256", s.remoteFingerprints().get(0).hashFunction());
    NegotiatedMedia na = s.media("0");
    assertEquals(MediaKind.AUDIO, na.kind());
    assertEquals(Direction.RECVONLY, na.direction());
    assertEquals(List.of(new NegotiatedCodec("red", 63, 48000, 2, Map.of("111/111", ""), -1, Set.of()),
        new NegotiatedCodec("opus", 111, 48000, 2, Map.of("minptime", "10", "useinbandfec", "1"), -1,
        EnumSet.of(RtcpFeedbackType.TRANSPORT_CC))), na.codecs());
    assertEquals(Map.of(AUDIO_LEVEL, 1, ABS_SEND_TIME, 2, TWCC, 3, MID, 4), na.extensionIds());
    assertEquals(1, na.remoteSsrcs().size());
    NegotiatedMedia nv = s.media("1");
    assertEquals(97, nv.codec(96).rtxPayloadType());
    assertEquals(109, nv.codec(108).rtxPayloadType());
    assertTrue(nv.codec(108).supports(RtcpFeedbackType.NACK_PLI));
    assertEquals(10, nv.extensionId(RID));
    assertEquals(-1, nv.extensionId(AUDIO_LEVEL));
    // Simulcast offers name their layers by rid and signal no SSRCs (nor a CNAME) for video.
    boolean simulcast = SessionDescription.parse(Fixtures.load(fixture)).media().get(1).simulcast() != null;
    assertTrue(nv.remoteMsid() != null);
    assertEquals(simulcast, nv.remoteCname() == null);
    assertEquals(simulcast ? 0 : 2, nv.remoteSsrcs().size());
  }

  @ParameterizedTest
  @FieldSource("dev.palco.sfu.sdp.Fixtures#CHROMIUM_OFFERS")
  void answerIsByteStableAndParsesBack(String fixture) {
    String a1 = answer(Fixtures.load(fixture)).answer().toSdp();
    String a2 = answer(Fixtures.load(fixture)).answer().toSdp();
    assertEquals(a1, a2);
    assertEquals(a1, SessionDescription.parse(a1).toSdp());
  }

  @Test
  void dataChannelIsRejectedWithPortZeroAndMidKeptOutOfBundle() {
    AnswerResult r = answer(Fixtures.load("chromium156-addtrack-datachannel-offer-gathered.sdp"));
    MediaDescription app = r.answer().media().get(2);
    assertEquals("application 0 UDP/DTLS/SCTP webrtc-datachannel", app.mediaLine().toValue());
    assertEquals("2", app.mid());
    assertEquals(List.of("0", "1"), r.answer().bundleGroup().mids());
    assertEquals(List.of("2"), r.session().rejectedMids());
    assertEquals(2, r.session().media().size());
  }

  @Test
  void addTrackSendrecvSectionsAreAnsweredRecvonly() {
    AnswerResult r = answer(Fixtures.load("chromium156-addtrack-datachannel-offer.sdp"));
    assertEquals(Direction.SENDRECV, SessionDescription.parse(Fixtures.load("chromium156-addtrack-datachannel-offer.sdp"))
        .media().get(0).direction());
    assertEquals(Direction.RECVONLY, r.answer().media().get(0).direction());
    assertEquals(Direction.RECVONLY, r.session().media("1").direction());
  }

  @Test
  void simulcastIsAnsweredWithRecvRidsWhenEnabled() {
    AnswerResult r = TestTransports.answerBuilder(SfuCapabilities.defaults().withSimulcast(true))
        .answer(SessionDescription.parse(Fixtures.load("chromium156-simulcast-offer.sdp")));
    MediaDescription video = r.answer().media().get(1);
    assertEquals(List.of("q recv", "h recv", "f recv"), video.rids().stream().map(Rid::toValue).toList());
    assertEquals("recv q;h;f", video.simulcast().toValue());
    assertEquals(List.of("q", "h", "f"), r.session().media("1").remoteRids());
    assertNull(r.answer().media().get(0).simulcast());
  }

  @Test
  void activeOfferIsAnsweredPassive() {
    String offer = Fixtures.load("chromium156-sendonly-offer.sdp").replace("a=setup:actpass", "a=setup:active");
    AnswerResult r = answer(offer);
    assertEquals(SetupRole.PASSIVE, r.answer().media().get(0).setup());
    assertEquals(SetupRole.ACTIVE, r.session().remoteSetup());
  }

  @Test
  void redIsAgreedOnlyAroundTheAgreedOpusAndNotWhenTurnedOff() {
    String offer = Fixtures.load("chromium156-sendonly-offer.sdp");
    MediaDescription on = answer(offer).answer().media().get(0);
    assertEquals(List.of("63", "111"), on.mediaLine().formats());
    // Turned off (palco.media.opus-red = false): plain Opus, which the browser then sends.
    AnswerResult off = TestTransports.answerBuilder(SfuCapabilities.defaults().withoutOpusRed())
        .answer(SessionDescription.parse(offer));
    assertEquals(List.of("111"), off.answer().media().get(0).mediaLine().formats());
    // RED around another codec than the Opus agreed (RFC 2198 §5 lists the blocks' types): refused.
    String aroundG722 = offer.replace("a=fmtp:63 111/111", "a=fmtp:63 9/9");
    assertEquals(List.of("111"), answer(aroundG722).answer().media().get(0).mediaLine().formats());
    String mixed = offer.replace("a=fmtp:63 111/111", "a=fmtp:63 111/9");
    assertEquals(List.of("111"), answer(mixed).answer().media().get(0).mediaLine().formats());
    // Without its fmtp the blocks are unknown: refused.
    String bare = offer.replace("a=fmtp:63 111/111\r\n", "");
    assertEquals(List.of("111"), answer(bare).answer().media().get(0).mediaLine().formats());
    // Without Opus there is nothing for RED to carry.
    String noOpus = offer.replace("UDP/TLS/RTP/SAVPF 111 63 ", "UDP/TLS/RTP/SAVPF 63 ");
    assertEquals(List.of(), CodecMatcher.matchOffer(SessionDescription.parse(noOpus).media().get(0),
        MediaKind.AUDIO, SfuCapabilities.defaults()));
  }

  @Test
  void usedtxIsPassedThroughAsOffered() {
    String offer = Fixtures.load("chromium156-sendonly-offer.sdp")
        .replace("a=fmtp:111 minptime=10;useinbandfec=1", "a=fmtp:111 minptime=10;useinbandfec=1;usedtx=1;stereo=1");
    assertEquals(new Fmtp(111, "minptime=10;useinbandfec=1;usedtx=1"), answer(offer).answer().media().get(0).fmtp(111));
  }

  @Test
  void h264LevelIsAnsweredAtMostOursAndProfileMustMatch() {
    String base = Fixtures.load("chromium156-sendonly-offer.sdp");
    // Level 5.2 (0x34) offered: answered at our 3.1 (0x1f).
    String higher = base.replace("packetization-mode=1;profile-level-id=42e01f", "packetization-mode=1;profile-level-id=42e034");
    assertEquals("42e01f", answer(higher).session().media("1").codec(108).fmtp().get("profile-level-id"));
    // Level 2.1 (0x15) offered: kept, lower than ours.
    String lower = base.replace("packetization-mode=1;profile-level-id=42e01f", "packetization-mode=1;profile-level-id=42e015");
    assertEquals("42e015", answer(lower).session().media("1").codec(108).fmtp().get("profile-level-id"));
    // Main profile 4d001f in place of constrained baseline: no H.264 left, VP8 stays.
    String main = base.replace("packetization-mode=1;profile-level-id=42e01f", "packetization-mode=1;profile-level-id=4d001f");
    assertEquals(List.of("VP8"), answer(main).session().media("1").codecs().stream().map(NegotiatedCodec::name).toList());
  }

  @Test
  void sectionCarryingAnOutgoingTrackIsAnsweredSendonlyWithItsSsrcs() {
    String offer = Fixtures.load("chromium156-sendonly-offer.sdp").replace("a=sendonly", "a=recvonly");
    OutgoingTrack t = new OutgoingTrack(MediaKind.VIDEO, "s", "t", 11, 12, "c");
    AnswerResult r = TestTransports.answerBuilder(SfuCapabilities.defaults())
        .answer(SessionDescription.parse(offer), null, Map.of("1", t));
    MediaDescription v = r.answer().media().get(1);
    assertEquals(Direction.SENDONLY, v.direction());
    assertEquals(List.of(new SsrcGroup("FID", List.of(11L, 12L))), v.ssrcGroups());
    assertEquals("s t", v.msids().get(0).toValue());
    assertEquals(Direction.INACTIVE, r.answer().media().get(0).direction(), "recvonly audio with nothing to send");
    assertEquals(t, r.session().outgoingTracksByMid().get("1"));
  }

  @Test
  void renegotiationKeepsSessionIdAndBumpsVersion() {
    AnswerBuilder b = TestTransports.answerBuilder(SfuCapabilities.defaults());
    SessionDescription offer = SessionDescription.parse(Fixtures.load("chromium156-sendonly-offer.sdp"));
    SessionDescription first = b.answer(offer).answer();
    SessionDescription second = b.answer(offer, first, Map.of()).answer();
    assertEquals(first.origin().sessionId(), second.origin().sessionId());
    assertEquals(first.origin().sessionVersion() + 1, second.origin().sessionVersion());
  }

  static Stream<Arguments> refusedOffers() {
    String ok = Fixtures.load("chromium156-sendonly-offer.sdp");
    String videoLine = ok.lines().filter(l -> l.startsWith("m=video")).findFirst().orElseThrow();
    return Stream.of(
        Arguments.of("no rtcp-mux", ok.replace("a=rtcp-mux\r\n", ""),
            "m=audio mid=0: no a=rtcp-mux: the SFU requires RTP and RTCP on one port"),
        Arguments.of("setup passive", ok.replace("a=setup:actpass", "a=setup:passive"),
            "m=audio mid=0: offer has a=setup:passive, but the SFU is always the DTLS server"),
        Arguments.of("setup holdconn", ok.replace("a=setup:actpass", "a=setup:holdconn"),
            "m=audio mid=0: offer has a=setup:holdconn"),
        Arguments.of("no fingerprint", ok.replaceAll("a=fingerprint:[^\r]*\r\n", ""),
            "m=audio mid=0: no a=fingerprint"),
        Arguments.of("no ice-ufrag", ok.replaceAll("a=ice-ufrag:[^\r]*\r\n", ""),
            "m=audio mid=0: no a=ice-ufrag"),
        Arguments.of("short ice-pwd", ok.replaceAll("a=ice-pwd:[^\r]*\r\n", "a=ice-pwd:short\r\n"),
            "m=audio mid=0: a=ice-pwd shorter than 22 characters"),
        Arguments.of("only VP9 and AV1", ok.replace(videoLine, "m=video 9 UDP/TLS/RTP/SAVPF 98 99 45 46"),
            "m=video mid=1: no supported codec (offered: VP9, AV1)"),
        Arguments.of("only PCMU audio", ok.replace("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
            "m=audio 9 UDP/TLS/RTP/SAVPF 0"), "m=audio mid=0: no supported codec (offered: PCMU)"),
        Arguments.of("no BUNDLE", ok.replace("a=group:BUNDLE 0 1\r\n", ""),
            "offer has no a=group:BUNDLE"),
        Arguments.of("no mid", ok.replace("a=mid:1\r\n", ""),
            "m=video #1: no a=mid"),
        Arguments.of("duplicate mid", ok.replace("a=mid:1\r\n", "a=mid:0\r\n"),
            "m=video mid=0: mid used by two sections"),
        Arguments.of("bad m= line", ok.replace(videoLine, "m=video nine UDP/TLS/RTP/SAVPF 96"),
            "'m=video nine UDP/TLS/RTP/SAVPF 96': port is not a number"),
        Arguments.of("garbage text", "hello, this is not SDP", "a description must start with v=0"),
        Arguments.of("missing v= line", ok.substring(ok.indexOf('\n') + 1), "SDP line 1 'o=- "),
        Arguments.of("truncated inside a line", ok.substring(0, ok.indexOf("a=rtpmap:96 VP8") + 14),
            "'a=rtpmap:96 VP': rtpmap encoding must be <name>/<clock rate>"),
        Arguments.of("truncated after the session lines", ok.substring(0, ok.indexOf("m=audio")),
            "offer has no m= sections"),
        Arguments.of("truncated to two lines", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n",
            "truncated description: v=, o= and s= lines are required"),
        Arguments.of("empty", "", "SDP: empty description"),
        Arguments.of("huge input", ok + "a=x-padding:" + "x".repeat(SdpParser.MAX_SDP_CHARS) + "\r\n",
            "the limit is 262144"),
        Arguments.of("NUL inside a line", ok.replace("s=-", "s=-\0"), "SDP line 3 's=-\0': NUL or CR inside a line"),
        Arguments.of("unknown line type", ok.replace("t=0 0\r\n", "t=0 0\r\nx=1\r\n"), "unknown line type 'x'"),
        Arguments.of("bad fingerprint", ok.replaceAll("a=fingerprint:sha-256 8B", "a=fingerprint:sha-256 8G"),
            "fingerprint is not colon-separated hex pairs"),
        Arguments.of("two directions", ok.replace("a=sendonly\r\n", "a=sendonly\r\na=recvonly\r\n"),
            "more than one direction attribute"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedOffers")
  void refusedOffersFailWithAClearMessage(String name, String sdp, String expected) {
    SdpException e = assertThrows(SdpException.class, () -> answer(sdp));
    assertTrue(e.getMessage().contains(expected), () -> "message was: " + e.getMessage());
  }

  @Test
  void parseErrorsCarryTheLineNumberAndLine() {
    String ok = Fixtures.load("chromium156-sendonly-offer.sdp");
    SdpParseException e = assertThrows(SdpParseException.class,
        () -> answer(ok.replace("a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP8/fast")));
    List<String> lines = ok.lines().toList();
    assertEquals(lines.indexOf("a=rtpmap:96 VP8/90000") + 1, e.lineNumber());
    assertEquals("a=rtpmap:96 VP8/fast", e.line());
  }

  @Test
  void negotiationErrorsNameTheMid() {
    String ok = Fixtures.load("chromium156-sendonly-offer.sdp");
    String videoLine = ok.lines().filter(l -> l.startsWith("m=video")).findFirst().orElseThrow();
    SdpNegotiationException e = assertThrows(SdpNegotiationException.class,
        () -> answer(ok.replace(videoLine, "m=video 9 UDP/TLS/RTP/SAVPF 98")));
    assertEquals("1", e.mid());
    assertFalse(e.getMessage().isEmpty());
  }
}
