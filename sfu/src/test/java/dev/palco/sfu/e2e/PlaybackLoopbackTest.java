package dev.palco.sfu.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.dtls.DtlsSettings;
import dev.palco.sfu.client.ClientSdp;
import dev.palco.sfu.client.WebRtcClient;
import dev.palco.sfu.e2e.LoopbackSfu.Peer;
import dev.palco.sfu.pipeline.DropReason;
import dev.palco.sfu.pipeline.Node;
import dev.palco.sfu.room.Participant;
import dev.palco.sfu.room.Room;
import dev.palco.sfu.room.TrackPublication;
import dev.palco.sfu.room.TrackSubscription;
import dev.palco.sfu.room.WebRtcNegotiation;
import dev.palco.sfu.sdp.Direction;
import dev.palco.sfu.sdp.MediaDescription;
import dev.palco.sfu.sdp.MediaKind;
import dev.palco.sfu.sdp.RtpHeaderExtensionUris;
import dev.palco.sfu.sdp.SsrcGroup;
import dev.palco.sfu.transport.DemuxDropReason;
import dev.palco.sfu.transport.IceTestSupport;
import dev.palco.sfu.transport.WebRtcTransport;
import dev.palco.sfu.transport.WebRtcTransportListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A WHEP player end to end on loopback, with no browser: a publisher sends VP8 (with RTX) and
 * Opus; a player made of Palco's own client stack offers recvonly audio and video with payload
 * types of its own, connects over real ICE and DTLS-SRTP from the SFU's answer, and receives both
 * streams intact — starting on a keyframe, under the payload types it offered, with losses
 * repaired by RTX on the RTX payload type it offered.
 */
class PlaybackLoopbackTest {
  private static final int PLAYER_OPUS_PT = 109;
  private static final int PLAYER_VP8_PT = 100;
  private static final int PLAYER_VP8_RTX_PT = 101;

  private static LoopbackSfu server;
  private static ScheduledExecutorService clientTimers;

