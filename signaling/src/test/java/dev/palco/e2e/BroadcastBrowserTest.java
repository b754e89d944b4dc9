package dev.palco.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.bridge.compose.LayoutPlanner;
import dev.palco.bridge.compose.Rect;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The broadcast end to end: two presenters in Chromium (cameras with burnt-in counters from
 * different ranges, microphones with different tones) go live; a third Chromium plays the
 * audience link with hls.js and reads both presenters' counters off the composite, hears both
 * tones, and plays without stalling; a presenter leaving and coming back changes the layout while
 * the playlists keep advancing and every segment decodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BroadcastBrowserTest {
  private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(20);
  private static final Duration PLAY_DEADLINE = Duration.ofSeconds(30);
  /** From joining behind the live edge to the target latency, catching up at up to 1.15x. */
  private static final Duration SETTLE_DEADLINE = Duration.ofSeconds(30);
  /** Ada's camera counts from here, the moderator's from 0: a number says whose tile it is. */
  private static final int ADA_FIRST_NUMBER = 4096;
  private static final int MODERATOR_HZ = 440;
  private static final int ADA_HZ = 880;
  /** The composite of the test server's two-rung ladder (StageServer). */
  private static final int CANVAS_WIDTH = 640;
  private static final int CANVAS_HEIGHT = 360;

  private StageServer server;
  private StageBrowser moderator;
  private StageBrowser ada;
  private StageBrowser viewer;

  @BeforeAll
  void start() throws Exception {
    server = StageServer.start(null, null);
    moderator = StageBrowser.launch("bc-moderator", CounterClip.get(StageBrowser.OUT, 0),
        ToneClip.get(StageBrowser.OUT, MODERATOR_HZ));
    ada = StageBrowser.launch("bc-ada", CounterClip.get(StageBrowser.OUT, ADA_FIRST_NUMBER),
        ToneClip.get(StageBrowser.OUT, ADA_HZ));
    viewer = StageBrowser.launch("bc-viewer");
  }

  @BeforeEach
  void blankPages() {
    for (StageBrowser b : List.of(moderator, ada, viewer)) {
      b.open("about:blank");
    }
  }

  @AfterAll
  void stop() {
    for (StageBrowser b : new StageBrowser[] {moderator, ada, viewer}) {
      if (b != null) {
        b.close();
      }
    }
    if (server != null) {
      server.close();
    }
  }

  /** Both presenters on stage, media flowing both ways, and the moderator's Go live clicked. */
  private record OnAir(StageServer.Room room, String moderatorId, String adaId) {}

  private OnAir goLive(String name) throws IOException, InterruptedException {
    StageServer.Room room = server.createRoom(name);
    moderator.joinByLink(room.moderatorLink(), "Mia Moderator");
    ada.joinByLink(room.presenterLink(), "Ada Lovelace");
    String moderatorId = moderator.participantId();
    String adaId = ada.participantId();
    MediaChecks.awaitFlowing(server, moderator, List.of(adaId), MEDIA_DEADLINE);
    MediaChecks.awaitFlowing(server, ada, List.of(moderatorId), MEDIA_DEADLINE);
    moderator.click("broadcast-button");
    for (StageBrowser b : List.of(moderator, ada)) {
      b.waitFor(d -> Boolean.TRUE.equals(b.js("return window.palco.broadcast && window.palco.broadcast.live"))
          ? true : null, MEDIA_DEADLINE, "the page to say the room is on air");
    }
    assertTrue(ada.byTestId("on-air").isDisplayed(), "the On air badge shows on a presenter's page");
    return new OnAir(room, moderatorId, adaId);
  }

  private void watch(StageServer.Room room) {
    viewer.open(room.audienceLink());
    viewer.waitFor(d -> "playing".equals(viewer.js("return window.palco && window.palco.audience"
        + " && window.palco.audience.player")) ? true : null, PLAY_DEADLINE, "the audience player to play");
  }

  /**
   * Starts logging, on the audience page, each presented frame's counters in both grid cells
   * (whichever presenter is in each; the number tells whose), stalls, playback progress, and the
   * strength of both tones in the sound.
   */
  private void startAudienceLogs() {
    List<LayoutPlanner.Tile> cells = LayoutPlanner.grid(List.of("a", "b"), null, CANVAS_WIDTH, CANVAS_HEIGHT);
    List<List<Integer>> rects = new ArrayList<>();
    for (LayoutPlanner.Tile t : cells) {
      Rect p = t.cell().fit(CounterClip.WIDTH, CounterClip.HEIGHT);
      rects.add(List.of(p.x(), p.y(), p.width(), p.height()));
    }
    viewer.js(CounterClip.REGION_DECODER_JS + """
        const rects = arguments[0], canvasWidth = arguments[1], hz = arguments[2];
        const video = document.querySelector('[data-testid=player-video]');
        const log = window.palcoAudienceLog = { frames: [], unreadable: 0, waiting: 0, startTime: video.currentTime,
          startedAt: performance.now(), tones: [], widths: {}, stalls: [] };
        // Each stall with what the player had: when, the media buffered ahead of the playhead and
        // the buffered ranges (a hole in the stream shows as a second range).
        video.addEventListener('waiting', () => {
          log.waiting++;
          const b = video.buffered, ranges = [];
          for (let i = 0; i < b.length; i++) ranges.push([+b.start(i).toFixed(3), +b.end(i).toFixed(3)]);
          log.stalls.push({ at: +((performance.now() - log.startedAt) / 1000).toFixed(3),
            currentTime: +video.currentTime.toFixed(3), ranges, width: video.videoWidth });
        });
        const onFrame = (now, meta) => {
          const k = video.videoWidth / canvasWidth;
          log.widths[video.videoWidth] = (log.widths[video.videoWidth] || 0) + 1;
          const at = performance.timeOrigin + meta.expectedDisplayTime;
          for (const r of rects) {
            const n = window.palcoReadCounterIn(video, r[0] * k, r[1] * k, r[2] * k, r[3] * k);
            if (n < 0) log.unreadable++; else log.frames.push([n, at]);
          }
          video.requestVideoFrameCallback(onFrame);
        };
        video.requestVideoFrameCallback(onFrame);
        const ctx = new AudioContext();
        const source = ctx.createMediaStreamSource(video.captureStream());
        const analyser = ctx.createAnalyser();
        analyser.fftSize = 8192;
        source.connect(analyser);
        const bins = new Float32Array(analyser.frequencyBinCount);
        const db = (f) => {
          const i = Math.round(f / (ctx.sampleRate / analyser.fftSize));
          const v = Math.max(bins[i - 1], bins[i], bins[i + 1]);
          return Number.isFinite(v) ? Math.max(-200, v) : -200; // silence reads as -Infinity
        };
        log.latency = [];
        setInterval(() => {
          const l = window.palco.audience.playerLatency;
          if (l) log.latency.push([l.latency, l.target === null ? -1 : l.target]);
          analyser.getFloatFrequencyData(bins);
          // Between the tones, away from both and their leakage: the floor to compare against.
          log.tones.push([db(hz[0]), db(hz[1]), db(660)]);
        }, 500);
        """, rects, CANVAS_WIDTH, List.of(MODERATOR_HZ, ADA_HZ));
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> audienceLog() {
    return (Map<String, Object>) viewer.js("const l = window.palcoAudienceLog;"
        + " return { frames: l.frames, unreadable: l.unreadable, waiting: l.waiting, stalls: JSON.stringify(l.stalls), tones: l.tones, latency: l.latency, widths: l.widths,"
        + " played: document.querySelector('[data-testid=player-video]').currentTime - l.startTime,"
        + " elapsed: (performance.now() - l.startedAt) / 1000 };");
  }

  private static List<double[]> frames(Map<String, Object> log, boolean ada) {
    List<double[]> out = new ArrayList<>();
    for (Object o : (List<?>) log.get("frames")) {
      List<?> pair = (List<?>) o;
      double n = ((Number) pair.get(0)).doubleValue();
      if ((n >= ADA_FIRST_NUMBER) == ada) {
        out.add(new double[] {n, ((Number) pair.get(1)).doubleValue()});
      }
    }
    return out;
  }

  /** Whether hls.js plays within a third of a second of its target latency. */
  private boolean settled() {
    Object r = viewer.js("const l = window.palco.audience.playerLatency;"
        + " return l !== null && l.target !== null && l.latency <= l.target + 0.35;");
    return Boolean.TRUE.equals(r);
  }

  /** Waits {@code duration} by polling the page, as the browsers play. */
  private void play(Duration duration) {
    long until = System.nanoTime() + duration.toNanos();
    viewer.waitFor(d -> System.nanoTime() > until ? true : null, duration.plusSeconds(10), "the stream to play on");
  }

  @Test
  void twoPresentersGoLiveAndTheAudienceSeesAndHearsBothWithinTwoSecondsWithoutStalls() throws Exception {
    OnAir onAir = goLive("On air");
    watch(onAir.room());
    String moderatorToken = token(onAir.room().moderatorLink());
    String statusUrl = server.base() + "/api/rooms/" + onAir.room().id() + "/broadcast";
    // The measurement starts once the composite shows both presenters.
    try {
      viewer.waitFor(d -> showsBoth() ? true : null, MEDIA_DEADLINE, "both presenters in the composite");
    } catch (RuntimeException e) {
      System.out.println("broadcast: the bridge's status " + fetch(statusUrl, moderatorToken));
      viewer.screenshot("broadcast-audience-incomplete");
      throw e;
    }
    // hls.js joins behind the live edge and plays faster until it reaches its target latency;
    // the 30 s measured are the show as it then goes on.
    viewer.waitFor(d -> settled() ? true : null, SETTLE_DEADLINE, "the player to reach its target latency");
    startAudienceLogs();
    moderator.startFrameLog(onAir.moderatorId(), true);
    ada.startFrameLog(onAir.adaId(), true);
    play(Duration.ofSeconds(30));

    Map<String, Object> log = audienceLog();
    List<double[]> fromModerator = frames(log, false);
    List<double[]> fromAda = frames(log, true);
    double[] moderatorDelays = GlassToGlass.delaysMs(moderator.frameLog(onAir.moderatorId()).frames(), fromModerator);
    double[] adaDelays = GlassToGlass.delaysMs(ada.frameLog(onAir.adaId()).frames(), fromAda);
    double played = ((Number) log.get("played")).doubleValue();
    double elapsed = ((Number) log.get("elapsed")).doubleValue();
    long waiting = ((Number) log.get("waiting")).longValue();
    List<double[]> tones = new ArrayList<>();
    for (Object o : (List<?>) log.get("tones")) {
      List<?> t = (List<?>) o;
      tones.add(new double[] {((Number) t.get(0)).doubleValue(), ((Number) t.get(1)).doubleValue(),
          ((Number) t.get(2)).doubleValue()});
    }
    double[] medianDb = medianColumns(tones);
    System.out.printf("broadcast: audience played %.1f s of media in %.1f s, %d stalls; counters read: moderator %d,"
            + " Ada %d, unreadable %s; glass to glass (camera -> audience screen) moderator %s, Ada %s;"
            + " median tone level %.0f dB at %d Hz, %.0f dB at %d Hz, %.0f dB floor at 660 Hz%n",
        played, elapsed, waiting, fromModerator.size(), fromAda.size(), log.get("unreadable"),
        GlassToGlass.summary(moderatorDelays), GlassToGlass.summary(adaDelays), medianDb[0], MODERATOR_HZ,
        medianDb[1], ADA_HZ, medianDb[2]);
    System.out.println("broadcast: stalls " + log.get("stalls"));
    System.out.println("broadcast: hls.js latency and target (s), every 0.5 s: " + log.get("latency")
        + "; frames shown by picture width: " + log.get("widths"));
    viewer.screenshot("broadcast-audience");

    String bridge = fetch(statusUrl, moderatorToken);
    System.out.println("broadcast: the bridge's status " + bridge);
    assertTrue(fromModerator.size() >= 200 && fromAda.size() >= 200,
        "both presenters' tiles read back off the composite: " + fromModerator.size() + ", " + fromAda.size()
            + "; " + bridge);
    assertEquals(0, waiting, "no stall while playing");
    assertTrue(played >= elapsed - 1.5, "playback kept up: " + played + " s of media in " + elapsed + " s");
    assertTrue(GlassToGlass.percentile(moderatorDelays, 50) <= 2_000, GlassToGlass.summary(moderatorDelays));
    assertTrue(GlassToGlass.percentile(adaDelays, 50) <= 2_000, GlassToGlass.summary(adaDelays));
    assertTrue(medianDb[0] > medianDb[2] + 20 && medianDb[1] > medianDb[2] + 20,
        "both tones heard above the floor: " + medianDb[0] + ", " + medianDb[1] + " vs " + medianDb[2]);
    // The pages publish Opus in RED (RFC 2198); the bridge decodes Opus, so the SFU hands it each
    // packet's primary block alone. The tones above were decoded from those.
    int bridgeAudio = 0;
    for (dev.palco.sfu.room.Room r : server.media.sfu().rooms()) {
      if (!r.id().equals(onAir.room().id())) {
        continue;
      }
      for (dev.palco.sfu.room.Participant p : r.participants()) {
        if (!(p.transport() instanceof dev.palco.sfu.room.LocalMediaTransport)) {
          continue;
        }
        for (dev.palco.sfu.room.TrackSubscription sub : p.subscriptions()) {
          if (sub.kind() == dev.palco.sfu.room.TrackKind.AUDIO) {
            bridgeAudio++;
            assertTrue(sub.redUnwrapped() > 0 && sub.redPassedThrough() == 0, sub + ": " + sub.redUnwrapped()
                + " RED packets unwrapped, " + sub.redPassedThrough() + " passed through");
          }
        }
      }
    }
    assertEquals(2, bridgeAudio, "the bridge hears both presenters");

    moderator.click("broadcast-button");
    viewer.waitFor(d -> {
      Object state = viewer.js("return window.palco.audience.player");
      return "ended".equals(state) || "waiting".equals(state) ? true : null;
    }, MEDIA_DEADLINE, "the audience player to see the end");
  }

  @Test
  void aPresenterLeavingAndComingBackChangesTheLayoutWhileThePlaylistAdvancesAndEverySegmentDecodes()
      throws Exception {
    OnAir onAir = goLive("Churn");
    watch(onAir.room());
    String playlist = server.base() + "/hls/" + onAir.room().id() + "/v0.m3u8";
    long before = lastSegment(fetch(playlist));

    ada.click("leave-button");
    viewer.waitFor(d -> hasOnlyModerator(), MEDIA_DEADLINE, "the composite without Ada");
    ada.joinByLink(onAir.room().presenterLink(), "Ada Lovelace");
    startAudienceLogs();
    viewer.waitFor(d -> frames(audienceLog(), true).size() >= 30 ? true : null, MEDIA_DEADLINE,
        "Ada's tile back in the composite");

    String text = fetch(playlist);
    long after = lastSegment(text);
    System.out.printf("broadcast churn: the playlist went from segment %d to %d across the leave and the join%n",
        before, after);
    assertTrue(after > before + 2, "the playlist kept advancing: " + before + " -> " + after);
    assertTrue(!text.contains("#EXT-X-ENDLIST"), "still live");

    // Every segment of every rendition listed now decodes (init segment + media segment).
    Path dir = StageBrowser.OUT.resolve("segments-" + onAir.room().id());
    Files.createDirectories(dir);
    int checked = 0;
    for (String rendition : List.of("v0", "v1", "a0")) {
      String base = server.base() + "/hls/" + onAir.room().id() + "/";
      byte[] init = fetchBytes(base + rendition + "_init.mp4");
      Matcher m = Pattern.compile("^(" + rendition + "_\\d+\\.m4s)$", Pattern.MULTILINE)
          .matcher(fetch(base + rendition + ".m3u8"));
      while (m.find()) {
        Path file = dir.resolve(m.group(1) + ".mp4");
        byte[] segment = fetchBytes(base + m.group(1));
        byte[] whole = new byte[init.length + segment.length];
        System.arraycopy(init, 0, whole, 0, init.length);
        System.arraycopy(segment, 0, whole, init.length, segment.length);
        Files.write(file, whole);
        Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "stream=codec_name",
            "-count_frames", "-of", "csv=p=0", file.toString()).redirectErrorStream(true).start();
        String out = new String(probe.getInputStream().readAllBytes()).trim();
        assertEquals(0, probe.waitFor(), m.group(1) + ": " + out);
        assertTrue(!out.isEmpty() && !out.contains("rror"), m.group(1) + " decodes: " + out);
        checked++;
      }
    }
    System.out.printf("broadcast churn: ffprobe decoded %d segments%n", checked);
    assertTrue(checked >= 8, "segments checked: " + checked);

    // A restart of the bridge's encoders: the same playlists go on after a discontinuity, and
    // the audience keeps playing.
    HttpResponse<String> restart = server.http().send(HttpRequest.newBuilder(
            URI.create(server.base() + "/api/rooms/" + onAir.room().id() + "/broadcast/restart"))
        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token(onAir.room().moderatorLink()))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, restart.statusCode(), restart.body());
    long restartedAt = lastSegment(fetch(playlist));
    viewer.waitFor(d -> {
      try {
        String now = fetch(playlist);
        return now.contains("#EXT-X-DISCONTINUITY") && lastSegment(now) > restartedAt + 2 ? true : null;
      } catch (IOException | InterruptedException e) {
        return null;
      }
    }, MEDIA_DEADLINE, "the playlist to go on after a discontinuity");
    int framesBefore = frames(audienceLog(), false).size();
    viewer.waitFor(d -> frames(audienceLog(), false).size() > framesBefore + 30 ? true : null, MEDIA_DEADLINE,
        "the audience to keep playing after the restart");
    assertEquals("playing", viewer.js("return window.palco.audience.player"));

    // The viewer's controls: the latency readout, a rendition chosen by hand and back to
    // automatic, and jumping back to live after a pause.
    viewer.click("stats-toggle");
    viewer.waitFor(d -> viewer.byTestId("player-stats").getText().matches("(?s)Latency: \\d.*Quality: \\d+p.*") ? true : null,
        MEDIA_DEADLINE, "the latency readout");
    assertEquals(java.util.Set.of("Auto", "360p", "180p"), new java.util.HashSet<>((List<?>) viewer.js(
        "return [...document.querySelectorAll('[data-testid=quality-select] option')].map(o => o.textContent)")));
    viewer.js("const s = document.querySelector('[data-testid=quality-select]');"
        + " s.value = [...s.options].find(o => o.textContent === '180p').value; s.dispatchEvent(new Event('change'));");
    viewer.waitFor(d -> Long.valueOf(320).equals(viewer.js(
        "return document.querySelector('[data-testid=player-video]').videoWidth")) ? true : null,
        MEDIA_DEADLINE, "the 180p rendition on screen");
    viewer.js("const s = document.querySelector('[data-testid=quality-select]'); s.value = '-1';"
        + " s.dispatchEvent(new Event('change'));");
    viewer.js("document.querySelector('[data-testid=player-video]').pause()");
    viewer.waitFor(d -> viewer.byTestId("jump-live").isDisplayed() ? true : null, MEDIA_DEADLINE,
        "Jump to live after a pause");
    viewer.click("jump-live");
    viewer.waitFor(d -> Boolean.FALSE.equals(viewer.js(
        "return document.querySelector('[data-testid=player-video]').paused")) ? true : null,
        MEDIA_DEADLINE, "playing again at the live edge");
    viewer.screenshot("broadcast-audience-controls");
    moderator.click("broadcast-button");
  }

  /** Whether the two grid cells of the composite show one presenter each, now. */
  private boolean showsBoth() {
    boolean moderatorSeen = false;
    boolean adaSeen = false;
    for (long n : CounterClip.readInComposite(viewer, CANVAS_WIDTH,
        LayoutPlanner.grid(List.of("a", "b"), null, CANVAS_WIDTH, CANVAS_HEIGHT))) {
      moderatorSeen |= n >= 0 && n < ADA_FIRST_NUMBER;
      adaSeen |= n >= ADA_FIRST_NUMBER;
    }
    return moderatorSeen && adaSeen;
  }

  /** Whether the composite shows the moderator alone: one cell as large as the canvas allows. */
  private Boolean hasOnlyModerator() {
    long n = CounterClip.readInComposite(viewer, CANVAS_WIDTH,
        LayoutPlanner.grid(List.of("a"), null, CANVAS_WIDTH, CANVAS_HEIGHT))[0];
    return n >= 0 && n < ADA_FIRST_NUMBER ? true : null;
  }

  private static long lastSegment(String playlist) {
    long sequence = -1;
    long segments = 0;
    for (String line : playlist.split("\n")) {
      if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
        sequence = Long.parseLong(line.substring("#EXT-X-MEDIA-SEQUENCE:".length()).trim());
      } else if (line.startsWith("#EXTINF:")) {
        segments++;
      }
    }
    return sequence + segments - 1;
  }

  private String fetch(String url) throws IOException, InterruptedException {
    return new String(fetchBytes(url), java.nio.charset.StandardCharsets.UTF_8);
  }

  private String fetch(String url, String bearer) throws IOException, InterruptedException {
    HttpResponse<String> r = server.http().send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + bearer).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url);
    return r.body();
  }

  private byte[] fetchBytes(String url) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = server.http().send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), url);
    return r.body();
  }

  /** The token of a join link ({@code …?t=<token>}). */
  private static String token(String link) {
    return link.substring(link.indexOf("?t=") + 3);
  }

  private static double[] medianColumns(List<double[]> rows) {
    double[] out = new double[3];
    if (rows.isEmpty()) {
      java.util.Arrays.fill(out, Double.NaN);
      return out;
    }
    for (int c = 0; c < 3; c++) {
      double[] col = new double[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        col[i] = rows.get(i)[c];
      }
      java.util.Arrays.sort(col);
      out[c] = col[col.length / 2];
    }
    return out;
  }
}
