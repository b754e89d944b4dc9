package dev.palco.sfu.room;

import static dev.palco.sfu.room.MediaFixtures.VP8_PT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.rtp.RtpPacket;
import dev.palco.rtp.rtcp.RembEncoder;
import dev.palco.sfu.alloc.PauseReason;

import dev.palco.sfu.pipeline.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The send side wired end to end on the harness's manual clock (no sleeps): the subscriber's
 * transport-wide feedback moves the estimate, the estimate moves the layer, Last-N and visibility
 * pause and resume tracks, and the pacer spreads a keyframe burst.
 */
class SendSideTest {
  private static final long[] LAYER_SSRCS = {0x5100_0001L, 0x5100_0002L, 0x5100_0003L};
  /** Bytes per 10 ms of each layer: about 120 kbps, 400 kbps and 1 Mbps. */
  private static final int[] LAYER_PAYLOAD_BYTES = {150, 500, 1_200};
  private static final int STEP_MS = 10;

  /** A three-layer simulcast track (rids q, h, f) with signalled SSRCs, lowest first. */
  private static TrackParameters simulcast(String mid) {
    List<TrackParameters.SsrcPair> pairs = new ArrayList<>();
    for (long ssrc : LAYER_SSRCS) {
      pairs.add(new TrackParameters.SsrcPair(ssrc, ssrc + 0x100));
    }
    return new TrackParameters(TrackKind.VIDEO, mid, List.of(CodecParameters.vp8(VP8_PT, MediaFixtures.VP8_RTX_PT)),
        MediaFixtures.EXTENSIONS, pairs, List.of("q", "h", "f"), false, "stream", "cam");
  }

  /** The publisher's side: one frame per layer every step, a keyframe on every layer every 200 ms. */
  private static final class SimulcastPublisher {
    final TestPeer peer;
    int step;

    SimulcastPublisher(TestPeer peer) {
      this.peer = peer;
    }

    void sendStep() {
      boolean key = step % 20 == 0;
      for (int layer = 0; layer < LAYER_SSRCS.length; layer++) {
        byte[] payload = MediaFixtures.vp8Payload(key, (step + layer * 1000) & 0x7FFF, step & 0xFF,
            LAYER_PAYLOAD_BYTES[layer], step);
        peer.sendRtp(MediaFixtures.rtp(VP8_PT, (step + layer * 10_000) & 0xFFFF, step * 900L,
            LAYER_SSRCS[layer], true, "0", null, false, -1, payload));
      }
      step++;
    }
  }

  /** Runs {@code ms} of publisher, SFU timers and the subscriber's downlink. */
  private static void run(SfuHarness h, SimulcastPublisher pub, List<SimulatedDownlink> links, long ms) {
    for (long t = 0; t < ms; t += STEP_MS) {
      pub.sendStep();
      for (SimulatedDownlink d : links) {
        d.step();
      }
      h.advance(STEP_MS);
      for (SimulatedDownlink d : links) {
        d.step();
      }
    }
  }

  /** Runs until {@code sub} forwards {@code layer} or {@code maxMs} passed; returns the time taken. */
  private static long runUntilLayer(SfuHarness h, SimulcastPublisher pub, List<SimulatedDownlink> links,
      TrackSubscription sub, int layer, boolean below, long maxMs) {
    long t = 0;
    while (t < maxMs) {
      int current = sub.currentLayer();
      if (below ? current >= 0 && current < layer : current == layer) {
        return t;
      }
      run(h, pub, links, STEP_MS);
      t += STEP_MS;
    }
    return -1;
  }

  @Test
  void feedbackMovesTheEstimateAndTheEstimateMovesTheLayerDownAndBackUp() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TestPeer carol = h.join("carol");
      TrackPublication cam = alice.participant.publish(simulcast("0"));
      TrackSubscription toBob = bob.participant.subscribe(cam);
      TrackSubscription toCarol = carol.participant.subscribe(cam);
      SimulatedDownlink bobLink = new SimulatedDownlink(h, bob, 3_000_000);
      SimulatedDownlink carolLink = new SimulatedDownlink(h, carol, 3_000_000);
      List<SimulatedDownlink> links = List.of(bobLink, carolLink);
      SimulcastPublisher pub = new SimulcastPublisher(alice);

