/**
 * Layer allocation for one subscriber: which simulcast layer of each subscribed video track to
 * forward within the subscriber's bandwidth estimate, which tracks to pause, and why.
 *
 * <p>Design: tracks are ordered by priority (screen share, then speaking order, then subscription
 * order); hidden tracks and those beyond Last-N are paused; every kept track gets its lowest live
 * layer while the budget lasts, then the budget lifts tracks in priority order up to the ceiling
 * set by the rendered tile size. Per-track hysteresis makes downswitches prompt (after a short
 * delay that rides out one AIMD dip) and upswitches damped (the next layer must fit with 10%
 * headroom for 2.5 s, 6 s after a recent downswitch), so layers do not oscillate. The output
 * (target layer per track, paused tracks with a {@link dev.palco.sfu.alloc.PauseReason}) drives
 * the subscriptions' layer selection, which switches on keyframes, and the pause report to the
 * client; {@link dev.palco.sfu.alloc.LayerAllocator#desiredBps()} tells the probe controller what
 * is worth probing for.
 *
 * <p>Pure logic with caller-supplied time (ms): no clock, thread or socket, and nothing allocated
 * per call once tracks are added. References: Jitsi Videobridge's BandwidthAllocator and Last-N,
 * LiveKit's StreamAllocator (ideas only); RFC 8853 (simulcast).
 */
package dev.palco.sfu.alloc;
