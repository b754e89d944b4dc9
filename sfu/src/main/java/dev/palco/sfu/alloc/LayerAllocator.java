package dev.palco.sfu.alloc;

import java.util.Arrays;

/**
 * Chooses, for one subscriber, which layer of each subscribed video track to forward, within its
 * bandwidth estimate (the layer allocation of LiveKit's and Jitsi's bandwidth allocators, written
 * for this server).
 *
 * <p>Each {@link #allocate} call:
 * <ol>
 *   <li>Orders the tracks by priority: screen shares first, then by speaking order (the dominant
 *       speaker first), then by subscription order.</li>
 *   <li>Pauses hidden tracks and tracks without a live layer; of the rest, keeps the first Last-N
 *       and pauses the others ({@link PauseReason#LAST_N}).</li>
 *   <li>Gives every kept track its lowest live layer, in priority order, while the budget lasts
 *       (a track that does not get one is paused for {@link PauseReason#BANDWIDTH}); then, in
 *       priority order, lifts each track as high as the remaining budget and its resolution
 *       ceiling (the rendered tile size) allow. The active speaker and screen shares thus get the
 *       best picture before anyone else gets more than the minimum.</li>
 *   <li>Applies hysteresis per track. A track whose layer no longer fits steps down once that has
 *       lasted {@code downswitchDelayMs}, so a drop is followed within 1–2 s of the estimate
 *       falling but one AIMD dip is ridden out. A track steps up only after a higher layer has fit
 *       with {@code upswitchHeadroom} (its bitrate × 1.1) for {@code upswitchDampingMs}, longer
 *       after a recent downswitch, so an estimate hovering at a layer boundary does not make the
 *       layer oscillate. Changes not caused by bandwidth apply at once: a tile made smaller, a
 *       tile made larger or shown again, a layer that stopped.</li>
 * </ol>
 * The budget passed in is for video: the caller subtracts audio and overhead from the estimate.
 * The sum of the ceilings of the kept tracks is {@link #desiredBps()}: what probing should aim at.
 *
 * <p>Runs on estimate changes and layer updates, not per packet; it still allocates nothing once
 * the tracks are added. Not thread-safe: confine to the subscriber's context.
 */
public final class LayerAllocator {
  private final AllocatorConfig config;
  private TrackAllocation[] tracks = new TrackAllocation[8];
  private int count;
  private int[] order = new int[8];
  private int[] floor = new int[8];
  private int[] ceiling = new int[8];
  private int[] lastCeiling = new int[8];
  private TrackAllocation[] paused = new TrackAllocation[8];
  private int pausedCount;
  private int nextInsertion;
  private long desiredBps;
  private long allocatedBps;

  /** An allocator with the given tuning. */
  public LayerAllocator(AllocatorConfig config) {
    this.config = config;
  }

  /** Adds a subscribed video track; it stays paused until the first {@link #allocate}. */
  public TrackAllocation addTrack(String trackId, String sourceId, boolean screenShare) {
    if (count == tracks.length) {
      int n = count * 2;
      tracks = Arrays.copyOf(tracks, n);
      order = Arrays.copyOf(order, n);
      floor = Arrays.copyOf(floor, n);
      ceiling = Arrays.copyOf(ceiling, n);
      lastCeiling = Arrays.copyOf(lastCeiling, n);
      paused = Arrays.copyOf(paused, n);
    }
    TrackAllocation t = new TrackAllocation(trackId, sourceId, screenShare, nextInsertion++);
    lastCeiling[count] = TrackAllocation.PAUSED;
    tracks[count++] = t;
    return t;
  }

  /** Removes a track; returns false if it was not there. */
  public boolean removeTrack(String trackId) {
    for (int i = 0; i < count; i++) {
      if (tracks[i].trackId().equals(trackId)) {
        System.arraycopy(tracks, i + 1, tracks, i, count - i - 1);
        System.arraycopy(lastCeiling, i + 1, lastCeiling, i, count - i - 1);
        tracks[--count] = null;
        return true;
      }
    }
    return false;
  }

  /** The track with this id, or null. */
  public TrackAllocation track(String trackId) {
    for (int i = 0; i < count; i++) {
      if (tracks[i].trackId().equals(trackId)) {
        return tracks[i];
      }
    }
    return null;
  }

