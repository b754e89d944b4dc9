package dev.palco.loadtest.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.sfu.client.ClientSdp;
import dev.palco.sfu.client.IceClientOptions;
import dev.palco.loadtest.generator.net.Ice4jMediaClient;
import dev.palco.sfu.client.WebRtcClientOptions;
import dev.palco.sfu.sdp.Direction;
import dev.palco.sfu.sdp.MediaDescription;
import dev.palco.sfu.sdp.SessionDescription;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The answer to a Janus VideoRoom subscriber offer, as Janus 1.1.2 wrote it in a run (shortened). */
class JanusAnswerTest {
  private static final String OFFER = String.join("\r\n",
      "v=0",
      "o=- 1795506068742642 1 IN IP4 127.0.0.1",
      "s=VideoRoom 4242",
      "t=0 0",
      "a=group:BUNDLE 0 1 2",
      "a=ice-options:trickle",
      "a=fingerprint:sha-256 19:BE:FC:93:A1:19:59:C1:23:DC:9C:3B:BB:8D:7F:E0:C7:CB:98:85:02:BD:4E:9A:1E:90:E4:FB:D6:F8:B5:13",
      "a=extmap-allow-mixed",
      "a=msid-semantic: WMS *",
      "m=audio 9 UDP/TLS/RTP/SAVPF 109",
      "c=IN IP4 127.0.0.2",
      "a=sendonly",
      "a=mid:0",
      "a=rtcp-mux",
      "a=ice-ufrag:Ab1c",
      "a=ice-pwd:q53EVN17E51jFrkMFia/Mh",
      "a=ice-options:trickle",
      "a=setup:actpass",
      "a=rtpmap:109 opus/48000/2",
      "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
      "a=fmtp:109 useinbandfec=1",
      "a=ssrc:3719261846 cname:janus",
      "a=candidate:1 1 udp 2015363327 127.0.0.2 22832 typ host",
      "a=end-of-candidates",
      "m=video 9 UDP/TLS/RTP/SAVPF 100 101",
      "c=IN IP4 127.0.0.2",
      "a=sendonly",
      "a=mid:1",
      "a=rtcp-mux",
      "a=ice-ufrag:Ab1c",
      "a=ice-pwd:q53EVN17E51jFrkMFia/Mh",
      "a=setup:actpass",
      "a=rtpmap:100 VP8/90000",
      "a=rtcp-fb:100 nack",
      "a=rtcp-fb:100 nack pli",
      "a=rtcp-fb:100 transport-cc",
      "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
      "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
      "a=rtpmap:101 rtx/90000",
      "a=fmtp:101 apt=100",
      "a=ssrc-group:FID 1118687717 2898682878",
      "a=ssrc:1118687717 cname:janus",
      "a=ssrc:2898682878 cname:janus",
      "a=candidate:1 1 udp 2015363327 127.0.0.2 22832 typ host",
      "a=end-of-candidates",
      "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
      "c=IN IP4 127.0.0.2",
      "a=mid:2",
      "a=sctp-port:5000",
      "");

  @Test
  void theAnswerTakesJanusPayloadTypesIsTheDtlsClientAndRejectsTheDataChannel() throws Exception {
    try (Ice4jMediaClient client = Ice4jMediaClient.create("janus-answer-test",
        WebRtcClientOptions.of(IceClientOptions.Mode.UDP, InetAddress.getByName("127.0.0.1")))) {
      ClientSdp.Answer remote = ClientSdp.readAnswer(OFFER);
      assertEquals("Ab1c", remote.iceUfrag());
      assertEquals(1, remote.candidates().size());

      JanusTarget.Answered answered = JanusTarget.answer(client, OFFER);
      assertEquals(new StreamSubscriber.Negotiated(100, 101, 109, 3), answered.negotiated());
      SessionDescription answer = SessionDescription.parse(answered.sdp());
      assertEquals(3, answer.media().size());
      MediaDescription audio = answer.media().get(0);
      MediaDescription video = answer.media().get(1);
      assertEquals(Direction.RECVONLY, audio.direction());
      assertEquals(Direction.RECVONLY, video.direction());
      assertEquals(java.util.List.of("109"), audio.mediaLine().formats());
      assertEquals(java.util.List.of("100", "101"), video.mediaLine().formats());
      assertTrue(answer.media().get(2).isRejected(), "the data channel is rejected with port 0");
      assertTrue(answered.sdp().contains("a=setup:active"), answered.sdp());
      assertTrue(answered.sdp().contains("a=group:BUNDLE 0 1\r\n"), answered.sdp());
      assertTrue(answered.sdp().contains("a=extmap:3 " + MediaTarget.TWCC_URI), answered.sdp());
      assertTrue(answered.sdp().contains("a=ice-ufrag:" + client.localCredentials().ufrag()), answered.sdp());
      assertTrue(answered.sdp().contains("a=candidate:"), answered.sdp());
    }
  }
}
