package dev.palco.bridge.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class OriginRequestTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // target                                    | kind         | rendition | msn | part | skip
        "/index.m3u8                                 | MULTIVARIANT |           | -1  | -1   | false",
        "/v0.m3u8                                    | PLAYLIST     | v0        | -1  | -1   | false",
        "/v0.m3u8?_HLS_msn=12                        | PLAYLIST     | v0        | 12  | -1   | false",
        "/v0.m3u8?_HLS_msn=12&_HLS_part=3            | PLAYLIST     | v0        | 12  | 3    | false",
        "/v0.m3u8?_HLS_msn=12&_HLS_part=3&_HLS_skip=YES | PLAYLIST  | v0        | 12  | 3    | true",
        "/v0.m3u8?_HLS_skip=v2                       | PLAYLIST     | v0        | -1  | -1   | true",
        "/v0.m3u8?_HLS_skip=NO                       | PLAYLIST     | v0        | -1  | -1   | false",
        "/v0.m3u8?_HLS_part=3                        | INVALID      | v0        | -1  | -1   | false",
        "/v0.m3u8?_HLS_msn=-1                        | INVALID      | v0        | -1  | -1   | false",
        "/v0.m3u8?_HLS_msn=                          | INVALID      | v0        | -1  | -1   | false",
        "/v0.m3u8?_HLS_msn=1&_HLS_part=99999999999   | INVALID      | v0        | -1  | -1   | false",
        "/v0.m3u8?_HLS_msn=9999999999999999999999    | INVALID      | v0        | -1  | -1   | false",
        "/v0_init.mp4                                | INIT         | v0        | -1  | -1   | false",
        "/v0_41.m4s                                  | SEGMENT      | v0        | 41  | -1   | false",
        "/v0_41_4.m4s                                | PART         | v0        | 41  | 4    | false",
        "/v0_41_x.m4s                                | UNKNOWN      |           | -1  | -1   | false",
        "/v0_41_4_1.m4s                              | UNKNOWN      |           | -1  | -1   | false",
        "/v0.m4s                                     | UNKNOWN      |           | -1  | -1   | false",
        "/a/v0.m3u8                                  | UNKNOWN      |           | -1  | -1   | false",
        "v0.m3u8                                     | UNKNOWN      |           | -1  | -1   | false",
        "/                                           | UNKNOWN      |           | -1  | -1   | false",
    })
    void parsesTargets(String target, OriginRequest.Kind kind, String rendition, long msn, int part, boolean skip) {
        OriginRequest r = OriginRequest.parse(target, null);
        assertEquals(kind, r.kind());
        if (kind != OriginRequest.Kind.UNKNOWN && kind != OriginRequest.Kind.MULTIVARIANT) {
            assertEquals(rendition, r.rendition());
        }
        assertEquals(msn, r.msn());
        assertEquals(part, r.part());
        assertEquals(skip, r.skip());
    }

    @Test
    void readsAcceptEncodingAndToken() {
        OriginRequest r = OriginRequest.parse("/v0.m3u8?token=abc.def", "br, GZIP;q=0.5");
        assertTrue(r.acceptsGzip());
        assertEquals("abc.def", r.token());
        assertFalse(OriginRequest.parse("/v0.m3u8", "br").acceptsGzip());
    }

    @Test
    void neverThrowsOnGarbageTargets() {
        SplittableRandom rnd = new SplittableRandom(0x5EED_0006L);
        String alphabet = "/?&=_.0123456789v0amp4s3u8HLS_msnpartskipYESv2token%\u00e9 -";
        String[] seeds = {"/v0.m3u8?_HLS_msn=12&_HLS_part=3&_HLS_skip=YES", "/v0_41_4.m4s", "/v0_init.mp4", "/index.m3u8"};
        for (int i = 0; i < 100_000; i++) {
            StringBuilder b;
            if (rnd.nextBoolean()) {
                b = new StringBuilder(seeds[rnd.nextInt(seeds.length)]);
                int edits = 1 + rnd.nextInt(4);
                for (int e = 0; e < edits && b.length() > 0; e++) {
                    int at = rnd.nextInt(b.length());
                    switch (rnd.nextInt(3)) {
                        case 0 -> b.deleteCharAt(at);
                        case 1 -> b.insert(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                        default -> b.setCharAt(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                    }
                }
            } else {
                b = new StringBuilder();
                int n = rnd.nextInt(60);
                for (int k = 0; k < n; k++) {
                    b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
                }
            }
            OriginRequest r = OriginRequest.parse(b.toString(), null);
            assertNotNull(r.kind());
            if (r.kind() == OriginRequest.Kind.PART) {
                assertTrue(r.msn() >= 0 && r.part() >= 0);
            }
        }
    }
}
