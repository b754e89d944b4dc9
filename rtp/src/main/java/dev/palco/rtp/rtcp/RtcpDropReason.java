package dev.palco.rtp.rtcp;

/**
 * Why an RTCP compound packet, or one packet inside it, was rejected.
 *
 * <p>Every parser in this package returns one of these instead of throwing, so the receive path
 * can count drops by reason. {@link #OK} means the input was accepted.
 */
public enum RtcpDropReason {
  /** The input is well formed; nothing was dropped. */
  OK,
  /** Fewer than the four bytes of a common header remain (RFC 3550 §6.4.1). */
  TRUNCATED_HEADER,
  /** The version field is not 2 (RFC 3550 §6.4.1, Appendix A.2). */
  BAD_VERSION,
  /** The length field announces more bytes than the datagram holds, or does not match the view. */
  LENGTH_MISMATCH,
  /** A packet other than the last one of a compound has the padding bit set (RFC 3550 §6.4.1). */
  PADDING_NOT_LAST,
  /** The padding count is zero or larger than the packet body (RFC 3550 §6.4.1). */
  BAD_PADDING,
  /** The packet type or feedback message type (FMT) is not the one this parser reads. */
  WRONG_PACKET_TYPE,
  /** The packet is shorter than its fixed part plus the blocks its count field announces. */
  TRUNCATED_BODY,
  /** An SDES item or chunk runs past the packet, or a chunk lacks its null terminator (RFC 3550 §6.5). */
  BAD_SDES_CHUNK,
  /** The BYE reason runs past the packet (RFC 3550 §6.6). */
  BAD_BYE_REASON,
  /** The feedback control information has a size the message type does not allow (RFC 4585 §6.1). */
  BAD_FCI_LENGTH,
  /** A REMB message lacks the "REMB" identifier or its SSRC list runs past the packet. */
  BAD_REMB,
  /** TWCC packet chunks run out before the packet status count is covered. */
  TWCC_CHUNKS_TRUNCATED,
  /** TWCC receive deltas run past the packet. */
  TWCC_DELTAS_TRUNCATED,
  /** A TWCC two-bit status vector uses the reserved symbol 3. */
  TWCC_RESERVED_SYMBOL
}
