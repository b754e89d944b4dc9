package dev.palco.sfu.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.sfu.e2e.LoopbackSfu.Peer;
import dev.palco.sfu.room.CodecParameters;
import dev.palco.sfu.room.ParticipantStats;
import dev.palco.sfu.room.Room;
import dev.palco.sfu.room.TrackPublication;
import dev.palco.sfu.room.TrackSubscription;
import dev.palco.sfu.stats.LatencyHistogram;
import dev.palco.sfu.transport.IceTestSupport;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The media plane end to end on loopback, with Palco's own clients (ice4j controlling agent, DTLS
 * client, SRTP) against a real {@code Sfu}, {@code IceServer} and one {@code WebRtcTransport} per
 * participant: forwarding to two subscribers with exact continuity and payloads, loss repaired by
 * NACK and RTX, a late subscriber started on a requested keyframe, and garbage at the media port.
 */
class ForwardingLoopbackTest {
  private static LoopbackSfu server;
  private static ScheduledExecutorService clientTimers;

  @BeforeAll
  static void start() throws Exception {
    // Consent every ~500 ms, lost after 5 s: a loaded CI machine must not lose a live session.
    server = LoopbackSfu.start(IceTestSupport.loopbackConfig(false).withTimers(500, 5_000, 10_000, 200));
    clientTimers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "e2e-client-nack-timer");
      t.setDaemon(true);
      return t;
    });
  }

  @AfterAll
  static void stop() {
    clientTimers.shutdownNow();
    server.close();
  }

  /** A subscriber client for {@code peer}, expecting the streams of the given subscriptions. */
  private static SubscriberClient subscriber(Peer peer, PublisherClient publisher, TrackSubscription video,
      TrackSubscription audio) {
    SubscriberClient s = new SubscriberClient(peer.id, peer.client, publisher.videoSsrc, publisher.audioSsrc,
        0x5000_0000L + peer.id.hashCode() & 0xFFFF_FFFFL);
    if (video != null) {
      CodecParameters vp8 = video.publication().parameters().codecs().get(0);
      s.expect(video, true, vp8.payloadType(), vp8.rtxPayloadType());
    }
    if (audio != null) {
      CodecParameters opus = audio.publication().parameters().codecs().get(0);
      s.expect(audio, false, opus.payloadType(), -1);
    }
    s.startNacks(clientTimers);
    return s;
  }

  private static String ms(long nanos) {
    return String.format("%.3f ms", nanos / 1e6);
  }

  private static String summary(LatencyHistogram h) {
    return "n=" + h.count() + " p50=" + ms(h.percentileNanos(50)) + " p99=" + ms(h.percentileNanos(99))
        + " max=" + ms(h.maxNanos());
  }

  /** Every check a stream must pass: continuous, in order, no duplicates, exact, all forwarded. */
  private static void assertIntact(SubscriberClient client, SubscriberClient.Stream s, long forwarded) {
    String where = client.name + " " + s;
    assertTrue(s.started, where);
    assertTrue(s.firstPacketStartsKeyframe, "first packet starts a keyframe: " + where);
    assertEquals(0, s.duplicates, "duplicates: " + where);
    assertEquals(0, s.outOfOrder, "out of order: " + where);
    assertEquals(0, s.unrecovered(), "unrecovered loss: " + where);
    assertEquals(0, s.nacks.givenUp(), "given up: " + where);
    assertEquals(forwarded, s.distinct(), "every forwarded packet arrived once: " + where);
    assertEquals(forwarded, s.highestExt - s.firstExt + 1, "continuous numbering: " + where);
  }

  private static void assertClean(SubscriberClient c) {
    assertEquals(0, c.wrongSsrc(), c.toString());
    assertEquals(0, c.wrongPayloadType, c.toString());
    assertEquals(0, c.payloadFailures, c.toString());
    assertEquals(0, c.nackSendFailures, c.toString());
  }

  @Test
  void twoSubscribersGetExactContinuousMediaAndInjectedLossIsFullyRepaired() throws Exception {
    long t0 = System.nanoTime();
    Room room = server.sfu.createRoom("forwarding");
    Peer pub = server.join(room, "publisher");
    Peer lossyPeer = server.join(room, "lossy");
    Peer cleanPeer = server.join(room, "clean");
    System.out.printf("forwarding: 3 participants secured in %d / %d / %d ms%n", pub.msToSecured,
        lossyPeer.msToSecured, cleanPeer.msToSecured);
    PublisherClient publisher = new PublisherClient(pub.client, 1, 1_000_000, 60);
    TrackPublication cam = pub.participant.publish(publisher.videoTrack("0"));
    TrackPublication mic = pub.participant.publish(publisher.audioTrack("1", true));
    TrackSubscription lossyVideo = lossyPeer.participant.subscribe(cam);
    TrackSubscription lossyAudio = lossyPeer.participant.subscribe(mic);
    TrackSubscription cleanVideo = cleanPeer.participant.subscribe(cam);
    TrackSubscription cleanAudio = cleanPeer.participant.subscribe(mic);
    SubscriberClient lossy = subscriber(lossyPeer, publisher, lossyVideo, lossyAudio);
    SubscriberClient clean = subscriber(cleanPeer, publisher, cleanVideo, cleanAudio);
    lossy.setLoss(0.05, 0x5EED);
    server.sfu.forwardingLatency().reset();

    long mediaStart = System.nanoTime();
    publisher.start();
    // 10 s of media with 5 % loss toward one subscriber; then 20 frames without loss, so that
    // a loss among the last packets is followed by packets that reveal it.
    Await.until("10 s of media", 20_000, () -> publisher.framesSent.get() >= 300);
    lossy.setLoss(0, 0);
    int lossEndFrame = publisher.framesSent.get();
    Await.until("tail without loss", 5_000, () -> publisher.framesSent.get() >= lossEndFrame + 20);
    publisher.stop();
    long mediaMs = (System.nanoTime() - mediaStart) / 1_000_000;
    long drainStart = System.nanoTime();
    Await.until("everything forwarded arrived or was repaired", 10_000,
        () -> lossy.complete() && clean.complete()
            && everyStreamHas(lossy, lossyVideo.stats().packets(), lossyAudio.stats().packets())
            && everyStreamHas(clean, cleanVideo.stats().packets(), cleanAudio.stats().packets()),
        () -> lossy + " / " + clean);
    long drainMs = (System.nanoTime() - drainStart) / 1_000_000;
    Await.until("no packet in flight", 5_000, () -> server.sfu.packetPool().outstanding() == 0);

    ParticipantStats lossyStats = lossyPeer.participant.stats();
    ParticipantStats cleanStats = cleanPeer.participant.stats();
    ParticipantStats pubStats = pub.participant.stats();
    SubscriberClient.Stream lv = lossy.streams().get(0);
    SubscriberClient.Stream la = lossy.streams().get(1);
    SubscriberClient.Stream cv = clean.streams().get(0);
    SubscriberClient.Stream ca = clean.streams().get(1);
    System.out.printf("forwarding: %d ms of media (%d frames, %d video + %d audio packets sent), drained in %d ms%n",
        mediaMs, publisher.framesSent.get(), publisher.videoPacketsSent.get(), publisher.audioPacketsSent.get(),
        drainMs);
    System.out.println("forwarding: lossy " + lossy);
    System.out.println("forwarding: clean " + clean);
    System.out.printf("forwarding: loss repair: %d RTP datagrams dropped by the filter; the subscriber sent %d NACK "
            + "packets naming %d sequence numbers; the SFU answered %d NACKed numbers with %d retransmissions "
            + "(%d RTX video, %d plain audio, %d redundant)%n",
        lossy.rtpDroppedByFilter, lossy.nackPacketsSent, lossy.nackedSequenceNumbers, lossyStats.nacksReceived(),
        lossyStats.retransmissionsSent(), lv.repairedByRtx, la.repairedByRetransmission,
        lv.redundantRepairs + la.redundantRepairs);
    System.out.println("forwarding: SFU added latency " + summary(server.sfu.forwardingLatency()));
    System.out.println("forwarding: publisher send -> clean subscriber receive " + summary(clean.endToEnd));
    System.out.println("forwarding: publisher drops " + pubStats.drops() + ", lossy drops " + lossyStats.drops()
        + ", clean drops " + cleanStats.drops());

    assertEquals(0, publisher.sendFailures.get());
    assertClean(lossy);
    assertClean(clean);
    // Subscribed before the first packet: every packet the publisher sent reached both, once.
    assertIntact(clean, cv, publisher.videoPacketsSent.get());
    assertIntact(clean, ca, publisher.audioPacketsSent.get());
    assertIntact(lossy, lv, publisher.videoPacketsSent.get());
    assertIntact(lossy, la, publisher.audioPacketsSent.get());
    assertEquals(publisher.videoPacketsSent.get(), cleanVideo.stats().packets());
    assertEquals(publisher.audioPacketsSent.get(), cleanAudio.stats().packets());
    // The clean subscriber never needed a repair.
    assertEquals(0, clean.nackPacketsSent, clean.toString());
    assertEquals(0, cv.rtxPackets + ca.repairedByRetransmission, clean.toString());
    assertEquals(0, cleanStats.retransmissionsSent());
    // The lossy one lost about 5 % and got every loss back.
    long rtpToLossy = lv.primaryPackets + lv.rtxPackets + la.primaryPackets + lossy.rtpDroppedByFilter;
    double lossRate = (double) lossy.rtpDroppedByFilter / rtpToLossy;
    assertTrue(lossRate > 0.03 && lossRate < 0.07, "loss rate " + lossRate);
    assertTrue(lossy.nackPacketsSent > 0 && lv.repairedByRtx > 0 && la.repairedByRetransmission > 0,
        lossy.toString());
    // Each dropped original was repaired once; the rest of the drops hit repairs, asked for again.
    assertTrue(lv.repairedByRtx + la.repairedByRetransmission <= lossy.rtpDroppedByFilter, lossy.toString());
    assertTrue(lossyStats.retransmissionsSent() >= lv.repairedByRtx + la.repairedByRetransmission);
    // No keyframe request or NACK went to the publisher: its uplink is clean.
    assertEquals(0, pubStats.nacksSent());
    assertTrue(server.sfu.forwardingLatency().count() >= 2L * (publisher.videoPacketsSent.get()
        + publisher.audioPacketsSent.get()), "the send path recorded its latency");

    pub.close();
    lossy.close();
    clean.close();
    lossyPeer.close();
    cleanPeer.close();
    room.close();
    System.out.printf("forwarding: test took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  private static boolean everyStreamHas(SubscriberClient c, long videoPackets, long audioPackets) {
    var streams = c.streams();
    return streams.get(0).distinct() == videoPackets && streams.get(1).distinct() == audioPackets;
  }
}
