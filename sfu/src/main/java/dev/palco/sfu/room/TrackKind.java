package dev.palco.sfu.room;

/** What a track carries. */
public enum TrackKind {
  /** Audio: no keyframes, usually no NACK. */
  AUDIO,
  /** Video: keyframes, NACK/RTX, PLI/FIR. */
  VIDEO
}
