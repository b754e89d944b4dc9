package dev.palco.rtp.srtp;

/**
 * The few header checks SRTP needs before a packet reaches a transform, which trusts its input:
 * the CSRC count and extension length decide where the payload starts, so a lying header must be
 * rejected here. These are static peeks on a {@code (buf, off, len)} view; they never
 * throw and never read outside the view.
 */
final class SrtpPacketChecks {
    /** Fixed RTP header, RFC 3550 §5.1. */
    static final int RTP_FIXED_HEADER_SIZE_BYTES = 12;
    /** RTCP common header up to and including the sender SSRC, RFC 3550 §6.4.1. */
    static final int RTCP_HEADER_SIZE_BYTES = 8;
    private static final int RTP_VERSION = 2;

    private SrtpPacketChecks() {
    }

    /** True if {@code [off, off + len)} lies inside {@code buf}. */
    static boolean isValidWindow(byte[] buf, int off, int len) {
        return buf != null && off >= 0 && len >= 0 && off <= buf.length - len;
    }

    /**
     * The length of the RTP header including the CSRC list and the header extension, or -1 if it
     * is not version 2 or runs past {@code len}. The caller has checked {@code len >= 12}.
     *
     * <pre>
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |                           timestamp                           |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |           synchronization source (SSRC) identifier            |
     * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
     * |            contributing source (CSRC) identifiers             |
     * |                             ....                              |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |      defined by profile       |           length              |  (if X, RFC 3550 §5.3.1)
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |                        header extension                       |
     * </pre>
     */
    static int rtpHeaderLengthBytes(byte[] buf, int off, int len) {
        int b0 = buf[off] & 0xFF;
        if (b0 >>> 6 != RTP_VERSION) {
            return -1;
        }
        int headerLen = RTP_FIXED_HEADER_SIZE_BYTES + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            if (headerLen + 4 > len) {
                return -1;
            }
            int extWords = ((buf[off + headerLen + 2] & 0xFF) << 8) | (buf[off + headerLen + 3] & 0xFF);
            headerLen += 4 + 4 * extWords;
        }
        return headerLen <= len ? headerLen : -1;
    }

    /**
     * True if the first RTCP header carries version 2. The caller has checked {@code len >= 8}.
     *
     * <pre>
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |V=2|P|    RC   |   PT=SR=200   |             length            |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |                         SSRC of sender                        |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * </pre>
     */
    static boolean isRtcpVersion2(byte[] buf, int off) {
        return (buf[off] & 0xFF) >>> 6 == RTP_VERSION;
    }

    /** Big-endian 32-bit read. */
    static int readInt(byte[] buf, int at) {
        return (buf[at] & 0xFF) << 24 | (buf[at + 1] & 0xFF) << 16 | (buf[at + 2] & 0xFF) << 8
                | (buf[at + 3] & 0xFF);
    }

    /** RTP sequence number at bytes 2..3. */
    static int rtpSequenceNumber(byte[] buf, int off) {
        return (buf[off + 2] & 0xFF) << 8 | (buf[off + 3] & 0xFF);
    }

    /** RTP SSRC at bytes 8..11. */
    static int rtpSsrc(byte[] buf, int off) {
        return readInt(buf, off + 8);
    }

    /** RTCP sender SSRC at bytes 4..7 of the first packet of the compound. */
    static int rtcpSenderSsrc(byte[] buf, int off) {
        return readInt(buf, off + 4);
    }

    /** Writes a big-endian 32-bit value (the caller has checked the bounds). */
    static void writeInt(byte[] buf, int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }
}
