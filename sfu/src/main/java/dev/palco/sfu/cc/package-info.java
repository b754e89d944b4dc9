/**
 * Send-side bandwidth estimation toward one subscriber: how many bits per second its path
 * carries now, from transport-wide congestion control feedback.
 *
 * <p>Design, after Google Congestion Control (draft-ietf-rmcat-gcc-02) as libwebrtc ships it:
 * packets are grouped by 5 ms of send time ({@code PacketGrouper}); the inter-group delay variation
 * drives a trendline with an adaptive threshold ({@code TrendlineDetector}, gcc §5.3–5.4) that calls
 * overuse, normal or underuse; an AIMD controller ({@code AimdRateController}, gcc §5.5) decreases
 * to 0.85 × the acknowledged bitrate on overuse and increases multiplicatively far from the last
 * known capacity and additively near it; a loss-based controller (gcc §6) lowers the rate above 10%
 * loss and raises it below 2%; the target is the smaller of the two, within configured bounds.
 * {@link dev.palco.sfu.cc.ProbeController} decides when to probe (at start, exponentially after a
 * successful probe, after a large drop, and periodically with back-off) and the probe's measured
 * result lifts the estimate at once. Without TWCC the subscriber's REMB
 * (draft-alvestrand-rmcat-remb-03) replaces the delay-based part.
 *
 * <p>Entry point: {@link dev.palco.sfu.cc.SendSideBandwidthEstimator}. Pure logic: times are
 * passed in by the caller (µs), nothing reads a clock, opens a socket or starts a thread, and no
 * per-packet work allocates. Feedback arrives already parsed by
 * {@link dev.palco.rtp.rtcp.TransportCcParser}.
 *
 * <p>References: draft-ietf-rmcat-gcc-02; draft-holmer-rmcat-transport-wide-cc-extensions-01;
 * Carlucci et al., "Analysis and design of the Google congestion control for WebRTC" (MMSys 2016);
 * libwebrtc modules/congestion_controller/goog_cc (design only, no code taken).
 */
package dev.palco.sfu.cc;