      long up = runUntilLayer(h, pub, links, toBob, 2, false, 20_000);
      assertTrue(up >= 0, "Bob reaches the top layer on a 3 Mbps path: " + bob.participant.stats().sendSide());
      run(h, pub, links, 2_000);
      assertEquals(2, toBob.currentLayer());
      SendSideStats before = bob.participant.stats().sendSide();
      assertTrue(before.estimateBps() > 1_100_000, "estimate " + before);
      assertTrue(before.transportCcStamped() > 0 && before.feedbackMessages() > 0, before.toString());

      // Bob's path narrows to 300 kbps: he drops below the top layer within 2 s.
      bobLink.rateBps = 300_000;
      long down = runUntilLayer(h, pub, links, toBob, 2, true, 2_000);
      assertTrue(down >= 0, "Bob leaves the top layer within 2 s: " + bob.participant.stats().sendSide());
      run(h, pub, links, 3_000);
      SendSideStats narrow = bob.participant.stats().sendSide();
      assertTrue(narrow.estimateBps() < 450_000, "estimate follows the path down: " + narrow);
      assertEquals(0, toBob.currentLayer(), "only the lowest layer fits 300 kbps");

      // The path recovers: probes find it, and Bob climbs back to the top.
      bobLink.rateBps = 3_000_000;
      long back = runUntilLayer(h, pub, links, toBob, 2, false, 25_000);
      assertTrue(back >= 0, "Bob climbs back: " + bob.participant.stats().sendSide());
      assertTrue(bob.participant.stats().sendSide().probesStarted() > 0);