  @BeforeAll
  static void start() throws Exception {
    server = LoopbackSfu.start(IceTestSupport.loopbackConfig(false).withTimers(500, 5_000, 10_000, 200));
    clientTimers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "e2e-player-nack-timer");
      t.setDaemon(true);
      return t;
    });
  }

  @AfterAll
  static void stop() {
    clientTimers.shutdownNow();
    server.close();
  }

  @Test
  void aPlayerReceivesBothStreamsIntactUnderThePayloadTypesItOffered() throws Exception {
    Room room = server.sfu.createRoom("playback");
    Peer pub = server.join(room, "publisher");
    PublisherClient publisher = new PublisherClient(pub.client, 7, 800_000, 60);
    TrackPublication cam = pub.participant.publish(publisher.videoTrack("0"));
    TrackPublication mic = pub.participant.publish(publisher.audioTrack("1", true));
    // The publisher is live before the player arrives: the player must still start on a keyframe.
    publisher.start();
    Await.until("the publisher is live", 5_000, () -> publisher.framesSent.get() >= 10);

    WebRtcTransport transport = WebRtcTransport.create("player", server.ice, server.serverCertificate,
        DtlsSettings.DEFAULTS, server.handshakes, new WebRtcTransportListener() {});
    Participant player = room.join("player", transport, new WebRtcNegotiation(transport));
    WebRtcClient client = WebRtcClient.create("player-client", server.clientOptions());
    SubscriberClient receiver = new SubscriberClient("player", client, publisher.videoSsrc, publisher.audioSsrc,
        0x6000_0001L);
    try {
      Map<String, Integer> extensions = Map.of(RtpHeaderExtensionUris.ABS_SEND_TIME, 6,
          RtpHeaderExtensionUris.SDES_MID, 7);
      String offer = ClientSdp.offer(client, List.of(
          ClientSdp.Section.receiving(MediaKind.AUDIO, List.of(ClientSdp.Codec.opus(PLAYER_OPUS_PT)), extensions),
          ClientSdp.Section.receiving(MediaKind.VIDEO,
              List.of(ClientSdp.Codec.vp8(PLAYER_VP8_PT, PLAYER_VP8_RTX_PT)), extensions)));

      ClientSdp.Answer answer = ClientSdp.readAnswer(player.answerPlaybackOffer(offer));

      MediaDescription audio = answer.description().media().get(0);
      MediaDescription video = answer.description().media().get(1);
      assertEquals(Direction.SENDONLY, audio.direction());
      assertEquals(Direction.SENDONLY, video.direction());
      assertEquals(List.of(Integer.toString(PLAYER_OPUS_PT)), audio.mediaLine().formats());
      assertEquals(List.of(Integer.toString(PLAYER_VP8_PT), Integer.toString(PLAYER_VP8_RTX_PT)),
          video.mediaLine().formats());
      long audioSsrc = audio.ssrcIds().get(0);
      SsrcGroup fid = video.ssrcGroups().get(0);
      long videoSsrc = fid.ssrcs().get(0);
      long videoRtxSsrc = fid.ssrcs().get(1);
      TrackSubscription videoSub = subscription(player, cam);
      TrackSubscription audioSub = subscription(player, mic);
      assertEquals(videoSub.ssrc(), videoSsrc);
      assertEquals(videoSub.rtxSsrc(), videoRtxSsrc);
      assertEquals(audioSub.ssrc(), audioSsrc);
      // As a browser does, the player knows its streams from the answer before media can arrive.
      SubscriberClient.Stream videoStream =
          receiver.expect(videoSsrc, videoRtxSsrc, true, PLAYER_VP8_PT, PLAYER_VP8_RTX_PT);
      SubscriberClient.Stream audioStream = receiver.expect(audioSsrc, -1, false, PLAYER_OPUS_PT, -1);
      receiver.startNacks(clientTimers);
      receiver.setLoss(0.03, 0xBEEF);

      long t0 = System.nanoTime();
      client.connect(answer.iceUfrag(), answer.icePwd(), answer.fingerprint(), answer.candidates(),
          Duration.ofSeconds(10));
      Await.until("player secured at the server", 5_000, transport::isSecured);
      System.out.printf("playback: player secured in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

      int from = publisher.framesSent.get();
      Await.until("3 s of media at the player", 20_000, () -> publisher.framesSent.get() >= from + 90);
      receiver.setLoss(0, 0);
      int lossEnd = publisher.framesSent.get();
      Await.until("tail without loss", 5_000, () -> publisher.framesSent.get() >= lossEnd + 20);
      publisher.stop();
      // Allowed short of what the SFU forwarded: what its pacer dropped (queued too long, or
      // refused when full), which a packet at the very end is not even seen missing to be asked
      // for again. What reached the client before its handshake had the keys is held and
      // delivered (WebRtcClient), so none of it is excused.
      Await.until("everything forwarded arrived or was repaired", 10_000,
          () -> {
            synchronized (receiver) {
              var sendSide = player.stats().sendSide();
              long excused = sendSide.pacerExpired() + sendSide.pacerRefused();
              long arrived = videoStream.distinct() + audioStream.distinct();
              long forwarded = deliverable(videoSub) + deliverable(audioSub);
              return receiver.complete() && arrived <= forwarded && arrived >= forwarded - excused;
            }
          },
          () -> receiver + " forwarded video " + deliverable(videoSub) + " audio " + deliverable(audioSub)
              + " send side " + player.stats().sendSide() + " client " + client.demuxCounters());
      System.out.println("playback: " + receiver);

      assertEquals(0, receiver.wrongSsrc(), receiver.toString());
      assertEquals(0, receiver.wrongPayloadType, receiver.toString());
      assertEquals(0, receiver.payloadFailures, receiver.toString());
      for (SubscriberClient.Stream s : List.of(videoStream, audioStream)) {
        assertTrue(s.started, s.toString());
        assertTrue(s.firstPacketStartsKeyframe, "starts on a keyframe: " + s);
        assertEquals(0, s.duplicates, s.toString());
        assertEquals(0, s.outOfOrder, s.toString());
        assertEquals(0, s.unrecovered(), s.toString());
        assertEquals(s.highestExt - s.firstExt + 1, s.distinct(), "continuous numbering: " + s);
      }
      assertTrue(videoStream.repairedByRtx > 0, "losses repaired with the offered RTX payload type: " + receiver);
      assertTrue(videoStream.primaryPackets > 60 && audioStream.primaryPackets > 100, receiver.toString());
      assertEquals(0, publisher.sendFailures.get());
      assertEquals(0, client.demuxCounters().dropped(DemuxDropReason.NOT_SECURED), client.demuxCounters().toString());
      assertTrue(player.publications().isEmpty(), "a player publishes nothing");
    } finally {
      publisher.close();
      receiver.close();
      player.leave();
      pub.close();
      room.close();
    }
    Await.until("no packet in flight", 5_000, () -> server.sfu.packetPool().outstanding() == 0);
    assertTrue(transport.state().name().equals("CLOSED"), "the player's transport is closed: " + transport.state());
  }

  /**
   * Packets the subscription forwarded that could reach the player: audio is forwarded from the
   * start, and what went out before the player's DTLS handshake was done is dropped unencrypted.
   */
  private static long deliverable(TrackSubscription sub) {
    long beforeHandshake = 0;
    for (Node.NodeStats n : sub.pipelineStats()) {
      beforeHandshake += n.drops().getOrDefault(DropReason.TRANSPORT_NOT_READY, 0L);
    }
    return sub.stats().packets() - beforeHandshake;
  }

  private static TrackSubscription subscription(Participant player, TrackPublication pub) {
    for (TrackSubscription s : player.subscriptions()) {
      if (s.publication() == pub) {
        return s;
      }
    }
    throw new AssertionError("player does not receive " + pub);
  }
}
