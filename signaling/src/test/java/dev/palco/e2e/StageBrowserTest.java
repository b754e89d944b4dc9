package dev.palco.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
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
