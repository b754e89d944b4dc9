package dev.palco.signaling.media;

import java.util.Objects;

/**
 * How a subscriber shows one remote video track: the size its tile is rendered at, in device
 * pixels, and whether the tile is on screen at all ({@code subscription.layout} in
 * docs/protocol.md). The media plane sends no layer larger than the tile and pauses a hidden
 * track.
 *
 * @param trackId the publisher's track, as named in the subscribe offer
 * @param widthPx the rendered width in device pixels, 1 to {@link #MAX_SIDE_PX}, or 0 for no limit
 * @param heightPx the rendered height in device pixels, 1 to {@link #MAX_SIDE_PX}, or 0 for no limit
 * @param visible false when the tile is off screen, scrolled away or the page is hidden
 */
public record TrackLayout(String trackId, int widthPx, int heightPx, boolean visible) {

  /** The largest side a client may report: an 8K screen's width, with room to spare. */
  public static final int MAX_SIDE_PX = 16_384;

  /** Checks the id and the bounds. */
  public TrackLayout {
    Objects.requireNonNull(trackId, "trackId");
    if (widthPx < 0 || widthPx > MAX_SIDE_PX || heightPx < 0 || heightPx > MAX_SIDE_PX) {
      throw new IllegalArgumentException("size out of range: " + widthPx + "x" + heightPx);
    }
  }
}
