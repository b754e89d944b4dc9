/**
 * The ingest half of the bridge: an in-process subscriber to a room ({@link
 * dev.palco.bridge.ingest.StageIngest}, on the SFU's {@link dev.palco.sfu.room.LocalMediaTransport}),
 * the per-track jitter buffer and depacketizers (VP8 per RFC 7741, H.264 per RFC 6184 into Annex B,
 * Opus per RFC 7587), the FFmpeg decoders, and the capture-time mapping (abs-capture-time or the
 * publishers' RTCP sender reports). It hands decoded media to the compose half through {@link
 * dev.palco.bridge.stage.StageListener}.
 */
package dev.palco.bridge.ingest;
