package dev.palco.bridge.origin;

import dev.palco.bridge.cmaf.TrackFormat;

/**
 * One rendition the origin serves, and what the multivariant playlist says about it.
 *
 * @param name the URI stem ({@code v0} serves {@code v0.m3u8}, {@code v0_init.mp4}, ...): letters
 *     and digits only, so that names and sequence numbers never mix up in a URI
 * @param format the CMAF track
 * @param peakBitrateBps the encoder's peak bit rate (BANDWIDTH counts it, plus audio)
 * @param averageBitrateBps the encoder's target bit rate (AVERAGE-BANDWIDTH)
 * @param frameRate frames per second (video only; 0 for audio)
 * @param displayName NAME of an audio rendition; ignored for video
 */
public record RenditionSpec(String name, TrackFormat format, long peakBitrateBps, long averageBitrateBps,
        double frameRate, String displayName) {

    /** Checks the name. */
    public RenditionSpec {
        if (!name.matches("[A-Za-z0-9]{1,32}")) {
            throw new IllegalArgumentException("rendition names are 1-32 letters or digits: " + name);
        }
    }
}
