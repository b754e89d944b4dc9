package dev.palco.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Simulcast and the speaker highlight in real Chromiums through the whole server: two presenters
 * whose fake cameras are 1280x720 publish three layers each (rid q, h, f), and a viewer whose
 * tiles' sizes decide which layer the SFU forwards to it. One presenter's microphone plays a tone
 * and the other's silence; the viewer's highlight must follow the tone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulcastBrowserTest {

  /** Low enough for two 720p simulcast encoders and a decoder on two shared cores. */
  private static final int CAMERA_FPS = 10;
  private static final int CAMERA_WIDTH = 1280;
  private static final int CAMERA_HEIGHT = 720;
  private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(25);
  /**
   * The high layer needs the presenters' and the viewer's bandwidth estimates to grow to a few
   * Mbit/s and the SFU's upswitch damping (2.5 s) to pass: longer on a busy machine.
   */
  private static final Duration HIGH_LAYER_DEADLINE = Duration.ofSeconds(40);

  private StageServer server;
  /** Its microphone plays a 440 Hz tone in bursts ({@link ToneClip#bursts}). */
  private StageBrowser toned;
  /** Its microphone plays silence. */
  private StageBrowser silent;
  private StageBrowser viewer;

  @BeforeAll
  void start() throws Exception {
    server = StageServer.start(null, null);
    Path camera = PatternClip.get(StageBrowser.OUT, CAMERA_WIDTH, CAMERA_HEIGHT, CAMERA_FPS);
    Path silence = ToneClip.silence(StageBrowser.OUT);
    toned = StageBrowser.launch("simulcast-toned", camera, ToneClip.bursts(StageBrowser.OUT, 440));
    silent = StageBrowser.launch("simulcast-silent", camera, silence);
    viewer = StageBrowser.launch("simulcast-viewer", StageBrowser.cameraClip(), silence);
  }

  @BeforeEach
  void blankPages() {
    for (StageBrowser b : new StageBrowser[] {toned, silent, viewer}) {
      b.open("about:blank");
      b.resetViewport();
    }
  }

  @AfterAll
  void stop() {
    for (StageBrowser b : new StageBrowser[] {toned, silent, viewer}) {
      if (b != null) {
        b.close();
      }
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aTileGetsTheLayerItsSizeNeedsAndNothingWhileOutOfView() throws Exception {
    StageServer.Room room = server.createRoom("Simulcast");
    toned.joinByLink(room.presenterLink(), "Ada Lovelace");
    silent.joinByLink(room.presenterLink(), "Grace Hopper");
    // A small window: the viewer's three tiles are about 300 device pixels wide.
    viewer.viewport(640, 480, 1, false);
    viewer.joinByLink(room.moderatorLink(), "Vera Viewer");
    String ada = toned.participantId();
    String grace = silent.participantId();
    List<String> presenters = List.of(ada, grace);
    for (StageBrowser p : List.of(toned, silent)) {
      assertEquals(Boolean.TRUE, p.js("return window.palco.cameraSimulcast"), p.label + " publishes simulcast");
    }

    Map<String, Long> small = awaitFrameWidths(presenters, w -> w > 0 && w <= 320, "the low layer (at most 320 wide)",
        MEDIA_DEADLINE);
    Map<String, Object> told = tileLayout(ada);
    assertTrue(((Number) told.get("width")).intValue() < 640, "the page told the small tile: " + told);
    viewer.screenshot("small-tiles");

    // The same page on a large, high-density screen: each tile is now well over 1280 device pixels.
    viewer.viewport(1920, 1080, 2, false);
    Map<String, Long> large = awaitFrameWidths(presenters, w -> w == CAMERA_WIDTH, "the high layer (1280 wide)",
        HIGH_LAYER_DEADLINE);
    Map<String, Object> enlarged = tileLayout(ada);
    assertTrue(((Number) enlarged.get("width")).intValue() >= CAMERA_WIDTH, "the page told the large tile: " + enlarged);
    viewer.screenshot("large-tiles");
    System.out.println("simulcast: frame widths " + small + " with small tiles, " + large + " with large tiles");

    // A window so small that the grid scrolls: the tiles out of view are paused, and the page
    // shows why; scrolled back into view, they play again.
    viewer.viewport(420, 220, 1, false);
    String hidden = viewer.waitFor(d -> {
      for (String p : presenters) {
        Map<String, Object> layout = tileLayout(p);
        if (layout != null && Boolean.FALSE.equals(layout.get("visible")) && "hidden".equals(tilePause(p))
            && "hidden".equals(viewer.tile(p, "camera").getAttribute("data-paused"))) {
          return p;
        }
      }
      return null;
    }, MEDIA_DEADLINE, "a presenter's tile out of view, paused as hidden");
    MediaChecks.awaitStopped(viewer, hidden + "/video", Duration.ofSeconds(10));
    viewer.screenshot("hidden-tile");
    viewer.viewport(640, 480, 1, false);
    viewer.waitFor(d -> tilePause(hidden) == null
            && "".equals(viewer.tile(hidden, "camera").getAttribute("data-paused")),
        MEDIA_DEADLINE, "the tile back in view to resume");
    long before = viewer.inboundByPublisher().get(hidden + "/video").framesDecoded();
    viewer.waitFor(d -> viewer.inboundByPublisher().get(hidden + "/video").framesDecoded() > before,
        MEDIA_DEADLINE, "frames again from " + hidden);
  }

  /** Why the SFU paused a presenter's camera for the viewer, or null. */
  private Object tilePause(String publisher) {
    return viewer.js(
        "const t = window.palco.remoteTiles.find((x) => x.participantId === arguments[0] && x.kind === 'video');"
            + "return t ? t.paused : 'no tile';", publisher);
  }

  @Test
  void theSpeakerHighlightFollowsTheParticipantWithTheTone() throws Exception {
    StageServer.Room room = server.createRoom("Who speaks");
    viewer.joinByLink(room.moderatorLink(), "Vera Viewer");
    toned.joinByLink(room.presenterLink(), "Ada Lovelace");
    silent.joinByLink(room.presenterLink(), "Grace Hopper");
    String ada = toned.participantId();
    String grace = silent.participantId();
    awaitHighlight(ada, grace, "Ada (the tone)");
    viewer.screenshot("speaker-ada");

    // Swap: Ada and Grace leave and come back in each other's browser, so Grace has the tone now.
    toned.click("leave-button");
    silent.click("leave-button");
    viewer.waitFor(d -> viewer.tiles(ada).isEmpty() && viewer.tiles(grace).isEmpty(), Duration.ofSeconds(10),
        "both presenters gone");
    silent.joinByLink(room.presenterLink(), "Ada Lovelace");
    toned.joinByLink(room.presenterLink(), "Grace Hopper");
    String adaAgain = silent.participantId();
    String graceAgain = toned.participantId();
    awaitHighlight(graceAgain, adaAgain, "Grace (the tone now)");
    viewer.screenshot("speaker-grace");
  }

  /** Waits until the viewer highlights {@code speaking} and not {@code quiet}, in the tile and the hook. */
  private void awaitHighlight(String speaking, String quiet, String who) {
    try {
      viewer.waitFor(d -> speaking.equals(viewer.js("return window.palco.activeSpeaker"))
              && "true".equals(viewer.tile(speaking, "camera").getAttribute("data-speaking"))
              && "false".equals(viewer.tile(quiet, "camera").getAttribute("data-speaking")),
          Duration.ofSeconds(20), "the highlight on " + who);
    } catch (RuntimeException e) {
      throw new AssertionError("highlight: " + viewer.js("return window.palco.activeSpeaker") + "; "
          + viewer.describe() + "\nSFU:" + server.describeMedia(), e);
    }
  }

  /** Polls the viewer's inbound video of each presenter until every frame width passes. */
  private Map<String, Long> awaitFrameWidths(List<String> presenters, java.util.function.LongPredicate ok,
      String what, Duration deadline) {
    try {
      return viewer.waitFor(d -> {
        Map<String, StageBrowser.Inbound> now = viewer.inboundByPublisher();
        Map<String, Long> widths = new java.util.LinkedHashMap<>();
        for (String p : presenters) {
          StageBrowser.Inbound video = now.get(p + "/video");
          if (video == null || !ok.test(video.frameWidth())) {
            return null;
          }
          widths.put(p, video.frameWidth());
        }
        return widths;
      }, deadline, what);
    } catch (RuntimeException e) {
      throw new AssertionError("no " + what + ": " + viewer.inboundByPublisher()
          + "\nsent by the presenters: " + toned.outboundVideo() + " " + silent.outboundVideo()
          + "\nlayers received by the SFU: " + layers() + "\nviewer: " + viewer.describe()
          + "\nSFU:" + server.describeMedia(), e);
    }
  }

  /** Each published video's layers as the SFU receives them (bitrate, frame rate, size). */
  private String layers() {
    StringBuilder out = new StringBuilder();
    for (dev.palco.sfu.room.Room room : server.media.sfu().rooms()) {
      for (dev.palco.sfu.room.Participant p : room.participants()) {
        for (dev.palco.sfu.room.TrackPublication pub : p.publications()) {
          out.append("\n  ").append(pub).append(' ').append(pub.layerStats());
        }
      }
    }
    return out.toString();
  }

  /** What the viewer's page last told the server about a presenter's camera tile. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> tileLayout(String publisher) {
    return (Map<String, Object>) viewer.js(
        "const t = window.palco.remoteTiles.find((x) => x.participantId === arguments[0] && x.kind === 'video');"
            + "return t ? t.layout : null;", publisher);
  }
}
