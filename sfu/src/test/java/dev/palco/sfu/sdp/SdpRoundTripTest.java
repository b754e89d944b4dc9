package dev.palco.sfu.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class SdpRoundTripTest {

  @ParameterizedTest
  @FieldSource("dev.palco.sfu.sdp.Fixtures#ALL")
  void parseThenSerialiseGivesBackTheSameText(String fixture) {
    String text = Fixtures.load(fixture);
    SessionDescription d = SessionDescription.parse(text);
    assertEquals(text, d.toSdp());
    // And a second pass is stable.
    assertEquals(text, SessionDescription.parse(d.toSdp()).toSdp());
  }

  @ParameterizedTest
  @FieldSource("dev.palco.sfu.sdp.Fixtures#ALL")
  void everyTypedViewOfEveryFixtureParses(String fixture) {
    SessionDescription d = SessionDescription.parse(Fixtures.load(fixture));
    d.origin();
    d.groups();
    assertFalse(d.media().isEmpty());
    for (MediaDescription m : d.media()) {
      m.mid();
      m.direction();
      m.iceUfrag();
      m.icePwd();
      m.iceOptions();
      m.candidates();
      m.fingerprints();
      m.setup();
      m.msids();
      m.extmaps();
      m.rtpmaps();
      m.fmtps();
      m.rtcpFeedback();
      m.ssrcs();
      m.ssrcGroups();
      m.rids();
      m.simulcast();
    }
  }

  @ParameterizedTest
  @FieldSource("dev.palco.sfu.sdp.Fixtures#ALL")
  void typedViewsSerialiseToTheLinesTheyCameFrom(String fixture) {
    SessionDescription d = SessionDescription.parse(Fixtures.load(fixture));
    for (MediaDescription m : d.media()) {
      assertEquals(m.mediaLine().toValue(), SessionDescription.parse(d.toSdp()).media()
          .get(d.media().indexOf(m)).mediaLine().toValue());
      for (SdpLine l : m.lines()) {
        if (!l.isAttribute()) {
          continue;
        }
        String v = l.attributeValue();
        String expected = switch (l.attributeName()) {
          case "candidate" -> IceCandidate.parseValue(v).toValue();
          case "fingerprint" -> Fingerprint.parse(v).toValue();
          case "extmap" -> ExtMap.parse(v).toValue();
          case "rtpmap" -> RtpMap.parse(v).toValue();
          case "fmtp" -> Fmtp.parse(v).toValue();
          case "rtcp-fb" -> RtcpFeedback.parse(v).toValue();
          case "ssrc" -> SsrcAttribute.parse(v).toValue();
          case "ssrc-group" -> SsrcGroup.parse(v).toValue();
          case "msid" -> Msid.parse(v).toValue();
          case "rid" -> Rid.parse(v).toValue();
          case "simulcast" -> Simulcast.parse(v).toValue();
          default -> v;
        };
        assertEquals(v, expected, l.toString());
      }
    }
    for (Group g : d.groups()) {
      assertEquals(g.toValue(), d.attribute("group"));
    }
    assertEquals(d.lines().get(1).value(), d.origin().toValue());
  }
}
