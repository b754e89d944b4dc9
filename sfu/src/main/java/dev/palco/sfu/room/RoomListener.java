package dev.palco.sfu.room;

/**
 * What signaling hears from a room. Called on the thread that caused the event (a signaling
 * thread for joins and publications, a media worker for keyframe requests and transport
 * failures): return quickly and never block.
 */
public interface RoomListener {
  /** A participant joined. */
  default void onParticipantJoined(Participant participant) {}

  /** A participant left (by request, or because its transport failed), after its tracks were unpublished. */
  default void onParticipantLeft(Participant participant, String reason) {}

  /** A track was published: signaling may subscribe others to it. */
  default void onTrackPublished(TrackPublication publication) {}

  /** A track was unpublished; its subscriptions are already closed. */
  default void onTrackUnpublished(TrackPublication publication) {}

  /** A subscription was closed (unsubscribed, or either side left): renegotiate the subscriber. */
  default void onTrackUnsubscribed(TrackSubscription subscription) {}

  /**
   * The SFU asked the publisher of this track for a keyframe (a new subscriber, a decoder that lost
   * its state). Called at most once per request interval.
   */
  default void onKeyframeRequested(TrackPublication publication) {}

  /**
   * The room's dominant speaker changed (RFC 6464 audio levels, with hysteresis). Called on the
   * media timer thread: return quickly.
   *
   * @param participantId the new dominant speaker
   * @param previousId the previous one, or null
   */
  default void onDominantSpeakerChanged(Room room, String participantId, String previousId) {}

  /**
   * The SFU paused forwarding a video track to a subscriber, or resumed it: tell the client,
   * which shows the tile as paused rather than frozen. Called on the subscriber's media worker:
   * return quickly.
   *
   * @param subscription the track and the subscriber
   * @param reason {@link dev.palco.sfu.alloc.PauseReason#HIDDEN} (the client hid it), {@link
   *     dev.palco.sfu.alloc.PauseReason#LAST_N} (beyond the subscriber's Last-N, by speaking
   *     order), or {@link dev.palco.sfu.alloc.PauseReason#NONE} when it resumes
   */
  default void onSubscriptionPauseChanged(TrackSubscription subscription,
      dev.palco.sfu.alloc.PauseReason reason) {}
}
