package dev.palco.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palco.signaling.Json;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium on the stage page, with a fake camera and microphone, and the few
 * things the tests ask of it: the page's test hook ({@code window.palco}), getStats() of its
 * peer connection, controls by {@code data-testid}, and screenshots under target/.
 */
final class StageBrowser implements AutoCloseable {

  static final Path OUT = Path.of("target", "e2e");
  private static final AtomicInteger PROFILES = new AtomicInteger();

  /** Inbound RTP of the page's peer connection, by mid, with the publisher the page shows it for. */
  private static final String INBOUND_STATS_JS = String.join("\n",
      "const done = arguments[arguments.length - 1];",
      "const hook = window.palco;",
      "if (!hook || !hook.pc) { done('[]'); return; }",
      "const tiles = hook.remoteTiles;",
      "hook.pc.getStats().then((report) => {",
      "  const out = [];",
      "  report.forEach((s) => {",
      "    if (s.type !== 'inbound-rtp') return;",
      "    const tile = tiles.find((t) => t.mid === s.mid);",
      "    out.push({mid: s.mid, kind: s.kind, participantId: tile ? tile.participantId : null,",
      "      framesDecoded: s.framesDecoded || 0, totalSamplesReceived: s.totalSamplesReceived || 0,",
      "      packetsReceived: s.packetsReceived || 0, frameWidth: s.frameWidth || 0,",
      "      concealedSamples: s.concealedSamples || 0});",
      "  });",
      "  done(JSON.stringify(out));",
      "}, (e) => done(JSON.stringify([{error: String(e)}])));");

  final String label;
  final ChromeDriver driver;

  /**
   * One inbound stream's counters at one moment; {@code concealedSamples} are the audio samples the
   * decoder made up for packets it did not have or could not decode.
   */
  record Inbound(String mid, String kind, String participantId, long framesDecoded,
      long totalSamplesReceived, long packetsReceived, long frameWidth, long concealedSamples) {}

  private StageBrowser(String label, ChromeDriver driver) {
    this.label = label;
    this.driver = driver;
  }

  /**
   * The fake camera: a small test pattern at 15 fps with its frame number burnt in ({@link
   * CounterClip}). Chromium's built-in fake camera is 640x480 at 30 fps; three browsers encoding
   * and decoding that on two cores starve each other's network threads.
   */
  static Path cameraClip() throws IOException {
    return CounterClip.get(OUT);
  }

