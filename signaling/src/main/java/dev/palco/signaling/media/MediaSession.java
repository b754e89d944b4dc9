package dev.palco.signaling.media;

import java.util.List;

/**
 * One participant's peer connection with the SFU (one BUNDLEd ICE/DTLS transport), as driven from
 * signaling. Calls for one session come from one thread at a time, in the order the client sent
 * them; they may block briefly (SDP negotiation) but never wait on the network.
 */
public interface MediaSession {

  /**
   * Answers the client's publish offer (first offer, renegotiation, or ICE restart with new
   * credentials). New sending m-lines become tracks, reported through {@link
   * MediaEvents#trackPublished}; m-lines that stopped sending are reported through {@link
   * MediaEvents#trackUnpublished}.
   *
   * @param offerSdp the browser's offer
   * @param sources what each sending m-line carries; m-lines not named get {@link
   *     TrackSource#defaultFor} their kind
   * @return the SDP answer
   * @throws SdpRejectedException with the text the client sees, if the offer cannot be negotiated
   */
  String answerPublishOffer(String offerSdp, List<TrackSourceHint> sources)
      throws SdpRejectedException;

  /**
   * Answers a WHEP player's offer ({@link SessionMode#PLAYBACK} sessions): the answer's m-lines
   * carry the room's current tracks, as many as the offer has room for of each kind.
   *
   * @param offerSdp the player's {@code recvonly} offer
   * @return the SDP answer
   * @throws SdpRejectedException with the text the client sees
   */
  String answerPlaybackOffer(String offerSdp) throws SdpRejectedException;

  /**
   * Applies the browser's answer to the subscribe offer of the given revision.
   *
   * @throws SdpRejectedException if the answer does not fit the offer; the media plane then emits
   *     a fresh offer of the next revision
   */
  void applySubscribeAnswer(String answerSdp, long revision) throws SdpRejectedException;

  /** Adds a candidate the client trickled (RFC 8838). Unusable candidates are ignored. */
  void addRemoteCandidate(IceCandidate candidate);

  /** The client has no more candidates for its current ICE generation (RFC 8838 §4.4). */
  void endOfRemoteCandidates();

  /**
   * Restarts ICE with the client's new credentials without an SDP offer (a WHIP/WHEP PATCH,
   * RFC 9725 §4.3.2); the negotiated media stays as it was.
   *
   * @return the server's new credentials
   * @throws SdpRejectedException if the restart cannot be done
   */
  IceParameters restartIce(IceParameters remote) throws SdpRejectedException;

  /**
   * Starts or stops forwarding one of this session's published tracks to every subscriber, so a
   * muted track is silent for all even if the publishing page keeps sending. Unknown ids are
   * ignored.
   */
  void setTrackMuted(String trackId, boolean muted);

  /**
   * Applies the subscriber's own constraints on remote video tracks it receives: no layer larger
   * than the rendered tile, and a hidden tile paused ({@link MediaEvents#subscriptionPaused}).
   * Applies every layout naming a video track this session receives; the others are left out.
   *
   * @return the track ids of {@code layouts} this session does not receive as video (unknown,
   *     already gone, or audio), in order; empty when every layout was applied
   */
  java.util.List<String> applyTrackLayouts(java.util.List<TrackLayout> layouts);

  /**
   * Ends the session: its tracks stop and other sessions' subscriptions to them go (through their
   * own subscribe offers). After this returns the session calls no more events. Idempotent.
   */
  void close();
}
