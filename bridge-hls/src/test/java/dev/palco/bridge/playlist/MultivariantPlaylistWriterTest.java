package dev.palco.bridge.playlist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MultivariantPlaylistWriterTest {

    private static final String PLAYLIST = MultivariantPlaylistWriter.write(
            List.of(new AudioRenditionEntry("aac", "Stage", "en", "a0.m3u8", 2, true)),
            List.of(new VariantEntry("v0.m3u8", 1_300_000, 1_100_000, "avc1.42c01f,mp4a.40.2", 640, 360, 30, "aac"),
                    new VariantEntry("v1.m3u8", 500_000, 420_000, "avc1.42c00d,mp4a.40.2", 320, 180, 30, "aac")));

    @Test
    void rfc8216bis_4_4_6_2_streamInfCarriesBandwidthCodecsResolutionFrameRateAndAudioAndIsFollowedByItsUri() {
        String[] l = PLAYLIST.split("\n");
        assertEquals("#EXTM3U", l[0]);
        assertEquals("#EXT-X-STREAM-INF:BANDWIDTH=1300000,AVERAGE-BANDWIDTH=1100000,CODECS=\"avc1.42c01f,mp4a.40.2\","
                + "RESOLUTION=640x360,FRAME-RATE=30.000,AUDIO=\"aac\"", l[3]);
        assertEquals("v0.m3u8", l[4]);
        assertEquals("v1.m3u8", l[6]);
    }

    @Test
    void rfc8216bis_4_4_6_1_audioRenditionIsInTheGroupTheVariantsName() {
        assertTrue(PLAYLIST.contains("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aac\",NAME=\"Stage\",LANGUAGE=\"en\","
                + "DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"2\",URI=\"a0.m3u8\"\n"), PLAYLIST);
        for (String line : PLAYLIST.split("\n")) {
            if (line.startsWith("#EXT-X-STREAM-INF")) {
                assertTrue(line.endsWith("AUDIO=\"aac\""));
                assertTrue(line.contains("mp4a.40.2"), "§6.2.4: CODECS lists every format of the variant, audio included");
            }
        }
    }
}
