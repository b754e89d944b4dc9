package dev.palco.sfu.cc;

/**
 * The rate at which the receiver actually got our packets (gcc-02 §5.5's R_hat), measured on
 * the receiver's arrival times from transport-wide feedback.
 *
 * <p>Bytes are summed over windows of arrival time (500 ms for the first window, so the start is
 * not a noisy handful of packets, then {@link #WINDOW_US}); each closed window yields a sample,
 * and the estimate is an exponential average of samples so one keyframe burst does not swing it.
 * An idle gap longer than a window restarts the window at the next arrival instead of counting
 * zero-rate windows: a sender that pauses has not lost capacity.
 */
final class AckedBitrateEstimator {
  static final long INITIAL_WINDOW_US = 500_000;
  static final long WINDOW_US = 150_000;
  static final double SAMPLE_WEIGHT = 0.4;

  private long windowStartUs = Long.MIN_VALUE;
  private long windowUs = INITIAL_WINDOW_US;
  private long windowBytes;
  private long bitrateBps;

  /** Adds an acknowledged packet at its arrival time (receiver clock). */
  void onAcked(long arrivalTimeUs, int sizeBytes) {
    if (windowStartUs == Long.MIN_VALUE) {
      windowStartUs = arrivalTimeUs;
    }
    long elapsed = arrivalTimeUs - windowStartUs;
    if (elapsed < 0) {
      // Reordered arrival: count it in the current window.
      windowBytes += sizeBytes;
      return;
    }
    if (elapsed >= windowUs) {
      if (elapsed < 2 * windowUs) {
        long sample = windowBytes * 8 * 1_000_000L / windowUs;
        bitrateBps =
            bitrateBps == 0 ? sample : (long) (bitrateBps + SAMPLE_WEIGHT * (sample - bitrateBps));
        windowStartUs += windowUs;
      } else {
        windowStartUs = arrivalTimeUs;
      }
      windowUs = WINDOW_US;
      windowBytes = 0;
    }
    windowBytes += sizeBytes;
  }

  /** The acknowledged bitrate, or 0 before the first window has closed. */
  long bitrateBps() {
    return bitrateBps;
  }
}
