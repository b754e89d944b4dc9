package dev.palco.sfu.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.sfu.sdp.AnswerBuilder;
import dev.palco.sfu.sdp.AnswerResult;
import dev.palco.sfu.sdp.Direction;
import dev.palco.sfu.sdp.Fingerprint;
import dev.palco.sfu.sdp.IceCandidate;
import dev.palco.sfu.sdp.LocalTransport;
import dev.palco.sfu.sdp.MediaDescription;
import dev.palco.sfu.sdp.MediaKind;
import dev.palco.sfu.sdp.RtpHeaderExtensionUris;
import dev.palco.sfu.sdp.SdpException;
import dev.palco.sfu.sdp.SessionDescription;
import dev.palco.sfu.sdp.SetupRole;
import dev.palco.sfu.sdp.SfuCapabilities;
import dev.palco.sfu.sdp.SsrcGroup;
import dev.palco.sfu.transport.CandidateDescription;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client's offers parse as the SFU reads them, and the SFU's answers read back. */
class ClientSdpTest {
  private static final LocalTransport SERVER = new LocalTransport("srvU", "serverPasswordServer001",
      List.of(), false,
      List.of(new Fingerprint("sha-256", "0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:"
          + "0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9")),
      List.of(IceCandidate.of("1", 1, IceCandidate.Transport.UDP, 2130706431L, "127.0.0.1", 10000,
          IceCandidate.Type.HOST, null, -1, null)),
      true);

  private static WebRtcClient client;

  @BeforeAll
  static void create() throws Exception {
    client = WebRtcClient.create("sdp-client",
        WebRtcClientOptions.of(IceClientOptions.Mode.UDP, InetAddress.getLoopbackAddress()));
  }

  @AfterAll
  static void close() {
    client.close();
  }

  private static AnswerResult answer(String offer) {
    return new AnswerBuilder(SfuCapabilities.defaults(), SERVER, new SplittableRandom(3))
        .answer(SessionDescription.parse(offer));
  }

  @Test
  void aPlayersOfferCarriesTheClientsTransportAndTheOfferedNumbers() {
    String offer = ClientSdp.offer(client, List.of(
        ClientSdp.Section.receiving(MediaKind.AUDIO, List.of(ClientSdp.Codec.opus(109)),
            Map.of(RtpHeaderExtensionUris.SDES_MID, 7)),
        ClientSdp.Section.receiving(MediaKind.VIDEO, List.of(ClientSdp.Codec.vp8(100, 101)), Map.of())));
    SessionDescription parsed = SessionDescription.parse(offer);

    assertEquals(List.of("0", "1"), parsed.bundleGroup().mids());
    MediaDescription audio = parsed.media().get(0);
    MediaDescription video = parsed.media().get(1);
    assertEquals(Direction.RECVONLY, audio.direction());
    assertEquals(List.of("109"), audio.mediaLine().formats());
    assertEquals(List.of("100", "101"), video.mediaLine().formats());
    assertEquals("100", video.fmtp(101).parameters().get("apt"));
    assertEquals(client.localCredentials().ufrag(), audio.iceUfrag());
    assertEquals(client.localCredentials().pwd(), video.icePwd());
    assertEquals(SetupRole.ACTPASS, video.setup());
    assertEquals(client.localFingerprint().toSdp(), audio.fingerprints().get(0).toValue());
    assertEquals(client.localCandidates().size(), audio.candidates().size());
    assertTrue(audio.endOfCandidates());
    assertTrue(audio.rtcpMux() && video.rtcpMux());
    assertTrue(audio.ssrcs().isEmpty(), "a player announces no stream");
    assertEquals(7, audio.extmaps().get(0).id());

    // The SFU's answer builder accepts it as it is, with the offered numbers.
    AnswerResult r = answer(offer);
    assertEquals(109, r.session().media("0").codecs().get(0).payloadType());
    assertEquals(101, r.session().media("1").codecs().get(0).rtxPayloadType());
  }

  @Test
  void aPublishersOfferSignalsItsSsrcsAndTheAnswerReadsBack() {
    String offer = ClientSdp.offer(client, List.of(
        ClientSdp.Section.sending(MediaKind.AUDIO, List.of(ClientSdp.Codec.opus(111)), 5001, -1, "pub"),
        ClientSdp.Section.sending(MediaKind.VIDEO, List.of(ClientSdp.Codec.vp8(96, 97)), 6001, 6002, "pub")));
    MediaDescription video = SessionDescription.parse(offer).media().get(1);
    assertEquals(Direction.SENDONLY, video.direction());
    assertEquals(List.of(new SsrcGroup(SsrcGroup.FID, List.of(6001L, 6002L))), video.ssrcGroups());
    assertEquals(List.of(6001L, 6002L), video.ssrcIds());

    AnswerResult r = answer(offer);
    assertEquals(List.of(6001L, 6002L), r.session().media("1").remoteSsrcs());
    ClientSdp.Answer read = ClientSdp.readAnswer(r.answer().toSdp());
    assertEquals("srvU", read.iceUfrag());
    assertEquals("serverPasswordServer001", read.icePwd());
    assertEquals(SERVER.fingerprints().get(0).toValue(), read.fingerprint().toSdp());
    CandidateDescription c = read.candidates().get(0);
    assertEquals("127.0.0.1", c.address());
    assertEquals(10000, c.port());
  }

  @Test
  void anAnswerWithoutTransportOrAcceptedSectionIsRefused() {
    String rejected = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
        + "m=audio 0 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n";
    assertThrows(SdpException.class, () -> ClientSdp.readAnswer(rejected));
    String noCredentials = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
        + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendonly\r\n";
    assertThrows(SdpException.class, () -> ClientSdp.readAnswer(noCredentials));
    assertThrows(SdpException.class, () -> ClientSdp.readAnswer("not sdp"));
  }
}
