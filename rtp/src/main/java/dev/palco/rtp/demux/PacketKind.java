package dev.palco.rtp.demux;

/** What a datagram received on the shared media port is, as decided by {@link PacketClassifier}. */
public enum PacketKind {
    /** STUN message (ICE connectivity checks, consent freshness): first byte 0..3. */
    STUN,
    /** ZRTP packet: first byte 16..19. Palco does not speak ZRTP; callers drop these. */
    ZRTP,
    /** DTLS record: first byte 20..63. */
    DTLS,
    /** TURN ChannelData message: first byte 64..79. */
    TURN_CHANNEL,
    /** QUIC packet: first byte 80..127 or 192..255 (RFC 9443). Palco does not speak QUIC. */
    QUIC,
    /** RTP packet (SRTP once the transport is keyed): first byte 128..191, second byte not 192..223. */
    RTP,
    /** RTCP packet (SRTCP once keyed): first byte 128..191, second byte (packet type) 192..223. */
    RTCP,
    /**
     * The first byte is unassigned (4..15), or the range's protocol-specific sanity check failed
     * (a STUN message without the magic cookie, a DTLS 1.0/1.2 record whose version is not DTLS).
     */
    UNKNOWN,
    /** Empty, or shorter than the smallest valid message of the protocol its first byte selects. */
    TOO_SHORT
}
