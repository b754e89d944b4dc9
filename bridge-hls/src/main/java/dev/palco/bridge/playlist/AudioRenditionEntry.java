package dev.palco.bridge.playlist;

/**
 * One EXT-X-MEDIA TYPE=AUDIO rendition (RFC 8216bis §4.4.6.1).
 *
 * @param groupId GROUP-ID, named by the variants' AUDIO attribute
 * @param name NAME
 * @param language LANGUAGE (RFC 5646), or null
 * @param uri the audio rendition's media playlist
 * @param channels CHANNELS, the number of audio channels
 * @param isDefault DEFAULT=YES (and AUTOSELECT=YES)
 */
public record AudioRenditionEntry(String groupId, String name, String language, String uri, int channels,
        boolean isDefault) {
}
