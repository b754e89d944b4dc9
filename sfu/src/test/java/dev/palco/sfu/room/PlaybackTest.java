package dev.palco.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.codec.PayloadDropReason;
import dev.palco.rtp.codec.Vp8PayloadDescriptor;
import dev.palco.rtp.rtcp.RtcpHeader;
import dev.palco.sfu.pipeline.DropReason;
import dev.palco.sfu.sdp.Direction;
import dev.palco.sfu.sdp.ExtMap;
import dev.palco.sfu.sdp.MediaDescription;
import dev.palco.sfu.sdp.RtpMap;
import dev.palco.sfu.sdp.SdpException;
import dev.palco.sfu.sdp.SessionDescription;
import dev.palco.sfu.sdp.SetupRole;
import dev.palco.sfu.sdp.SsrcGroup;
import dev.palco.sfu.util.RtpWrap;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A WHEP player's session at the SDP and packet level, over in-memory transports with a manual
 * clock: what the answer carries, how sections take the room's tracks, how forwarding uses the
 * player's numbers, and how a silent section takes up a new track on the same stream.
 */
class PlaybackTest {
  private static final long CAM_SSRC = 0x2222_0001L;
  private static final long CAM_RTX_SSRC = 0x2222_0002L;
  private static final long MIC_SSRC = 0x2222_0003L;
  private static final long CAM2_SSRC = 0x3333_0001L;

  /** The player's numbers, deliberately unlike the publisher's (VP8 96/97, Opus 111). */
  private static final int PLAYER_OPUS_PT = 109;
  private static final int PLAYER_VP8_PT = 100;
  private static final int PLAYER_VP8_RTX_PT = 101;
  private static final int PLAYER_H264_PT = 102;
  private static final int PLAYER_H264_RTX_PT = 103;

  /**
   * A player's offer (draft-ietf-wish-whep): one audio and two video sections, all recvonly,
   * BUNDLE and rtcp-mux, with its own payload types and extension ids. The second video section
   * has no second room video to carry.
   */
  static final String PLAYER_OFFER = String.join("\r\n",
      "v=0",
      "o=- 5150 2 IN IP4 127.0.0.1",
      "s=-",
      "t=0 0",
      "a=group:BUNDLE 0 1 2",
      "a=extmap-allow-mixed",
      // Audio: Opus at 109 and PCMU, which the SFU does not forward.
      "m=audio 9 UDP/TLS/RTP/SAVPF 109 0",
      "c=IN IP4 0.0.0.0",
      "a=rtcp:9 IN IP4 0.0.0.0",
      "a=ice-ufrag:plyr",
      "a=ice-pwd:playerPasswordPlayer0001",
      "a=ice-options:trickle",
      "a=fingerprint:sha-256 11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:"
          + "11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00",
      "a=setup:actpass",
      "a=mid:0",
      "a=extmap:5 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
      "a=extmap:6 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
      "a=extmap:7 urn:ietf:params:rtp-hdrext:sdes:mid",
      "a=recvonly",
      "a=rtcp-mux",
      "a=rtcp-rsize",
      "a=rtpmap:109 opus/48000/2",
      "a=fmtp:109 minptime=10;useinbandfec=1",
      "a=rtpmap:0 PCMU/8000",
      // Video: VP8 at 100 with RTX 101, H.264 at 102 with RTX 103, and toffset, which the SFU
      // does not support.
      "m=video 9 UDP/TLS/RTP/SAVPF 100 101 102 103",
      "c=IN IP4 0.0.0.0",
      "a=rtcp:9 IN IP4 0.0.0.0",
      "a=ice-ufrag:plyr",
      "a=ice-pwd:playerPasswordPlayer0001",
      "a=ice-options:trickle",
      "a=fingerprint:sha-256 11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:"
          + "11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00",
      "a=setup:actpass",
      "a=mid:1",
      "a=extmap:6 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
      "a=extmap:7 urn:ietf:params:rtp-hdrext:sdes:mid",
      "a=extmap:8 urn:ietf:params:rtp-hdrext:toffset",
      "a=extmap:12 http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time",
      "a=recvonly",
      "a=rtcp-mux",
      "a=rtcp-rsize",
      "a=rtpmap:100 VP8/90000",
      "a=rtcp-fb:100 nack",
      "a=rtcp-fb:100 nack pli",
      "a=rtcp-fb:100 ccm fir",
      "a=rtpmap:101 rtx/90000",
      "a=fmtp:101 apt=100",
      "a=rtpmap:102 H264/90000",
      "a=rtcp-fb:102 nack",
      "a=rtcp-fb:102 nack pli",
      "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
      "a=rtpmap:103 rtx/90000",
      "a=fmtp:103 apt=102",
      // A second video section: VP8 only, no RTX.
      "m=video 9 UDP/TLS/RTP/SAVPF 100",
      "c=IN IP4 0.0.0.0",
      "a=rtcp:9 IN IP4 0.0.0.0",
      "a=ice-ufrag:plyr",
      "a=ice-pwd:playerPasswordPlayer0001",
      "a=fingerprint:sha-256 11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:"
          + "11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00",
      "a=setup:actpass",
      "a=mid:2",
      "a=recvonly",
      "a=rtcp-mux",
      "a=rtpmap:100 VP8/90000",
      "a=rtcp-fb:100 nack pli",
      "") ;

