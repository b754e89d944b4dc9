package dev.palco.sfu.sdp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The typed attribute views, field by field, and tables of malformed values. */
class SdpAttributeParserTest {

  @Test
  void candidateFieldsUdpHost() {
    // foundation 3903060551, component 1 (RTP), udp, priority, address, port, typ host, then extensions.
    IceCandidate c = IceCandidate.parse(
        "candidate:3903060551 1 udp 2122194687 127.0.0.1 46221 typ host generation 0 network-id 3 network-cost 50");
    assertEquals("3903060551", c.foundation());
    assertEquals(1, c.componentId());
    assertEquals(IceCandidate.Transport.UDP, c.transport());
    assertEquals(2122194687L, c.priority());
    assertEquals("127.0.0.1", c.address());
    assertEquals(46221, c.port());
    assertEquals(IceCandidate.Type.HOST, c.type());
    assertNull(c.relatedAddress());
    assertEquals(-1, c.relatedPort());
    assertNull(c.tcpType());
    assertEquals(0, c.generation());
    assertEquals(3, c.extensions().size());
  }

  @Test
  void candidateFieldsTcpAndRelayed() {
    IceCandidate tcp = IceCandidate.parse("1518214911 1 TCP 1518214911 ::1 9 typ host tcptype active generation 0");
    assertEquals(IceCandidate.Transport.TCP, tcp.transport());
    assertEquals(IceCandidate.TcpType.ACTIVE, tcp.tcpType());
    assertEquals("::1", tcp.address());
    IceCandidate srflx = IceCandidate.parse(
        "candidate:842163049 1 udp 1677729535 203.0.113.7 61665 typ srflx raddr 192.0.2.2 rport 45911 generation 0 ufrag E0KJ");
    assertEquals(IceCandidate.Type.SRFLX, srflx.type());
    assertEquals("192.0.2.2", srflx.relatedAddress());
    assertEquals(45911, srflx.relatedPort());
    assertEquals("E0KJ", srflx.ufrag());
    IceCandidate relay = IceCandidate.parse("9 1 udp 41885439 198.51.100.1 3478 typ relay raddr 0.0.0.0 rport 0");
    assertEquals(IceCandidate.Type.RELAY, relay.type());
    IceCandidate prflx = IceCandidate.parse("abc+/ 1 udp 1 4.3.2.1 1 typ prflx");
    assertEquals(IceCandidate.Type.PRFLX, prflx.type());
    IceCandidate so = IceCandidate.parse("5 1 tcp 1 10.0.0.1 5000 typ host tcptype so");
    assertEquals(IceCandidate.TcpType.SO, so.tcpType());
    IceCandidate mdns = IceCandidate.parse("5 1 udp 1 0f5a2b4c-1111-2222-3333-444455556666.local 5000 typ host");
    assertTrue(mdns.address().endsWith(".local"));
  }