  static StageBrowser launch(String label, String... extraArgs) {
    try {
      return launch(label, cameraClip(), null, extraArgs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A browser whose fake camera plays {@code camera} (a y4m clip) and whose fake microphone plays
   * {@code microphone} (a WAV file), or Chromium's own beep when null.
   */
  static StageBrowser launch(String label, Path camera, Path microphone, String... extraArgs) {
    try {
      Files.createDirectories(OUT);
      Path profile = OUT.resolve("profiles").resolve(label + "-" + PROFILES.incrementAndGet() + "-" + ProcessHandle.current().pid());
      Files.createDirectories(profile);
      ChromeOptions options = new ChromeOptions();
      options.setBinary("/usr/bin/chromium");
      options.addArguments(
          "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--user-data-dir=" + profile.toAbsolutePath(),
          "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
          "--use-file-for-fake-video-capture=" + camera.toAbsolutePath(),
          "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
          "--autoplay-policy=no-user-gesture-required", "--window-size=1280,800",
          "--disable-dev-shm-usage");
      if (microphone != null) {
        options.addArguments("--use-file-for-fake-audio-capture=" + microphone.toAbsolutePath());
      }
      options.addArguments(extraArgs);
      if (Boolean.getBoolean("palco.e2e.chromeLog")) {
        // -Dpalco.e2e.chromeLog=true: Chromium's own ICE and transport log, one file per browser.
        options.addArguments("--enable-logging", "--v=0", "--vmodule=*/webrtc/*=1",
            "--log-file=" + OUT.resolve("chrome-" + label + ".log").toAbsolutePath());
      }
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(new File("/usr/bin/chromedriver"))
          .usingAnyFreePort()
          .build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
      return new StageBrowser(label, driver);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void open(String url) {
    driver.get(url);
  }

  /** Opens a link, names the participant on the device check, and joins the stage. */
  void joinByLink(String link, String name) {
    joinByLink(link, name, false);
  }

  /**
   * {@link #joinByLink} with the page timing itself: from the click on Join to the first frame of
   * each camera tile presented on screen, with the steps between on the page's own clock. Timing
   * in the page leaves out the WebDriver round trips, which on a loaded machine cost more than the
   * join itself.
   */
  void joinByLinkTimed(String link, String name) {
    joinByLink(link, name, true);
  }

  private void joinByLink(String link, String name, boolean timed) {
    open(link);
    WebElement input = waitFor(d -> visible(By.cssSelector("[data-testid=name-input]")), Duration.ofSeconds(15),
        "the device check's name field");
    input.clear();
    input.sendKeys(name);
    WebElement join = waitFor(d -> enabled(By.cssSelector("[data-testid=join-button]")), Duration.ofSeconds(15),
        "an enabled Join button");
    if (timed) {
      js(JOIN_TIMELINE_JS, join);
    }
    join.click();
    waitFor(d -> Boolean.TRUE.equals(js("return window.palco && window.palco.joined")), Duration.ofSeconds(15),
        "joined");
  }

  /**
   * Installed before the click on Join: notes the click, the first time each step of the join is
   * seen (polled every 5 ms) and the first frame each camera tile presents
   * (requestVideoFrameCallback's expectedDisplayTime), all in ms since the click.
   */
  private static final String JOIN_TIMELINE_JS = """
      const button = arguments[0];
      const t = window.palcoJoinTimeline = { steps: {}, firstFrame: {} };
      const mark = (step) => { if (t.clickedAt !== undefined && !(step in t.steps)) t.steps[step] = Math.round(performance.now() - t.clickedAt); };
      button.addEventListener('click', () => { t.clickedAt = performance.now(); }, { capture: true, once: true });
      const watched = new WeakSet();
      const poll = setInterval(() => {
        const h = window.palco;
        if (t.clickedAt === undefined || !h) return;
        if (h.joined) mark('joined');
        const pc = h.pc;
        if (pc) {
          if (pc.remoteDescription) mark('remote description');
          if (pc.iceConnectionState === 'checking') mark('ice checking');
          if (pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed') mark('ice connected');
          if (pc.connectionState === 'connected') mark('dtls connected');
        }
        for (const video of document.querySelectorAll("[data-testid=tile][data-source='camera'] video")) {
          if (watched.has(video)) continue;
          watched.add(video);
          const id = video.closest('[data-testid=tile]').getAttribute('data-participant-id');
          mark('tile ' + id);
          video.requestVideoFrameCallback((now, meta) => {
            if (!(id in t.firstFrame)) t.firstFrame[id] = Math.round(meta.expectedDisplayTime - t.clickedAt);
          });
        }
        if (performance.now() - t.clickedAt > 30000) clearInterval(poll);
      }, 5);
      """;

  /**
   * Waits for the first presented frame of each publisher's camera after a
   * {@link #joinByLinkTimed} and returns the page's timeline: {@code firstFrame} (publisher →
   * ms since the click) and {@code steps} (step → ms since the click).
   */
  @SuppressWarnings("unchecked")
  Map<String, Map<String, Long>> awaitJoinTimeline(List<String> publishers, Duration timeout) {
    return waitFor(d -> {
      Map<String, Object> t = (Map<String, Object>) js("return window.palcoJoinTimeline || null");
      if (t == null) {
        return null;
      }
      Map<String, Object> frames = (Map<String, Object>) t.get("firstFrame");
      if (!frames.keySet().containsAll(publishers)) {
        return null;
      }
      Map<String, Map<String, Long>> out = new java.util.LinkedHashMap<>();
      for (String key : List.of("firstFrame", "steps")) {
        Map<String, Long> section = new java.util.LinkedHashMap<>();
        ((Map<String, Object>) t.get(key)).forEach((k, v) -> section.put(k, ((Number) v).longValue()));
        out.put(key, section);
      }
      return out;
    }, timeout, "a presented camera frame from each of " + publishers);
  }

  /**
   * Reloads the page and joins again from the device check if the page shows it (the name and
   * the seat come back from the page's session storage).
   */
  void reloadAndRejoin() {
    driver.navigate().refresh();
    waitFor(d -> {
      if (Boolean.TRUE.equals(js("return window.palco && window.palco.joined"))) {
        return true;
      }
      for (WebElement join : driver.findElements(By.cssSelector("[data-testid=join-button]"))) {
        if (join.isDisplayed() && join.isEnabled()) {
          join.click();
        }
      }
      return null;
    }, Duration.ofSeconds(20), "joined again after the reload");
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  String participantId() {
    return (String) js("return window.palco.participantId");
  }

  /** The page's inbound RTP streams right now. */
  List<Inbound> inbound() {
    String json = (String) ((JavascriptExecutor) driver).executeAsyncScript(INBOUND_STATS_JS);
    try {
      JsonNode array = Json.MAPPER.readTree(json);
      List<Inbound> out = new ArrayList<>();
      for (JsonNode s : array) {
        if (s.has("error")) {
          throw new IllegalStateException(label + ": getStats failed: " + s.get("error").asText());
        }
        out.add(new Inbound(s.path("mid").asText(null), s.path("kind").asText(),
            s.path("participantId").isNull() ? null : s.path("participantId").asText(null),
            s.path("framesDecoded").asLong(), s.path("totalSamplesReceived").asLong(),
            s.path("packetsReceived").asLong(), s.path("frameWidth").asLong(),
            s.path("concealedSamples").asLong()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The receive-side counters of one publisher's video, as getStats() has them (for reports: loss,
   * repair, jitter buffer, decode and freezes), as a JSON object.
   */
  String videoReceiveStats(String publisherId) {
    return (String) ((JavascriptExecutor) driver).executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        const id = arguments[0];
        const hook = window.palco;
        const tile = hook.remoteTiles.find((t) => t.participantId === id && t.kind === 'video');
        hook.pc.getStats().then((report) => {
          let out = null;
          report.forEach((s) => {
            if (s.type !== 'inbound-rtp' || !tile || s.mid !== tile.mid) return;
            out = { packetsReceived: s.packetsReceived, packetsLost: s.packetsLost, nackCount: s.nackCount,
              pliCount: s.pliCount, framesDecoded: s.framesDecoded, framesDropped: s.framesDropped,
              keyFramesDecoded: s.keyFramesDecoded, freezeCount: s.freezeCount,
              jitterBufferDelay: s.jitterBufferDelay, jitterBufferEmittedCount: s.jitterBufferEmittedCount,
              jitterBufferTargetDelay: s.jitterBufferTargetDelay, jitterBufferMinimumDelay: s.jitterBufferMinimumDelay,
              totalDecodeTime: s.totalDecodeTime, totalProcessingDelay: s.totalProcessingDelay,
              totalAssemblyTime: s.totalAssemblyTime, jitter: s.jitter };
          });
          done(JSON.stringify(out));
        }, (e) => done(JSON.stringify({ error: String(e) })));
        """, publisherId);
  }

  /**
   * The page's outbound video per simulcast layer, as getStats() has it: rid, size, frame rate,
   * target bitrate and what limits the quality (bandwidth, CPU), as a JSON array.
   */
  String outboundVideo() {
    try {
      return (String) ((JavascriptExecutor) driver).executeAsyncScript("""
          const done = arguments[arguments.length - 1];
          const pc = window.palco && window.palco.pc;
          if (!pc) { done('[]'); return; }
          pc.getStats().then((report) => {
            const out = [];
            report.forEach((s) => {
              if (s.type !== 'outbound-rtp' || s.kind !== 'video') return;
              out.push({ rid: s.rid, frameWidth: s.frameWidth, framesPerSecond: s.framesPerSecond,
                targetBitrate: s.targetBitrate, active: s.active,
                qualityLimitationReason: s.qualityLimitationReason });
            });
            done(JSON.stringify(out));
          }, (e) => done(JSON.stringify({ error: String(e) })));
          """);
    } catch (RuntimeException e) {
      return "(" + label + ": outbound stats unavailable: " + e.getMessage() + ")";
    }
  }

  /** Inbound streams by "participantId/kind". */
  Map<String, Inbound> inboundByPublisher() {
    Map<String, Inbound> out = new HashMap<>();
    for (Inbound s : inbound()) {
      if (s.participantId() != null) {
        out.put(s.participantId() + "/" + s.kind(), s);
      }
    }
    return out;
  }

  /** The page's state for a failure message: tiles, negotiation, errors and inbound counters. */
  String describe() {
    try {
      Object state = js("const h = window.palco; return JSON.stringify({phase: h.phase, id: h.participantId,"
          + " connection: h.connectionState, ice: h.pc && h.pc.iceConnectionState, tiles: h.remoteTiles,"
          + " negotiation: h.negotiation, lastError: h.lastError, ended: h.ended,"
          + " signaling: h.pc && h.pc.signalingState, gathering: h.pc && h.pc.iceGatheringState,"
          + " local: h.pc && h.pc.localDescription && h.pc.localDescription.sdp,"
          + " remote: h.pc && h.pc.remoteDescription && h.pc.remoteDescription.sdp})");
      return state + " inbound=" + inbound();
    } catch (RuntimeException e) {
      return "(page state unavailable: " + e.getMessage() + ")";
    }
  }

  /** The tiles of one participant. */
  List<WebElement> tiles(String participantId) {
    return driver.findElements(By.cssSelector("[data-testid=tile][data-participant-id='" + participantId + "']"));
  }

  /**
   * Starts logging, for the video in a participant's camera tile, each frame's burnt-in number and
   * a wall-clock time: when it was due on screen (requestVideoFrameCallback's expectedDisplayTime),
   * or with {@code captureTime} set and where the frame has one, when the camera captured it. Both
   * are on the page's performance timeline, made absolute with timeOrigin: pages on one machine
   * share the clock.
   */
  void startFrameLog(String participantId, boolean captureTime) {
    js(CounterClip.DECODER_JS + """
        const id = arguments[0], useCapture = arguments[1];
        const video = document.querySelector(
            "[data-testid=tile][data-participant-id='" + id + "'][data-source='camera'] video");
        if (!video) throw new Error('no camera video for ' + id);
        window.palcoFrameLog = window.palcoFrameLog || {};
        const log = window.palcoFrameLog[id] = { frames: [], unreadable: 0, captured: 0 };
        const onFrame = (now, meta) => {
          const n = window.palcoReadCounter(video);
          if (n < 0) log.unreadable++;
          else {
            // A camera frame carries its capture time: the publisher's side of the glass.
            const at = useCapture && meta.captureTime !== undefined ? meta.captureTime : meta.expectedDisplayTime;
            if (useCapture && meta.captureTime !== undefined) log.captured++;
            log.frames.push([n, performance.timeOrigin + at]);
          }
          video.requestVideoFrameCallback(onFrame);
        };
        video.requestVideoFrameCallback(onFrame);
        """, participantId, captureTime);
  }

  /** The frames logged since {@link #startFrameLog}: {frame number, display time in ms}. */
  FrameLog frameLog(String participantId) {
    @SuppressWarnings("unchecked")
    Map<String, Object> log = (Map<String, Object>) js(
        "const l = (window.palcoFrameLog || {})[arguments[0]];"
            + "return l ? { frames: l.frames, unreadable: l.unreadable, captured: l.captured } : null;",
        participantId);
    if (log == null) {
      return new FrameLog(List.of(), 0, 0);
    }
    List<double[]> frames = new ArrayList<>();
    for (Object o : (List<?>) log.get("frames")) {
      List<?> pair = (List<?>) o;
      frames.add(new double[] {((Number) pair.get(0)).doubleValue(), ((Number) pair.get(1)).doubleValue()});
    }
    return new FrameLog(frames, ((Number) log.get("unreadable")).longValue(),
        ((Number) log.get("captured")).longValue());
  }

  /**
   * Frames read back from a tile: {number, time ms}, how many could not be read, and how many of
   * the times are capture times.
   */
  record FrameLog(List<double[]> frames, long unreadable, long captured) {}

  /**
   * The local candidate of the peer connection's selected pair, from getStats(): its type and,
   * for a relayed one, the transport between the page and the TURN server.
   */
  Map<String, String> selectedLocalCandidate() {
    @SuppressWarnings("unchecked")
    Map<String, Object> c = (Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        window.palco.pc.getStats().then((report) => {
          let transport = null;
          report.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) transport = s; });
          const pair = transport && report.get(transport.selectedCandidatePairId);
          const local = pair && report.get(pair.localCandidateId);
          done(local ? { localType: local.candidateType, relayProtocol: local.relayProtocol || '' } : null);
        }, (e) => done(null));
        """);
    Map<String, String> out = new HashMap<>();
    if (c != null) {
      c.forEach((k, v) -> out.put(k, String.valueOf(v)));
    }
    return out;
  }

  /**
   * The SRTP protection profile Chromium negotiated on the peer connection's transport, from
   * getStats() ({@code RTCTransportStats.srtpCipher}), or null before DTLS completed.
   */
  String srtpCipher() {
    Object cipher = ((JavascriptExecutor) driver).executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        window.palco.pc.getStats().then((report) => {
          let cipher = null;
          report.forEach((s) => { if (s.type === 'transport' && s.srtpCipher) cipher = s.srtpCipher; });
          done(cipher);
        }, (e) => done(null));
        """);
    return cipher == null ? null : String.valueOf(cipher);
  }

  /** A participant's tile for one source. */
  WebElement tile(String participantId, String source) {
    return driver.findElement(By.cssSelector(
        "[data-testid=tile][data-participant-id='" + participantId + "'][data-source='" + source + "']"));
  }

  /** Clicks a button on a participant's tile (through script: the buttons show on hover). */
  void clickTileButton(String participantId, String testId) {
    WebElement button = tiles(participantId).get(0).findElement(By.cssSelector("[data-testid=" + testId + "]"));
    js("arguments[0].click()", button);
  }

  void click(String testId) {
    waitFor(d -> enabled(By.cssSelector("[data-testid=" + testId + "]")), Duration.ofSeconds(10),
        "clickable " + testId).click();
  }

  WebElement byTestId(String testId) {
    return driver.findElement(By.cssSelector("[data-testid=" + testId + "]"));
  }

  <T> T waitFor(Function<WebDriver, T> condition, Duration timeout, String what) {
    try {
      return new WebDriverWait(driver, timeout, Duration.ofMillis(50)).ignoring(RuntimeException.class)
          .withMessage(label + ": waiting for " + what).until(condition);
    } catch (TimeoutException e) {
      String step = "timeout-" + what.replaceAll("[^A-Za-z0-9]+", "-");
      screenshot(step);
      try {
        Files.writeString(OUT.resolve(label + "-" + step + ".html"),
            driver.getCurrentUrl() + "\n" + driver.getPageSource());
      } catch (IOException | RuntimeException ignored) {
        // The screenshot and the exception still say what went wrong.
      }
      throw e;
    }
  }

  /**
   * Sets the page's viewport exactly (Chrome DevTools' device metrics), for screenshots at
   * desktop and phone widths; {@code mobile} also gives the page a phone's touch and scrollbars.
   */
  void viewport(int width, int height, boolean mobile) {
    viewport(width, height, 1, mobile);
  }

  /**
   * {@link #viewport(int, int, boolean)} with a device pixel ratio: at 2, a tile of 700 CSS pixels
   * is 1400 device pixels, as on a high-density screen.
   */
  void viewport(int width, int height, double deviceScaleFactor, boolean mobile) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", height, "deviceScaleFactor", deviceScaleFactor, "mobile", mobile));
  }

  /** Back to the window's own size. */
  void resetViewport() {
    driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
  }

  /** Saves a screenshot of the viewport to a given file (the docs' screenshots). */
  void screenshotTo(Path target) {
    try {
      Files.createDirectories(target.getParent());
      File file = driver.getScreenshotAs(OutputType.FILE);
      Files.copy(file.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Saves a screenshot as target/e2e/{label}-{step}.png. */
  Path screenshot(String step) {
    try {
      File file = driver.getScreenshotAs(OutputType.FILE);
      Path target = OUT.resolve(label + "-" + step + ".png");
      Files.copy(file.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private WebElement visible(By by) {
    for (WebElement e : driver.findElements(by)) {
      if (e.isDisplayed()) {
        return e;
      }
    }
    return null;
  }

  private WebElement enabled(By by) {
    WebElement e = visible(by);
    return e != null && e.isEnabled() ? e : null;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
