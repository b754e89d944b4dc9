package dev.palco.signaling.room;

import dev.palco.signaling.media.MediaKind;
import dev.palco.signaling.media.TrackSource;

/** A published track as the room knows it; mutable only under the room's lock. */
final class TrackState {
  final String trackId;
  final String mid;
  final MediaKind kind;
  final TrackSource source;
  boolean muted;

  TrackState(String trackId, String mid, MediaKind kind, TrackSource source) {
    this.trackId = trackId;
    this.mid = mid;
    this.kind = kind;
    this.source = source;
  }
}
