package dev.palco.sfu.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LayerAllocatorTest {
  private static final long Q = 150_000;
  private static final long H = 500_000;
  private static final long F = 1_500_000;

  /** A camera with q/h/f simulcast at 320x180, 640x360 and 1280x720. */
  private static TrackAllocation camera(LayerAllocator alloc, String id) {
    TrackAllocation t = alloc.addTrack("video-" + id, id, false);
    t.setLayerCount(3);
    t.setLayer(0, Q, 320, 180, 15, true);
    t.setLayer(1, H, 640, 360, 30, true);
    t.setLayer(2, F, 1280, 720, 30, true);
    return t;
  }

  /** Calls allocate every 100 ms from {@code fromMs} to {@code toMs} (exclusive) with one budget. */
  private static long run(LayerAllocator alloc, long budgetBps, long fromMs, long toMs) {
    for (long t = fromMs; t < toMs; t += 100) {
      alloc.allocate(budgetBps, t);
    }
    return toMs;
  }

  @Test
  void everyTrackGetsItsTopLayerWhenTheBudgetAllows() {
    LayerAllocator alloc = new LayerAllocator(AllocatorConfig.DEFAULT);
    TrackAllocation a = camera(alloc, "a");
    TrackAllocation b = camera(alloc, "b");
    assertTrue(alloc.allocate(5_000_000, 0));
    assertEquals(2, a.targetLayer());
    assertEquals(2, b.targetLayer());
    assertEquals(0, alloc.pausedCount());
    assertEquals(2 * F, alloc.desiredBps());
    assertEquals(2 * F, alloc.allocatedBps());
    assertFalse(alloc.allocate(5_000_000, 100), "nothing changed");
  }

  @Test
  void theSpeakerGetsTheBestPictureBeforeOthersGetMoreThanTheMinimum() {
    LayerAllocator alloc = new LayerAllocator(AllocatorConfig.DEFAULT);
    TrackAllocation a = camera(alloc, "a");
    TrackAllocation b = camera(alloc, "b");
    TrackAllocation c = camera(alloc, "c");
    alloc.setSpeakingOrder(new String[] {"b", "c", "a"}, 3);
    // 2.0 Mbps: b 1.5 M, then c and a at q (150 k each) = 1.8 M; c cannot reach h (needs +350 k).
    alloc.allocate(2_000_000, 0);
    assertEquals(2, b.targetLayer());
    assertEquals(0, c.targetLayer());
    assertEquals(0, a.targetLayer());
  }

  @Test
  void screenShareComesBeforeTheSpeaker() {
    LayerAllocator alloc = new LayerAllocator(AllocatorConfig.DEFAULT);
    TrackAllocation cam = camera(alloc, "a");
    TrackAllocation screen = alloc.addTrack("screen-b", "b", true);
    screen.setLayerCount(2);
    screen.setLayer(0, 200_000, 960, 540, 5, true);
    screen.setLayer(1, 1_200_000, 1920, 1080, 5, true);
    alloc.setSpeakingOrder(new String[] {"a"}, 1);
    alloc.allocate(1_500_000, 0);
    assertEquals(1, screen.targetLayer());
    assertEquals(0, cam.targetLayer());
  }

  @Test
  void theTileSizeCapsTheLayerAndAGrowingTileUpgradesAtOnce() {
    LayerAllocator alloc = new LayerAllocator(AllocatorConfig.DEFAULT);
    TrackAllocation a = camera(alloc, "a");
    a.setMaxResolution(640, 360);
    alloc.allocate(5_000_000, 0);
    assertEquals(1, a.targetLayer());
    assertEquals(H, alloc.desiredBps());
    a.setMaxResolution(200, 100); // smaller than every layer: the lowest still goes
    alloc.allocate(5_000_000, 100);
    assertEquals(0, a.targetLayer(), "a smaller tile downgrades at once");
    a.setMaxResolution(1280, 720);
    alloc.allocate(5_000_000, 200);
    assertEquals(2, a.targetLayer(), "a larger tile upgrades at once, without damping");
  }

  @Test
  void hiddenTracksArePausedAndTakeNoLastNSlot() {
    LayerAllocator alloc = new LayerAllocator(AllocatorConfig.DEFAULT.withLastN(1));
    TrackAllocation a = camera(alloc, "a");
    TrackAllocation b = camera(alloc, "b");
    alloc.setSpeakingOrder(new String[] {"a", "b"}, 2);
    a.setHidden(true);
    alloc.allocate(5_000_000, 0);
    assertEquals(TrackAllocation.PAUSED, a.targetLayer());
    assertEquals(PauseReason.HIDDEN, a.pauseReason());
    assertEquals(2, b.targetLayer());
    assertEquals(1, alloc.pausedCount());
    assertSame(a, alloc.pausedAt(0));
    a.setHidden(false);
    alloc.allocate(5_000_000, 100);
    assertEquals(2, a.targetLayer(), "shown again: back at once");
    assertEquals(PauseReason.LAST_N, b.pauseReason());
  }

  @Test
  void lastNForwardsTheMostRecentSpeakersAndFollowsTheSpeakingOrder() {
    LayerAllocator alloc = new LayerAllocator(AllocatorConfig.DEFAULT.withLastN(2));
    TrackAllocation a = camera(alloc, "a");
    TrackAllocation b = camera(alloc, "b");
    TrackAllocation c = camera(alloc, "c");
    TrackAllocation d = camera(alloc, "d");
    alloc.setSpeakingOrder(new String[] {"c", "a", "d", "b"}, 4);
    alloc.allocate(10_000_000, 0);
    assertEquals(2, c.targetLayer());
    assertEquals(2, a.targetLayer());
    assertEquals(PauseReason.LAST_N, d.pauseReason());
    assertEquals(PauseReason.LAST_N, b.pauseReason());
    assertEquals(2, alloc.pausedCount());
    assertSame(d, alloc.pausedAt(0), "paused list in priority order");
    assertSame(b, alloc.pausedAt(1));

    alloc.setSpeakingOrder(new String[] {"b", "c", "a", "d"}, 4);
    assertTrue(alloc.allocate(10_000_000, 100));
    assertEquals(2, b.targetLayer(), "the new speaker is forwarded at once");
    assertEquals(PauseReason.LAST_N, a.pauseReason());
    assertEquals(2 * F, alloc.desiredBps());
  }

  @Test
  void aBudgetDropDownswitchesAfterTheDelayAndNotOnOneDip() {
    LayerAllocator alloc = new LayerAllocator(AllocatorConfig.DEFAULT);
    TrackAllocation a = camera(alloc, "a");
    long t = run(alloc, 2_000_000, 0, 5_000);
    assertEquals(2, a.targetLayer());
    // A 300 ms dip below the top layer (one AIMD decrease) is ridden out.
    t = run(alloc, 1_400_000, t, t + 300);
    t = run(alloc, 2_000_000, t, t + 1_000);
    assertEquals(2, a.targetLayer());
    assertEquals(0, a.downswitches());
    // A real drop to 300 kbps: down to q within the 500 ms delay.
    long dropAt = t;
    long switchedAt = -1;
    for (; t < dropAt + 3_000; t += 100) {
      alloc.allocate(300_000, t);
      if (switchedAt < 0 && a.targetLayer() == 0) {
        switchedAt = t;
      }
    }
    assertEquals(0, a.targetLayer());
    assertEquals(500, switchedAt - dropAt);
    // Below even q: paused for bandwidth, and reported.
    t = run(alloc, 100_000, t, t + 1_000);
    assertEquals(PauseReason.BANDWIDTH, a.pauseReason());
    assertEquals(1, alloc.pausedCount());
  }

  @Test
  void upswitchWaitsForTheDampingWithHeadroomAndLongerAfterADownswitch() {
    LayerAllocator alloc = new LayerAllocator(AllocatorConfig.DEFAULT);
    TrackAllocation a = camera(alloc, "a");
    long t = run(alloc, 600_000, 0, 1_000);
    assertEquals(1, a.targetLayer());
    // 1.6 Mbps fits f (1.5 M) but not with 10% headroom (1.65 M): no upswitch, ever.
    t = run(alloc, 1_600_000, t, t + 10_000);
    assertEquals(1, a.targetLayer());
    // 1.7 Mbps: upswitch exactly after 2.5 s.
    long rise = t;
    long switchedAt = -1;
    for (; t < rise + 5_000; t += 100) {
      alloc.allocate(1_700_000, t);
      if (switchedAt < 0 && a.targetLayer() == 2) {
        switchedAt = t;
      }
    }
    assertEquals(2_500, switchedAt - rise);
    // Down, then up again soon: the damping after a recent downswitch is 6 s.
    t = run(alloc, 600_000, t, t + 1_000);
    assertEquals(1, a.targetLayer());
    rise = t;
    switchedAt = -1;
    for (; t < rise + 10_000; t += 100) {
      alloc.allocate(1_700_000, t);
      if (switchedAt < 0 && a.targetLayer() == 2) {
        switchedAt = t;
      }
    }
    assertEquals(6_000, switchedAt - rise);
  }

  @Test
  void anEstimateHoveringAtALayerBoundaryDoesNotMakeTheLayerOscillate() {
    LayerAllocator alloc = new LayerAllocator(AllocatorConfig.DEFAULT);
    TrackAllocation a = camera(alloc, "a");
    // The estimate saws between 1.40 and 1.75 Mbps with a 2 s period (AIMD near 1.5 Mbps).
    for (long t = 0; t < 120_000; t += 100) {
      long phase = t % 2_000;
      long bps = 1_400_000 + 350_000 * phase / 2_000;
      alloc.allocate(bps, t);
    }
    long switches = a.upswitches() + a.downswitches();
    assertTrue(switches <= 4, switches + " switches in two minutes");
  }

  @Test
  void aStoppedLayerIsLeftAtOnceAndTracksWithoutLiveLayersArePaused() {
    LayerAllocator alloc = new LayerAllocator(AllocatorConfig.DEFAULT);
    TrackAllocation a = camera(alloc, "a");
    alloc.allocate(5_000_000, 0);
    assertEquals(2, a.targetLayer());
    a.setLayerLive(2, false);
    alloc.allocate(5_000_000, 100);
    assertEquals(1, a.targetLayer());
    a.setLayerLive(0, false);
    a.setLayerLive(1, false);
    alloc.allocate(5_000_000, 200);
    assertEquals(PauseReason.NO_LIVE_LAYER, a.pauseReason());
    a.setLayerLive(0, true);
    alloc.allocate(5_000_000, 300);
    assertEquals(0, a.targetLayer(), "the only live layer, at once");
  }

  @Test
  void removedTracksAreForgotten() {
    LayerAllocator alloc = new LayerAllocator(AllocatorConfig.DEFAULT);
    for (int i = 0; i < 20; i++) {
      camera(alloc, "p" + i);
    }
    assertTrue(alloc.removeTrack("video-p3"));
    assertFalse(alloc.removeTrack("video-p3"));
    assertEquals(19, alloc.trackCount());
    alloc.allocate(20 * Q, 0);
    assertEquals(19 * Q, alloc.allocatedBps());
    assertEquals(null, alloc.track("video-p3"));
  }
}
