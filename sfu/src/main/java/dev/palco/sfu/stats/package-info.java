/**
 * RTP statistics per stream: receive statistics for report blocks (RFC 3550 Appendix A.1, A.3 and
 * A.8: extended highest sequence number, cumulative and fractional loss, interarrival jitter), the
 * round-trip time from report blocks (RFC 3550 §6.4.1), the sender report state that LSR/DLSR need,
 * and the {@link dev.palco.sfu.stats.StreamStats} snapshot the stats API exposes.
 *
 * <p>Pure arithmetic over primitive values and injected times: no RTCP parsing or encoding (the
 * caller moves values between packets and these objects), no allocation per packet.
 */
package dev.palco.sfu.stats;
