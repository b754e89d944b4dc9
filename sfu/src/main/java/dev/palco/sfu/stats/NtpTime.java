package dev.palco.sfu.stats;

/**
 * NTP timestamps as RTCP uses them (RFC 3550 §4): 64 bits, seconds since 1900-01-01 in the high
 * 32 bits and the binary fraction of a second in the low 32, and the "middle 32 bits" (16 bits of
 * seconds, 16 of fraction, unit 1/65536 s) that report blocks carry as LSR and DLSR (§6.4.1).
 */
public final class NtpTime {

    /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
    public static final long UNIX_EPOCH_OFFSET_SECONDS = 2_208_988_800L;
    /** Units of the middle-32 format per second. */
    public static final long MIDDLE32_UNITS_PER_SECOND = 65_536L;

    private NtpTime() {
    }

    /** The 64-bit NTP timestamp of a Unix time in milliseconds. */
    public static long fromUnixMillis(long unixMillis) {
        long seconds = Math.floorDiv(unixMillis, 1000L) + UNIX_EPOCH_OFFSET_SECONDS;
        long millis = Math.floorMod(unixMillis, 1000L);
        long fraction = (millis << 32) / 1000L;
        return (seconds << 32) | fraction;
    }

    /** The middle 32 bits of a 64-bit NTP timestamp, as an unsigned value in a long. */
    public static long middle32(long ntp64) {
        return (ntp64 >>> 16) & 0xFFFF_FFFFL;
    }

    /** Converts a duration in 1/65536 s to milliseconds (rounded to nearest). */
    public static long middle32UnitsToMillis(long units) {
        return (units * 1000L + MIDDLE32_UNITS_PER_SECOND / 2) / MIDDLE32_UNITS_PER_SECOND;
    }

    /** Converts a duration in milliseconds to 1/65536 s (rounded to nearest). */
    public static long millisToMiddle32Units(long millis) {
        return (millis * MIDDLE32_UNITS_PER_SECOND + 500L) / 1000L;
    }
}
