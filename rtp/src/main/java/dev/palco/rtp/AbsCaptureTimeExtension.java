package dev.palco.rtp;

/**
 * Absolute capture time (http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time): when the
 * first audio sample or video frame of the packet was captured, on the capturer's NTP clock, and
 * optionally the capturer's estimate of its clock offset from the sender's clock. 8 or 16 bytes.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          absolute capture timestamp (bit 0-31, seconds)       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          absolute capture timestamp (bit 32-63, fraction)     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    estimated capture clock offset (bit 0-31), optional        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    estimated capture clock offset (bit 32-63), optional       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Both fields are 32.32 fixed point; the timestamp is unsigned NTP (RFC 5905), the offset is a
 * signed two's complement number of seconds. 16 bytes still fit the one-byte form (L=15).
 */
public final class AbsCaptureTimeExtension {
    /** SDP {@code a=extmap} URI. */
    public static final String URI = "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time";
    /** Data size without the clock offset. */
    public static final int SHORT_SIZE_BYTES = 8;
    /** Data size with the clock offset. */
    public static final int LONG_SIZE_BYTES = 16;

    private AbsCaptureTimeExtension() {
    }

    /** Whether an element's data length is one this class can read (8 or 16). */
    public static boolean isValidLength(int dataLength) {
        return dataLength == SHORT_SIZE_BYTES || dataLength == LONG_SIZE_BYTES;
    }

    /** Whether an element of this length carries the estimated capture clock offset. */
    public static boolean hasClockOffset(int dataLength) {
        return dataLength == LONG_SIZE_BYTES;
    }

    /** The absolute capture timestamp as a 64-bit NTP value (compare with unsigned arithmetic). */
    public static long captureTimeNtp(byte[] buf, int dataOffset) {
        return RtpPacket.readInt64(buf, dataOffset);
    }

    /** The estimated capture clock offset, signed 32.32 seconds; read only when present. */
    public static long clockOffsetQ32(byte[] buf, int dataOffset) {
        return RtpPacket.readInt64(buf, dataOffset + SHORT_SIZE_BYTES);
    }

    /**
     * Writes the 8-byte form at {@code buf[off]}.
     *
     * @return {@link #SHORT_SIZE_BYTES}
     */
    public static int write(byte[] buf, int off, long captureTimeNtp) {
        RtpPacket.writeInt64(buf, off, captureTimeNtp);
        return SHORT_SIZE_BYTES;
    }

    /**
     * Writes the 16-byte form, with the clock offset, at {@code buf[off]}.
     *
     * @return {@link #LONG_SIZE_BYTES}
     */
    public static int write(byte[] buf, int off, long captureTimeNtp, long clockOffsetQ32) {
        RtpPacket.writeInt64(buf, off, captureTimeNtp);
        RtpPacket.writeInt64(buf, off + SHORT_SIZE_BYTES, clockOffsetQ32);
        return LONG_SIZE_BYTES;
    }
}
