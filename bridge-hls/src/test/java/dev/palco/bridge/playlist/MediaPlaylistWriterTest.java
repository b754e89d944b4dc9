package dev.palco.bridge.playlist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Conformance of the media playlist text, one test per RFC 8216bis sentence we rely on. */
class MediaPlaylistWriterTest {

    private static final PlaylistTiming TIMING = PlaylistTiming.of(2, 200_000);
    private static final long T0_MS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    /** {@code complete} one-second segments of five 200 ms parts, then one in progress with {@code openParts}. */
    static List<SegmentEntry> window(long firstMsn, int complete, int openParts) {
        List<SegmentEntry> s = new ArrayList<>();
        for (int i = 0; i < complete; i++) {
            long msn = firstMsn + i;
            s.add(new SegmentEntry(msn, "v0_" + msn + ".m4s", 1_000_000, false, T0_MS + i * 1000L, "v0_init.mp4",
                    parts(msn, 5)));
        }
        long open = firstMsn + complete;
        s.add(new SegmentEntry(open, null, openParts * 200_000L, false, T0_MS + complete * 1000L, "v0_init.mp4",
                parts(open, openParts)));
        return s;
    }

    static List<PartEntry> parts(long msn, int n) {
        List<PartEntry> p = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            p.add(new PartEntry("v0_" + msn + "_" + i + ".m4s", 200_000, i == 0));
        }
        return p;
    }

    private static String render(List<SegmentEntry> segments, boolean delta) {
        long lastMsn = segments.get(segments.size() - 1).msn();
        int next = segments.get(segments.size() - 1).parts().size();
        return MediaPlaylistWriter.write(TIMING, 0, segments, "v0_" + lastMsn + "_" + next + ".m4s",
                List.of(new RenditionReport("a0.m3u8", lastMsn, next - 1)), delta, false);
    }

    private static List<String> lines(String playlist) {
        return Arrays.asList(playlist.split("\n"));
    }

    private static long count(String playlist, String prefix) {
        return lines(playlist).stream().filter(l -> l.startsWith(prefix)).count();
    }

    @Test
    void rfc8216bis_4_4_1_1_theFirstLineIsExtm3u() {
        assertEquals("#EXTM3U", lines(render(window(0, 3, 2), false)).get(0));
    }

    @Test
    void rfc8216bis_4_4_1_2_versionIsNineBecauseOfCanSkipUntil() {
        assertEquals("#EXT-X-VERSION:9", lines(render(window(0, 3, 2), false)).get(1));
    }

    @Test
    void rfc8216bis_4_1_headerTagsComeBeforeTheFirstSegmentInOrder() {
        List<String> l = lines(render(window(40, 3, 2), false));
        assertEquals("#EXT-X-TARGETDURATION:2", l.get(2));
        assertEquals("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.00000,HOLD-BACK=6.00000,"
                + "PART-HOLD-BACK=0.60000", l.get(3));
        assertEquals("#EXT-X-PART-INF:PART-TARGET=0.20000", l.get(4));
        assertEquals("#EXT-X-MEDIA-SEQUENCE:40", l.get(5));
        assertEquals("#EXT-X-DISCONTINUITY-SEQUENCE:0", l.get(6));
        assertEquals("#EXT-X-MAP:URI=\"v0_init.mp4\"", l.get(7));
        assertEquals("#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:00.000Z", l.get(8));
    }

    @Test
    void rfc8216bis_4_4_3_1_everyExtinfRoundedIsAtMostTheTargetDuration() {
        Matcher m = Pattern.compile("#EXTINF:([0-9.]+),").matcher(render(window(0, 8, 1), false));
        int n = 0;
        while (m.find()) {
            assertTrue(Math.round(Double.parseDouble(m.group(1))) <= TIMING.targetDurationS());
            n++;
        }
        assertEquals(8, n);
    }

    @Test
    void rfc8216bis_4_4_3_8_serverControlBoundsAreEnforced() {
        // PART-HOLD-BACK: "MUST be at least twice the Part Target Duration ... SHOULD be at least three times"
        assertThrows(IllegalArgumentException.class, () -> new PlaylistTiming(2, 200_000, 500_000, 6_000_000, 12_000_000));
        // HOLD-BACK: "MUST be at least three times the Target Duration"
        assertThrows(IllegalArgumentException.class, () -> new PlaylistTiming(2, 200_000, 600_000, 5_000_000, 12_000_000));
        // CAN-SKIP-UNTIL: "The Skip Boundary MUST be at least six times the Target Duration"
        assertThrows(IllegalArgumentException.class, () -> new PlaylistTiming(2, 200_000, 600_000, 6_000_000, 11_000_000));
    }

    @Test
    void rfc8216bis_4_4_4_9_partsPrecedeTheirSegmentAndIndependentIsSetOnlyWhereTrue() {
        List<SegmentEntry> w = window(0, 2, 3);
        String p = render(w, false);
        List<String> l = lines(p);
        int firstPart = l.indexOf("#EXT-X-PART:DURATION=0.20000,URI=\"v0_1_0.m4s\",INDEPENDENT=YES");
        int lastPart = l.indexOf("#EXT-X-PART:DURATION=0.20000,URI=\"v0_1_4.m4s\"");
        int extinf = l.indexOf("v0_1.m4s") - 1;
        assertTrue(firstPart > 0 && firstPart < lastPart && lastPart == extinf - 1, p);
        assertEquals("#EXTINF:1.00000,", l.get(extinf));
        for (String line : l) {
            if (line.startsWith("#EXT-X-PART:")) {
                assertEquals(line.contains("_0.m4s"), line.endsWith(",INDEPENDENT=YES"), line);
            }
        }
    }

    @Test
    void rfc8216bis_6_2_2_partTagsOlderThanThreeTargetDurationsAreRemoved() {
        // 10 complete one-second segments + 2 parts: the playlist ends at 10.4 s; 3 x TD = 6 s.
        String p = render(window(0, 10, 2), false);
        assertFalse(p.contains("URI=\"v0_3_"), "segment 3 ends at 4.0 s, more than 6 s from the end");
        assertTrue(p.contains("URI=\"v0_4_4.m4s\""), "segment 4 ends at 5.0 s, within 6 s of the end");
        assertTrue(p.contains("URI=\"v0_10_1.m4s\""));
    }

    @Test
    void rfc8216bis_4_4_5_3_oneHintForTheNextPartAndNoneOnceEnded() {
        String p = render(window(0, 3, 2), false);
        assertEquals(1, count(p, "#EXT-X-PRELOAD-HINT:"));
        assertTrue(p.contains("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"v0_3_2.m4s\"\n"));
        String ended = MediaPlaylistWriter.write(TIMING, 0, window(0, 3, 0), null, List.of(), false, true);
        assertEquals(0, count(ended, "#EXT-X-PRELOAD-HINT"));
        assertTrue(ended.endsWith("#EXT-X-ENDLIST\n"));
    }

    @Test
    void rfc8216bis_4_4_5_4_renditionReportsNameTheLastSegmentAndPart() {
        String p = render(window(7, 3, 2), false);
        assertTrue(p.endsWith("#EXT-X-RENDITION-REPORT:URI=\"a0.m3u8\",LAST-MSN=10,LAST-PART=1\n"), p);
    }

    @Test
    void rfc8216bis_6_2_5_1_deltaUpdateSkipsSegmentsBeyondTheSkipBoundaryAndKeepsTheRest() {
        List<SegmentEntry> w = window(100, 20, 3); // 20.6 s; the Skip Boundary is 12 s
        String full = render(w, false);
        String delta = render(w, true);
        // Segment k (0-based) ends at k+1 s; it is skipped when 20.6 - (k+1) >= 12, i.e. k <= 7.
        assertTrue(delta.contains("#EXT-X-SKIP:SKIPPED-SEGMENTS=8\n"), delta);
        assertFalse(delta.contains("v0_107.m4s"));
        assertTrue(delta.contains("v0_108.m4s"));
        // "All tags that were not skipped MUST remain": the delta's tail is the full playlist's tail.
        String tailFrom = "#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:08.000Z";
        assertEquals(full.substring(full.indexOf(tailFrom)), delta.substring(delta.indexOf(tailFrom)));
        assertTrue(delta.indexOf("#EXT-X-MAP:") > delta.indexOf("#EXT-X-SKIP"), "the map still precedes its segments");
        assertEquals(full.substring(0, full.indexOf("#EXT-X-MAP")), delta.substring(0, delta.indexOf("#EXT-X-SKIP")));
    }

    @Test
    void rfc8216bis_6_2_5_1_aShortPlaylistSkipsNothing() {
        String delta = render(window(0, 5, 1), true);
        assertTrue(delta.contains("#EXT-X-SKIP:SKIPPED-SEGMENTS=0\n"));
    }

    @Test
    void rfc8216bis_6_2_1_aDiscontinuitySegmentCarriesProgramDateTimeAndItsMap() {
        List<SegmentEntry> w = new ArrayList<>(window(0, 2, 0));
        w.remove(w.size() - 1);
        w.add(new SegmentEntry(2, "v0_2.m4s", 1_000_000, true, T0_MS + 60_000, "v0_init_1.mp4", parts(2, 5)));
        w.add(new SegmentEntry(3, null, 0, false, T0_MS + 61_000, "v0_init_1.mp4", List.of()));
        String p = MediaPlaylistWriter.write(TIMING, 4, w, "v0_3_0.m4s", List.of(), false, false);
        List<String> l = lines(p);
        int d = l.indexOf("#EXT-X-DISCONTINUITY");
        assertEquals("#EXT-X-MAP:URI=\"v0_init_1.mp4\"", l.get(d + 1));
        assertEquals("#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:01:00.000Z", l.get(d + 2));
        assertTrue(p.contains("#EXT-X-DISCONTINUITY-SEQUENCE:4\n"));
        assertEquals(1, l.stream().filter("#EXT-X-DISCONTINUITY"::equals).count(), p);
    }

    @Test
    void rfc8216bis_4_4_4_6_programDateTimeIsIso8601WithMillisecondsOnEverySegment() {
        String p = render(window(0, 4, 1), false);
        assertEquals(5, count(p, "#EXT-X-PROGRAM-DATE-TIME:"));
        assertTrue(Pattern.compile("#EXT-X-PROGRAM-DATE-TIME:\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z").matcher(p).find());
    }

    @Test
    void rfc8216bis_6_2_5_2_advancePartLimitIsThreeOverThePartTarget() {
        assertEquals(15, PlaylistTiming.of(2, 200_000).advancePartLimit());
        assertEquals(10, PlaylistTiming.of(2, 300_000).advancePartLimit());
        assertEquals(3, PlaylistTiming.of(4, 1_000_000).advancePartLimit());
    }

    @Test
    void decimalsAreLocaleIndependentWithFivePlaces() {
        StringBuilder b = new StringBuilder();
        Decimal.seconds(333_333, b);
        b.append(' ');
        Decimal.seconds(2_000_000, b);
        b.append(' ');
        Decimal.seconds(5, b);
        assertEquals("0.33333 2.00000 0.00001", b.toString());
    }
}
