package dev.palco.sfu.room;

import dev.palco.sfu.alloc.AllocatorConfig;
import dev.palco.sfu.cc.BandwidthEstimatorConfig;
import dev.palco.sfu.pacing.PacerConfig;

/**
 * Tuning of what the SFU sends to each subscriber ({@link SubscriberSendControl}): the bandwidth
 * estimate's bounds, the layer allocation (Last-N among it) and the pacer.
 *
 * @param estimator bounds of the send-side bandwidth estimate
 * @param allocator layer allocation and Last-N ({@link AllocatorConfig#lastN()}, negative for none)
 * @param pacer pacing; its burst window must cover a timer period, because queued packets are
 *     drained by the subscriber's timer between two packets of the publishers
 */
public record SendSideConfig(
    BandwidthEstimatorConfig estimator, AllocatorConfig allocator, PacerConfig pacer) {

  /**
   * libwebrtc's estimate bounds (300 kbps start), no Last-N, pacing at 2.5 × the estimate with a
   * 20 ms burst window (two 10 ms timer periods) and 255-byte padding (the most one RTP padding
   * field can say, RFC 3550 §5.1).
   */
  public static final SendSideConfig DEFAULT = new SendSideConfig(BandwidthEstimatorConfig.DEFAULT,
      AllocatorConfig.DEFAULT, new PacerConfig(2.5, 20_000, 1024, 500_000, 255));

  /** Checks for nulls. */
  public SendSideConfig {
    if (estimator == null || allocator == null || pacer == null) {
      throw new IllegalArgumentException("incomplete send-side configuration");
    }
  }

  /** This configuration with another Last-N (negative: no limit). */
  public SendSideConfig withLastN(int n) {
    return new SendSideConfig(estimator, allocator.withLastN(n), pacer);
  }

  /** This configuration with other estimate bounds. */
  public SendSideConfig withEstimator(BandwidthEstimatorConfig bounds) {
    return new SendSideConfig(bounds, allocator, pacer);
  }
}
