package dev.palco.sfu.room;

import static dev.palco.sfu.room.MediaFixtures.VP8_PT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Leaving and closing release everything and tell the listeners. */
class LifecycleTest {

  private static byte[] frame(long ssrc, int seq, int f) {
    return MediaFixtures.rtp(VP8_PT, seq, 100L + f * 3000L, ssrc, true,
        MediaFixtures.vp8Payload(f == 0, f, f, 100, f));
  }

  @Test
  void leaveReleasesSubscriptionsInBothDirectionsAndRoomCloseReleasesTheRest() {
    SfuHarness h = new SfuHarness();
    TestPeer alice = h.join("alice");
    TestPeer bob = h.join("bob");
    TrackPublication aliceCam = alice.participant.publish(MediaFixtures.video("0", 0xA1L, 0xA2L));
    TrackPublication aliceMic = alice.participant.publish(MediaFixtures.audio("1", 0xA3L));
    TrackPublication bobCam = bob.participant.publish(MediaFixtures.video("0", 0xB1L, 0xB2L));
    TrackSubscription bobSeesAlice = bob.participant.subscribe(aliceCam);
    bob.participant.subscribe(aliceMic);
    TrackSubscription aliceSeesBob = alice.participant.subscribe(bobCam);
    for (int i = 0; i < 50; i++) {
      alice.sendRtp(frame(0xA1L, i, i));
      bob.sendRtp(frame(0xB1L, i, i));
    }
    assertTrue(h.sfu.cacheBufferPool().misses() >= 100, "both caches hold packets");
    assertEquals(50, bob.rtpWithSsrc(bobSeesAlice.ssrc()).size());

    alice.participant.leave();

    assertTrue(alice.transport.isClosed());
    assertTrue(alice.participant.isClosed());
    assertEquals("left", alice.participant.leaveReason());
    assertTrue(bob.participant.subscriptions().isEmpty());
    assertTrue(aliceCam.isClosed() && aliceMic.isClosed());
    assertTrue(bobSeesAlice.isClosed() && aliceSeesBob.isClosed());
    assertTrue(bobCam.subscriptions().isEmpty());
    assertNull(h.room.participant("alice"));
    assertEquals(List.of(bob.participant), h.room.participants());
    List<String> events = h.events();
    assertTrue(events.contains("unsubscribed bob from 0"));
    assertTrue(events.contains("unsubscribed bob from 1"));
    assertTrue(events.contains("unpublished 0 by alice"));
    assertTrue(events.contains("unpublished 1 by alice"));
    assertTrue(events.contains("unsubscribed alice from 0"));
    assertEquals("left alice left", events.get(events.size() - 1));
    // Packets still arriving for alice are refused, not processed.
    alice.transport.deliver(new byte[100], 0, 100, false);
    assertEquals(0, h.sfu.packetPool().outstanding());
    // Bob's stream is still cached; alice's buffers are back in the pool.
    assertEquals(h.sfu.cacheBufferPool().misses() - 50, h.sfu.cacheBufferPool().available());
    assertThrows(IllegalStateException.class, () -> alice.participant.publish(MediaFixtures.audio("9", 1)));
    assertThrows(IllegalStateException.class, () -> bob.participant.subscribe(aliceCam));

    h.room.close();
    assertTrue(bob.transport.isClosed());
    assertTrue(h.room.participants().isEmpty());
    assertNull(h.sfu.room("stage"));
    assertEquals(h.sfu.cacheBufferPool().misses(), h.sfu.cacheBufferPool().available(),
        "every cache buffer is back");
    assertEquals(0, h.sfu.packetPool().outstanding());
    h.close();
    assertEquals(0, h.sfu.workerThreadsAlive());
  }

  @Test
  void unsubscribeStopsForwardingAndJoinRejectsDuplicates() {
    try (SfuHarness h = new SfuHarness()) {
      TestPeer alice = h.join("alice");
      TestPeer bob = h.join("bob");
      assertThrows(IllegalStateException.class, () -> h.room.join("bob", bob.transport));
      TrackPublication cam = alice.participant.publish(MediaFixtures.video("0", 0xA1L, -1));
      assertThrows(IllegalStateException.class,
          () -> alice.participant.publish(MediaFixtures.video("0", 0xA5L, -1)));
      TrackSubscription sub = bob.participant.subscribe(cam);
      assertEquals(sub, bob.participant.subscribe(cam), "subscribing twice is one subscription");
      alice.sendRtp(frame(0xA1L, 1, 0));
      sub.close();
      alice.sendRtp(frame(0xA1L, 2, 1));
      assertEquals(1, bob.rtpWithSsrc(sub.ssrc()).size());
      assertTrue(sub.isClosed());
      assertFalse(cam.subscriptions().contains(sub));
      alice.participant.unpublish(cam);
      alice.sendRtp(frame(0xA1L, 3, 2));
      assertTrue(h.events().contains("unpublished 0 by alice"));
      assertEquals(0, h.sfu.packetPool().outstanding());
    }
  }
}
