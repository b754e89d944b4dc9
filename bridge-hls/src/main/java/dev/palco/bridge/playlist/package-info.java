/**
 * HLS playlists as text (RFC 8216bis): the Low-Latency media playlist with parts, preload hints,
 * rendition reports and delta updates ({@link dev.palco.bridge.playlist.MediaPlaylistWriter}), and
 * the multivariant playlist with the ABR ladder and the audio group
 * ({@link dev.palco.bridge.playlist.MultivariantPlaylistWriter}).
 *
 * <p>This package owns the syntax and the rules that are pure functions of the playlist content
 * (tag order, which EXT-X-PART tags stay, what a delta update skips, the Advance Part Limit). It
 * holds no state, threads or I/O: the origin keeps the live segment list and renders it here once
 * per change.
 */
package dev.palco.bridge.playlist;