  private record Stage(SfuHarness h, TestPeer alice, TrackPublication cam, TrackPublication mic,
      TestPeer player, SdpConvenienceTest.FakeNegotiation negotiation) {}

  /** Alice publishes a camera, then a microphone; a player joins with an SDP negotiation. */
  private static Stage stage(SfuHarness h) {
    TestPeer alice = h.join("alice");
    TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", CAM_SSRC, CAM_RTX_SSRC));
    TrackPublication mic = alice.participant.publish(MediaFixtures.audio("1", MIC_SSRC));
    TestPeer player = new TestPeer("player", 77);
    SdpConvenienceTest.FakeNegotiation negotiation = new SdpConvenienceTest.FakeNegotiation();
    player.participant = h.room.join("player", player.transport, negotiation);
    return new Stage(h, alice, cam, mic, player, negotiation);
  }

  private static TrackSubscription subscriptionTo(TestPeer player, TrackPublication pub) {
    for (TrackSubscription s : player.participant.subscriptions()) {
      if (s.publication() == pub) {
        return s;
      }
    }
    throw new AssertionError(player.id + " does not receive " + pub);
  }

  private static byte[] vp8Frame(long ssrc, int pt, int seq, long ts, boolean keyframe, int pictureId) {
    return MediaFixtures.rtp(pt, seq & 0xFFFF, ts, ssrc, true, "0", null, false, seq,
        MediaFixtures.vp8Payload(keyframe, pictureId & 0x7FFF, pictureId & 0xFF, 40, pictureId));
  }

  private static int pictureId(byte[] packet) {
    byte[] payload = MediaFixtures.payloadOf(packet);
    Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
    assertEquals(PayloadDropReason.OK, vp8.parse(payload, 0, payload.length));
    return vp8.pictureId();
  }

  private static boolean startsKeyframe(byte[] packet) {
    byte[] payload = MediaFixtures.payloadOf(packet);
    Vp8PayloadDescriptor vp8 = new Vp8PayloadDescriptor();
    return vp8.parse(payload, 0, payload.length) == PayloadDropReason.OK && vp8.startOfFrame()
        && vp8.keyframe();
  }

