package dev.palco.rtp.demux;

/**
 * Classifies a datagram received on the one UDP port that ICE, DTLS, SRTP and SRTCP share, by its
 * first byte as RFC 7983 §7 lays out and RFC 9443 §3 updates, and splits RTP from RTCP by its
 * second byte as RFC 5761 §4 allows.
 *
 * <pre>
 *                  +----------------+
 *                  |        [0..3] -+--> STUN           (RFC 8489)
 *                  |                |
 *                  |      [16..19] -+--> ZRTP           (RFC 6189)
 *                  |                |
 *      packet -->  |      [20..63] -+--> DTLS           (RFC 6347, RFC 9147)
 *                  |                |
 *                  |      [64..79] -+--> TURN Channel   (RFC 8656)
 *                  |                |
 *                  |     [80..127] -+--> QUIC           (RFC 9443)
 *                  |                |
 *                  |    [128..191] -+--> RTP/RTCP       (RFC 3550)
 *                  |                |
 *                  |    [192..255] -+--> QUIC           (RFC 9443)
 *                  +----------------+
 * </pre>
 *
 * <p>Beyond the first byte, each kind must also pass a cheap length or constant check, so that a
 * stray datagram is dropped here rather than handed to a parser:
 * <ul>
 *   <li><b>STUN</b>: at least the 20-byte header, and the magic cookie {@code 0x2112A442} at bytes
 *       4..7 (RFC 5389 §6; RFC 8489 §5 keeps it). Legacy RFC 3489 STUN, which has no cookie, is
 *       not used by ICE (RFC 8445), so a missing cookie means UNKNOWN.</li>
 *   <li><b>ZRTP</b>: at least the 12-byte ZRTP packet header (RFC 6189 §5). Only counted, never
 *       parsed, so no further check.</li>
 *   <li><b>DTLS</b>, first byte 20..31 (a DTLS 1.0/1.2 content type): at least the 13-byte record
 *       header (RFC 6347 §4.1), and a major version byte of {@code 0xFE}, which every DTLS version
 *       number has (1.0 is {@code 0xFEFF}, 1.2 is {@code 0xFEFD}); otherwise UNKNOWN.
 *       First byte 32..63 is the DTLS 1.3 unified header (RFC 9147 §4), whose shortest form is
 *       2 bytes and whose record must carry at least 16 bytes of ciphertext for sequence-number
 *       encryption (RFC 9147 §4.2.3): at least 18 bytes.</li>
 *   <li><b>TURN ChannelData</b>: at least the 4-byte channel number and length (RFC 8656 §12.4).</li>
 *   <li><b>QUIC</b>: only the first byte is checked; Palco drops QUIC.</li>
 *   <li><b>RTP / RTCP</b>: 2 bytes are needed to tell them apart. RTCP needs the 8 bytes of a
 *       header plus sender SSRC (RFC 3550 §6.4.2, an empty receiver report); RTP needs the 12-byte
 *       fixed header (RFC 3550 §5.1). The version bits are already 2 by the first-byte range.</li>
 * </ul>
 *
 * <p>Allocation-free and branch-light; it never throws for any {@code (off, len)} window inside
 * {@code buf}, and reads nothing outside it.
 */
public final class PacketClassifier {
    /** Size of the STUN message header (RFC 5389 §6). */
    public static final int STUN_HEADER_SIZE_BYTES = 20;
    /** The STUN magic cookie (RFC 5389 §6). */
    public static final int STUN_MAGIC_COOKIE = 0x2112A442;
    /** Size of the ZRTP packet header (RFC 6189 §5). */
    public static final int ZRTP_HEADER_SIZE_BYTES = 12;
    /** Size of the DTLS 1.0/1.2 record header (RFC 6347 §4.1). */
    public static final int DTLS_RECORD_HEADER_SIZE_BYTES = 13;
    /** Smallest DTLS 1.3 unified-header record: 2 header bytes plus 16 bytes of ciphertext. */
    public static final int DTLS13_MIN_RECORD_SIZE_BYTES = 18;
    /** Size of the TURN ChannelData header (RFC 8656 §12.4). */
    public static final int TURN_CHANNEL_HEADER_SIZE_BYTES = 4;
    /** Size of the RTP fixed header (RFC 3550 §5.1). */
    public static final int RTP_MIN_SIZE_BYTES = 12;
    /** Size of the RTCP header plus sender SSRC (RFC 3550 §6.4.2). */
    public static final int RTCP_MIN_SIZE_BYTES = 8;

    private PacketClassifier() {
    }

    /** Classifies the datagram {@code buf[off, off + len)}. */
    public static PacketKind classify(byte[] buf, int off, int len) {
        if (len < 1) {
            return PacketKind.TOO_SHORT;
        }
        int first = buf[off] & 0xFF;
        if (first >= 128) {
            if (first >= 192) {
                return PacketKind.QUIC;
            }
            return classifyRtpOrRtcp(buf, off, len);
        }
        if (first <= 3) {
            return classifyStun(buf, off, len);
        }
        if (first < 16) {
            return PacketKind.UNKNOWN;
        }
        if (first <= 19) {
            return len < ZRTP_HEADER_SIZE_BYTES ? PacketKind.TOO_SHORT : PacketKind.ZRTP;
        }
        if (first <= 63) {
            return classifyDtls(buf, off, len, first);
        }
        if (first <= 79) {
            return len < TURN_CHANNEL_HEADER_SIZE_BYTES ? PacketKind.TOO_SHORT : PacketKind.TURN_CHANNEL;
        }
        return PacketKind.QUIC;
    }

    /** Whether the datagram is RTP or RTCP (the SRTP path), with the minimum lengths above. */
    public static boolean isRtpOrRtcp(byte[] buf, int off, int len) {
        PacketKind kind = classify(buf, off, len);
        return kind == PacketKind.RTP || kind == PacketKind.RTCP;
    }

    private static PacketKind classifyStun(byte[] buf, int off, int len) {
        if (len < STUN_HEADER_SIZE_BYTES) {
            return PacketKind.TOO_SHORT;
        }
        int cookie = ((buf[off + 4] & 0xFF) << 24) | ((buf[off + 5] & 0xFF) << 16)
                | ((buf[off + 6] & 0xFF) << 8) | (buf[off + 7] & 0xFF);
        return cookie == STUN_MAGIC_COOKIE ? PacketKind.STUN : PacketKind.UNKNOWN;
    }

    private static PacketKind classifyDtls(byte[] buf, int off, int len, int first) {
        if (first >= 32) {
            return len < DTLS13_MIN_RECORD_SIZE_BYTES ? PacketKind.TOO_SHORT : PacketKind.DTLS;
        }
        if (len < DTLS_RECORD_HEADER_SIZE_BYTES) {
            return PacketKind.TOO_SHORT;
        }
        return (buf[off + 1] & 0xFF) == 0xFE ? PacketKind.DTLS : PacketKind.UNKNOWN;
    }

    private static PacketKind classifyRtpOrRtcp(byte[] buf, int off, int len) {
        if (len < 2) {
            return PacketKind.TOO_SHORT;
        }
        // RFC 5761 §4: RTCP packet types 192..223 occupy the second byte where RTP has M and PT;
        // RTP payload types 64..95 are therefore not used when RTP and RTCP share a port.
        int second = buf[off + 1] & 0xFF;
        if (second >= 192 && second <= 223) {
            return len < RTCP_MIN_SIZE_BYTES ? PacketKind.TOO_SHORT : PacketKind.RTCP;
        }
        return len < RTP_MIN_SIZE_BYTES ? PacketKind.TOO_SHORT : PacketKind.RTP;
    }
}
