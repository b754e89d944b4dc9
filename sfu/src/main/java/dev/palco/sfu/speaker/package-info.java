/**
 * Dominant speaker detection for a room from RFC 6464 client-to-mixer audio levels, and the
 * speaking order that Last-N forwarding follows.
 *
 * <p>Design: each audio packet's level is turned into loudness above a per-participant noise
 * floor (fast to fall, 1 dB/s to rise, so steady noise sinks into it) and counted as speech when
 * the V flag, an absolute level and a 10 dB margin agree. Scores on three time scales (300 ms,
 * 1 s, 4 s) come from 100 ms bins. A challenger takes over only when it is speaking now, was
 * speech for half of the last second, scores 1.2× the dominant speaker over that second, and
 * keeps all of that up for 500 ms: about one second of consistent speech, which a cough or a
 * door never provides. {@link dev.palco.sfu.speaker.DominantSpeakerListener} receives the
 * changes, for signaling and the UI.
 *
 * <p>Pure logic with caller-supplied time (ms); no allocation per audio packet. References:
 * RFC 6464 §3; I. Volfin and I. Cohen, "Dominant Speaker Identification for Multipoint
 * Videoconferencing", Computer Speech and Language 27(4), 2013 (a simplified scheme, not a
 * transcription).
 */
package dev.palco.sfu.speaker;
