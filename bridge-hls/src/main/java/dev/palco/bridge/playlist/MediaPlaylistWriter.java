package dev.palco.bridge.playlist;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Renders a Low-Latency HLS media playlist (RFC 8216bis, protocol version 9).
 *
 * <pre>
 * #EXTM3U
 * #EXT-X-VERSION:9                              §4.4.1.2; 9 because of CAN-SKIP-UNTIL / EXT-X-SKIP (§8)
 * #EXT-X-TARGETDURATION:2                       §4.4.3.1
 * #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.00000,HOLD-BACK=6.00000,PART-HOLD-BACK=0.60000
 * #EXT-X-PART-INF:PART-TARGET=0.20000           §4.4.3.7
 * #EXT-X-MEDIA-SEQUENCE:40                      §4.4.3.2
 * #EXT-X-DISCONTINUITY-SEQUENCE:0               §4.4.3.3
 * #EXT-X-SKIP:SKIPPED-SEGMENTS=6                §4.4.5.2, delta updates only
 * #EXT-X-MAP:URI="v0_init.mp4"                  §4.4.4.5, before the first segment it applies to
 * [#EXT-X-DISCONTINUITY]                        §4.4.4.3
 * #EXT-X-PROGRAM-DATE-TIME:2026-...Z            §4.4.4.6, on every segment
 * [#EXT-X-PART:DURATION=0.20000,URI="v0_46_0.m4s",INDEPENDENT=YES]   §4.4.4.9, last 3 target durations only
 * #EXTINF:1.00000,                              §4.4.4.1
 * v0_46.m4s
 * ...parts of the segment in progress...
 * #EXT-X-PRELOAD-HINT:TYPE=PART,URI="v0_47_3.m4s"                    §4.4.5.3
 * #EXT-X-RENDITION-REPORT:URI="a0.m3u8",LAST-MSN=47,LAST-PART=2      §4.4.5.4
 * </pre>
 *
 * <p>Playlists are rendered once per change and per variant (full, delta) and then shared by
 * every response, so this is not on a per-request path.
 */
public final class MediaPlaylistWriter {

    /** The protocol version our playlists require. */
    public static final int VERSION = 9;

    /** RFC 8216bis §6.2.2: EXT-X-PART tags older than this many target durations are removed. */
    public static final int PART_TAG_WINDOW_TARGET_DURATIONS = 3;

    private static final DateTimeFormatter PDT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ZoneOffset.UTC);

    private MediaPlaylistWriter() {
    }

    /**
     * Renders the playlist.
     *
     * @param timing target duration, part target and server-control attributes
     * @param discontinuitySequence EXT-X-DISCONTINUITY-SEQUENCE: discontinuities already removed
     * @param segments the segments in the window, oldest first; the last may be in progress
     * @param preloadHintUri URI of the next part, or null (for example after the stream ended)
     * @param reports one report per other rendition
     * @param deltaUpdate whether to skip segments beyond the Skip Boundary (an {@code _HLS_skip=YES}
     *     request, RFC 8216bis §6.2.5.1)
     * @param ended whether to close the playlist with EXT-X-ENDLIST
     */
    public static String write(PlaylistTiming timing, long discontinuitySequence, List<SegmentEntry> segments,
            String preloadHintUri, List<RenditionReport> reports, boolean deltaUpdate, boolean ended) {
        StringBuilder out = new StringBuilder(256 + segments.size() * 160);
        out.append("#EXTM3U\n");
        out.append("#EXT-X-VERSION:").append(VERSION).append('\n');
        out.append("#EXT-X-TARGETDURATION:").append(timing.targetDurationS()).append('\n');
        out.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=");
        Decimal.seconds(timing.canSkipUntilUs(), out);
        out.append(",HOLD-BACK=");
        Decimal.seconds(timing.holdBackUs(), out);
        out.append(",PART-HOLD-BACK=");
        Decimal.seconds(timing.partHoldBackUs(), out);
        out.append('\n');
        out.append("#EXT-X-PART-INF:PART-TARGET=");
        Decimal.seconds(timing.partTargetUs(), out);
        out.append('\n');
        long firstMsn = segments.isEmpty() ? 0 : segments.get(0).msn();
        out.append("#EXT-X-MEDIA-SEQUENCE:").append(firstMsn).append('\n');
        out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySequence).append('\n');

        long totalUs = 0;
        for (SegmentEntry s : segments) {
            totalUs += s.durationUs();
        }
        // §6.2.5.1: a delta update replaces the segments further from the end than the Skip
        // Boundary with EXT-X-SKIP. Only whole, complete segments are skipped, oldest first.
        int skipped = 0;
        if (deltaUpdate && !ended) {
            long endUs = 0;
            for (SegmentEntry s : segments) {
                endUs += s.durationUs();
                if (!s.complete() || totalUs - endUs < timing.canSkipUntilUs()) {
                    break;
                }
                skipped++;
            }
            out.append("#EXT-X-SKIP:SKIPPED-SEGMENTS=").append(skipped).append('\n');
        }

        long partWindowStartUs = totalUs - PART_TAG_WINDOW_TARGET_DURATIONS * timing.targetDurationUs();
        long startUs = 0;
        String map = null;
        for (int i = 0; i < segments.size(); i++) {
            SegmentEntry s = segments.get(i);
            long segStartUs = startUs;
            startUs += s.durationUs();
            if (i < skipped) {
                continue;
            }
            if (!s.complete() && s.parts().isEmpty()) {
                continue;
            }
            if (s.discontinuity()) {
                out.append("#EXT-X-DISCONTINUITY\n");
            }
            if (!s.mapUri().equals(map)) {
                map = s.mapUri();
                out.append("#EXT-X-MAP:URI=\"").append(map).append("\"\n");
            }
            out.append("#EXT-X-PROGRAM-DATE-TIME:");
            PDT.formatTo(Instant.ofEpochMilli(s.programDateTimeMs()), out);
            out.append('\n');
            if (!s.complete() || segStartUs + s.durationUs() > partWindowStartUs) {
                for (PartEntry p : s.parts()) {
                    out.append("#EXT-X-PART:DURATION=");
                    Decimal.seconds(p.durationUs(), out);
                    out.append(",URI=\"").append(p.uri()).append('"');
                    if (p.independent()) {
                        out.append(",INDEPENDENT=YES");
                    }
                    out.append('\n');
                }
            }
            if (s.complete()) {
                out.append("#EXTINF:");
                Decimal.seconds(s.durationUs(), out);
                out.append(",\n").append(s.uri()).append('\n');
            }
        }
        if (ended) {
            out.append("#EXT-X-ENDLIST\n");
        } else if (preloadHintUri != null) {
            out.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"").append(preloadHintUri).append("\"\n");
        }
        for (RenditionReport r : reports) {
            out.append("#EXT-X-RENDITION-REPORT:URI=\"").append(r.uri()).append("\",LAST-MSN=").append(r.lastMsn());
            if (r.lastPart() >= 0) {
                out.append(",LAST-PART=").append(r.lastPart());
            }
            out.append('\n');
        }
        return out.toString();
    }
}
