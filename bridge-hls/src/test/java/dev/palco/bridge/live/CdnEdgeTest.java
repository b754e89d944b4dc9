package dev.palco.bridge.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.bridge.encode.LadderConfig;
import dev.palco.bridge.encode.VideoRung;
import dev.palco.bridge.origin.OriginRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The origin behind a CDN edge: nginx with {@code proxy_cache} and {@code proxy_cache_lock}
 * ({@link NginxEdge}) in front of a live stream, and 50 clients that reload the playlist the way
 * hls.js does in low-latency mode: each response names its last part, and the next request blocks
 * for the part after it ({@code _HLS_msn}, {@code _HLS_part}, {@code _HLS_skip=YES}), then fetches
 * the new part. The clients ask for the same URLs at about the same moments, which is what makes
 * request collapsing at the edge work (RFC 8216bis §6.2.5.2 and Appendix B of the LL-HLS server
 * guidance: each blocking URL names one playlist version).
 *
 * <p>It checks that every client gets the same bytes for the same URL, that each answer holds the
 * part asked for, and that the origin sees one request per playlist version and per part, not one
 * per client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CdnEdgeTest {

    private static final Path OUT = Path.of("target", "nginx-edge");
    private static final int CLIENTS = 50;
    private static final long RUN_MS = 6_000;
    private static final Pattern PART = Pattern.compile("#EXT-X-PART:[^\\n]*URI=\"(v0_(\\d+)_(\\d+)\\.m4s)\"");
    private static final Pattern SEGMENT = Pattern.compile("^v0_(\\d+)\\.m4s$", Pattern.MULTILINE);

    private LiveStage stage;
    private NginxEdge edge;
    private ExecutorService executor;
    private HttpClient http;

    @BeforeAll
    void start() throws Exception {
        stage = new LiveStage(new LadderConfig(List.of(new VideoRung("v0", 320, 180, 250_000, 320_000)), null, 30,
                1000, "ultrafast", 1));
        edge = NginxEdge.start(OUT, stage.port);
        executor = Executors.newFixedThreadPool(2);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    void stop() {
        if (edge != null) {
            edge.close();
        }
        if (stage != null) {
            stage.close();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** One answer a client got. */
    private record Answer(int client, String path, int status, byte[] body, long receivedNs, String cacheStatus) {
    }

    @Test
    void fiftyBlockingClientsThroughTheEdgeGetOneOriginRequestPerPlaylistVersion() throws Exception {
        Poll.until(() -> stage.stream.frames() >= 45, 10_000, () -> "1.5 s of stream");
        long originBlocking0 = stage.origin.blockingPlaylistRequests();
        long originParts0 = stage.origin.requests(OriginRequest.Kind.PART);
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        long stopAtNs = System.nanoTime() + RUN_MS * 1_000_000L;
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(new Viewer(c, answers, stopAtNs).run());
        }
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(RUN_MS + 20_000, TimeUnit.MILLISECONDS);
        long originBlocking = stage.origin.blockingPlaylistRequests() - originBlocking0;
        long originParts = stage.origin.requests(OriginRequest.Kind.PART) - originParts0;

        Map<String, List<Answer>> byPath = new HashMap<>();
        for (Answer a : answers) {
            assertEquals(200, a.status(), a.path() + " (" + a.cacheStatus() + ")");
            byPath.computeIfAbsent(a.path(), k -> new ArrayList<>()).add(a);
        }
        int blockingUrls = 0;
        int partUrls = 0;
        List<Double> followerDelayMs = new ArrayList<>();
        for (Map.Entry<String, List<Answer>> e : byPath.entrySet()) {
            List<Answer> same = e.getValue();
            if (e.getKey().equals("/v0.m3u8")) {
                // The plain playlist may change once its max-age (0.5 TD) is over: nothing to compare.
                continue;
            }
            // Consistent: a blocking URL names one playlist version, a part never changes, so every
            // client gets the same bytes (they all hold the one cached copy).
            for (Answer a : same) {
                assertArrayEquals(same.get(0).body(), a.body(), "client " + a.client() + " got other bytes for " + e.getKey());
            }
            if (e.getKey().contains("_HLS_msn=")) {
                blockingUrls++;
                String playlist = text(same.get(0).body());
                long[] asked = directives(e.getKey());
                long[] last = lastPart(playlist);
                assertTrue(last[0] > asked[0] || (last[0] == asked[0] && last[1] >= asked[1])
                        || segmentComplete(playlist, asked[0]),
                        e.getKey() + " answered without the part it asked for:\n" + playlist);
                long first = same.stream().mapToLong(Answer::receivedNs).min().orElseThrow();
                for (Answer a : same) {
                    followerDelayMs.add((a.receivedNs() - first) / 1e6);
                }
            } else if (e.getKey().matches("/v0_\\d+_\\d+\\.m4s")) {
                partUrls++;
            }
        }
        long perClient = answers.stream().filter(a -> a.path().contains("_HLS_msn=")).count() / CLIENTS;
        String report = String.format(Locale.ROOT,
                "edge: %d clients, %d s: %d blocking playlist URLs (%d answers, %d per client), %d part URLs; "
                        + "origin saw %d blocking playlist and %d part requests; delay behind the first client "
                        + "to get the same playlist (ms) %s",
                CLIENTS, RUN_MS / 1000, blockingUrls, answers.stream().filter(a -> a.path().contains("_HLS_msn=")).count(),
                perClient, partUrls, originBlocking, originParts, Percentiles.of(followerDelayMs));
        System.out.println(report);

        assertTrue(perClient >= RUN_MS / 1000 * 3, "clients fell behind the live edge: " + report);
        // One origin request per playlist version and per part, not one per client.
        assertEquals(blockingUrls, originBlocking, report);
        assertEquals(partUrls, originParts, report);
    }

    /** A client that reloads like hls.js in low-latency mode. */
    private final class Viewer {
        private final int id;
        private final ConcurrentLinkedQueue<Answer> answers;
        private final long stopAtNs;
        private String lastPartFetched = "";

        Viewer(int id, ConcurrentLinkedQueue<Answer> answers, long stopAtNs) {
            this.id = id;
            this.answers = answers;
            this.stopAtNs = stopAtNs;
        }

        CompletableFuture<Void> run() {
            return get("/v0.m3u8").thenCompose(this::next);
        }

        private CompletableFuture<Void> next(Answer playlist) {
            if (System.nanoTime() > stopAtNs || playlist.status() != 200) {
                return CompletableFuture.completedFuture(null);
            }
            String text = text(playlist.body());
            // The new parts, in order, then the blocking request for the part after the last.
            List<String> fresh = new ArrayList<>();
            Matcher m = PART.matcher(text);
            boolean after = lastPartFetched.isEmpty();
            String lastUri = null;
            while (m.find()) {
                String uri = m.group(1);
                if (after) {
                    fresh.add(uri);
                }
                after |= uri.equals(lastPartFetched);
                lastUri = uri;
            }
            if (lastUri == null) {
                return CompletableFuture.failedFuture(new AssertionError("no parts in\n" + text));
            }
            if (lastPartFetched.isEmpty()) {
                fresh = List.of(lastUri); // a player joining at the live edge starts with the newest part
            }
            long[] last = lastPart(text);
            long msn = last[0];
            long part = last[1] + 1;
            if (segmentComplete(text, msn)) {
                msn++;
                part = 0;
            }
            String reload = "/v0.m3u8?_HLS_msn=" + msn + "&_HLS_part=" + part + "&_HLS_skip=YES";
            lastPartFetched = lastUri;
            CompletableFuture<Void> parts = CompletableFuture.completedFuture(null);
            for (String uri : fresh) {
                parts = parts.thenCompose(x -> get("/" + uri).thenAccept(a -> { }));
            }
            return parts.thenCompose(x -> get(reload)).thenCompose(this::next);
        }

        private CompletableFuture<Answer> get(String path) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(edge.base() + path))
                    .header("Accept-Encoding", "gzip").timeout(Duration.ofSeconds(15)).build();
            return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
                byte[] body = r.body();
                if (r.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
                    body = gunzip(body);
                }
                Answer a = new Answer(id, path, r.statusCode(), body, System.nanoTime(),
                        r.headers().firstValue("X-Cache-Status").orElse("-"));
                answers.add(a);
                return a;
            });
        }
    }

    private static long[] lastPart(String playlist) {
        Matcher m = PART.matcher(playlist);
        long[] last = {-1, -1};
        while (m.find()) {
            last[0] = Long.parseLong(m.group(2));
            last[1] = Long.parseLong(m.group(3));
        }
        return last;
    }

    private static boolean segmentComplete(String playlist, long msn) {
        Matcher m = SEGMENT.matcher(playlist);
        while (m.find()) {
            if (Long.parseLong(m.group(1)) == msn) {
                return true;
            }
        }
        return false;
    }

    private static long[] directives(String path) {
        Matcher m = Pattern.compile("_HLS_msn=(\\d+)&_HLS_part=(\\d+)").matcher(path);
        assertTrue(m.find(), path);
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    private static byte[] gunzip(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
