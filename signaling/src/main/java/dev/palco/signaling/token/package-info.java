/**
 * Join tokens: the signed {@code v1.<payload>.<signature>} strings in every join link
 * ({@code docs/protocol.md}, "Join links and tokens"). {@link dev.palco.signaling.token.JoinTokens}
 * issues and verifies them with HMAC-SHA256 (RFC 2104) and a constant-time signature compare.
 */
package dev.palco.signaling.token;
