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
      "      packetsReceived: s.packetsReceived || 0, frameWidth: s.frameWidth || 0});",
      "  });",
      "  done(JSON.stringify(out));",
      "}, (e) => done(JSON.stringify([{error: String(e)}])));");

  final String label;
  final ChromeDriver driver;

  /** One inbound stream's counters at one moment. */
  record Inbound(String mid, String kind, String participantId, long framesDecoded,
      long totalSamplesReceived, long packetsReceived, long frameWidth) {}

  private StageBrowser(String label, ChromeDriver driver) {
    this.label = label;
    this.driver = driver;
  }

  /**
   * The fake camera: a small test pattern at 15 fps, made once per run with ffmpeg. Chromium's
   * built-in fake camera is 640x480 at 30 fps; three browsers encoding and decoding that on two
   * cores starve each other's network threads, and ICE consent then fails for reasons that have
   * nothing to do with the server.
   */
  static synchronized Path cameraClip() throws IOException {
    Path clip = OUT.resolve("camera-320x180-15fps.y4m");
    if (Files.isRegularFile(clip)) {
      return clip;
    }
    Files.createDirectories(OUT);
    Path partial = OUT.resolve("camera.partial.y4m");
    Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=15", "-t", "4", "-pix_fmt", "yuv420p",
        partial.toString())
        .redirectErrorStream(true)
        .start();
    String output = new String(ffmpeg.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      if (ffmpeg.waitFor() != 0) {
        throw new IOException("ffmpeg could not make the camera clip: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making the camera clip", e);
    }
    Files.move(partial, clip, StandardCopyOption.REPLACE_EXISTING);
    return clip;
  }

  static StageBrowser launch(String label, String... extraArgs) {
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
          "--use-file-for-fake-video-capture=" + cameraClip().toAbsolutePath(),
          "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
          "--autoplay-policy=no-user-gesture-required", "--window-size=1280,800",
          "--disable-dev-shm-usage");
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
    open(link);
    WebElement input = waitFor(d -> visible(By.cssSelector("[data-testid=name-input]")), Duration.ofSeconds(15),
        "the device check's name field");
    input.clear();
    input.sendKeys(name);
    WebElement join = waitFor(d -> enabled(By.cssSelector("[data-testid=join-button]")), Duration.ofSeconds(15),
        "an enabled Join button");
    join.click();
    waitFor(d -> Boolean.TRUE.equals(js("return window.palco && window.palco.joined")), Duration.ofSeconds(15),
        "joined");
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
            s.path("packetsReceived").asLong(), s.path("frameWidth").asLong()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
