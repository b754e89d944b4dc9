/**
 * STUN (RFC 5389) as ICE uses it (RFC 8445 §7, RFC 7675): {@link dev.palco.rtp.stun.StunMessage}
 * reads a message in place, walks its attributes and checks MESSAGE-INTEGRITY and FINGERPRINT;
 * {@link dev.palco.rtp.stun.StunMessageWriter} builds one into a caller's buffer. Neither allocates
 * per message; a malformed datagram is a {@link dev.palco.rtp.stun.StunDropReason}, never an
 * exception.
 */
package dev.palco.rtp.stun;
