package dev.palco.signaling.media;

/**
 * Why the media plane stopped forwarding a subscribed video track to its subscriber, or {@link
 * #NONE} when it forwards it again ({@code track.paused} in docs/protocol.md). The page shows a
 * paused tile with the reason rather than a frozen picture.
 */
public enum ReceivePause {
  /** Forwarded. */
  NONE(null),
  /** The subscriber reported the tile hidden ({@link TrackLayout#visible()} false). */
  HIDDEN("hidden"),
  /** Beyond the subscriber's Last-N: people who spoke more recently hold the slots. */
  LAST_N("last-n"),
  /** Not even the lowest layer fits the bandwidth estimated toward the subscriber. */
  BANDWIDTH("bandwidth"),
  /** The publisher sends no layer at the moment. */
  NO_LIVE_LAYER("no-live-layer");

  private final String wireName;

  ReceivePause(String wireName) {
    this.wireName = wireName;
  }

  /** The {@code reason} in JSON, or {@code null} for {@link #NONE}. */
  public String wireName() {
    return wireName;
  }
}
