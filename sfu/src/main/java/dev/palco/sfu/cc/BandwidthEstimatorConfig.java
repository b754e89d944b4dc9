package dev.palco.sfu.cc;

/**
 * Bounds of a {@link SendSideBandwidthEstimator}.
 *
 * @param startBps the estimate before any feedback (libwebrtc starts at 300 kbps)
 * @param minBps the estimate never goes below this (audio and the lowest layer must keep going)
 * @param maxBps the estimate never goes above this
 */
public record BandwidthEstimatorConfig(long startBps, long minBps, long maxBps) {
  /** 300 kbps start, 30 kbps minimum, 20 Mbps maximum. */
  public static final BandwidthEstimatorConfig DEFAULT =
      new BandwidthEstimatorConfig(300_000, 30_000, 20_000_000);

  /** Checks the bounds. */
  public BandwidthEstimatorConfig {
    if (minBps <= 0 || maxBps < minBps || startBps < minBps || startBps > maxBps) {
      throw new IllegalArgumentException(
          "need 0 < min <= start <= max: " + minBps + ", " + startBps + ", " + maxBps);
    }
  }
}
