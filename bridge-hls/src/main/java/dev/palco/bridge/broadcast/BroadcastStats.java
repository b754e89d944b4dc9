package dev.palco.bridge.broadcast;

/**
 * A snapshot of a {@link Broadcast}'s numbers, for metrics. Rates are over the last second the
 * encoder ran; counters are since the broadcast was created (restarts included).
 *
 * @param state the lifecycle state
 * @param videoTracks video tracks on stage
 * @param audioTracks microphones on stage
 * @param picturesReceived decoded pictures handed in by the ingest
 * @param picturesOverwritten pictures replaced before the compositor showed them
 * @param picturesQueued pictures waiting for the compositor now (all tracks)
 * @param composedFrames output pictures composed
 * @param composeTimeUsAvg mean time to compose one picture (scaling included), µs
 * @param handOffDropped composed pictures dropped because the encoder had not taken the earlier ones
 * @param handOffDepth composed pictures waiting for the encoder now
 * @param encodedFrames pictures encoded (every rung)
 * @param encoderFps pictures encoded per second
 * @param encodeTimeUsAvg mean time to encode one picture into every rung, µs (last second)
 * @param encodeTimeUsMax longest such time in the last second, µs
 * @param repeatedFrames frame slots the encoder filled with the previous picture (the producer was late)
 * @param audioBlocks audio blocks mixed and encoded
 * @param silentAudioBlocks blocks in which nobody had samples
 * @param lateAudioFrames audio sample frames that arrived after their instant was mixed
 * @param outputBitrateBps media bytes published on the origin per second, all renditions, x 8
 * @param restarts encoder restarts (each one a discontinuity)
 */
public record BroadcastStats(Broadcast.State state, int videoTracks, int audioTracks, long picturesReceived,
        long picturesOverwritten, int picturesQueued, long composedFrames, long composeTimeUsAvg, long handOffDropped, int handOffDepth,
        long encodedFrames, double encoderFps, long encodeTimeUsAvg, long encodeTimeUsMax, long repeatedFrames,
        long audioBlocks, long silentAudioBlocks, long lateAudioFrames, long outputBitrateBps, int restarts) {
}
