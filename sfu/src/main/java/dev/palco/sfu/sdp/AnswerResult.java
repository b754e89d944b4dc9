package dev.palco.sfu.sdp;

/**
 * The SFU's answer to a browser offer, and what was agreed.
 *
 * @param answer the answer to send back; also the SFU's new local description
 * @param session the agreement the media plane applies
 */
public record AnswerResult(SessionDescription answer, NegotiatedSession session) {}
