package dev.palco.bridge.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.bridge.encode.LadderConfig;
import dev.palco.bridge.testpattern.TestPattern;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole live path against a real player: the test pattern in real time through the
 * {@link dev.palco.bridge.encode.LadderEncoder} (640x360 and 320x180 H.264, stereo AAC) onto the
 * origin, played by hls.js 1.7.4 (from npm, see bridge-hls/pom.xml) with {@code lowLatencyMode}
 * in headless Chromium. The player page comes from another port, so every request is
 * cross-origin.
 *
 * <p>It measures, once per sixth presented frame: hls.js's {@code latency} estimate, the
 * PDT-based delay ({@code Date.now() - hls.playingDate}; the origin's PROGRAM-DATE-TIME is the
 * capture time of each segment's first frame, so this is glass to glass), and the delay read from
 * the frame counter burnt into the picture (independent of playlists and of hls.js). The numbers
 * are printed; the benchmark in docs/benchmarks.md runs this test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LowLatencyPlaybackTest {

    private static final Path OUT = Path.of("target", "hls-e2e");
    /** Playback time the test watches for stalls; the stream runs about 30 s in all. */
    private static final long WATCH_MS = Long.getLong("palco.hls.watchMs", 20_000);
    private static final long SWITCH_AFTER_MS = WATCH_MS * 2 / 5;
    /** hls.js maxLiveSyncPlaybackRate: 1 (its default) never speeds up to reach the target latency. */
    private static final String MAX_RATE = System.getProperty("palco.hls.maxLiveSyncPlaybackRate", "1");

    private LiveStage stage;
    private PageServer pages;
    private HeadlessChromium chrome;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        Files.createDirectories(OUT);
        stage = new LiveStage(LadderConfig.standard());
        pages = new PageServer(Map.of(
                "/player.html", PageServer.Page.resource("player.html", "text/html; charset=utf-8"),
                "/hls.min.js", PageServer.Page.resource("/hlsjs/hls.min.js", "text/javascript"),
                "/counter.js", new PageServer.Page(TestPattern.COUNTER_READER_JS.getBytes(StandardCharsets.UTF_8),
                        "text/javascript")));
        chrome = HeadlessChromium.launch(OUT, "hlsjs");
    }

    @AfterAll
    void stop() {
        if (chrome != null) {
            try {
                // hls.js's last log lines (warnings included), for when a run went wrong.
                write("hlsjs.log", String.valueOf(chrome.js(
                        "return window.palcoHls ? window.palcoHls.log.join('\\n') : 'no player'")));
            } finally {
                chrome.close();
            }
        }
        if (pages != null) {
            pages.close();
        }
        if (stage != null) {
            stage.close();
        }
    }

    @Test
    @Order(1)
    void hlsJsPlaysAtLowLatencySwitchesRenditionsAndNeverStalls() {
        // A viewer joining a running stream: each media playlist lists a whole segment first. At
        // the very first part a playlist lists nothing, which hls.js reports (levelEmptyError)
        // before it retries; that start is not what this test measures.
        for (String rendition : new String[] {"v0", "v1", "a0"}) {
            Poll.until(() -> playlistHasSegment(rendition), 20_000,
                    () -> "a whole segment in " + rendition + ".m3u8");
        }
        String src = URLEncoder.encode(stage.base() + "/index.m3u8", StandardCharsets.UTF_8);
        chrome.open(pages.base() + "/player.html?src=" + src + "&fps=30&epochMs=" + stage.epochMs()
                + "&maxRate=" + MAX_RATE);
        Poll.until(() -> number("return window.palcoHls.playingAt") > 0, 20_000,
                () -> "playback to start; player state " + state());
        long playingAt = (long) number("return window.palcoHls.playingAt");
        double startTime = number("return document.getElementById('video').currentTime");

        // Watch for a while, then move to the other rendition and keep watching.
        watchUntil(playingAt + SWITCH_AFTER_MS);
        int from = (int) number("return window.palcoHls.hls.currentLevel");
        int to = from == 0 ? 1 : 0;
        int toHeight = (int) number("return window.palcoHls.hls.levels[" + to + "].height");
        int switchedFrom = (int) number("return window.palcoHls.fragChanged.length");
        chrome.js("window.palcoHls.hls.nextLevel = " + to);
        Poll.until(() -> number("return window.palcoHls.fragChanged.slice(" + switchedFrom + ").filter(f => f.level === "
                + to + ").length") > 0 && number("return document.getElementById('video').videoHeight") == toHeight,
                10_000, () -> "playback of level " + to + "; " + state());
        watchUntil(playingAt + WATCH_MS);

        double played = number("return document.getElementById('video').currentTime") - startTime;
        String errors = (String) chrome.js("return JSON.stringify(window.palcoHls.errors)");
        String loaded = (String) chrome.js("return JSON.stringify({parts: window.palcoHls.partsLoaded, "
                + "frags: window.palcoHls.fragsLoaded, switches: window.palcoHls.levelSwitches})");
        List<Double> latency = samples("latency");
        List<Double> pdt = samples("pdt");
        List<Double> counter = samples("counter");
        String report = String.format(java.util.Locale.ROOT,
                "hls.js %s (maxLiveSyncPlaybackRate %s, target latency %s s): played %.1f s in %d ms; level %d -> %d;%n"
                        + "  loaded %s%n"
                        + "  hls.latency (ms)      %s%n  PDT latency (ms)      %s%n  counter latency (ms)  %s%n  %s",
                chrome.js("return window.palcoHls.hlsVersion"), MAX_RATE, chrome.js("return window.palcoHls.targetLatency"),
                played, WATCH_MS, from, to, loaded,
                Percentiles.of(latency), Percentiles.of(pdt), Percentiles.of(counter), source());
        System.out.println(report);
        write("playback.txt", report + System.lineSeparator() + state());
        // Every sample, for aggregating runs: wall clock ms, hls.latency, PDT and counter latency (ms).
        write("samples-" + System.currentTimeMillis() + ".csv", String.valueOf(chrome.js(
                "return 'wallMs,hlsLatencyMs,pdtLatencyMs,counterLatencyMs\\n' + window.palcoHls.samples.map(s =>"
                        + " [s.wall, s.latency, s.pdt, s.counter].join(',')).join('\\n')")));

        assertEquals("[]", errors, "hls.js errors");
        assertEquals(0, number("return window.palcoHls.waitingAfterPlaying"), "stalls after playback began: " + state());
        // The playhead moved with the wall clock: a frozen picture would show here even without a
        // waiting event. Not to the frame: on an overloaded machine Chromium's decoder falls behind.
        assertTrue(played > WATCH_MS / 1000.0 * 0.7, "played only " + played + " s");
        assertTrue(number("return window.palcoHls.partsLoaded['main:" + to + "'] || 0") > 0,
                "no part of level " + to + " loaded: " + loaded);
        assertTrue(number("return window.palcoHls.levelSwitches.filter(s => s.level === " + to + ").length") > 0, loaded);
        // Sanity bounds only; the figures themselves are the benchmark.
        Percentiles p = Percentiles.of(pdt);
        assertTrue(p.count() > 20 && p.p50() > 0 && p.p50() < 4_000, "PDT latency " + p);
        // PROGRAM-DATE-TIME is the capture time: the PDT figure matches what the pixels say.
        Percentiles c = Percentiles.of(counter);
        assertTrue(c.count() > 20, "frame counter unreadable: " + c);
        assertTrue(Math.abs(c.p50() - p.p50()) < 250, "PDT " + p + " vs counter " + c);
    }

    @Test
    @Order(2)
    void ffprobeReadsTheInitSegmentAndPartsOfEachLiveRendition() throws Exception {
        Poll.until(() -> stage.stream.frames() >= 90, 10_000, () -> "three seconds of stream");
        String v0 = LadderProbe.ffprobe(liveParts("v0"), "stream=codec_name,profile,width,height,has_b_frames,nb_read_frames");
        assertTrue(v0.contains("codec_name=h264") && v0.contains("width=640") && v0.contains("height=360"), v0);
        assertTrue(v0.contains("has_b_frames=0"), v0);
        String v1 = LadderProbe.ffprobe(liveParts("v1"), "stream=codec_name,width,height,nb_read_frames");
        assertTrue(v1.contains("codec_name=h264") && v1.contains("width=320") && v1.contains("height=180"), v1);
        String a0 = LadderProbe.ffprobe(liveParts("a0"), "stream=codec_name,profile,sample_rate,channels,nb_read_frames");
        assertTrue(a0.contains("codec_name=aac") && a0.contains("profile=LC") && a0.contains("sample_rate=48000"), a0);
        assertTrue(a0.contains("channels=2"), a0);
    }

    /**
     * The init segment followed by every part the live playlist lists (EXT-X-PART tags cover the
     * last few segments, starting with an independent part), in one file.
     */
    private Path liveParts(String rendition) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(get("/" + rendition + "_init.mp4"));
        String playlist = new String(get("/" + rendition + ".m3u8"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("#EXT-X-PART:.*URI=\"([^\"]+)\"(,INDEPENDENT=YES)?").matcher(playlist);
        int parts = 0;
        while (m.find()) {
            if (parts == 0 && m.group(2) == null) {
                continue; // start decoding on an IDR
            }
            all.write(get("/" + m.group(1)));
            parts++;
        }
        assertTrue(parts >= 5, "too few parts in " + playlist);
        Path file = OUT.resolve(rendition + "-live.mp4");
        Files.write(file, all.toByteArray());
        return file;
    }

    private boolean playlistHasSegment(String rendition) {
        try {
            return new String(get("/" + rendition + ".m3u8"), StandardCharsets.UTF_8).contains("#EXTINF:");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] get(String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(stage.base() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), path);
        return r.body();
    }

    /** Waits until {@code untilMs} (wall clock), failing early on an hls.js error or a stall. */
    private void watchUntil(long untilMs) {
        Poll.until(() -> {
            boolean trouble = number("return window.palcoHls.errors.length + window.palcoHls.waitingAfterPlaying") > 0;
            assertFalse(trouble, () -> "player trouble: " + state());
            return System.currentTimeMillis() >= untilMs;
        }, WATCH_MS + 30_000, () -> "the watch period");
    }

    private List<Double> samples(String field) {
        @SuppressWarnings("unchecked")
        List<Object> raw = (List<Object>) chrome.js("return window.palcoHls.samples.map(s => s." + field
                + ").filter(v => typeof v === 'number' && v >= 0)");
        List<Double> out = new ArrayList<>(raw.size());
        for (Object o : raw) {
            out.add(((Number) o).doubleValue());
        }
        return out;
    }

    private double number(String script) {
        Object v = chrome.js(script);
        return v == null ? 0 : ((Number) v).doubleValue();
    }

    /** How late the test pattern's thread ran, and what the encoder did about it. */
    private String source() {
        return String.format(java.util.Locale.ROOT, "source: %d frames, latest %.0f ms late, %d slots repeated, %d gaps",
                stage.stream.frames(), stage.stream.maxLatenessNs() / 1e6, stage.encoder.repeatedFrames(),
                stage.encoder.timelineGaps());
    }

    private String state() {
        Object s = chrome.js("const t = window.palcoHls; if (!t) return 'no player'; const v = document.getElementById('video');"
                + "return JSON.stringify({currentTime: v.currentTime, readyState: v.readyState, paused: v.paused,"
                + " height: v.videoHeight, level: t.hls.currentLevel, errors: t.errors, waiting: t.waitingEvents,"
                + " switches: t.levelSwitches, parts: t.partsLoaded, frags: t.fragsLoaded,"
                + " lastSamples: t.samples.slice(-3)})");
        return s + "; " + source();
    }

    private static void write(String name, String text) {
        try {
            Files.writeString(OUT.resolve(name), text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
