package dev.palco.bridge.encode;

/**
 * The audio rendition: AAC-LC from FFmpeg's native encoder, at 48 kHz.
 *
 * @param name the origin rendition name ({@code a0}); letters and digits
 * @param displayName the NAME attribute of its EXT-X-MEDIA tag
 * @param channels 1 or 2; the PCM handed to the encoder is interleaved with this many channels
 * @param bitrateBps the encoder's bit rate (AAC at a fixed rate: BANDWIDTH and AVERAGE-BANDWIDTH)
 */
public record AudioRung(String name, String displayName, int channels, int bitrateBps) {

    /** The one sampling rate of the ladder: WebRTC's Opus runs at 48 kHz, so the bridge never resamples. */
    public static final int SAMPLE_RATE_HZ = 48_000;

    /** Checks the channel count and rate. */
    public AudioRung {
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("1 or 2 channels: " + channels);
        }
        if (bitrateBps < 8_000) {
            throw new IllegalArgumentException("AAC bit rate too low: " + bitrateBps);
        }
    }
}
