package dev.palco.sfu.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.sfu.e2e.LoopbackSfu.Peer;
import dev.palco.sfu.room.CodecParameters;
import dev.palco.sfu.room.ExtensionUris;
import dev.palco.sfu.room.Room;
import dev.palco.sfu.room.SendSideStats;
import dev.palco.sfu.room.TrackKind;
import dev.palco.sfu.room.TrackParameters;
import dev.palco.sfu.room.TrackPublication;
import dev.palco.sfu.room.TrackSubscription;
import dev.palco.sfu.transport.IceTestSupport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's proof on loopback with Palco's own clients: one simulcast publisher (q/h/f at 150 kbps,
 * 500 kbps, 1.2 Mbps), two subscribers that agreed transport-cc and send feedback. Bob's downlink
 * goes through a token-bucket shaper at 2 Mbps, then 300 kbps, then 2 Mbps again; Carol's is clean.
 *
 * <ul>
 *   <li>Bob falls below the top layer within 2 s of the drop and climbs back after recovery;</li>
 *   <li>Carol stays on the top layer throughout, with no loss;</li>
 *   <li>the sequence numbers both see stay continuous across every switch (Bob's holes are the
 *       packets his shaper dropped, nothing else).</li>
 * </ul>
 */
class BandwidthAdaptationLoopbackTest {
  /** The subscribers' id for the transport-wide sequence number (what their answer agreed). */
  private static final int TRANSPORT_CC_ID = 5;
  private static final int TOP = 2;

  @Test
  void aThrottledSubscriberFallsToALowerLayerAndClimbsBackWhileACleanOneStaysOnTop() throws Exception {
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "e2e-feedback-timer");
      t.setDaemon(true);
      return t;
    });
    try (LoopbackSfu server = LoopbackSfu.start(IceTestSupport.loopbackConfig(false)
        .withTimers(500, 5_000, 10_000, 200))) {
      Room room = server.sfu.createRoom("bwe");
      Peer alicePeer = server.join(room, "alice");
      Peer bobPeer = server.join(room, "bob");
      Peer carolPeer = server.join(room, "carol");
      SimulcastPublisherClient alice = new SimulcastPublisherClient(alicePeer.client, 7);
      TrackPublication cam = alicePeer.participant.publish(alice.videoTrack("0"));
      TrackSubscription toBob = bobPeer.participant.subscribe(cam);
      TrackSubscription toCarol = carolPeer.participant.subscribe(cam);
      TrackParameters answer = new TrackParameters(TrackKind.VIDEO, "0",
          List.of(CodecParameters.vp8(SimulcastPublisherClient.VP8_PT, SimulcastPublisherClient.VP8_RTX_PT)),
          Map.of(ExtensionUris.TRANSPORT_CC, TRANSPORT_CC_ID), List.of(), List.of(), false, "s", "t");
      toBob.applyNegotiation(answer);
      toCarol.applyNegotiation(answer);
      ShapedSubscriberClient bob =
          new ShapedSubscriberClient("bob", bobPeer.client, alice, toBob.ssrc(), TRANSPORT_CC_ID);
      ShapedSubscriberClient carol =
          new ShapedSubscriberClient("carol", carolPeer.client, alice, toCarol.ssrc(), TRANSPORT_CC_ID);
      bob.setRateBps(2_000_000);
      bob.startFeedback(timers);
      carol.startFeedback(timers);
      try (alice; bob; carol; alicePeer; bobPeer; carolPeer) {
        alice.start();
        long t0 = System.nanoTime();

        // 2 Mbps: both reach the top layer, and stay there for a second.
        // (past the first seconds, in which the estimates ramp up from their 300 kbps start)
        Await.until("both on the top layer for 1 s", 12_000, () -> onTopFor(bob, 1_000) && onTopFor(carol, 1_000)
            && System.nanoTime() - t0 > 2_500_000_000L,
            () -> bob + " " + carol + " " + bobPeer.participant.stats().sendSide() + " "
                + carolPeer.participant.stats().sendSide());
        long settledMs = (System.nanoTime() - t0) / 1_000_000;
        int carolSwitchesBefore = carol.switches.size();

        // 300 kbps: Bob falls to a lower layer within 2 s.
        long dropNanos = System.nanoTime();
        bob.setRateBps(300_000);
        Await.until("Bob below the top layer", 2_000, () -> bob.lastLayer() >= 0 && bob.lastLayer() < TOP);
        long downMs = (System.nanoTime() - dropNanos) / 1_000_000;
        Await.until("Bob settles at 300 kbps for 2 s", 6_000,
            () -> bob.lastLayer() < TOP && System.nanoTime() - dropNanos > 4_000_000_000L);
        SendSideStats narrow = bobPeer.participant.stats().sendSide();

        // 2 Mbps again: probes find the room, and Bob climbs back to the top.
        long upNanos = System.nanoTime();
        bob.setRateBps(2_000_000);
        Await.until("Bob back on the top layer", 20_000, () -> bob.lastLayer() == TOP);
        long backMs = (System.nanoTime() - upNanos) / 1_000_000;

        SendSideStats bobStats = bobPeer.participant.stats().sendSide();
        SendSideStats carolStats = carolPeer.participant.stats().sendSide();
        System.out.printf("bandwidth adaptation: settled after %d ms; Bob below the top %d ms after the"
            + " drop to 300 kbps (estimate then %d kbps), back on top %d ms after recovery; %s; %s;"
            + " Bob %s; Carol %s%n", settledMs, downMs, narrow.estimateBps() / 1000, backMs, bob, carol,
            bobStats, carolStats);

        assertTrue(downMs <= 2_000, "down within 2 s: " + downMs);
        // Carol: top layer since she settled, no switch, nothing lost, continuous numbers.
        assertEquals(carolSwitchesBefore, carol.switches.size(), "Carol never left the top layer: " + carol);
        assertEquals(TOP, carol.lastLayer());
        assertEquals(0, carol.missing(), "Carol lost nothing: " + carol);
        assertEquals(0, carol.duplicates);
        assertEquals(0, carol.reordered);
        assertEquals(0, carolStats.pacerExpired());
        // Bob: no duplicate or reordered number across the switches; his holes are what the shaper
        // (or, while the estimate caught up, the pacer's queue bound) dropped.
        assertEquals(0, bob.duplicates, bob.toString());
        assertEquals(0, bob.reordered, bob.toString());
        assertTrue(bob.missing() <= bob.shaperVideoDrops + bobStats.pacerExpired(),
            "holes only where packets were dropped: " + bob + " " + bobStats);
        assertTrue(bobStats.feedbackMessages() > 0 && bobStats.transportCcStamped() > 0);
        assertTrue(bobStats.probesStarted() > 0);
      }
    } finally {
      timers.shutdownNow();
    }
  }

  /** Whether the subscriber has received only the top layer for the last {@code ms}. */
  private static boolean onTopFor(ShapedSubscriberClient s, long ms) {
    return s.lastLayer() == TOP && System.nanoTime() - s.layerSinceNanos() > ms * 1_000_000L;
  }
}
