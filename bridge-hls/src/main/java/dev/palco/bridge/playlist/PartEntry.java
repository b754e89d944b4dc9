package dev.palco.bridge.playlist;

/**
 * One EXT-X-PART line (RFC 8216bis §4.4.4.9).
 *
 * @param uri the part's URI, relative to the playlist
 * @param durationUs its duration in microseconds
 * @param independent whether it starts with an independent frame (INDEPENDENT=YES)
 */
public record PartEntry(String uri, long durationUs, boolean independent) {
}
