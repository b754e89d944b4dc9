package dev.palco.sfu.cc;

/**
 * The delay-based detector's verdict on the path (draft-ietf-rmcat-gcc-02 §5.4): the queue is
 * growing (overuse), stable (normal) or draining (underuse).
 */
public enum BandwidthUsage {
  /** Queueing delay is neither growing nor shrinking beyond the adaptive threshold. */
  NORMAL,
  /** Queueing delay has been growing for long enough: the sender exceeds the bottleneck. */
  OVERUSING,
  /** Queueing delay is shrinking: a queue built earlier is draining. */
  UNDERUSING
}
