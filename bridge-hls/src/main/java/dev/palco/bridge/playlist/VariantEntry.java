package dev.palco.bridge.playlist;

/**
 * One rung of the ABR ladder: an EXT-X-STREAM-INF (RFC 8216bis §4.4.6.2).
 *
 * @param uri the video rendition's media playlist
 * @param bandwidthBps BANDWIDTH: peak bit rate of the variant, audio included
 * @param averageBandwidthBps AVERAGE-BANDWIDTH: average bit rate, audio included
 * @param codecs CODECS: every format in the variant, e.g. {@code avc1.42c01e,mp4a.40.2}
 * @param widthPx RESOLUTION width
 * @param heightPx RESOLUTION height
 * @param frameRate FRAME-RATE
 * @param audioGroupId AUDIO group, or null
 */
public record VariantEntry(String uri, long bandwidthBps, long averageBandwidthBps, String codecs, int widthPx,
        int heightPx, double frameRate, String audioGroupId) {
}