  @Test
  void answerCarriesTheRoomsTracksSendonlyWithThePlayersNumbers() {
    try (SfuHarness h = new SfuHarness()) {
      Stage s = stage(h);
      SessionDescription answer = SessionDescription.parse(s.player.participant.answerPlaybackOffer(PLAYER_OFFER));

      assertEquals(List.of("0", "1", "2"), answer.bundleGroup().mids());
      MediaDescription audio = answer.media().get(0);
      MediaDescription video = answer.media().get(1);
      MediaDescription spare = answer.media().get(2);
      TrackSubscription micSub = subscriptionTo(s.player, s.mic);
      TrackSubscription camSub = subscriptionTo(s.player, s.cam);

      // Transport: the SFU's credentials, fingerprint and candidates, as in a publish answer.
      for (MediaDescription m : answer.media()) {
        assertEquals(SetupRole.PASSIVE, m.setup());
        assertEquals("sfuU", m.iceUfrag());
        assertTrue(m.rtcpMux());
      }
      assertEquals(1, audio.candidates().size());
      assertTrue(audio.endOfCandidates());

      // Audio: sendonly, Opus under the player's 109 (PCMU refused), the microphone's stream.
      assertEquals(Direction.SENDONLY, audio.direction());
      assertEquals(List.of("109"), audio.mediaLine().formats());
      assertEquals(List.of(new RtpMap(PLAYER_OPUS_PT, "opus", 48000, 2)), audio.rtpmaps());
      assertEquals(List.of(micSub.ssrc()), audio.ssrcIds());
      assertEquals(micSub.trackId(), audio.msids().get(0).trackId());
      assertEquals(s.alice.participant.streamId(), audio.msids().get(0).streamId());
      assertEquals(List.of(new ExtMap(5, null, ExtensionUris.AUDIO_LEVEL, null),
          new ExtMap(6, null, ExtensionUris.ABS_SEND_TIME, null), new ExtMap(7, null, ExtensionUris.MID, null)),
          audio.extmaps());

      // Video: sendonly, VP8 100 + RTX 101 and H.264 102 + RTX 103, the camera with an RTX SSRC.
      assertEquals(Direction.SENDONLY, video.direction());
      assertEquals(List.of("100", "101", "102", "103"), video.mediaLine().formats());
      assertEquals(List.of(new SsrcGroup(SsrcGroup.FID, List.of(camSub.ssrc(), camSub.rtxSsrc()))),
          video.ssrcGroups());
      assertTrue(camSub.rtxSsrc() >= 0);
      assertEquals(camSub.trackId(), video.msids().get(0).trackId());
      // The player's ids for what both support: toffset is left out.
      assertEquals(List.of(new ExtMap(6, null, ExtensionUris.ABS_SEND_TIME, null),
          new ExtMap(7, null, ExtensionUris.MID, null),
          new ExtMap(12, null, ExtensionUris.ABS_CAPTURE_TIME, null)), video.extmaps());

      // The second video section has no track to carry: inactive, no stream.
      assertEquals(Direction.INACTIVE, spare.direction());
      assertTrue(spare.ssrcs().isEmpty());
      assertTrue(spare.msids().isEmpty());
      assertEquals(List.of("100"), spare.mediaLine().formats());

      // The player publishes nothing and is told what each section carries.
      assertTrue(s.player.participant.isPlayer());
      assertTrue(s.player.participant.publications().isEmpty());
      assertEquals(2, s.player.participant.subscriptions().size());
      assertEquals(Map.of("0", s.mic, "1", s.cam), s.player.participant.playbackTracksByMid());
      assertEquals(List.of("plyr"), List.of(s.negotiation.applied.get(0).remoteIceUfrag()));
      assertEquals(camSub.ssrc(), s.player.participant.negotiatedSession().media("1").localTrack().ssrc());
    }
  }