  /**
   * Sets the speaking order (most recent dominant speaker first) as participant ids; tracks of
   * participants not in it rank after those in it.
   */
  public void setSpeakingOrder(String[] sourceIds, int n) {
    for (int i = 0; i < count; i++) {
      TrackAllocation t = tracks[i];
      t.speakerRank = Integer.MAX_VALUE;
      for (int k = 0; k < n; k++) {
        if (t.sourceId().equals(sourceIds[k])) {
          t.speakerRank = k;
          break;
        }
      }
    }
  }

  /**
   * Allocates {@code budgetBps} of video among the tracks.
   *
   * @return true when any track's target layer or pause reason changed (tell the forwarders and,
   *     for pauses, the subscriber)
   */
  public boolean allocate(long budgetBps, long nowMs) {
    sortByPriority();
    boolean changed = false;
    int slots = config.lastN() < 0 ? Integer.MAX_VALUE : config.lastN();
    long remaining = Math.max(0, budgetBps);
    desiredBps = 0;
    for (int k = 0; k < count; k++) {
      int i = order[k];
      TrackAllocation t = tracks[i];
      PauseReason reason = PauseReason.NONE;
      if (t.isHidden()) {
        reason = PauseReason.HIDDEN;
      } else if (t.lowestLiveLayer() == TrackAllocation.PAUSED) {
        reason = PauseReason.NO_LIVE_LAYER;
      } else if (slots == 0) {
        reason = PauseReason.LAST_N;
      }
      if (reason != PauseReason.NONE) {
        floor[i] = TrackAllocation.PAUSED;
        ceiling[i] = TrackAllocation.PAUSED;
        lastCeiling[i] = TrackAllocation.PAUSED;
        changed |= set(t, TrackAllocation.PAUSED, reason, nowMs);
        t.overBudgetSinceMs = Long.MIN_VALUE;
        t.upCandidateSinceMs = Long.MIN_VALUE;
        continue;
      }
      slots--;
      ceiling[i] = t.highestAllowedLayer();
      desiredBps += t.bitrateBps(ceiling[i]);
      int low = t.lowestLiveLayer();
      if (t.bitrateBps(low) <= remaining) {
        floor[i] = low;
        remaining -= t.bitrateBps(low);
      } else {
        floor[i] = TrackAllocation.PAUSED;
      }
    }
    for (int k = 0; k < count; k++) {
      int i = order[k];
      TrackAllocation t = tracks[i];
      if (ceiling[i] == TrackAllocation.PAUSED) {
        continue;
      }
      long available = remaining + (floor[i] == TrackAllocation.PAUSED ? 0 : t.bitrateBps(floor[i]));
      int fitDown = TrackAllocation.PAUSED;
      int fitUp = TrackAllocation.PAUSED;
      if (floor[i] != TrackAllocation.PAUSED) {
        fitDown = t.bestLayerWithin(available, ceiling[i]);
        fitUp = Math.max(floor[i],
            t.bestLayerWithin((long) (available / config.upswitchHeadroom()), ceiling[i]));
      }
      boolean ceilingRaised = ceiling[i] > lastCeiling[i];
      lastCeiling[i] = ceiling[i];
      changed |= decide(t, fitDown, fitUp, ceiling[i], ceilingRaised, nowMs);
      if (floor[i] != TrackAllocation.PAUSED) {
        remaining = Math.max(0, available - t.targetBitrateBps());
      }
    }
    allocatedBps = 0;
    pausedCount = 0;
    for (int k = 0; k < count; k++) {
      TrackAllocation t = tracks[order[k]];
      allocatedBps += t.targetBitrateBps();
      if (t.targetLayer == TrackAllocation.PAUSED) {
        paused[pausedCount++] = t;
      }
    }
    return changed;
  }

