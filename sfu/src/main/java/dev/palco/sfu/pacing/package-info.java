/**
 * Pacing toward one subscriber: when each queued packet may leave, so that keyframes and bursts
 * of retransmissions do not overflow the subscriber's bottleneck queue.
 *
 * <p>Design, after libwebrtc's pacing controller: a byte budget refilled at the pacing rate
 * (bandwidth estimate × 2.5) and capped at a 5 ms burst window; queues of packet references per
 * priority (audio, never held; retransmissions; video) in primitive rings; a bound on queueing
 * time past which packets are handed back unsent rather than sent late; probe clusters sent at
 * their own rate with padding requests when no media waits (the probes that
 * {@link dev.palco.sfu.cc.ProbeController} asks for), and an optional padding rate. The
 * {@link dev.palco.sfu.pacing.Pacer} decides when; the caller owns the buffers and sends.
 *
 * <p>Pure logic with caller-supplied time (µs); allocation-free. References:
 * draft-ietf-rmcat-gcc-02 §4 (paced sender); libwebrtc modules/pacing (design only).
 */
package dev.palco.sfu.pacing;
