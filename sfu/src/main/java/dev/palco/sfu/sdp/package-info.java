/**
 * Session descriptions for the SFU: the SDP model, its parser and serialiser, and offer/answer
 * negotiation with browsers (RFC 8866 SDP, RFC 8829/9429 JSEP, Unified Plan, RFC 8843 BUNDLE).
 *
 * <p>What this package owns:
 * <ul>
 *   <li>The model. {@link dev.palco.sfu.sdp.SessionDescription} and
 *       {@link dev.palco.sfu.sdp.MediaDescription} keep every line in order, known or not, so parsing
 *       and serialising give back the same text. Typed views (candidates, fingerprints, extmap, rtpmap,
 *       fmtp, rtcp-fb, ssrc, ssrc-group, rid, simulcast, msid, group...) parse their lines on first use
 *       and fail with the line number.</li>
 *   <li>Negotiation. {@link dev.palco.sfu.sdp.AnswerBuilder} answers a browser's offer (what a
 *       participant publishes, and renegotiations the browser starts); {@link dev.palco.sfu.sdp.OfferBuilder}
 *       makes the SFU's offers (what a participant receives, added and removed as others come and go)
 *       and reads the browser's answers. One ICE/DTLS transport per participant: BUNDLE and rtcp-mux are
 *       required, and the SFU is always the DTLS server ({@code a=setup:passive} when answering,
 *       {@code actpass} when offering, the browser then answers {@code active}). What the SFU accepts is
 *       {@link dev.palco.sfu.sdp.SfuCapabilities}.</li>
 *   <li>The result. {@link dev.palco.sfu.sdp.NegotiatedSession}: plain immutable data for the media
 *       plane (per mid: kind, direction, codecs with payload types, RTX and feedback, extension ids,
 *       remote SSRCs and rids) and the remote transport parameters for the transport layer.</li>
 *   <li>Errors. {@link dev.palco.sfu.sdp.SdpException}, split into
 *       {@link dev.palco.sfu.sdp.SdpParseException} (unreadable text, with line number and line) and
 *       {@link dev.palco.sfu.sdp.SdpNegotiationException} (readable, but not acceptable; names the mid).
 *       Nothing here returns a half-built description or result.</li>
 * </ul>
 *
 * <p>SDP is control-plane text: this package allocates freely, has no threads, clocks or I/O, and
 * depends on no other Palco class, so signaling and tests can use it on its own.
 */
package dev.palco.sfu.sdp;
