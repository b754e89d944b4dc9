package dev.palco.sfu.alloc;

/**
 * One subscribed video track as the {@link LayerAllocator} sees it: the publisher's layers (the
 * caller updates them from layer tracking), the subscriber's constraints, and the allocator's
 * decision. Mutable and reused: updating a layer allocates nothing.
 *
 * <p>Layers are indexed from 0 (lowest) in increasing quality, as simulcast rids q/h/f or
 * spatial layers are.
 */
public final class TrackAllocation {
  /** {@link #targetLayer()} of a track that is not forwarded. */
  public static final int PAUSED = -1;
  /** Most layers a track can have. */
  public static final int MAX_LAYERS = 4;

  private final String trackId;
  private final String sourceId;
  private final boolean screenShare;
  private final int insertionOrder;

  private int layerCount;
  private final long[] bitrateBps = new long[MAX_LAYERS];
  private final int[] width = new int[MAX_LAYERS];
  private final int[] height = new int[MAX_LAYERS];
  private final int[] fps = new int[MAX_LAYERS];
  private final boolean[] live = new boolean[MAX_LAYERS];

  private int maxWidth = Integer.MAX_VALUE;
  private int maxHeight = Integer.MAX_VALUE;
  private boolean hidden;
  int speakerRank = Integer.MAX_VALUE;

  int targetLayer = PAUSED;
  PauseReason pauseReason = PauseReason.NO_LIVE_LAYER;
  long overBudgetSinceMs = Long.MIN_VALUE;
  long upCandidateSinceMs = Long.MIN_VALUE;
  long lastDownswitchMs = Long.MIN_VALUE;
  long downswitches;
  long upswitches;

  TrackAllocation(String trackId, String sourceId, boolean screenShare, int insertionOrder) {
    this.trackId = trackId;
    this.sourceId = sourceId;
    this.screenShare = screenShare;
    this.insertionOrder = insertionOrder;
  }

  /** Sets how many layers the publisher offers (layers beyond it are forgotten). */
  public void setLayerCount(int count) {
    if (count < 0 || count > MAX_LAYERS) {
      throw new IllegalArgumentException("layer count " + count);
    }
    for (int i = count; i < layerCount; i++) {
      live[i] = false;
    }
    layerCount = count;
  }

  /**
   * Updates one layer from layer tracking.
   *
   * @param bitrateBps measured (or, before measurement, expected) bitrate
   * @param live whether packets of the layer arrived recently
   */
  public void setLayer(int index, long bitrateBps, int width, int height, int fps, boolean live) {
    if (index < 0 || index >= layerCount) {
      throw new IllegalArgumentException("layer " + index + " of " + layerCount);
    }
    this.bitrateBps[index] = bitrateBps;
    this.width[index] = width;
    this.height[index] = height;
    this.fps[index] = fps;
    this.live[index] = live;
  }

  /** Marks one layer live or not, keeping its other figures. */
  public void setLayerLive(int index, boolean live) {
    if (index >= 0 && index < layerCount) {
      this.live[index] = live;
    }
  }

  /**
   * The largest resolution worth sending: the rendered tile size (in device pixels) the client
   * reported. Layers above it are never chosen; the lowest live layer always qualifies.
   */
  public void setMaxResolution(int maxWidth, int maxHeight) {
    this.maxWidth = maxWidth <= 0 ? Integer.MAX_VALUE : maxWidth;
    this.maxHeight = maxHeight <= 0 ? Integer.MAX_VALUE : maxHeight;
  }

  /** Whether the subscriber hid the track; a hidden track is paused and takes no Last-N slot. */
  public void setHidden(boolean hidden) {
    this.hidden = hidden;
  }

  /** The track's id. */
  public String trackId() {
    return trackId;
  }

  /** The publishing participant's id, matched against the speaking order. */
  public String sourceId() {
    return sourceId;
  }

  /** Whether this is a screen share (allocated before cameras). */
  public boolean isScreenShare() {
    return screenShare;
  }

  /** The layer to forward, or {@link #PAUSED}. */
  public int targetLayer() {
    return targetLayer;
  }

  /** Why the track is paused, or {@link PauseReason#NONE}. */
  public PauseReason pauseReason() {
    return pauseReason;
  }

  /** The bitrate of the target layer (0 when paused). */
  public long targetBitrateBps() {
    return targetLayer == PAUSED ? 0 : bitrateBps[targetLayer];
  }

  /** Position in the speaking order (0 = most recent dominant speaker), or MAX_VALUE. */
  public int speakerRank() {
    return speakerRank;
  }

  /** Switches to a lower layer (or to paused) so far. */
  public long downswitches() {
    return downswitches;
  }

  /** Switches to a higher layer (or from paused) so far. */
  public long upswitches() {
    return upswitches;
  }

  int layerCount() {
    return layerCount;
  }

  long bitrateBps(int layer) {
    return bitrateBps[layer];
  }

  boolean isLive(int layer) {
    return live[layer];
  }

  boolean isHidden() {
    return hidden;
  }

  int insertionOrder() {
    return insertionOrder;
  }

  /** The lowest live layer, or {@link #PAUSED}. */
  int lowestLiveLayer() {
    for (int i = 0; i < layerCount; i++) {
      if (live[i]) {
        return i;
      }
    }
    return PAUSED;
  }

  /** The highest live layer within the resolution constraint (the lowest live one at least). */
  int highestAllowedLayer() {
    int best = PAUSED;
    for (int i = 0; i < layerCount; i++) {
      if (!live[i]) {
        continue;
      }
      boolean fits = width[i] <= maxWidth && height[i] <= maxHeight;
      if (best == PAUSED || fits) {
        best = i;
      }
    }
    return best;
  }

  /** The highest live layer not above {@code ceiling} whose bitrate is at most {@code budgetBps}. */
  int bestLayerWithin(long budgetBps, int ceiling) {
    int best = PAUSED;
    for (int i = 0; i <= ceiling && i < layerCount; i++) {
      if (live[i] && bitrateBps[i] <= budgetBps) {
        best = i;
      }
    }
    return best;
  }
}
