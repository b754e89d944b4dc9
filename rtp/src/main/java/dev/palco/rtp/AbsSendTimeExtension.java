package dev.palco.rtp;

/**
 * Absolute send time, the WebRTC extension used by REMB bandwidth estimation
 * (http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time): 3 bytes holding the send time in
 * seconds as unsigned 6.18 fixed point, so it wraps every 64 seconds and ticks in 2^-18 s
 * (about 3.8 µs).
 *
 * <pre>
 *  0                   1                   2
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  seconds  |           fraction (18 bits)      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The 24 bits are bits 14..37 of a 64-bit NTP timestamp (32.32 fixed point), which is how the
 * NTP conversions below work. This class has no clock: callers pass times in.
 */
public final class AbsSendTimeExtension {
    /** SDP {@code a=extmap} URI. */
    public static final String URI = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    /** Size of the extension data. */
    public static final int DATA_SIZE_BYTES = 3;
    /** Number of distinct values: the field wraps after 64 s. */
    public static final int MODULUS = 1 << 24;
    /** Fraction bits of the 6.18 fixed-point value. */
    public static final int FRACTION_BITS = 18;
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long WRAP_MICROS = 64 * MICROS_PER_SECOND;

    private AbsSendTimeExtension() {
    }

    /** Whether an element's data length is one this class can read. */
    public static boolean isValidLength(int dataLength) {
        return dataLength == DATA_SIZE_BYTES;
    }

    /** The raw 24-bit value, 0..2^24-1. */
    public static int read(byte[] buf, int dataOffset) {
        return ((buf[dataOffset] & 0xFF) << 16) | ((buf[dataOffset + 1] & 0xFF) << 8)
                | (buf[dataOffset + 2] & 0xFF);
    }

    /**
     * Writes the low 24 bits of {@code value} at {@code buf[off]}.
     *
     * @return {@link #DATA_SIZE_BYTES}
     */
    public static int write(byte[] buf, int off, int value) {
        buf[off] = (byte) (value >>> 16);
        buf[off + 1] = (byte) (value >>> 8);
        buf[off + 2] = (byte) value;
        return DATA_SIZE_BYTES;
    }

    /**
     * The value for a time in microseconds on any clock, rounded to the nearest tick. Only the
     * time modulo 64 s matters; negative times are fine.
     */
    public static int fromMicros(long timeMicros) {
        long withinWrap = Math.floorMod(timeMicros, WRAP_MICROS);
        long ticks = ((withinWrap << FRACTION_BITS) + MICROS_PER_SECOND / 2) / MICROS_PER_SECOND;
        return (int) (ticks & (MODULUS - 1));
    }

    /** The time in microseconds, 0 to just under 64 s, that {@code value} stands for (rounded). */
    public static long toMicros(int value) {
        long ticks = value & (MODULUS - 1);
        return (ticks * MICROS_PER_SECOND + (1L << (FRACTION_BITS - 1))) >> FRACTION_BITS;
    }

    /** The value for a 64-bit NTP timestamp (RFC 5905 32.32 format): its bits 14..37, truncated. */
    public static int fromNtp(long ntpTimestamp) {
        return (int) ((ntpTimestamp >>> 14) & (MODULUS - 1));
    }

    /**
     * The 64-bit NTP timestamp, modulo 64 seconds, that {@code value} stands for: the seconds'
     * upper 26 bits and the fraction's lower 14 bits are zero.
     */
    public static long toNtp(int value) {
        return ((long) (value & (MODULUS - 1))) << 14;
    }

    /**
     * Signed difference {@code a - b} in ticks, taking the 64 s wrap into account: the result lies
     * in -2^23..2^23-1, so gaps of up to 32 s either way are exact.
     */
    public static int diffTicks(int a, int b) {
        return ((a - b) << 8) >> 8;
    }
}