  @Test
  void forwardingRewritesOntoThePlayersPayloadTypes() {
    try (SfuHarness h = new SfuHarness()) {
      Stage s = stage(h);
      s.player.participant.answerPlaybackOffer(PLAYER_OFFER);
      TrackSubscription camSub = subscriptionTo(s.player, s.cam);
      TrackSubscription micSub = subscriptionTo(s.player, s.mic);

      s.alice.sendRtp(vp8Frame(CAM_SSRC, MediaFixtures.VP8_PT, 500, 9000, true, 7));
      s.alice.sendRtp(MediaFixtures.rtp(MediaFixtures.OPUS_PT, 40, 48_000, MIC_SSRC, false, new byte[] {1, 2, 3}));

      List<byte[]> video = s.player.rtpWithSsrc(camSub.ssrc());
      List<byte[]> audio = s.player.rtpWithSsrc(micSub.ssrc());
      assertEquals(1, video.size());
      assertEquals(1, audio.size());
      assertEquals(PLAYER_VP8_PT, RtpPacket.payloadType(video.get(0), 0));
      assertEquals(PLAYER_OPUS_PT, RtpPacket.payloadType(audio.get(0), 0));
      assertTrue(startsKeyframe(video.get(0)));
      assertEquals(0, s.player.receiveFailures);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chromium156-recvonly-offer.sdp", "chromium156-recvonly-offer-gathered.sdp"})
  void chromiumsRecvonlyOfferIsAnsweredWithBothTracks(String fixture) throws IOException {
    try (SfuHarness h = new SfuHarness()) {
      Stage s = stage(h);
      SessionDescription answer = SessionDescription.parse(
          s.player.participant.answerPlaybackOffer(SdpConvenienceTest.fixture(fixture)));
      MediaDescription audio = answer.media().get(0);
      MediaDescription video = answer.media().get(1);
      assertEquals(Direction.SENDONLY, audio.direction());
      assertEquals(Direction.SENDONLY, video.direction());
      // The player offered RED around its Opus: it gets the publisher's RED as it is.
      assertEquals(List.of("63", "111"), audio.mediaLine().formats());
      assertEquals(List.of("96", "97", "108", "109"), video.mediaLine().formats());
      assertEquals(List.of(subscriptionTo(s.player, s.mic).ssrc()), audio.ssrcIds());
      assertEquals(2, video.ssrcIds().size(), "media and RTX SSRC");
      // A gathered offer's candidates reach the transport with the rest.
      assertEquals(fixture.contains("gathered") ? 8 : 0, s.negotiation.applied.get(0).remoteCandidates().size());
    }
  }

  @Test
  void withoutRtxOfferedTheStreamHasNoRtxSsrc() {
    try (SfuHarness h = new SfuHarness()) {
      Stage s = stage(h);
      String offer = PLAYER_OFFER.replace("m=video 9 UDP/TLS/RTP/SAVPF 100 101 102 103", "m=video 9 UDP/TLS/RTP/SAVPF 100")
          .replace("a=rtpmap:101 rtx/90000\r\na=fmtp:101 apt=100\r\n", "");
      MediaDescription video = SessionDescription.parse(s.player.participant.answerPlaybackOffer(offer)).media().get(1);
      assertEquals(List.of("100"), video.mediaLine().formats());
      assertTrue(video.ssrcGroups().isEmpty());
      assertEquals(-1, subscriptionTo(s.player, s.cam).rtxSsrc());
    }
  }

  @Test
  void anEmptyRoomIsAnsweredInactiveAndAPlayerNeverPublishes() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer player = new TestPeer("player", 77);
      player.participant = h.room.join("player", player.transport, new SdpConvenienceTest.FakeNegotiation());
      // Even a section the player would send on takes nothing from it.
      String offer = PLAYER_OFFER.replaceFirst("a=recvonly", "a=sendrecv");
      SessionDescription answer = SessionDescription.parse(player.participant.answerPlaybackOffer(offer));
      for (MediaDescription m : answer.media()) {
        assertEquals(Direction.INACTIVE, m.direction(), m.mid());
        assertTrue(m.ssrcs().isEmpty());
      }
      assertTrue(player.participant.publications().isEmpty());
      assertTrue(player.participant.subscriptions().isEmpty());
      assertEquals(Map.of(), player.participant.playbackTracksByMid());
      assertThrows(IllegalStateException.class, () -> player.participant.publish(MediaFixtures.audio("9", 1)));
      assertThrows(IllegalStateException.class, () -> player.participant.answerPlaybackOffer(PLAYER_OFFER));
      assertThrows(IllegalStateException.class, () -> player.participant.answerPublishOffer(PLAYER_OFFER));
      // A section answered inactive never carries a track: the player was told no stream there.
      TestPeer alice = h.join("alice");
      alice.participant.publish(MediaFixtures.video("0", CAM_SSRC, CAM_RTX_SSRC));
      assertEquals(List.of(), player.participant.bindIdlePlaybackSections());
      assertTrue(player.participant.subscriptions().isEmpty());
    }
  }

