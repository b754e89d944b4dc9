package dev.palco.sfu.stats;

/**
 * The last RTCP sender report of a publisher's stream (RFC 3550 §6.4.1): its NTP timestamp and the
 * RTP timestamp of the same instant, which together map the stream's media time to the sender's
 * wall clock.
 *
 * @param ntp64 the 64-bit NTP timestamp (seconds since 1900 in the high 32 bits, fraction in the low)
 * @param rtpTimestamp the RTP timestamp of the same instant (32 bits, unsigned)
 * @param count how many SRs were received for the stream, so a reader notices a new one
 */
public record SenderReportInfo(long ntp64, long rtpTimestamp, long count) {}
