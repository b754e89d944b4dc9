/**
 * Palco's control plane: the nouns every signaling door shares ({@link dev.palco.signaling.Role},
 * {@link dev.palco.signaling.ErrorCode}, {@link dev.palco.signaling.SignalingException}) and the
 * {@link dev.palco.signaling.SignalingServer} that serves the WebSocket protocol, REST, WHIP/WHEP,
 * health, metrics and the static web client on one Undertow listener. {@link
 * dev.palco.signaling.IceServers} is what each client is told about STUN and TURN: the fixed
 * entries, plus a TURN credential issued per join when TURN is configured ({@link dev.palco.turn}).
 *
 * <p>Signaling never touches a media packet: it drives the media plane through the small seam in
 * {@link dev.palco.signaling.media}. The wire contract is {@code docs/protocol.md}.
 */
package dev.palco.signaling;
