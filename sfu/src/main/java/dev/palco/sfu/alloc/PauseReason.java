package dev.palco.sfu.alloc;

/** Why a subscribed video track is not forwarded, as reported to the subscriber. */
public enum PauseReason {
  /** Forwarded. */
  NONE,
  /** The subscriber hid the track (its tile is not on screen). */
  HIDDEN,
  /** Beyond the subscriber's Last-N: someone who spoke more recently took the slot. */
  LAST_N,
  /** Not even the lowest layer fits the subscriber's bandwidth estimate. */
  BANDWIDTH,
  /** The publisher sends no live layer. */
  NO_LIVE_LAYER
}
