package dev.palco.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three real Chromiums on the stage through the whole server (web client, signaling, SFU): a
 * moderator and two presenters with fake cameras and microphones. Each test opens a new room and
 * the same three browsers join it by link.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StageBrowserTest {

  private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(20);

  private StageServer server;
  private StageBrowser moderator;
  private StageBrowser ada;
  private StageBrowser grace;

  @BeforeAll
  void start() throws Exception {
    server = StageServer.start();
    moderator = StageBrowser.launch("moderator");
    ada = StageBrowser.launch("ada");
    grace = StageBrowser.launch("grace");
  }

  @AfterAll
  void stop() {
    for (StageBrowser b : new StageBrowser[] {moderator, ada, grace}) {
      if (b != null) {
        b.close();
      }
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void muteSilencesForAllAndARemovedPresenterSeesWhy() throws Exception {
    StageServer.Room room = server.createRoom("Mute and remove");
    moderator.joinByLink(room.moderatorLink(), "Mia Moderator");
    ada.joinByLink(room.presenterLink(), "Ada Lovelace");
    grace.joinByLink(room.presenterLink(), "Grace Hopper");
    String adaId = ada.participantId();
    String graceId = grace.participantId();
    MediaChecks.awaitFlowing(server, moderator, List.of(adaId, graceId), MEDIA_DEADLINE);
    MediaChecks.awaitFlowing(server, grace, List.of(adaId), MEDIA_DEADLINE);

    ada.click("mic-toggle");
    for (StageBrowser other : List.of(moderator, grace)) {
      other.waitFor(d -> "true".equals(other.tile(adaId, "camera").getAttribute("data-mic-muted")),
          Duration.ofSeconds(2), "Ada's tile to show her microphone muted");
      // The SFU stops forwarding: no more packets (Chrome keeps decoding silence on its own).
      MediaChecks.awaitStopped(other, adaId + "/audio", Duration.ofSeconds(5));
      other.screenshot("ada-muted");
    }

    moderator.clickTileButton(graceId, "tile-remove-button");
    moderator.waitFor(d -> moderator.byTestId("dialog-reason").isDisplayed(), Duration.ofSeconds(5), "the remove dialog");
    moderator.byTestId("dialog-reason").sendKeys("Off-topic");
    moderator.click("dialog-confirm");
    grace.waitFor(d -> grace.byTestId("end-card").isDisplayed(), Duration.ofSeconds(5), "the removed card");
    assertEquals("removed", grace.js("return window.palco.lastError.code"));
    assertTrue(grace.byTestId("end-reason").getText().contains("Off-topic"), grace.byTestId("end-reason").getText());
    grace.screenshot("removed");
    moderator.waitFor(d -> moderator.tiles(graceId).isEmpty(), Duration.ofSeconds(2), "Grace's tile to go");
    moderator.screenshot("after-remove");
  }

  @Test
  void forgedAndExpiredLinksAreRefusedWithTheReasonOnScreen() throws Exception {
    StageServer.Room room = server.createRoom("Closed door");
    String good = room.presenterLink();
    String forged = good.substring(0, good.length() - 4) + (good.endsWith("AAAA") ? "BBBB" : "AAAA");
    String expired = server.link(room.id(), dev.palco.signaling.Role.PRESENTER, Instant.now().minusSeconds(60));
    for (String[] c : new String[][] {{forged, "token-bad-signature", "forged"}, {expired, "token-expired", "expired"}}) {
      ada.open(c[0]);
      // The page cannot check a signature: it shows the device check, and the server refuses the join.
      boolean[] tried = {false};
      ada.waitFor(d -> {
        Object code = ada.js("return window.palco && window.palco.lastError && window.palco.lastError.code");
        if (code == null && !tried[0]) {
          for (var join : ada.driver.findElements(org.openqa.selenium.By.cssSelector("[data-testid=join-button]"))) {
            if (join.isDisplayed() && join.isEnabled()) {
              tried[0] = true;
              join.click();
            }
          }
        }
        return c[1].equals(code);
      }, Duration.ofSeconds(10), c[1]);
      String text = ada.driver.findElement(org.openqa.selenium.By.tagName("main")).getText();
      ada.screenshot("link-" + c[2]);
      assertTrue(!text.isBlank(), "a reason is on screen");
      assertTrue(text.toLowerCase().contains(c[2]) || text.contains(c[1]), "the " + c[2] + " reason is on screen: " + text);
    }
  }

  @Test
  void threeJoinByLinkAndEachSeesAndHearsTheOtherTwo() throws Exception {
    StageServer.Room room = server.createRoom("Friday panel");
    moderator.joinByLink(room.moderatorLink(), "Mia Moderator");
    ada.joinByLink(room.presenterLink(), "Ada Lovelace");
    grace.joinByLink(room.presenterLink(), "Grace Hopper");
    List<StageBrowser> all = List.of(moderator, ada, grace);

    for (StageBrowser me : all) {
      List<String> others = all.stream().filter(b -> b != me).map(StageBrowser::participantId).toList();
      try {
        MediaChecks.awaitFlowing(server, me, others, MEDIA_DEADLINE);
      } catch (AssertionError e) {
        for (StageBrowser b : all) {
          System.err.println(b.label + ": " + b.describe());
        }
        throw e;
      }
      me.screenshot("three-on-stage");
    }
    assertEquals(3, ((List<?>) moderator.js("return window.palco.participants")).size() + 1,
        "the moderator's page lists the two others");
  }
}
