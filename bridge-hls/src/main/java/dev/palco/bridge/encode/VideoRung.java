package dev.palco.bridge.encode;

/**
 * One video rendition of the ABR ladder: the picture size the input is scaled to, and the rates
 * given to libx264.
 *
 * @param name the origin rendition name ({@code v0} serves {@code v0.m3u8}); letters and digits
 * @param widthPx encoded width; even, because the encoder works in 4:2:0
 * @param heightPx encoded height; even
 * @param bitrateBps the target (average) bit rate; AVERAGE-BANDWIDTH counts it
 * @param maxBitrateBps the VBV maximum rate over one second; BANDWIDTH counts it
 */
public record VideoRung(String name, int widthPx, int heightPx, int bitrateBps, int maxBitrateBps) {

    /** Checks the sizes and rates. */
    public VideoRung {
        if (widthPx < 16 || heightPx < 16 || widthPx % 2 != 0 || heightPx % 2 != 0) {
            throw new IllegalArgumentException("picture size must be even and at least 16x16: " + widthPx + "x" + heightPx);
        }
        if (bitrateBps <= 0 || maxBitrateBps < bitrateBps) {
            throw new IllegalArgumentException("need 0 < bitrate <= max bitrate");
        }
    }
}
