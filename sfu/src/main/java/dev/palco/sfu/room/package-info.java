/**
 * The SFU's room model and media plane: {@link dev.palco.sfu.room.Sfu} (worker pool, scheduler,
 * pools, clock), {@link dev.palco.sfu.room.Room}, {@link dev.palco.sfu.room.Participant},
 * {@link dev.palco.sfu.room.TrackPublication} (what a participant sends) and
 * {@link dev.palco.sfu.room.TrackSubscription} (what it receives), with the listener callbacks
 * signaling uses ({@link dev.palco.sfu.room.RoomListener}). A participant negotiates over SDP as a
 * publisher and subscriber (a stage participant) or as a player (WHEP: it answers the player's one
 * recvonly offer, and its sections keep their streams while the tracks behind them change).
 *
 * <p>It owns the receive pipeline of each participant (SRTP decrypt, RTP parse, routing by SSRC or
 * mid/rid, RTX unwrap, dedup, statistics, NACK generation, keyframe detection, packet cache,
 * fan-out), the send pipeline of each subscription (keyframe gating, rewriting of SSRC, sequence
 * number, timestamp, payload type, VP8 picture ID and header extensions, SRTP encrypt), RTCP
 * termination (nothing a participant sends is forwarded as it is) and RTCP generation (SR, RR,
 * NACK, PLI/FIR, RTX answers to NACKs, bounded per packet and per subscriber by a
 * {@link dev.palco.sfu.feedback.RetransmissionLimiter}).
 *
 * <p>It also owns each subscriber's send side ({@code SubscriberSendControl}): our transport-wide
 * sequence numbers on everything sent, the bandwidth estimate from the subscriber's feedback
 * ({@link dev.palco.sfu.cc}), layer allocation with Last-N, tile size and visibility
 * ({@link dev.palco.sfu.alloc}) and pacing ({@link dev.palco.sfu.pacing}); and layer tracking on
 * the receive side (bitrate, frame rate, size and liveness of each simulcast layer).
 *
 * <p>Threads follow docs/architecture.md: a fixed pool of media workers drains one serial queue per
 * participant; one scheduler thread ticks timers through the same queues; the publisher's worker
 * fans a packet out by queueing a shared copy on each subscriber's queue, and each subscriber's
 * worker sends it; everything sent to a participant goes under its send lock.
 */
package dev.palco.sfu.room;
