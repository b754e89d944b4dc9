package dev.palco.sfu.pipeline;

/**
 * Why the media plane dropped a packet. Every drop is counted under one of these, per node, so a
 * misbehaving peer shows up in the statistics instead of in an exception log.
 */
public enum DropReason {
  /** The datagram matched none of STUN, DTLS, RTP or RTCP (RFC 7983 §7). */
  UNKNOWN_PROTOCOL,
  /** The datagram was larger than {@link PacketInfo#MAX_PACKET_BYTES}. */
  TOO_LARGE,
  /** The RTP header was malformed (bad version, lengths that overrun the datagram). */
  MALFORMED_RTP,
  /** The RTCP compound packet was malformed. */
  MALFORMED_RTCP,
  /** SRTP or SRTCP authentication failed. */
  SRTP_AUTH_FAIL,
  /** SRTP or SRTCP replay protection rejected the packet. */
  SRTP_REPLAY,
  /** SRTP could not process the packet for another reason (no keys yet, too short). */
  SRTP_OTHER,
  /** The packet's SSRC belongs to no stream that was signaled. */
  UNKNOWN_SSRC,
  /** The payload type was not negotiated for the stream. */
  UNKNOWN_PAYLOAD_TYPE,
  /** The packet had already been received (a retransmission that arrived twice, or a replay). */
  DUPLICATE,
  /** A retransmission (RFC 4588) was too short to carry the original sequence number. */
  MALFORMED_RTX,
  /**
   * A RED packet (RFC 2198 §3) whose block headers or lengths overrun its payload, for a
   * subscriber that needed its blocks read.
   */
  MALFORMED_RED,
  /** The packet arrived too late to be useful (older than a source switch point). */
  TOO_OLD,
  /** Nothing downstream wanted the packet (no matching route). */
  NO_ROUTE,
  /** The packet is not forwarded on purpose (a paused subscription, a layer not selected). */
  NOT_SELECTED,
  /**
   * A new subscriber waits for a keyframe: delta frames before it cannot be decoded, so they are
   * not sent.
   */
  WAITING_FOR_KEYFRAME,
  /** A packet with no payload (padding used as a bandwidth probe): nothing to forward. */
  PADDING_ONLY,
  /** A queue between threads was full: the consumer could not keep up. */
  QUEUE_FULL,
  /** The transport is closed or not yet connected. */
  TRANSPORT_NOT_READY,
  /** Sending on the socket failed. */
  SEND_FAILED;

  private static final DropReason[] VALUES = values();

  /** The reasons, in ordinal order, without the copy {@link #values()} makes on every call. */
  public static DropReason[] all() {
    return VALUES.clone();
  }

  static int count() {
    return VALUES.length;
  }

  static DropReason of(int ordinal) {
    return VALUES[ordinal];
  }
}
