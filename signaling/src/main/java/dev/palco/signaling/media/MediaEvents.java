package dev.palco.signaling.media;

/**
 * What one media session tells signaling. Every method may be called on any thread and must not
 * block; signaling only records the news and queues messages to clients.
 */
public interface MediaEvents {

  /**
   * The set of tracks this participant should receive changed: send the offer to the browser
   * ({@code subscribe.offer}). Never called for {@link SessionMode#PUBLISH_ONLY} or {@link
   * SessionMode#PLAYBACK} sessions.
   */
  void subscribeOfferReady(SubscribeOffer offer);

  /** The session now receives a new track from its client. */
  void trackPublished(PublishedTrack track);

  /** A track of this session ended (its m-line stopped sending or was removed). */
  void trackUnpublished(String trackId);

  /**
   * The server found a local candidate to trickle to the client; {@code null} means the server
   * has no more (RFC 8838 §4.4).
   */
  void localCandidate(IceCandidate candidate);

  /**
   * The session's transport failed (ICE failed or consent expired, DTLS failed). The client may
   * restart ICE; signaling tells it what happened.
   */
  void mediaFailed(String reason);

  /**
   * The room's dominant speaker changed (from the publishers' audio levels). Told to every
   * session of the room.
   *
   * @param participantId the new dominant speaker
   * @param speakingOrder the room's participants, most recent dominant speaker first
   */
  default void dominantSpeakerChanged(String participantId, java.util.List<String> speakingOrder) {}

  /**
   * The media plane paused forwarding one of this session's subscribed video tracks, or resumed
   * it ({@link ReceivePause#NONE}). Reported on changes only, in order per track.
   *
   * @param publisherId the publishing participant
   * @param trackId the track
   * @param reason why, or {@link ReceivePause#NONE} when it flows again
   */
  default void subscriptionPaused(String publisherId, String trackId, ReceivePause reason) {}
}
