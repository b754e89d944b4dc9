/**
 * The seam between the bridge's two halves: the ingest (an in-process subscriber to the room,
 * jitter buffer, depacketizers, decoders) produces decoded media per {@link
 * dev.palco.bridge.stage.StageTrack}, and the compose half (layouts, audio mix, the encoder
 * ladder) consumes it through {@link dev.palco.bridge.stage.StageListener}.
 */
package dev.palco.bridge.stage;
