package dev.palco.sfu.pacing;

/**
 * Tuning of a {@link Pacer}.
 *
 * @param pacingFactor pacing rate = estimate × this (libwebrtc: 2.5), so a keyframe leaves
 *     faster than the average rate yet never as one line-rate burst
 * @param burstWindowUs the budget may build up for at most this long while idle (5 ms): the
 *     largest burst after a pause
 * @param queueCapacity packets each priority's queue holds (a power of two)
 * @param maxQueueTimeUs a video or retransmission packet older than this is handed back as dropped
 *     instead of sent: it would arrive too late to be played, and holding it delays everything
 *     behind it
 * @param maxPaddingBytes largest padding packet requested
 */
public record PacerConfig(
    double pacingFactor, long burstWindowUs, int queueCapacity, long maxQueueTimeUs,
    int maxPaddingBytes) {

  /** Factor 2.5, 5 ms burst, 1024 packets per queue, 500 ms queue bound, 1200-byte padding. */
  public static final PacerConfig DEFAULT = new PacerConfig(2.5, 5_000, 1024, 500_000, 1200);

  /** Checks the values. */
  public PacerConfig {
    if (Integer.bitCount(queueCapacity) != 1 || pacingFactor <= 0 || burstWindowUs <= 0
        || maxQueueTimeUs <= 0 || maxPaddingBytes <= 0) {
      throw new IllegalArgumentException("bad pacer configuration");
    }
  }
}