  @Test
  void aPublisherIsNotAPlayerAndARefusedOfferLeavesNoSubscription() {
    try (SfuHarness h = new SfuHarness()) {
      Stage s = stage(h);
      assertThrows(IllegalStateException.class, () -> s.alice.participant.answerPlaybackOffer(PLAYER_OFFER));
      assertFalse(s.alice.participant.isPlayer());
      // No rtcp-mux on the second video section: refused as for a publisher, and the tracks the
      // first sections took are given back.
      String noMux = PLAYER_OFFER.substring(0, PLAYER_OFFER.lastIndexOf("a=rtcp-mux"))
          + PLAYER_OFFER.substring(PLAYER_OFFER.lastIndexOf("a=rtcp-mux") + "a=rtcp-mux\r\n".length());
      SdpException e = assertThrows(SdpException.class, () -> s.player.participant.answerPlaybackOffer(noMux));
      assertTrue(e.getMessage().contains("rtcp-mux"), e.getMessage());
      assertTrue(s.player.participant.subscriptions().isEmpty());
      assertTrue(s.cam.subscriptions().isEmpty());
      assertTrue(s.mic.subscriptions().isEmpty());
    }
  }

  @Test
  void theFirstKeyframeIsAskedForOnceTheTransportIsSecured() {
    try (SfuHarness h = new SfuHarness()) {
      Stage s = stage(h);
      s.player.transport.setSecured(false);
      s.player.participant.answerPlaybackOffer(PLAYER_OFFER);
      TrackSubscription camSub = subscriptionTo(s.player, s.cam);
      // The publisher answers the subscription's request before the player's handshake is done:
      // that keyframe cannot reach the player.
      s.alice.sendRtp(vp8Frame(CAM_SSRC, MediaFixtures.VP8_PT, 500, 9000, true, 7));
      assertTrue(s.player.rtpWithSsrc(camSub.ssrc()).isEmpty());
      assertEquals(1, s.player.participant.stats().dropped(DropReason.WAITING_FOR_KEYFRAME));
      s.alice.receive();
      s.alice.rtcp.clear();

      s.player.transport.setSecured(true);
      s.alice.sendRtp(vp8Frame(CAM_SSRC, MediaFixtures.VP8_PT, 501, 12000, false, 8));
      assertTrue(s.player.rtpWithSsrc(camSub.ssrc()).isEmpty(), "no delta frame first");
      // Asked for again, as soon as the requester's interval since the first request allows.
      assertEquals(0, s.alice.rtcpPackets(RtcpHeader.PT_PSFB).size());
      h.advance(h.sfu.config().keyframeMinIntervalMs());
      assertEquals(1, s.alice.rtcpPackets(RtcpHeader.PT_PSFB).size(), "a keyframe is asked for");
      s.alice.sendRtp(vp8Frame(CAM_SSRC, MediaFixtures.VP8_PT, 502, 15000, true, 9));
      List<byte[]> got = s.player.rtpWithSsrc(camSub.ssrc());
      assertEquals(1, got.size());
      assertTrue(startsKeyframe(got.get(0)));
    }
  }

