package dev.palco.sfu.transport;

/**
 * Why a datagram that ICE delivered (from a validated source) went no further: the RFC 7983 demux
 * of a secured transport counts each under one of these, apart from the ICE layer's own {@link
 * TransportDropReason}s and the pipelines' drop reasons.
 */
public enum DemuxDropReason {
    /** RTP or RTCP before the DTLS handshake produced keys: nothing could decrypt it. */
    NOT_SECURED,
    /** RTP or RTCP with no media receiver registered. */
    NO_MEDIA_RECEIVER,
    /** The media receiver threw; swallowed so the shared receive thread survives. */
    MEDIA_RECEIVER_FAILED,
    /** A DTLS record with no DTLS association set up yet (no remote fingerprint). */
    DTLS_NOT_EXPECTED,
    /** A DTLS record while the DTLS thread's queue was full. */
    DTLS_QUEUE_FULL,
    /** Arrived while the transport was closing. */
    CLOSED,
    /** A STUN message reached the data path (ice4j normally consumes all of them). */
    STRAY_STUN,
    /** Shorter than the smallest message of the protocol its first byte names (RFC 7983 §7). */
    TOO_SHORT,
    /** ZRTP, TURN ChannelData, QUIC, or an unassigned first byte: not part of WebRTC media here. */
    UNKNOWN_PROTOCOL,
    /** Dropped on purpose by a test's receive filter (loss injection), before decryption. */
    FILTERED
}