      // Carol, on a clean path all along, stayed on the top layer and lost nothing.
      assertEquals(2, toCarol.currentLayer());
      assertEquals(0, carolLink.lost);
      assertEquals(0, carol.participant.stats().sendSide().layers().get(0).downswitches(),
          "Carol never switched down: " + carol.participant.stats().sendSide());
      // What each subscriber saw of the video stream is continuous: every number once, in order.
      for (TrackSubscription sub : List.of(toBob, toCarol)) {
        SimulatedDownlink link = sub == toBob ? bobLink : carolLink;
        List<int[]> got = link.delivered.get(sub.ssrc());
        for (int i = 1; i < got.size(); i++) {
          if (link == carolLink) {
            assertEquals((got.get(i - 1)[0] + 1) & 0xFFFF, got.get(i)[0], "Carol's sequence at " + i);
          } else {
            int gap = (got.get(i)[0] - got.get(i - 1)[0]) & 0xFFFF;
            assertTrue(gap >= 1 && gap < 1000, "Bob's sequence goes forward at " + i + ": " + gap);
          }
        }
      }
      System.out.printf("send side: top layer forwarded after %d ms, down %d ms after the drop, back up %d ms"
          + " after recovery; Bob lost %d packets in the bottleneck, %d probes%n", up, down, back,
          bobLink.lost, bob.participant.stats().sendSide().probesStarted());
    }
  }

  @Test
  void aTileSizeCapsTheLayerAtOnce() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(simulcast("0"));
      TrackSubscription toBob = bob.participant.subscribe(cam);
      SimulcastPublisher pub = new SimulcastPublisher(alice);
      List<SimulatedDownlink> links = List.of(new SimulatedDownlink(h, bob, 3_000_000));
      // Before feedback the estimate does not limit: the top layer flows.
      assertTrue(runUntilLayer(h, pub, links, toBob, 2, false, 1_000) >= 0);
      // Every layer is 320x240 in this fixture: a smaller tile keeps only the lowest.
      toBob.setMaxResolution(160, 120);
      assertTrue(runUntilLayer(h, pub, links, toBob, 0, false, 500) >= 0,
          "a small tile gets the lowest layer at the next keyframe");
      toBob.setMaxResolution(0, 0);
      assertTrue(runUntilLayer(h, pub, links, toBob, 2, false, 500) >= 0,
          "an enlarged tile gets the top layer back at once, not after damping");
    }
  }

  /**
   * The fan-out queues to a subscriber only the simulcast layer it forwards (and the one it waits
   * for): once a subscriber capped at the lowest layer forwards it, the other two layers' packets
   * never reach its send pipeline, while an uncapped subscriber of the same track still gets the
   * top layer.
   */
  @Test
  void theFanOutQueuesOnlyTheLayerASubscriberForwards() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TestPeer carol = h.join("carol");
      TrackPublication cam = alice.participant.publish(simulcast("0"));
      TrackSubscription toBob = bob.participant.subscribe(cam);
      TrackSubscription toCarol = carol.participant.subscribe(cam);
      toBob.setMaxLayer(0);
      SimulcastPublisher pub = new SimulcastPublisher(alice);
      List<SimulatedDownlink> links = List.of(new SimulatedDownlink(h, bob, 3_000_000),
          new SimulatedDownlink(h, carol, 3_000_000));
      assertTrue(runUntilLayer(h, pub, links, toBob, 0, false, 1_000) >= 0);
      assertTrue(runUntilLayer(h, pub, links, toCarol, 2, false, 1_000) >= 0);
      long bobIn = selectPacketsIn(toBob);
      long bobSent = toBob.stats().packets();
      long carolSent = toCarol.stats().packets();
      int steps = 50;
      run(h, pub, links, steps * STEP_MS);
      // One packet per layer per step: bob's select sees only layer 0's, and sends every one.
      assertEquals(steps, selectPacketsIn(toBob) - bobIn);
      assertEquals(steps, toBob.stats().packets() - bobSent);
      assertEquals(steps, toCarol.stats().packets() - carolSent);
      assertEquals(0, toBob.currentLayer());
      assertEquals(2, toCarol.currentLayer());
    }
  }

  private static long selectPacketsIn(TrackSubscription sub) {
    for (Node.NodeStats n : sub.pipelineStats()) {
      if (n.name().equals("select")) {
        return n.packetsIn();
      }
    }
    throw new AssertionError("no select node");
  }

  @Test
  void aLayerThatStopsIsNoticedWithinASecondAndForwardingMovesDown() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(simulcast("0"));
      TrackSubscription toBob = bob.participant.subscribe(cam);
      SimulcastPublisher pub = new SimulcastPublisher(alice);
      List<SimulatedDownlink> links = List.of();
      assertTrue(runUntilLayer(h, pub, links, toBob, 2, false, 1_000) >= 0);
      run(h, pub, links, 1_000);
      // The publisher drops its top layer (as a browser does when its CPU or uplink is short).
      long stoppedMs = h.clock.nowMillis();
      long movedMs = -1;
      int step = pub.step;
      for (long t = 0; t < 2_000 && movedMs < 0; t += STEP_MS) {
        boolean key = step % 20 == 0;
        for (int layer = 0; layer < 2; layer++) {
          alice.sendRtp(MediaFixtures.rtp(VP8_PT, (step + layer * 10_000) & 0xFFFF, step * 900L,
              LAYER_SSRCS[layer], true, "0", null, false, -1,
              MediaFixtures.vp8Payload(key, (step + layer * 1000) & 0x7FFF, step & 0xFF,
                  LAYER_PAYLOAD_BYTES[layer], step)));
        }
        step++;
        h.advance(STEP_MS);
        if (toBob.targetLayer() == 1) {
          movedMs = h.clock.nowMillis() - stoppedMs;
        }
      }
      assertTrue(movedMs >= 0 && movedMs <= 1_000, "the stop is noticed within 1 s: " + movedMs);
      for (int i = 0; i < 25; i++, step++) {
        alice.sendRtp(MediaFixtures.rtp(VP8_PT, (step + 10_000) & 0xFFFF, step * 900L, LAYER_SSRCS[1],
            true, "0", null, false, -1,
            MediaFixtures.vp8Payload(step % 20 == 0, (step + 1000) & 0x7FFF, step & 0xFF, 500, step)));
        h.advance(STEP_MS);
      }
      assertEquals(1, toBob.currentLayer(), "forwarding moved to the middle layer at its keyframe");
      System.out.printf("layer stop noticed and the target moved after %d ms%n", movedMs);
    }
  }

  /** One 20 ms Opus packet with an RFC 6464 level (loud with voice activity, or quiet). */
  private static byte[] opus(int seq, long ssrc, boolean loud) {
    byte[] payload = {(byte) 0x78, 1, 2, 3, 4, 5, 6, 7};
    byte[] buf = new byte[RtpPacket.HEADER_SIZE_BYTES + 32 + payload.length];
    int len = RtpPacket.writeFixedHeader(buf, 0, false, MediaFixtures.OPUS_PT, seq, seq * 960L, ssrc);
    System.arraycopy(payload, 0, buf, len, payload.length);
    len += payload.length;
    byte[] value = new byte[1];
    dev.palco.rtp.AudioLevelExtension.write(value, 0, loud, loud ? 20 : 90);
    len = dev.palco.rtp.RtpHeaderExtensions.add(buf, 0, len, buf.length, MediaFixtures.AUDIO_LEVEL_ID,
        value, 0, 1);
    return Arrays.copyOf(buf, len);
  }

  @Test
  void withLastNOneTheSlotFollowsTheDominantSpeaker() {
    try (SfuHarness h = new SfuHarness(SendSideConfig.DEFAULT.withLastN(1))) {
      TestPeer alice = h.join("alice");
      TestPeer carol = h.join("carol");
      TestPeer bob = h.join("bob");
      TrackPublication aliceCam = alice.participant.publish(MediaFixtures.video("0", 0xA1, 0xA2));
      alice.participant.publish(MediaFixtures.audio("1", 0xA3));
      TrackPublication carolCam = carol.participant.publish(MediaFixtures.video("0", 0xC1, 0xC2));
      carol.participant.publish(MediaFixtures.audio("1", 0xC3));
      TrackSubscription toBobA = bob.participant.subscribe(aliceCam);
      TrackSubscription toBobC = bob.participant.subscribe(carolCam);
      int seq = 0;
      long t = 0;
      // Quiet, then Carol talks: she becomes the dominant speaker and takes Bob's one slot.
      for (; t < 3_500; t += 20, seq++) {
        boolean carolTalks = t >= 1_000;
        alice.sendRtp(opus(seq, 0xA3, false));
        carol.sendRtp(opus(seq, 0xC3, carolTalks));
        sendFrame(alice, 0xA1, seq, seq % 10 == 0);
        sendFrame(carol, 0xC1, seq, seq % 10 == 0);
        h.advance(10);
        h.advance(10);
      }
      assertEquals("carol", h.room.dominantSpeakerId());
      assertEquals(PauseReason.NONE, toBobC.pauseReason());
      assertEquals(PauseReason.LAST_N, toBobA.pauseReason());
      List<String> pauses = h.events().stream().filter(e -> e.startsWith("pause ")).toList();
      assertEquals(List.of("pause bob carol LAST_N", "pause bob alice LAST_N", "pause bob carol NONE"),
          pauses);
    }
  }

  @Test
  void lastNPausesTracksBeyondNAndHidingOneGivesItsSlotToTheNext() {
    try (SfuHarness h = new SfuHarness(SendSideConfig.DEFAULT.withLastN(1))) {
      TestPeer alice = h.join("alice");
      TestPeer carol = h.join("carol");
      TestPeer bob = h.join("bob");
      TrackPublication aliceCam = alice.participant.publish(MediaFixtures.video("0", 0xA1, 0xA2));
      TrackPublication carolCam = carol.participant.publish(MediaFixtures.video("0", 0xC1, 0xC2));
      TrackSubscription toBobA = bob.participant.subscribe(aliceCam);
      TrackSubscription toBobC = bob.participant.subscribe(carolCam);
      int seq = 0;
      for (int i = 0; i < 30; i++, seq++) {
        sendFrame(alice, 0xA1, seq, i % 10 == 0);
        sendFrame(carol, 0xC1, seq, i % 10 == 0);
        h.advance(STEP_MS);
      }
      // Nobody has spoken: the speaking order is the order of joining, so Alice holds the slot.
      assertEquals(PauseReason.NONE, toBobA.pauseReason());
      assertEquals(PauseReason.LAST_N, toBobC.pauseReason());
      assertTrue(h.events().contains("pause bob carol LAST_N"), h.events().toString());
      bob.receive();
      int carolBefore = bob.rtpWithSsrc(toBobC.ssrc()).size();
      int aliceBefore = bob.rtpWithSsrc(toBobA.ssrc()).size();
      for (int i = 0; i < 10; i++, seq++) {
        sendFrame(alice, 0xA1, seq, false);
        sendFrame(carol, 0xC1, seq, false);
        h.advance(STEP_MS);
      }
      assertEquals(carolBefore, bob.rtpWithSsrc(toBobC.ssrc()).size(), "Carol's video is paused");
      assertEquals(aliceBefore + 10, bob.rtpWithSsrc(toBobA.ssrc()).size(), "Alice's flows");

      // Bob hides Alice's tile: it takes no slot, so Carol's resumes (on her next keyframe).
      toBobA.setVisible(false);
      for (int i = 0; i < 20; i++, seq++) {
        sendFrame(alice, 0xA1, seq, i % 10 == 0);
        sendFrame(carol, 0xC1, seq, i % 10 == 0);
        h.advance(STEP_MS);
      }
      assertEquals(PauseReason.HIDDEN, toBobA.pauseReason());
      assertEquals(PauseReason.NONE, toBobC.pauseReason());
      List<String> pauses = h.events().stream().filter(e -> e.startsWith("pause ")).toList();
      assertEquals(List.of("pause bob carol LAST_N", "pause bob alice HIDDEN", "pause bob carol NONE"),
          pauses);
      List<byte[]> carolGot = bob.rtpWithSsrc(toBobC.ssrc());
      assertTrue(carolGot.size() > carolBefore, "Carol's video resumed");
      // It resumed continuing the numbering: no gap for the paused stretch.
      for (int i = 1; i < carolGot.size(); i++) {
        assertEquals((RtpPacket.sequenceNumber(carolGot.get(i - 1), 0) + 1) & 0xFFFF,
            RtpPacket.sequenceNumber(carolGot.get(i), 0));
      }
      // Shown again: Alice is first in the speaking order, so Carol is paused again.
      toBobA.setVisible(true);
      h.advance(STEP_MS);
      h.advance(STEP_MS);
      assertEquals(PauseReason.NONE, toBobA.pauseReason());
      assertEquals(PauseReason.LAST_N, toBobC.pauseReason());

      // Carol's track becomes a screen share: it is served before any camera.
      carolCam.setScreenShare(true);
      h.advance(STEP_MS);
      h.advance(STEP_MS);
      assertEquals(PauseReason.NONE, toBobC.pauseReason());
      assertEquals(PauseReason.LAST_N, toBobA.pauseReason());
    }
  }

  @Test
  void thePacerSendsAtOnceUnderBudgetAndSpreadsAKeyframeBurstAtThePacingRate() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", 0xA1, 0xA2));
      bob.participant.subscribe(cam);
      SimulatedDownlink link = new SimulatedDownlink(h, bob, 10_000_000);
      int seq = 0;
      // A few small frames and one feedback: the pacer is on, at 2.5 x the 300 kbps start.
      for (int i = 0; i < 10; i++, seq++) {
        sendFrame(alice, 0xA1, seq, i == 0);
        link.step();
        h.advance(STEP_MS);
        link.step();
      }
      SendSideStats s = bob.participant.stats().sendSide();
      assertTrue(s.feedbackSeen(), s.toString());
      long rateBps = s.pacingRateBps();
      assertTrue(rateBps >= 500_000 && rateBps <= 2_000_000, "pacing rate " + rateBps);
      h.advance(100);
      bob.transport.drainSent();

      // Under budget: a packet leaves on the publisher's thread, with no clock tick in between.
      sendFrame(alice, 0xA1, seq++, false);
      assertEquals(1, countRtp(bob.transport.drainSent()), "sent at once");

      // A keyframe of 30 packets of ~1 kB arrives at one instant: it leaves at the pacing rate.
      int burst = 30;
      int burstBytes = 0;
      for (int i = 0; i < burst; i++, seq++) {
        burstBytes += sendPacket(alice, 0xA1, seq, i == 0, 1_000).length;
      }
      long startMs = h.clock.nowMillis();
      int sent = countRtp(bob.transport.drainSent());
      assertTrue(sent < burst / 2, "most of the burst waits: " + sent);
      long expectedMs = burstBytes * 8_000L / rateBps;
      while (sent < burst && h.clock.nowMillis() - startMs < 2 * expectedMs + 100) {
        h.advance(STEP_MS);
        sent += countRtp(bob.transport.drainSent());
        long elapsedMs = h.clock.nowMillis() - startMs;
        // Never ahead of the rate by more than the burst window (20 ms) and one packet.
        long allowedBytes = rateBps * (elapsedMs + 20) / 8_000 + 1_200;
        assertTrue(sent * 1_040L <= allowedBytes + 1_200, "ahead of the pacing rate at " + elapsedMs
            + " ms: " + sent + " packets");
      }
      long tookMs = h.clock.nowMillis() - startMs;
      assertEquals(burst, sent, "the whole burst left");
      assertTrue(tookMs >= expectedMs / 2, "spread over " + tookMs + " ms, expected about " + expectedMs);
      assertEquals(0, bob.participant.stats().sendSide().pacerExpired());
      assertEquals(0, bob.participant.stats().sendSide().pacerQueuePackets());
      System.out.printf("pacer: %d B keyframe burst at %d kbps left over %d ms (%d ms at the rate)%n",
          burstBytes, rateBps / 1000, tookMs, expectedMs);
    }
  }

  @Test
  void withoutTransportCcTheRembSetsTheEstimate() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", 0xA1, 0xA2));
      TrackSubscription toBob = bob.participant.subscribe(cam);
      // Bob's answer agreed no transport-cc.
      toBob.applyNegotiation(new TrackParameters(TrackKind.VIDEO, "0",
          List.of(CodecParameters.vp8(VP8_PT, MediaFixtures.VP8_RTX_PT)), java.util.Map.of(),
          List.of(), List.of(), false, "stream", "cam"));
      sendFrame(alice, 0xA1, 0, true);
      byte[] remb = new byte[64];
      int n = RembEncoder.write(remb, 0, 0x5EED, 1_500_000, new int[] {(int) toBob.ssrc()}, 0, 1);
      bob.sendRtcp(Arrays.copyOf(remb, n));
      SendSideStats s = bob.participant.stats().sendSide();
      assertEquals(false, s.transportCc());
      assertEquals(1, s.rembsApplied());
      assertTrue(Math.abs(s.estimateBps() - 1_500_000) < 20_000, "estimate " + s.estimateBps());
      assertEquals(0, s.transportCcStamped());
    }
  }

  private static int countRtp(List<byte[]> datagrams) {
    int n = 0;
    for (byte[] d : datagrams) {
      int pt = d[1] & 0xFF;
      if (pt < 192 || pt > 223) {
        n++;
      }
    }
    return n;
  }

  private static void sendFrame(TestPeer peer, long ssrc, int seq, boolean key) {
    sendPacket(peer, ssrc, seq, key, 100);
  }

  private static byte[] sendPacket(TestPeer peer, long ssrc, int seq, boolean key, int filler) {
    byte[] packet = MediaFixtures.rtp(VP8_PT, seq & 0xFFFF, seq * 3000L, ssrc, true, "0", null, false,
        -1, MediaFixtures.vp8Payload(key, seq & 0x7FFF, seq & 0xFF, filler, seq));
    peer.sendRtp(packet);
    return packet;
  }
}