  static Stream<Arguments> badCandidates() {
    return Stream.of(
        Arguments.of("1 1 udp 1 1.2.3.4 5 typ", "at least 8 fields"),
        Arguments.of("1 1 sctp 1 1.2.3.4 5 typ host", "unsupported candidate transport"),
        Arguments.of("1 1 udp 4294967296 1.2.3.4 5 typ host", "priority out of range"),
        Arguments.of("1 1 udp 1 1.2.3.4 65536 typ host", "port out of range"),
        Arguments.of("1 1 udp 1 1.2.3.4 5 type host", "expected 'typ'"),
        Arguments.of("1 1 udp 1 1.2.3.4 5 typ relayed", "unknown candidate type"),
        Arguments.of("1 0 udp 1 1.2.3.4 5 typ host", "component-id out of range"),
        Arguments.of("1 1 tcp 1 1.2.3.4 5 typ host", "TCP candidate without tcptype"),
        Arguments.of("1 1 tcp 1 1.2.3.4 5 typ host tcptype both", "unknown tcptype"),
        Arguments.of("1 1 udp 1 1.2.3.4 5 typ host generation", "extension without a value"),
        Arguments.of("1 1 udp 1 1.2.3.4 5 typ host  generation 0", "empty field"),
        Arguments.of("f*o 1 udp 1 1.2.3.4 5 typ host", "foundation must be"),
        Arguments.of("1 1 udp 1 1.2.3.4/8 5 typ host", "not an address"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCandidates")
  void malformedCandidatesAreRejected(String value, String expected) {
    SdpParseException e = assertThrows(SdpParseException.class, () -> IceCandidate.parse(value));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void fingerprintBytesAndCase() {
    Fingerprint f = Fingerprint.parse("SHA-256 " + "ab:".repeat(31) + "CD");
    assertEquals("sha-256", f.hashFunction());
    assertEquals(32, f.bytes().length);
    assertEquals((byte) 0xCD, f.bytes()[31]);
    assertEquals(f, Fingerprint.of("sha-256", f.bytes()));
    assertArrayEquals(f.bytes(), Fingerprint.parse(f.toValue()).bytes());
  }

  @Test
  void extmapWithDirectionAndAttributes() {
    ExtMap e = ExtMap.parse("12/recvonly urn:example:ext some attributes");
    assertEquals(12, e.id());
    assertEquals(Direction.RECVONLY, e.direction());
    assertEquals("urn:example:ext", e.uri());
    assertEquals("some attributes", e.attributes());
    assertEquals("12/recvonly urn:example:ext some attributes", e.toValue());
  }

  @Test
  void simulcastWithAlternativesAndPausedStreams() {
    Simulcast s = Simulcast.parse("send 1,~4;2;3 recv c");
    assertEquals(List.of(List.of(new Simulcast.Stream("1", false), new Simulcast.Stream("4", true)),
        List.of(new Simulcast.Stream("2", false)), List.of(new Simulcast.Stream("3", false))), s.send());
    assertEquals(List.of("1", "2", "3"), s.sendRids());
    assertEquals(List.of(List.of(new Simulcast.Stream("c", false))), s.recv());
    assertEquals("send 1,~4;2;3 recv c", s.toValue());
  }

  @Test
  void ridWithPayloadTypesAndRestrictions() {
    Rid r = Rid.parse("hi send pt=96,97;max-width=1280;max-fps=30");
    assertEquals("hi", r.id());
    assertEquals(Rid.RidDirection.SEND, r.direction());
    assertEquals(List.of(96, 97), r.payloadTypes());
    assertEquals("max-width=1280;max-fps=30", r.restrictions());
    assertEquals("hi send pt=96,97;max-width=1280;max-fps=30", r.toValue());
    assertEquals("lo recv max-br=64000", Rid.parse("lo recv max-br=64000").toValue());
  }

  @Test
  void ssrcLinesAndGroups() {
    assertEquals(new SsrcAttribute(4294967295L, "cname", "x:y"), SsrcAttribute.parse("4294967295 cname:x:y"));
    assertEquals(new SsrcGroup("SIM", List.of(1L, 2L, 3L)), SsrcGroup.parse("SIM 1 2 3"));
    assertEquals(new RtcpFeedback(RtcpFeedback.ALL_PAYLOAD_TYPES, "nack", null), RtcpFeedback.parse("* nack"));
    assertEquals("* nack", RtcpFeedback.parse("* nack").toValue());
  }

  @Test
  void h264ProfileLevelId() {
    H264ProfileLevelId p = H264ProfileLevelId.parse("42E01F");
    assertEquals(0x42, p.profileIdc());
    assertEquals(0xe0, p.profileIop());
    assertEquals(0x1f, p.levelIdc());
    assertTrue(p.sameProfile(H264ProfileLevelId.parse("42e00a")));
    assertTrue(!p.sameProfile(H264ProfileLevelId.parse("42001f")), "Baseline is not Constrained Baseline");
    assertEquals("42e01f", p.withLevelAtMost(0x34).toHex());
  }

  static Stream<Arguments> badAttributeValues() {
    return Stream.of(
        Arguments.of((Function<String, ?>) Fingerprint::parse, "sha-256 AB:CD", "sha-256 fingerprint must have 32 bytes"),
        Arguments.of((Function<String, ?>) Fingerprint::parse, "sha-256", "needs '<hash-func> <hex pairs>'"),
        Arguments.of((Function<String, ?>) ExtMap::parse, "0 urn:x:y", "extmap id out of range"),
        Arguments.of((Function<String, ?>) ExtMap::parse, "3/sideways urn:x:y", "unknown extmap direction"),
        Arguments.of((Function<String, ?>) ExtMap::parse, "3 notauri", "not a URI"),
        Arguments.of((Function<String, ?>) RtpMap::parse, "128 VP8/90000", "payload type out of range"),
        Arguments.of((Function<String, ?>) RtpMap::parse, "96 VP8", "rtpmap encoding must be"),
        Arguments.of((Function<String, ?>) RtpMap::parse, "96 VP8/0", "clock rate out of range"),
        Arguments.of((Function<String, ?>) Fmtp::parse, "96", "fmtp needs"),
        Arguments.of((Function<String, ?>) RtcpFeedback::parse, "96", "rtcp-fb needs"),
        Arguments.of((Function<String, ?>) SsrcAttribute::parse, "4294967296 cname:x", "ssrc out of range"),
        Arguments.of((Function<String, ?>) SsrcGroup::parse, "FID 1 x", "ssrc is not a number"),
        Arguments.of((Function<String, ?>) Rid::parse, "q sideways", "rid direction must be send or recv"),
        Arguments.of((Function<String, ?>) Rid::parse, "q.1 send", "rid-id may hold only"),
        Arguments.of((Function<String, ?>) Simulcast::parse, "send q;;f", "rid-id must be 1 to 16"),
        Arguments.of((Function<String, ?>) Simulcast::parse, "send q send h", "two send lists"),
        Arguments.of((Function<String, ?>) Msid::parse, "a b c", "not a valid token"),
        Arguments.of((Function<String, ?>) Group::parse, "BUNDLE 0  1", "empty field"),
        Arguments.of((Function<String, ?>) MediaLine::parse, "video 9 UDP/TLS/RTP/SAVPF", "needs <media> <port>"),
        Arguments.of((Function<String, ?>) MediaLine::parse, "video 9/0 RTP/AVP 0", "number of ports out of range"),
        Arguments.of((Function<String, ?>) Origin::parse, "- 1 x IN IP4 1.1.1.1", "sess-version is not a number"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badAttributeValues")
  void malformedAttributeValuesAreRejected(Function<String, ?> parser, String value, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parser.apply(value));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void lfOnlyInputIsAcceptedAndSerialisedWithCrlf() {
    String crlf = Fixtures.load("chromium156-sendonly-offer.sdp");
    SessionDescription d = SessionDescription.parse(crlf.replace("\r\n", "\n"));
    assertEquals(crlf, d.toSdp());
  }

  @Test
  void duplicateSingleAttributeIsAnErrorWithTheSecondLine() {
    String sdp = Fixtures.load("chromium156-sendonly-offer.sdp").replace("a=mid:0\r\n", "a=mid:0\r\na=mid:9\r\n");
    SessionDescription d = SessionDescription.parse(sdp);
    SdpParseException e = assertThrows(SdpParseException.class, () -> d.media().get(0).mid());
    assertEquals("a=mid:9", e.line());
    assertEquals(sdp.lines().toList().indexOf("a=mid:9") + 1, e.lineNumber());
  }

  @Test
  void unknownAttributesAreKeptInOrder() {
    String sdp = Fixtures.load("chromium156-sendonly-offer.sdp")
        .replace("a=rtcp-xr:rcvr-rtt=all\r\n", "a=rtcp-xr:rcvr-rtt=all\r\na=x-custom\r\na=x-other:1 2 3\r\n");
    SessionDescription d = SessionDescription.parse(sdp);
    assertEquals(sdp, d.toSdp());
    assertEquals("1 2 3", d.media().get(0).attribute("x-other"));
    assertTrue(d.media().get(0).hasAttribute("x-custom"));
  }
}
