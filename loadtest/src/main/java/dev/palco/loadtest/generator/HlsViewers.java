package dev.palco.loadtest.generator;

import dev.palco.sfu.stats.LatencyHistogram;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * LL-HLS viewers as hls.js plays a low-latency stream (RFC 8216bis §6.2.5.2): each asks for the
 * media playlist with a blocking reload for the next part ({@code _HLS_msn}, {@code _HLS_part}),
 * then fetches the newest part it names, and repeats. All viewers share one {@link HttpClient} and
 * its small executor: a viewer is a chain of asynchronous requests, not a thread.
 *
 * <p>Measured: playlist and part request latency, time behind live (the wall clock minus the
 * end of the newest part, from {@code EXT-X-PROGRAM-DATE-TIME} and the part durations), and stalls
 * (a blocking reload that brought no new part within three part targets).
 */
public final class HlsViewers implements AutoCloseable {
  private final String url;
  private final int viewers;
  private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "hls-viewers");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient http = HttpClient.newBuilder().executor(executor).connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1).build();
  private final LatencyHistogram playlistLatency = new LatencyHistogram();
  private final LatencyHistogram partLatency = new LatencyHistogram();
  private final LatencyHistogram behindLive = new LatencyHistogram();
  private final LongAdder playlists = new LongAdder();
  private final LongAdder parts = new LongAdder();
  private final LongAdder partBytes = new LongAdder();
  private final LongAdder stalls = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private volatile boolean running = true;

  /**
   * @param url a media playlist, or a multivariant one (its first variant is played)
   * @param viewers how many
   */
  public HlsViewers(String url, int viewers) {
    this.url = url;
    this.viewers = viewers;
  }

  /** Starts every viewer. */
  public void start() {
    for (int i = 0; i < viewers; i++) {
      new Viewer(URI.create(url)).reload(-1, -1);
    }
  }

  /** The measurements so far, for the JSON result. */
  public Map<String, Object> result() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("viewers", viewers);
    m.put("playlistRequests", playlists.sum());
    m.put("partRequests", parts.sum());
    m.put("partBytes", partBytes.sum());
    m.put("playlistLatencyMs", Map.of("p50", playlistLatency.percentileNanos(50) / 1e6,
        "p99", playlistLatency.percentileNanos(99) / 1e6));
    m.put("partLatencyMs", Map.of("p50", partLatency.percentileNanos(50) / 1e6,
        "p99", partLatency.percentileNanos(99) / 1e6));
    m.put("behindLiveMs", Map.of("p50", behindLive.percentileNanos(50) / 1e6,
        "p99", behindLive.percentileNanos(99) / 1e6));
    m.put("stalls", stalls.sum());
    m.put("errors", errors.sum());
    return m;
  }

  /** One viewer's request chain. */
  private final class Viewer {
    private URI playlist;
    private long lastNewPartNanos = System.nanoTime();

    Viewer(URI playlist) {
      this.playlist = playlist;
    }

    void reload(long msn, int part) {
      if (!running) {
        return;
      }
      URI u = msn < 0 ? playlist : URI.create(playlist + (playlist.getRawQuery() == null ? "?" : "&")
          + "_HLS_msn=" + msn + "&_HLS_part=" + part);
      long sent = System.nanoTime();
      http.sendAsync(HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
            if (e != null || r.statusCode() != 200) {
              errors.increment();
              CompletableFuture.delayedExecutor(500, java.util.concurrent.TimeUnit.MILLISECONDS, executor)
                  .execute(() -> reload(-1, -1));
              return;
            }
            playlistLatency.record(System.nanoTime() - sent);
            playlists.increment();
            onPlaylist(r.body());
          });
    }

    private void onPlaylist(String body) {
      if (body.contains("#EXT-X-STREAM-INF")) {
        String[] lines = body.split("\n");
        for (int i = 0; i < lines.length; i++) {
          if (lines[i].startsWith("#EXT-X-STREAM-INF") && i + 1 < lines.length) {
            playlist = playlist.resolve(lines[i + 1].trim());
            reload(-1, -1);
            return;
          }
        }
      }
      long mediaSequence = 0;
      long segments = 0;
      int partsInOpenSegment = 0;
      double partTargetS = 0.2;
      String lastPart = null;
      Instant segmentStart = null;
      double sinceSegmentStartS = 0;
      for (String raw : body.split("\n")) {
        String line = raw.trim();
        if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
          mediaSequence = Long.parseLong(line.substring(22));
        } else if (line.startsWith("#EXT-X-PART-INF:")) {
          partTargetS = Double.parseDouble(attribute(line, "PART-TARGET", "0.2"));
        } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
          segmentStart = Instant.parse(line.substring(25));
          sinceSegmentStartS = 0;
        } else if (line.startsWith("#EXT-X-PART:")) {
          lastPart = attribute(line, "URI", null);
          partsInOpenSegment++;
          sinceSegmentStartS += Double.parseDouble(attribute(line, "DURATION", "0"));
        } else if (line.startsWith("#EXTINF:")) {
          // The segment's parts end here; the next PROGRAM-DATE-TIME (or the sum) starts the next.
          if (segmentStart != null) {
            segmentStart = segmentStart.plusNanos((long) (Double.parseDouble(line.substring(8).split(",")[0]) * 1e9));
          }
          sinceSegmentStartS = 0;
        } else if (!line.isEmpty() && !line.startsWith("#")) {
          segments++;
          partsInOpenSegment = 0;
        }
      }
      long nowNanos = System.nanoTime();
      if (segmentStart != null) {
        long liveEdgeMs = segmentStart.toEpochMilli() + (long) (sinceSegmentStartS * 1000);
        behindLive.record(Math.max(0, System.currentTimeMillis() - liveEdgeMs) * 1_000_000L);
      }
      if (lastPart == null) {
        CompletableFuture.delayedExecutor((long) (partTargetS * 1000), java.util.concurrent.TimeUnit.MILLISECONDS,
            executor).execute(() -> reload(-1, -1));
        return;
      }
      if (nowNanos - lastNewPartNanos > partTargetS * 3e9) {
        stalls.increment();
      }
      lastNewPartNanos = nowNanos;
      long openMsn = mediaSequence + segments;
      fetchPart(playlist.resolve(lastPart), openMsn, partsInOpenSegment);
    }

    private void fetchPart(URI part, long openMsn, int nextPart) {
      long sent = System.nanoTime();
      http.sendAsync(HttpRequest.newBuilder(part).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, e) -> {
            if (e != null || r.statusCode() != 200) {
              errors.increment();
            } else {
              partLatency.record(System.nanoTime() - sent);
              parts.increment();
              partBytes.add(r.body().length);
            }
            reload(openMsn, nextPart);
          });
    }
  }

  private static String attribute(String line, String name, String fallback) {
    int i = line.indexOf(name + "=");
    if (i < 0) {
      return fallback;
    }
    int start = i + name.length() + 1;
    if (line.charAt(start) == '"') {
      return line.substring(start + 1, line.indexOf('"', start + 1));
    }
    int end = line.indexOf(',', start);
    return line.substring(start, end < 0 ? line.length() : end);
  }

  @Override
  public void close() {
    running = false;
    executor.shutdownNow();
  }
}
