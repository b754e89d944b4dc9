package dev.palco.rtp.stun;

/** Why {@link StunMessage#parse} refused a datagram; {@link #NONE} when it did not. */
public enum StunDropReason {
  /** Parsed: the message is well formed (and its FINGERPRINT, if any, matches). */
  NONE,
  /** Shorter than the 20-byte header (RFC 5389 §6). */
  TOO_SHORT,
  /** The two top bits are not zero or the magic cookie is missing (RFC 5389 §6). */
  NOT_STUN,
  /** The header's length is not a multiple of 4 or does not match the datagram (RFC 5389 §6). */
  BAD_LENGTH,
  /** An attribute runs past the end of the message (RFC 5389 §15). */
  ATTRIBUTE_OVERRUN,
  /** An attribute other than FINGERPRINT follows MESSAGE-INTEGRITY, or anything follows FINGERPRINT (RFC 5389 §15.4, §15.5). */
  ATTRIBUTE_MISPLACED,
  /** A known attribute has the wrong size (e.g. MESSAGE-INTEGRITY not 20 bytes). */
  BAD_ATTRIBUTE,
  /** FINGERPRINT does not match the CRC-32 of the message (RFC 5389 §15.5). */
  BAD_FINGERPRINT
}
