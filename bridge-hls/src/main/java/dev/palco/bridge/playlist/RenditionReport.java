package dev.palco.bridge.playlist;

/**
 * One EXT-X-RENDITION-REPORT (RFC 8216bis §4.4.5.4): where another rendition's live edge is, so a
 * client switching to it can block on the right part straight away.
 *
 * @param uri the other rendition's media playlist URI
 * @param lastMsn Media Sequence Number of its last segment (the one in progress, if it has parts)
 * @param lastPart index of the last part of that segment, or -1 when it has none
 */
public record RenditionReport(String uri, long lastMsn, int lastPart) {
}
