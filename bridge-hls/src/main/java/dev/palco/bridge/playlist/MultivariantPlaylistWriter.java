package dev.palco.bridge.playlist;

import java.util.List;
import java.util.Locale;

/**
 * Renders the multivariant playlist: the audio renditions, then one EXT-X-STREAM-INF per rung of
 * the ladder (RFC 8216bis §4.4.6).
 *
 * <pre>
 * #EXTM3U
 * #EXT-X-VERSION:9
 * #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac",NAME="Stage",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="a0.m3u8"
 * #EXT-X-STREAM-INF:BANDWIDTH=1200000,AVERAGE-BANDWIDTH=1000000,CODECS="avc1.42c01f,mp4a.40.2",RESOLUTION=640x360,FRAME-RATE=30.000,AUDIO="aac"
 * v0.m3u8
 * </pre>
 */
public final class MultivariantPlaylistWriter {

    private MultivariantPlaylistWriter() {
    }

    /** Renders the playlist. */
    public static String write(List<AudioRenditionEntry> audio, List<VariantEntry> variants) {
        StringBuilder out = new StringBuilder(512);
        out.append("#EXTM3U\n");
        out.append("#EXT-X-VERSION:").append(MediaPlaylistWriter.VERSION).append('\n');
        for (AudioRenditionEntry a : audio) {
            out.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"").append(a.groupId()).append("\",NAME=\"").append(a.name())
                    .append('"');
            if (a.language() != null) {
                out.append(",LANGUAGE=\"").append(a.language()).append('"');
            }
            out.append(a.isDefault() ? ",DEFAULT=YES,AUTOSELECT=YES" : ",DEFAULT=NO,AUTOSELECT=YES");
            out.append(",CHANNELS=\"").append(a.channels()).append("\",URI=\"").append(a.uri()).append("\"\n");
        }
        for (VariantEntry v : variants) {
            out.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(v.bandwidthBps())
                    .append(",AVERAGE-BANDWIDTH=").append(v.averageBandwidthBps())
                    .append(",CODECS=\"").append(v.codecs()).append('"')
                    .append(",RESOLUTION=").append(v.widthPx()).append('x').append(v.heightPx())
                    .append(",FRAME-RATE=").append(String.format(Locale.ROOT, "%.3f", v.frameRate()));
            if (v.audioGroupId() != null) {
                out.append(",AUDIO=\"").append(v.audioGroupId()).append('"');
            }
            out.append('\n').append(v.uri()).append('\n');
        }
        return out.toString();
    }
}
