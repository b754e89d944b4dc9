package dev.palco.sfu.cc;

/**
 * Where the link's capacity was last found: an average of the acknowledged bitrates at which
 * overuse was detected, with its deviation (libwebrtc's link capacity estimator, used by gcc-02
 * §5.5 to choose between multiplicative and additive increase).
 *
 * <p>Near a known capacity the rate controller increases additively (carefully); when the
 * acknowledged rate leaves the band of ±3 deviations the knowledge is stale and is dropped, so the
 * controller goes back to multiplicative increase.
 */
final class LinkCapacityTracker {
  static final double ALPHA = 0.05;
  static final double MIN_DEVIATION = 0.4;
  static final double MAX_DEVIATION = 2.5;

  private double estimateKbps = -1;
  private double deviation = MIN_DEVIATION;

  boolean hasEstimate() {
    return estimateKbps >= 0;
  }

  long estimateBps() {
    return (long) (estimateKbps * 1000);
  }

  long upperBoundBps() {
    return hasEstimate() ? (long) ((estimateKbps + 3 * deviationKbps()) * 1000) : Long.MAX_VALUE;
  }

  long lowerBoundBps() {
    return hasEstimate() ? (long) (Math.max(0, estimateKbps - 3 * deviationKbps()) * 1000) : 0;
  }

  void onOveruse(long ackedBps) {
    double sample = ackedBps / 1000.0;
    estimateKbps = hasEstimate() ? (1 - ALPHA) * estimateKbps + ALPHA * sample : sample;
    double norm = Math.max(estimateKbps, 1.0);
    double error = estimateKbps - sample;
    deviation = (1 - ALPHA) * deviation + ALPHA * error * error / norm;
    deviation = Math.max(MIN_DEVIATION, Math.min(MAX_DEVIATION, deviation));
  }

  void reset() {
    estimateKbps = -1;
  }

  private double deviationKbps() {
    return Math.sqrt(deviation * estimateKbps);
  }
}
