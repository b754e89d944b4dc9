package dev.palco.signaling.media;

/** What a media session does in its room. */
public enum SessionMode {
  /**
   * A stage participant over the WebSocket protocol: publishes through {@code publish.offer} and
   * receives every other participant's tracks through server-made subscribe offers.
   */
  PARTICIPANT,
  /** A WHIP ingest (RFC 9725): publishes only, never receives, never gets a subscribe offer. */
  PUBLISH_ONLY,
  /**
   * A WHEP player: receives only. The player makes the offer ({@link
   * MediaSession#answerPlaybackOffer}); the session never emits subscribe offers.
   */
  PLAYBACK
}
