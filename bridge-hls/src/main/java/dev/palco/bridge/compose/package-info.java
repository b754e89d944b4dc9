/**
 * The compose half of the bridge: the stage's decoded pictures laid out on one fixed-rate canvas
 * ({@link dev.palco.bridge.compose.VideoCompositor}: grid, active speaker with filmstrip, screen
 * share with speakers; name labels, name cards, slate, cross-fades), and its microphones mixed
 * into one continuous 48 kHz stream ({@link dev.palco.bridge.compose.AudioMixer} with a
 * {@link dev.palco.bridge.compose.SoftLimiter}). Both take media with capture times and produce
 * output for a given capture time, so a caller that asks both for the same instant keeps them in
 * sync. Threads and the encoder are the business of {@code dev.palco.bridge.broadcast}.
 */
package dev.palco.bridge.compose;
