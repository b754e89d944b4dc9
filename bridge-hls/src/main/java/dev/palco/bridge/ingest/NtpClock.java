package dev.palco.bridge.ingest;

/** NTP timestamp conversions (RFC 5905 §6: seconds since 1900 in the high 32 bits, fraction in the low). */
final class NtpClock {
  /** Seconds from 1900-01-01 (the NTP era 0 origin) to 1970-01-01. */
  static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

  private NtpClock() {}

  /** A 64-bit NTP timestamp as microseconds since the Unix epoch. */
  static long ntpToUnixMicros(long ntp64) {
    long seconds = ntp64 >>> 32;
    long fraction = ntp64 & 0xFFFF_FFFFL;
    return (seconds - NTP_UNIX_OFFSET_SECONDS) * 1_000_000L + ((fraction * 1_000_000L) >>> 32);
  }

  /** A signed Q32.32 number of seconds as microseconds. */
  static long q32ToMicros(long q32) {
    return Math.multiplyHigh(q32, 1_000_000L << 32);
  }
}
