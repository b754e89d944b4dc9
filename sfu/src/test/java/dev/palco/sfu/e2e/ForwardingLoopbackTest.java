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
    SubscriberClient s = subscriber(peer, publisher);
    expect(s, video, audio);
    return s;
  }

  /** A subscriber receiving from now on; {@link #expect} tells it the streams. */
  private static SubscriberClient subscriber(Peer peer, PublisherClient publisher) {
    SubscriberClient s = new SubscriberClient(peer.id, peer.client, publisher.videoSsrc, publisher.audioSsrc,
        0x5000_0000L + peer.id.hashCode() & 0xFFFF_FFFFL);
    s.startNacks(clientTimers);
    return s;
  }

  private static void expect(SubscriberClient s, TrackSubscription video, TrackSubscription audio) {
    if (video != null) {
      CodecParameters vp8 = video.publication().parameters().codecs().get(0);
      s.expect(video, true, vp8.payloadType(), vp8.rtxPayloadType());
    }
    if (audio != null) {
      CodecParameters opus = audio.publication().parameters().codecs().get(0);
      s.expect(audio, false, opus.payloadType(), -1);
    }
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

  @Test
  void lateSubscriberTriggersAKeyframeRequestAndStartsOnTheKeyframe() throws Exception {
    Room room = server.sfu.createRoom("late");
    Peer pub = server.join(room, "publisher");
    // Periodic keyframes only every 20 s (frame 0, then 600): any keyframe within this test after
    // the first is one the SFU asked for.
    PublisherClient publisher = new PublisherClient(pub.client, 2, 1_000_000, 600);
    TrackPublication cam = pub.participant.publish(publisher.videoTrack("0"));
    publisher.start();
    Await.until("1.5 s of media before the late subscriber", 10_000, () -> publisher.framesSent.get() >= 45);
    Peer latePeer = server.join(room, "late");
    int requestsBefore = publisher.plisReceived.get() + publisher.firsReceived.get();
    long subscribeNanos = System.nanoTime();
    // Receiving before subscribing: the SFU may forward the keyframe before this thread has read
    // the subscription's SSRC, and the client keeps such packets until expect().
    SubscriberClient late = subscriber(latePeer, publisher);
    TrackSubscription sub = latePeer.participant.subscribe(cam);
    expect(late, sub, null);
    SubscriberClient.Stream video = late.streams().get(0);
    Await.until("first video packet", 5_000, () -> {
      synchronized (late) {
        return video.started;
      }
    });
    long firstKeyframeMs;
    synchronized (late) {
      firstKeyframeMs = (video.firstPacketNanos - subscribeNanos) / 1_000_000;
    }
    int framesAtStart = publisher.framesSent.get();
    Await.until("a second of video", 5_000, () -> publisher.framesSent.get() >= framesAtStart + 30);
    publisher.stop();
    Await.until("the late subscriber is complete", 5_000,
        () -> late.complete() && everyVideoHas(late, sub.stats().packets()),
        () -> late + "; the SFU forwarded " + sub.stats());

    int requests = publisher.plisReceived.get() + publisher.firsReceived.get() - requestsBefore;
    long requestToKeyframeMs = (video.firstPacketNanos - publisher.lastKeyframeRequestNanos.get()) / 1_000_000;
    System.out.printf("late subscriber: subscribe -> first keyframe packet %d ms (keyframe request -> first packet "
            + "%d ms); the publisher got %d PLI + %d FIR, keyframes on request at frames %s; first frame forwarded "
            + "%d; %s%n",
        firstKeyframeMs, requestToKeyframeMs, publisher.plisReceived.get(), publisher.firsReceived.get(),
        publisher.requestedKeyframes, video.firstFrameNumber, late);
    ParticipantStats pubStats = pub.participant.stats();
    assertTrue(requests >= 1, "the SFU asked the publisher for a keyframe");
    assertTrue(pubStats.keyframeRequestsSent() >= 1, pubStats.toString());
    assertTrue(video.firstPacketStartsKeyframe, "the first packet forwarded starts a keyframe: " + late);
    assertTrue(publisher.requestedKeyframes.contains(video.firstFrameNumber),
        "the first frame forwarded (" + video.firstFrameNumber + ") is the requested keyframe "
            + publisher.requestedKeyframes);
    assertTrue(firstKeyframeMs < 1_000, "keyframe within a second: " + firstKeyframeMs + " ms");
    assertClean(late);
    assertIntact(late, video, sub.stats().packets());

    pub.close();
    late.close();
    latePeer.close();
    room.close();
  }

  @Test
  void garbageAtTheMediaPortIsDroppedAndCountedWhileTheSessionGoesOn() throws Exception {
    Room room = server.sfu.createRoom("garbage");
    Peer pub = server.join(room, "publisher");
    Peer subPeer = server.join(room, "viewer");
    PublisherClient publisher = new PublisherClient(pub.client, 3, 1_000_000, 60);
    TrackPublication cam = pub.participant.publish(publisher.videoTrack("0"));
    TrackPublication mic = pub.participant.publish(publisher.audioTrack("1", false));
    TrackSubscription video = subPeer.participant.subscribe(cam);
    TrackSubscription audio = subPeer.participant.subscribe(mic);
    SubscriberClient viewer = subscriber(subPeer, publisher, video, audio);
    publisher.start();
    Await.until("a second of media", 10_000, () -> publisher.framesSent.get() >= 30);

    var demux = pub.transport.demuxCounters();
    var ice = pub.transport.iceCounters();
    long unauthorizedBefore = ice.dropped(dev.palco.sfu.transport.TransportDropReason.UNAUTHORIZED_SOURCE);
    long tooShortBefore = demux.dropped(dev.palco.sfu.transport.DemuxDropReason.TOO_SHORT);
    long unknownBefore = demux.dropped(dev.palco.sfu.transport.DemuxDropReason.UNKNOWN_PROTOCOL);
    long dtlsBefore = demux.dtlsDatagrams();
    java.util.SplittableRandom random = new java.util.SplittableRandom(0xBADC0DEL);
    java.net.InetSocketAddress port = server.ice.udpAddresses().get(0);
    String ufrag = pub.transport.localIceCredentials().ufrag();
    int strangerDatagrams = 0;
    int stunErrorsToStranger = 0;

    // 1. From a stranger's socket: a STUN Binding request for the publisher's session with a bad
    //    MESSAGE-INTEGRITY (ice4j answers 400/401 and from then on routes that source to the
    //    session), then random bytes, truncated DTLS and RTP with unknown SSRCs. The ICE layer
    //    must count all of it as coming from an unvalidated source.
    try (java.net.DatagramSocket stranger = new java.net.DatagramSocket(
        new java.net.InetSocketAddress(IceTestSupport.loopback(), 0))) {
      stranger.setSoTimeout(1_000);
      for (int i = 0; i < 3; i++) {
        byte[] forged = Garbage.bindingRequestWithBadIntegrity(ufrag + ":intruder", i);
        stranger.send(new java.net.DatagramPacket(forged, forged.length, port));
        byte[] reply = new byte[1500];
        java.net.DatagramPacket in = new java.net.DatagramPacket(reply, reply.length);
        stranger.receive(in);
        if (Garbage.isBindingErrorResponse(reply, in.getLength())) {
          stunErrorsToStranger++;
        }
      }
      java.util.List<byte[]> junk = new java.util.ArrayList<>(Garbage.randomBytes(random, 150));
      junk.add(Garbage.truncatedDtls());
      junk.add(Garbage.dtlsHeaderOnly());
      for (int i = 0; i < 20; i++) {
        byte[] rtp = Garbage.rtp(0x0BAD_0000L + i, i, 200, random, 0);
        junk.add(rtp);
      }
      // Paced in small batches: a burst could overflow the shared socket's receive buffer, and
      // the kernel would drop real media with it.
      for (int start = 0; start < junk.size(); start += 10) {
        long before = ice.dropped(dev.palco.sfu.transport.TransportDropReason.UNAUTHORIZED_SOURCE);
        int end = Math.min(junk.size(), start + 10);
        for (byte[] b : junk.subList(start, end)) {
          stranger.send(new java.net.DatagramPacket(b, b.length, port));
        }
        strangerDatagrams += end - start;
        int batch = end - start;
        Await.until("stranger batch counted", 5_000,
            () -> ice.dropped(dev.palco.sfu.transport.TransportDropReason.UNAUTHORIZED_SOURCE) >= before + batch);
      }
    }
    long unauthorized = ice.dropped(dev.palco.sfu.transport.TransportDropReason.UNAUTHORIZED_SOURCE)
        - unauthorizedBefore;

    // 2. From the publisher's own, ICE-validated address: past ICE, into the RFC 7983 demux, the
    //    DTLS layer and the receive pipeline.
    long authFailBefore = srtpDrops(pub.participant.stats());
    long strictAuthFailBefore = pub.participant.stats().dropped(dev.palco.sfu.pipeline.DropReason.SRTP_AUTH_FAIL);
    long unknownSsrcBefore = pub.participant.stats().dropped(dev.palco.sfu.pipeline.DropReason.UNKNOWN_SSRC);
    long iceRxBefore = ice.packetsReceived();
    int tooShort = 0;
    int unknownProtocol = 0;
    int dtlsRecords = 0;
    int plainRtp = 0;
    int protectedUnknownSsrc = 0;
    int badStun = 0;
    java.util.List<byte[]> junk = Garbage.randomBytes(random, 150);
    junk.add(Garbage.truncatedDtls());
    junk.add(Garbage.dtlsHeaderOnly());
    for (int i = 0; i < 20; i++) {
      junk.add(java.util.Arrays.copyOf(Garbage.rtp(0x0BAD_1000L + i, i, 200, random, 0), 212));
    }
    for (byte[] b : junk) {
      if ((b[0] & 0xFF) <= 3) {
        b[0] = (byte) (4 + random.nextInt(12)); // STUN is sent on its own below
      }
      // The expected outcome of each datagram, by the RFC 7983 classifier the demux uses.
      switch (dev.palco.rtp.demux.PacketClassifier.classify(b, 0, b.length)) {
        case RTP, RTCP -> plainRtp++; // reaches the SRTP decrypt node and is refused there
        case DTLS -> dtlsRecords++; // queued for DTLS, which discards what it cannot authenticate
        case TOO_SHORT -> tooShort++;
        default -> unknownProtocol++; // ZRTP, TURN ChannelData, QUIC, unassigned first bytes
      }
    }
    for (int start = 0; start < junk.size(); start += 10) {
      int end = Math.min(junk.size(), start + 10);
      for (byte[] b : junk.subList(start, end)) {
        assertEquals(dev.palco.sfu.transport.SendResult.SENT, pub.client.sendRawDatagram(b, 0, b.length));
      }
      long target = iceRxBefore + end;
      Await.until("validated-source batch received", 5_000, () -> ice.packetsReceived() >= target);
    }
    // RTP with unknown SSRCs, properly protected: it passes SRTP and is dropped by routing.
    for (int i = 0; i < 20; i++) {
      byte[] rtp = Garbage.rtp(0x0BAD_2000L + i, i, 200, random, dev.palco.sfu.client.WebRtcClient.MAX_SRTP_OVERHEAD_BYTES);
      assertEquals(dev.palco.sfu.client.ClientSendResult.SENT, pub.client.sendRtp(rtp, 0, 212));
      protectedUnknownSsrc++;
    }
    // STUN with a bad integrity check from the validated address: ice4j's STUN stack takes it and
    // rejects it; it must not reach the media path or disturb the selected pair.
    for (int i = 0; i < 5; i++) {
      byte[] forged = Garbage.bindingRequestWithBadIntegrity(ufrag + ":" + pub.client.localCredentials().ufrag(),
          100 + i);
      pub.client.sendRawDatagram(forged, 0, forged.length);
      badStun++;
    }
    int expectAuthFail = plainRtp;
    int expectUnknownSsrc = protectedUnknownSsrc;
    Await.until("pipeline drops counted", 5_000,
        () -> srtpDrops(pub.participant.stats()) >= authFailBefore + expectAuthFail
            && pub.participant.stats().dropped(dev.palco.sfu.pipeline.DropReason.UNKNOWN_SSRC)
            >= unknownSsrcBefore + expectUnknownSsrc,
        () -> "plain RTP " + expectAuthFail + " (before " + authFailBefore + "), unknown SSRC " + expectUnknownSsrc
            + " (before " + unknownSsrcBefore + "): " + pub.participant.stats().drops() + " " + demux);

    // 3. The session goes on: another second of media, then every check of the forwarding test.
    int framesNow = publisher.framesSent.get();
    Await.until("a second of media after the garbage", 10_000, () -> publisher.framesSent.get() >= framesNow + 30);
    publisher.stop();
    Await.until("viewer complete", 5_000, () -> viewer.complete()
        && everyStreamHas(viewer, video.stats().packets(), audio.stats().packets()), viewer::toString);

    ParticipantStats stats = pub.participant.stats();
    long authFail = srtpDrops(stats) - authFailBefore;
    long strictAuthFail = stats.dropped(dev.palco.sfu.pipeline.DropReason.SRTP_AUTH_FAIL) - strictAuthFailBefore;
    long unknownSsrc = stats.dropped(dev.palco.sfu.pipeline.DropReason.UNKNOWN_SSRC) - unknownSsrcBefore;
    System.out.printf("garbage: stranger sent %d datagrams after 3 bad-integrity STUN requests (%d error responses): "
        + "%d counted UNAUTHORIZED_SOURCE%n", strangerDatagrams, stunErrorsToStranger, unauthorized);
    System.out.printf("garbage: validated source sent %d random/DTLS/RTP datagrams, %d protected RTP with unknown "
        + "SSRCs, %d bad-integrity STUN: demux %s; pipeline SRTP drops +%d (SRTP_AUTH_FAIL +%d, the rest "
        + "SRTP_OTHER: too short for SRTP/SRTCP), UNKNOWN_SSRC +%d; ICE %s%n",
        junk.size(), protectedUnknownSsrc, badStun, demux, authFail, strictAuthFail, unknownSsrc, ice);
    System.out.println("garbage: viewer " + viewer);

    assertEquals(3, stunErrorsToStranger, "each forged STUN request was refused");
    assertEquals(strangerDatagrams, unauthorized, "every datagram of the stranger was counted");
    assertEquals(tooShort, demux.dropped(dev.palco.sfu.transport.DemuxDropReason.TOO_SHORT) - tooShortBefore,
        demux.toString());
    assertEquals(unknownProtocol,
        demux.dropped(dev.palco.sfu.transport.DemuxDropReason.UNKNOWN_PROTOCOL) - unknownBefore, demux.toString());
    assertEquals(dtlsRecords, demux.dtlsDatagrams() - dtlsBefore, demux.toString());
    assertEquals(plainRtp, authFail, "unprotected RTP/RTCP is refused by SRTP");
    assertTrue(strictAuthFail >= 20, "the well-formed plain RTP packets fail authentication: " + strictAuthFail);
    assertEquals(protectedUnknownSsrc, unknownSsrc, "protected RTP of unknown SSRCs is not routed");
    assertEquals(0, demux.dropped(dev.palco.sfu.transport.DemuxDropReason.STRAY_STUN),
        "STUN never reaches the media demux");
    assertEquals(dev.palco.sfu.transport.WebRtcTransportState.SECURED, pub.transport.state());
    assertTrue(pub.client.isSecured() && !pub.client.isClosedByPeer());
    assertEquals(0, publisher.sendFailures.get());
    assertClean(viewer);
    assertIntact(viewer, viewer.streams().get(0), publisher.videoPacketsSent.get());
    assertIntact(viewer, viewer.streams().get(1), publisher.audioPacketsSent.get());

    pub.close();
    viewer.close();
    subPeer.close();
    room.close();
  }

  /** Drops by the SRTP decrypt node: authentication failures and packets too short to unprotect. */
  private static long srtpDrops(ParticipantStats stats) {
    return stats.dropped(dev.palco.sfu.pipeline.DropReason.SRTP_AUTH_FAIL)
        + stats.dropped(dev.palco.sfu.pipeline.DropReason.SRTP_OTHER)
        + stats.dropped(dev.palco.sfu.pipeline.DropReason.SRTP_REPLAY);
  }

  private static boolean everyVideoHas(SubscriberClient c, long videoPackets) {
    return c.streams().get(0).distinct() == videoPackets;
  }

  private static boolean everyStreamHas(SubscriberClient c, long videoPackets, long audioPackets) {
    var streams = c.streams();
    return streams.get(0).distinct() == videoPackets && streams.get(1).distinct() == audioPackets;
  }
}
