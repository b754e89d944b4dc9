package dev.palco.sfu.room;

import dev.palco.sfu.sdp.LocalTransport;
import dev.palco.sfu.sdp.NegotiatedSession;

/**
 * The transport's part in SDP negotiation: the seam between {@link Participant}'s offer/answer
 * convenience methods and the WebRTC transport (ICE + DTLS), which implements it next to
 * {@code MediaTransport}. Two calls, both on the signaling thread that negotiates:
 *
 * <ul>
 *   <li>{@link #localTransport()} before each description the SFU writes: its ICE credentials, the
 *       candidates gathered so far and the DTLS certificate fingerprint (the SFU is always the DTLS
 *       server, RFC 8842 §5.3).</li>
 *   <li>{@link #applyRemote(NegotiatedSession)} after each completed exchange: the peer's ICE
 *       credentials, candidates and end-of-candidates, and its DTLS fingerprints to check the
 *       handshake against. A changed ufrag/pwd is an ICE restart (RFC 8839 §4.4.1.1.1).</li>
 * </ul>
 *
 * Trickled candidates do not pass through here: signaling hands them to the transport directly.
 */
public interface TransportNegotiation {

  /** The SFU side of the transport, as the next description should state it. */
  LocalTransport localTransport();

  /** The peer's transport parameters from a completed offer/answer exchange. */
  void applyRemote(NegotiatedSession session);

  /**
   * Called with the peer's offer before the SFU writes its answer, so that an offer with new ICE
   * credentials (an ICE restart, RFC 8839 §4.4.1.1.1) can be answered with new credentials of the
   * SFU's own.
   */
  default void beforeAnswer(dev.palco.sfu.sdp.SessionDescription offer) {}
}
