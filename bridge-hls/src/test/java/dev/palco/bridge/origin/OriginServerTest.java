package dev.palco.bridge.origin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.bridge.playlist.PlaylistTiming;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The origin over real HTTP on 127.0.0.1, one test per RFC 8216bis server rule we rely on. Media
 * and time are driven by the test ({@link LiveFeed}, {@link FakeClock}); nothing sleeps.
 */
class OriginServerTest {

    private static final PlaylistTiming TIMING = PlaylistTiming.of(2, 200_000);
    private static final long WAIT_S = 10;

    private LiveFeed feed;
    private OriginServer server;
    private String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        startWith(OriginConfig.of(TIMING));
    }

    private void startWith(OriginConfig config) throws Exception {
        if (server != null) {
            server.close();
        }
        feed = new LiveFeed(config);
        server = new OriginServer(feed.origin, 2);
        InetSocketAddress a = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        base = "http://127.0.0.1:" + a.getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        return getAsync(path, headers).get(WAIT_S, TimeUnit.SECONDS);
    }

    private CompletableFuture<HttpResponse<byte[]>> getAsync(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static void await(BooleanSupplier condition, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000L);
        }
    }

    /** Waits until the origin has parked {@code n} requests on {@code r}: they are really held. */
    private static void awaitParked(Rendition r, int n) {
        // Generous: on a shared CI core, opening a thousand connections can take a while.
        await(() -> r.parkedRequests() >= n, () -> n + " parked requests, have " + r.parkedRequests());
    }

    // ---- plain playlists and headers ----

    @Test
    void playlistHeadersFollowTheCachingAndCorsRules() throws Exception {
        feed.seconds(3);
        HttpResponse<byte[]> r = get("/v0.m3u8");
        assertEquals(200, r.statusCode());
        assertEquals("application/vnd.apple.mpegurl", r.headers().firstValue("content-type").orElseThrow());
        // A plain reload may be cached for half a target duration.
        assertEquals("public, max-age=1", r.headers().firstValue("cache-control").orElseThrow());
        assertEquals("*", r.headers().firstValue("access-control-allow-origin").orElseThrow());
        assertTrue(r.headers().firstValue("access-control-expose-headers").orElseThrow().contains("Age"));
        assertTrue(text(r).contains("#EXT-X-PART-INF:PART-TARGET=0.20000"));
    }

    @Test
    void rfc8216bis_6_2_1_playlistsAreGzippedWhenTheClientAcceptsIt() throws Exception {
        feed.seconds(3);
        HttpResponse<byte[]> plain = get("/v0.m3u8");
        HttpResponse<byte[]> zipped = get("/v0.m3u8", "Accept-Encoding", "gzip");
        assertEquals("gzip", zipped.headers().firstValue("content-encoding").orElseThrow());
        assertEquals("Accept-Encoding", zipped.headers().firstValue("vary").orElseThrow());
        byte[] unzipped;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            unzipped = in.readAllBytes();
        }
        assertArrayEquals(plain.body(), unzipped);
    }

    @Test
    void headAnswersWithTheHeadersOnly() throws Exception {
        feed.seconds(2);
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v0_0.m4s"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals(0, r.body().length);
        assertEquals(get("/v0_0.m4s").body().length,
                Integer.parseInt(r.headers().firstValue("content-length").orElseThrow()));
        HttpResponse<byte[]> post = http.send(HttpRequest.newBuilder(URI.create(base + "/v0.m3u8"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(405, post.statusCode());
    }

    @Test
    void corsPreflightIsAnswered() throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v0.m3u8"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(204, r.statusCode());
        assertTrue(r.headers().firstValue("access-control-allow-methods").orElseThrow().contains("GET"));
    }

    @Test
    void multivariantPlaylistDescribesTheLadderAndTheAudioGroup() throws Exception {
        String m = text(get("/index.m3u8"));
        assertTrue(m.contains("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"aud\",NAME=\"Stage\",DEFAULT=YES,AUTOSELECT=YES,"
                + "CHANNELS=\"1\",URI=\"a0.m3u8\""), m);
        assertTrue(m.contains("#EXT-X-STREAM-INF:BANDWIDTH=340000,AVERAGE-BANDWIDTH=282000,"
                + "CODECS=\"avc1.42c00d,mp4a.40.2\",RESOLUTION=320x180,FRAME-RATE=30.000,AUDIO=\"aud\"\nv0.m3u8\n"), m);
    }

    @Test
    void rfc8216bis_6_2_4_everyMediaPlaylistCarriesTheSameServerControl() throws Exception {
        feed.seconds(2);
        String v = text(get("/v0.m3u8"));
        String a = text(get("/a0.m3u8"));
        String tag = "#EXT-X-SERVER-CONTROL:";
        String vTag = v.substring(v.indexOf(tag), v.indexOf('\n', v.indexOf(tag)));
        assertEquals(vTag, a.substring(a.indexOf(tag), a.indexOf('\n', a.indexOf(tag))));
        assertTrue(vTag.contains("CAN-BLOCK-RELOAD=YES"));
    }

    @Test
    void rfc8216bis_4_4_5_4_eachPlaylistReportsEveryOtherRendition() throws Exception {
        feed.seconds(2);
        String v = text(get("/v0.m3u8"));
        String a = text(get("/a0.m3u8"));
        var ae = feed.audio.edge();
        assertTrue(v.contains("#EXT-X-RENDITION-REPORT:URI=\"a0.m3u8\",LAST-MSN=" + ae.lastMsn() + ",LAST-PART="
                + ae.lastPart() + "\n"), v);
        assertFalse(v.contains("URI=\"v0.m3u8\",LAST-MSN"));
        assertTrue(a.contains("#EXT-X-RENDITION-REPORT:URI=\"v0.m3u8\",LAST-MSN="), a);
    }

    @Test
    void theStreamIsPlayableExactlyWhenEveryPlaylistListsAWholeSegment() throws Exception {
        assertFalse(feed.origin.playable(), "nothing published yet");
        for (int frames = 0; !feed.origin.playable(); frames++) {
            assertTrue(frames < 300, "never playable");
            assertFalse(text(get("/v0.m3u8")).contains("#EXTINF") && text(get("/a0.m3u8")).contains("#EXTINF"),
                    "both playlists list a segment, yet the stream is not playable");
            feed.frames(1);
        }
        assertTrue(text(get("/v0.m3u8")).contains("#EXTINF"));
        assertTrue(text(get("/a0.m3u8")).contains("#EXTINF"));
    }

    // ---- blocking playlist reload, §6.2.5.2 ----

    @Test
    void rfc8216bis_6_2_5_2_msnAndPartAreHeldUntilThatPartIsInThePlaylist() throws Exception {
        feed.seconds(2);
        var e = feed.video.edge();
        long msn = e.lastMsn();
        int next = e.lastPart() + 1;
        CompletableFuture<HttpResponse<byte[]>> held = getAsync("/v0.m3u8?_HLS_msn=" + msn + "&_HLS_part=" + next);
        awaitParked(feed.video, 1);
        assertFalse(held.isDone());
        feed.untilVideoPart(msn, next);
        HttpResponse<byte[]> r = held.get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        String uri = next < 5 ? "v0_" + msn + "_" + next + ".m4s" : "v0_" + (msn + 1) + "_0.m4s";
        assertTrue(text(r).contains("URI=\"" + uri + "\""), text(r));
        // A blocking response names one playlist version forever: a CDN may keep it for 6 x TD.
        assertEquals("public, max-age=12", r.headers().firstValue("cache-control").orElseThrow());
    }

    @Test
    void rfc8216bis_6_2_5_2_msnAloneIsHeldUntilThatSegmentIsComplete() throws Exception {
        feed.seconds(2);
        long inProgress = feed.video.edge().lastMsn();
        feed.untilVideoPart(inProgress, 1);
        CompletableFuture<HttpResponse<byte[]>> held = getAsync("/v0.m3u8?_HLS_msn=" + inProgress);
        awaitParked(feed.video, 1);
        // Parts 0..3 of five. The segmenter publishes part 4 together with the segment's end (both
        // on the next IDR), so part 3 is the last moment the segment is certainly still open.
        feed.untilVideoPart(inProgress, 3);
        assertEquals(1, feed.video.parkedRequests(), "parts exist but the segment is not complete yet");
        assertFalse(held.isDone());
        feed.untilVideoPart(inProgress + 1, 0);
        String p = text(held.get(WAIT_S, TimeUnit.SECONDS));
        assertTrue(p.contains("\nv0_" + inProgress + ".m4s\n"), p);
    }

    @Test
    void rfc8216bis_6_2_5_2_aPartIndexPastTheSegmentsLastMeansPartZeroOfTheNext() throws Exception {
        feed.seconds(2);
        long msn = feed.video.edge().lastMsn();
        feed.untilVideoPart(msn + 1, 0); // segment msn is complete, with parts 0..4
        feed.untilVideoPart(msn + 1, 0);
        // The playlist lists segment msn+1's part 0 already: (msn, 5) is answered at once...
        assertEquals(200, get("/v0.m3u8?_HLS_msn=" + msn + "&_HLS_part=5").statusCode());
        // ...and (msn+1, 5) waits for part 0 of msn+2, not for a sixth part of msn+1.
        CompletableFuture<HttpResponse<byte[]>> held = getAsync("/v0.m3u8?_HLS_msn=" + (msn + 1) + "&_HLS_part=7");
        awaitParked(feed.video, 1);
        feed.untilVideoPart(msn + 1, 4);
        assertEquals(1, feed.video.parkedRequests(), "segment msn+1 is complete, part 0 of msn+2 is not out");
        assertFalse(held.isDone());
        feed.untilVideoPart(msn + 2, 0);
        String p = text(held.get(WAIT_S, TimeUnit.SECONDS));
        assertTrue(p.contains("URI=\"v0_" + (msn + 2) + "_0.m4s\""), p);
    }

    @Test
    void rfc8216bis_6_2_5_2_badRequestForTooFarAheadOrPartWithoutMsn() throws Exception {
        feed.seconds(3);
        long lastComplete = feed.video.edge().lastMsn() - 1;
        assertEquals(400, get("/v0.m3u8?_HLS_msn=" + (lastComplete + 3)).statusCode(), "more than 2 segments ahead");
        assertEquals(400, get("/v0.m3u8?_HLS_part=1").statusCode(), "_HLS_part without _HLS_msn");
        assertEquals(400, get("/v0.m3u8?_HLS_msn=x").statusCode());
        assertEquals(400, get("/v0.m3u8?_HLS_msn=1&_HLS_part=-1").statusCode());
        var e = feed.video.edge();
        int limit = TIMING.advancePartLimit(); // 15 parts at 200 ms
        assertEquals(400, get("/v0.m3u8?_HLS_msn=" + e.lastMsn() + "&_HLS_part=" + (e.lastPart() + limit + 1))
                .statusCode(), "beyond the Advance Part Limit");
        assertEquals(0, feed.video.parkedRequests());
    }

    @Test
    void rfc8216bis_6_2_5_2_serviceUnavailableAfterThreeTargetDurations() throws Exception {
        feed.seconds(2);
        var e = feed.video.edge();
        CompletableFuture<HttpResponse<byte[]>> held =
                getAsync("/v0.m3u8?_HLS_msn=" + e.lastMsn() + "&_HLS_part=" + (e.lastPart() + 1));
        awaitParked(feed.video, 1);
        feed.clock.advanceMs(3 * 2000 - 1);
        feed.origin.tick();
        assertEquals(1, feed.video.parkedRequests(), "not yet: 3 x TD is not over");
        assertFalse(held.isDone());
        feed.clock.advanceMs(1);
        feed.origin.tick();
        HttpResponse<byte[]> r = held.get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(503, r.statusCode());
        assertEquals(0, feed.video.parkedRequests());
    }

    @Test
    void rfc8216bis_6_2_5_2_directivesAreIgnoredOnceTheStreamEnded() throws Exception {
        feed.seconds(2);
        feed.origin.end();
        HttpResponse<byte[]> r = get("/v0.m3u8?_HLS_msn=99&_HLS_part=3");
        assertEquals(200, r.statusCode());
        assertTrue(text(r).contains("\n#EXT-X-ENDLIST\n"));
        assertFalse(text(r).contains("#EXT-X-PRELOAD-HINT"));
    }

    @Test
    void endingTheStreamAnswersParkedRequests() throws Exception {
        feed.seconds(2);
        var e = feed.video.edge();
        CompletableFuture<HttpResponse<byte[]>> held =
                getAsync("/v0.m3u8?_HLS_msn=" + (e.lastMsn() + 1) + "&_HLS_part=0");
        awaitParked(feed.video, 1);
        feed.origin.end();
        assertTrue(text(held.get(WAIT_S, TimeUnit.SECONDS)).contains("#EXT-X-ENDLIST"));
    }

    @Test
    void aThousandHeldRequestsAreReleasedByOnePart() throws Exception {
        feed.seconds(2);
        var e = feed.video.edge();
        String path = "/v0.m3u8?_HLS_msn=" + e.lastMsn() + "&_HLS_part=" + (e.lastPart() + 1);
        List<CompletableFuture<HttpResponse<byte[]>>> held = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            held.add(getAsync(path));
        }
        awaitParked(feed.video, 1000);
        for (CompletableFuture<HttpResponse<byte[]>> f : held) {
            assertFalse(f.isDone());
        }
        feed.untilVideoPart(e.lastMsn(), e.lastPart() + 1);
        CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        byte[] first = held.get(0).get().body();
        for (CompletableFuture<HttpResponse<byte[]>> f : held) {
            assertEquals(200, f.get().statusCode());
            assertArrayEquals(first, f.get().body(), "every viewer gets the same playlist version");
        }
    }

    // ---- delta updates, §6.2.5.1 ----

    @Test
    void rfc8216bis_6_2_5_1_skipYesReturnsADeltaUpdate() throws Exception {
        feed.seconds(18); // 18 s of 1 s segments; the Skip Boundary is 12 s
        String full = text(get("/v0.m3u8"));
        String delta = text(get("/v0.m3u8?_HLS_skip=YES"));
        assertFalse(full.contains("#EXT-X-SKIP"));
        assertTrue(delta.contains("#EXT-X-SKIP:SKIPPED-SEGMENTS=5\n"), delta);
        assertTrue(delta.length() < full.length());
        String v2 = text(get("/v0.m3u8?_HLS_skip=v2"));
        assertTrue(v2.contains("#EXT-X-SKIP:SKIPPED-SEGMENTS=5\n"));
    }

    // ---- parts, segments, preload hints, §6.2.6 ----

    @Test
    void initSegmentsPartsAndSegmentsAreServedWithLongCaching() throws Exception {
        feed.seconds(2);
        HttpResponse<byte[]> init = get("/v0_init.mp4");
        assertEquals(200, init.statusCode());
        assertEquals("video/mp4", init.headers().firstValue("content-type").orElseThrow());
        assertEquals("public, max-age=31536000, immutable", init.headers().firstValue("cache-control").orElseThrow());
        assertEquals("audio/mp4", get("/a0_init.mp4").headers().firstValue("content-type").orElseThrow());
        HttpResponse<byte[]> seg = get("/v0_0.m4s");
        assertEquals(200, seg.statusCode());
        byte[] parts = new byte[0];
        for (int i = 0; i < 5; i++) {
            byte[] p = get("/v0_0_" + i + ".m4s").body();
            byte[] joined = new byte[parts.length + p.length];
            System.arraycopy(parts, 0, joined, 0, parts.length);
            System.arraycopy(p, 0, joined, parts.length, p.length);
            parts = joined;
        }
        assertArrayEquals(seg.body(), parts, "a segment is its parts back to back");
    }

    @Test
    void rfc8216bis_6_2_6_theHintedPartIsHeldAndSentWholeOnceComplete() throws Exception {
        feed.seconds(2);
        String playlist = text(get("/v0.m3u8"));
        String hint = playlist.substring(playlist.indexOf("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"") + 35);
        hint = hint.substring(0, hint.indexOf('"'));
        CompletableFuture<HttpResponse<byte[]>> held = getAsync("/" + hint);
        awaitParked(feed.video, 1);
        assertFalse(held.isDone());
        feed.frames(8);
        HttpResponse<byte[]> r = held.get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertArrayEquals(get("/" + hint).body(), r.body());
    }

    @Test
    void theSegmentInProgressStreamsPartByPartWithChunkedTransfer() throws Exception {
        feed.seconds(2);
        long msn = feed.video.edge().lastMsn() + 1;
        feed.untilVideoPart(msn, 0);
        CompletableFuture<HttpResponse<byte[]>> streaming = getAsync("/v0_" + msn + ".m4s");
        awaitParked(feed.video, 1);
        feed.untilVideoPart(msn + 1, 0);
        HttpResponse<byte[]> r = streaming.get(WAIT_S, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertEquals("chunked", r.headers().firstValue("transfer-encoding").orElseThrow());
        assertArrayEquals(get("/v0_" + msn + ".m4s").body(), r.body());
    }

    @Test
    void rfc8216bis_6_2_6_unknownNamesAreNotFound() throws Exception {
        feed.seconds(2);
        for (String path : new String[] {"/nope.m3u8", "/v0_999.m4s", "/v0_0_99.m4s", "/v9_init.mp4", "/x/v0.m3u8",
                "/v0_a_1.m4s", "/favicon.ico"}) {
            HttpResponse<byte[]> r = get(path);
            assertEquals(404, r.statusCode(), path);
        }
    }

    @Test
    void rfc8216bis_6_2_2_segmentsStayDownloadableAfterLeavingThePlaylistThenExpire() throws Exception {
        feed.seconds(25); // a 20 s window: the first segments have left the playlist
        assertTrue(feed.video.firstPlaylistMsn() > 0);
        assertFalse(text(get("/v0.m3u8")).contains("\nv0_0.m4s\n"));
        assertEquals(200, get("/v0_0.m4s").statusCode());
        assertEquals(200, get("/v0_0_2.m4s").statusCode());
        feed.clock.advanceMs(3 * 2000);
        feed.origin.tick();
        assertEquals(404, get("/v0_0.m4s").statusCode());
        assertEquals(404, get("/v0_0_2.m4s").statusCode());
    }

    // ---- HTTP/2 and signed URLs ----

    @Test
    void h2cUpgradeServesBlockingRequestsAsStreamsOfOneConnection() throws Exception {
        feed.seconds(2);
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> first = h2.send(HttpRequest.newBuilder(URI.create(base + "/v0.m3u8")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, first.version());
        var e = feed.video.edge();
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            held.add(h2.sendAsync(HttpRequest.newBuilder(URI.create(base + "/v0.m3u8?_HLS_msn=" + e.lastMsn()
                    + "&_HLS_part=" + (e.lastPart() + 1))).build(), HttpResponse.BodyHandlers.ofString()));
        }
        awaitParked(feed.video, 50);
        feed.untilVideoPart(e.lastMsn(), e.lastPart() + 1);
        for (CompletableFuture<HttpResponse<String>> f : held) {
            HttpResponse<String> r = f.get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, r.version());
        }
    }

    /**
     * With a certificate the origin speaks TLS, and ALPN (RFC 7301) picks h2 for a client that
     * offers it (RFC 9113 §3.2) and HTTP/1.1 for one that does not; blocking reloads work on both.
     */
    @Test
    void overTlsAlpnChoosesH2OrHttp11AndBlockingReloadsWorkOnBoth() throws Exception {
        server.close();
        TestTls tls = new TestTls();
        server = new OriginServer(feed.origin, 2, tls.keys.getPrivate(), List.of(tls.certificate));
        InetSocketAddress a = server.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        String https = "https://127.0.0.1:" + a.getPort();
        feed.seconds(2);
        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1)) {
            HttpClient client = HttpClient.newBuilder().version(version).sslContext(tls.clientContext()).build();
            HttpResponse<String> plain = client.send(HttpRequest.newBuilder(URI.create(https + "/v0.m3u8")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, plain.statusCode());
            assertEquals(version, plain.version(), "ALPN's choice");
            var e = feed.video.edge();
            CompletableFuture<HttpResponse<String>> held = client.sendAsync(HttpRequest.newBuilder(URI.create(https
                    + "/v0.m3u8?_HLS_msn=" + e.lastMsn() + "&_HLS_part=" + (e.lastPart() + 1))).build(),
                    HttpResponse.BodyHandlers.ofString());
            awaitParked(feed.video, 1);
            feed.untilVideoPart(e.lastMsn(), e.lastPart() + 1);
            HttpResponse<String> r = held.get(WAIT_S, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("#EXT-X-PART:"), r.body());
        }
        HttpClient cleartext = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertThrows(java.io.IOException.class, () -> cleartext.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + a.getPort() + "/v0.m3u8")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()), "no cleartext on a TLS origin");
    }

    @Test
    void signedViewerUrlsWhenEnabled() throws Exception {
        byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        startWith(new OriginConfig(TIMING, 10, 3, key));
        feed.seconds(2);
        long nowS = feed.clock.millis() / 1000;
        assertEquals(403, get("/v0.m3u8").statusCode());
        assertEquals(403, get("/v0.m3u8?token=" + ViewerTokens.issue(key, nowS - 1)).statusCode(), "expired");
        assertEquals(403, get("/v0.m3u8?token=" + ViewerTokens.issue(new byte[32], nowS + 60)).statusCode());
        String token = ViewerTokens.issue(key, nowS + 60);
        assertEquals(200, get("/v0.m3u8?token=" + token).statusCode());
        assertEquals(200, get("/v0_init.mp4?token=" + token).statusCode());
    }

    @Test
    void viewerTokensAreOffByDefault() throws Exception {
        assertEquals(200, get("/index.m3u8").statusCode());
    }
}