  /** Hysteresis for one track that is allowed to be forwarded. */
  private boolean decide(
      TrackAllocation t, int fitDown, int fitUp, int ceiling, boolean ceilingRaised, long nowMs) {
    int cur = t.targetLayer;
    boolean curUsable = cur != TrackAllocation.PAUSED && t.isLive(cur) && cur <= ceiling;
    if (cur != TrackAllocation.PAUSED && !curUsable) {
      // Not a bandwidth matter: the tile shrank or the layer stopped. Move now.
      return moveTo(t, fitDown, nowMs);
    }
    if (cur == TrackAllocation.PAUSED && t.pauseReason != PauseReason.BANDWIDTH) {
      // Shown again, back within Last-N, or a layer came up: start at what fits with headroom.
      return moveTo(t, fitUp, nowMs);
    }
    if (fitDown < cur) {
      if (t.overBudgetSinceMs == Long.MIN_VALUE) {
        t.overBudgetSinceMs = nowMs;
      }
      t.upCandidateSinceMs = Long.MIN_VALUE;
      if (nowMs - t.overBudgetSinceMs >= config.downswitchDelayMs()) {
        return moveTo(t, fitDown, nowMs);
      }
      return false;
    }
    t.overBudgetSinceMs = Long.MIN_VALUE;
    if (fitUp <= cur) {
      t.upCandidateSinceMs = Long.MIN_VALUE;
      return false;
    }
    if (ceilingRaised && cur != TrackAllocation.PAUSED) {
      // The tile grew: the subscriber wants the better picture now, and the budget allows it.
      return moveTo(t, fitUp, nowMs);
    }
    if (t.upCandidateSinceMs == Long.MIN_VALUE) {
      t.upCandidateSinceMs = nowMs;
    }
    boolean recentDown =
        t.lastDownswitchMs != Long.MIN_VALUE
            && nowMs - t.lastDownswitchMs < config.recentDownswitchMs();
    long damping = recentDown ? config.upswitchDampingAfterDownMs() : config.upswitchDampingMs();
    if (nowMs - t.upCandidateSinceMs >= damping) {
      return moveTo(t, fitUp, nowMs);
    }
    return false;
  }

  private boolean moveTo(TrackAllocation t, int layer, long nowMs) {
    t.overBudgetSinceMs = Long.MIN_VALUE;
    t.upCandidateSinceMs = Long.MIN_VALUE;
    PauseReason reason = layer == TrackAllocation.PAUSED ? PauseReason.BANDWIDTH : PauseReason.NONE;
    return set(t, layer, reason, nowMs);
  }

  private static boolean set(TrackAllocation t, int layer, PauseReason reason, long nowMs) {
    boolean changed = t.targetLayer != layer || t.pauseReason != reason;
    if (layer < t.targetLayer) {
      t.downswitches++;
      if (reason == PauseReason.NONE || reason == PauseReason.BANDWIDTH) {
        t.lastDownswitchMs = nowMs;
      }
    } else if (layer > t.targetLayer) {
      t.upswitches++;
    }
    t.targetLayer = layer;
    t.pauseReason = reason;
    return changed;
  }

  /** Insertion sort by (screen share first, speaker rank, subscription order): no allocation. */
  private void sortByPriority() {
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    for (int i = 1; i < count; i++) {
      int v = order[i];
      int j = i - 1;
      while (j >= 0 && before(tracks[v], tracks[order[j]])) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = v;
    }
  }

  private static boolean before(TrackAllocation a, TrackAllocation b) {
    if (a.isScreenShare() != b.isScreenShare()) {
      return a.isScreenShare();
    }
    if (a.speakerRank != b.speakerRank) {
      return a.speakerRank < b.speakerRank;
    }
    return a.insertionOrder() < b.insertionOrder();
  }

  /** Tracks paused after the last allocation, in priority order. */
  public int pausedCount() {
    return pausedCount;
  }

  /** Paused track {@code index} (0 ≤ index &lt; {@link #pausedCount()}). */
  public TrackAllocation pausedAt(int index) {
    if (index < 0 || index >= pausedCount) {
      throw new IndexOutOfBoundsException(index);
    }
    return paused[index];
  }

  /** Number of tracks. */
  public int trackCount() {
    return count;
  }

  /** Track {@code index}, in subscription order. */
  public TrackAllocation trackAt(int index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException(index);
    }
    return tracks[index];
  }

  /** What the kept tracks would take at their ceilings: the rate worth probing for. */
  public long desiredBps() {
    return desiredBps;
  }

  /** Sum of the target layers' bitrates after the last allocation. */
  public long allocatedBps() {
    return allocatedBps;
  }
}