  @Test
  void anUnpublishedTrackLeavesItsSectionSilentAndANewTrackContinuesTheSameStream() {
    try (SfuHarness h = new SfuHarness()) {
      Stage s = stage(h);
      s.player.participant.answerPlaybackOffer(PLAYER_OFFER);
      TrackSubscription first = subscriptionTo(s.player, s.cam);
      for (int i = 0; i < 3; i++) {
        s.alice.sendRtp(vp8Frame(CAM_SSRC, MediaFixtures.VP8_PT, 500 + i, 9000 + 3000L * i, i == 0, 7 + i));
      }
      List<byte[]> before = s.player.rtpWithSsrc(first.ssrc());
      assertEquals(3, before.size());
      byte[] last = before.get(2);

      // Unpublished: the section falls silent; nothing else of that kind is there to take.
      s.alice.participant.unpublish(s.cam);
      assertTrue(first.isClosed());
      assertNull(s.player.participant.playbackTracksByMid().get("1"));
      assertEquals(s.mic, s.player.participant.playbackTracksByMid().get("0"));
      assertEquals(List.of(), s.player.participant.bindIdlePlaybackSections());

      // Two seconds later Bob publishes a camera, numbered his own way.
      h.advance(2_000);
      TestPeer bob = h.join("bob");
      int bobVp8Pt = 120;
      TrackPublication bobCam = bob.participant.publish(new TrackParameters(TrackKind.VIDEO, "0",
          List.of(CodecParameters.vp8(bobVp8Pt, 121)), MediaFixtures.EXTENSIONS,
          List.of(new TrackParameters.SsrcPair(CAM2_SSRC, CAM2_SSRC + 1)), List.of(), false, "s", "t"));
      List<TrackSubscription> bound = s.player.participant.bindIdlePlaybackSections();
      assertEquals(1, bound.size());
      TrackSubscription next = bound.get(0);
      assertEquals(bobCam, next.publication());
      assertEquals(first.ssrc(), next.ssrc(), "the SSRC the player learned stays");
      assertEquals(first.rtxSsrc(), next.rtxSsrc());
      assertEquals(first.cname(), next.cname());
      assertEquals(bobCam, s.player.participant.playbackTracksByMid().get("1"));
      assertEquals(1, bob.rtcpPackets(RtcpHeader.PT_PSFB).size(), "the new track is asked for a keyframe");
      // Already carrying a camera: a further one is not taken.
      assertEquals(List.of(), s.player.participant.bindIdlePlaybackSections());

      // Bob's stream starts where the player's left off, on a keyframe, under the player's 100.
      bob.sendRtp(vp8Frame(CAM2_SSRC, bobVp8Pt, 40_000, 777_000, false, 300));
      bob.sendRtp(vp8Frame(CAM2_SSRC, bobVp8Pt, 40_001, 780_000, true, 301));
      bob.sendRtp(vp8Frame(CAM2_SSRC, bobVp8Pt, 40_002, 783_000, false, 302));
      List<byte[]> after = s.player.rtpWithSsrc(first.ssrc());
      assertEquals(5, after.size(), "the delta frame before the keyframe is held back");
      byte[] resumed = after.get(3);
      assertTrue(startsKeyframe(resumed));
      assertEquals(PLAYER_VP8_PT, RtpPacket.payloadType(resumed, 0));
      assertEquals((RtpPacket.sequenceNumber(last, 0) + 1) & 0xFFFF, RtpPacket.sequenceNumber(resumed, 0),
          "sequence numbers go on without a gap");
      assertEquals((RtpPacket.sequenceNumber(last, 0) + 2) & 0xFFFF, RtpPacket.sequenceNumber(after.get(4), 0));
      // The timestamp advances by the two seconds of silence at 90 kHz.
      assertEquals(2_000 * 90L, (RtpPacket.timestamp(resumed, 0) - RtpPacket.timestamp(last, 0)) & RtpWrap.TS_MASK);
      assertEquals(3000L, (RtpPacket.timestamp(after.get(4), 0) - RtpPacket.timestamp(resumed, 0)) & RtpWrap.TS_MASK);
      assertEquals((pictureId(last) + 1) & 0x7FFF, pictureId(resumed), "a new picture, next in line");
      assertEquals(0, s.player.receiveFailures);
    }
  }
}
