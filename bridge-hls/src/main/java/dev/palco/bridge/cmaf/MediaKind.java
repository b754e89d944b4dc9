package dev.palco.bridge.cmaf;

/** What a CMAF track carries; each kind is its own rendition with its own init segment. */
public enum MediaKind {
    /** H.264 video, handler {@code vide}. */
    VIDEO,
    /** AAC audio, handler {@code soun}. */
    AUDIO
}
