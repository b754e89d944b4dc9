package dev.palco.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.bridge.compose.LayoutPlanner;
import dev.palco.signaling.WsClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The audience layer in real Chromiums through the whole server: a moderator and a presenter on
 * stage, three viewers on the audience page. Questions are asked, voted and pinned for everyone;
 * a raised hand is invited on stage, seen by the presenter over WebRTC, and sent back; abuse is
 * refused with clear messages while the others carry on. Screenshots of the audience page and
 * the moderator's panel at desktop and phone widths go to target/e2e/screenshots/ (the ones in
 * docs/screenshots/ are copied from there).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AudienceBrowserTest {

  private static final Duration MEDIA_DEADLINE = Duration.ofSeconds(20);
  private static final Duration UI = Duration.ofSeconds(10);
  private static final Duration PLAY_DEADLINE = Duration.ofSeconds(30);
  /** The guest's camera counts from here, the moderator's and the presenter's from 0. */
  private static final int GUEST_FIRST_NUMBER = 8192;
  /** The composite of the test server's two-rung ladder (StageServer). */
  private static final int CANVAS_WIDTH = 640;
  private static final int CANVAS_HEIGHT = 360;
  static final Path SCREENSHOTS = StageBrowser.OUT.resolve("screenshots");

  private StageServer server;
  private StageBrowser moderator;
  private StageBrowser presenter;
  private StageBrowser ann;
  private StageBrowser bob;
  private StageBrowser cy;

  @BeforeAll
  void start() throws Exception {
    server = StageServer.start(null, null);
    moderator = StageBrowser.launch("moderator");
    presenter = StageBrowser.launch("presenter");
    ann = StageBrowser.launch("viewer-ann");
    bob = StageBrowser.launch("viewer-bob");
    cy = StageBrowser.launch("viewer-cy", CounterClip.get(StageBrowser.OUT, GUEST_FIRST_NUMBER), null);
  }

  @BeforeEach
  void blankPages() {
    for (StageBrowser b : all()) {
      b.resetViewport();
      b.open("about:blank");
    }
  }

  @AfterAll
  void stop() {
    for (StageBrowser b : all()) {
      if (b != null) {
        b.close();
      }
    }
    if (server != null) {
      server.close();
    }
  }

  private List<StageBrowser> all() {
    List<StageBrowser> list = new ArrayList<>();
    for (StageBrowser b : new StageBrowser[] {moderator, presenter, ann, bob, cy}) {
      if (b != null) {
        list.add(b);
      }
    }
    return list;
  }

  // ---------------------------------------------------------------- helpers

  /** Opens the audience link and waits until the page has joined the audience. */
  private static void watch(StageBrowser b, String link) {
    b.open(link);
    b.waitFor(d -> "joined".equals(b.js("return window.palco && window.palco.audience && window.palco.audience.connection")),
        UI, "the audience page to join");
  }

  private static void type(StageBrowser b, String testId, String text) {
    WebElement input = b.waitFor(d -> b.byTestId(testId).isDisplayed() ? b.byTestId(testId) : null, UI, testId);
    input.clear();
    if (text.length() > 60) {
      // Long texts go in at once (sendKeys types key by key); an input event updates the hint.
      b.js("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", input, text);
    } else {
      input.sendKeys(text);
    }
  }

  /** Asks through the page's form; returns the question's id once the server accepted it. */
  private static String ask(StageBrowser b, String name, String text) {
    Object before = b.js("return window.palco.audience.mine.length");
    b.click("side-tab-questions");
    type(b, "asker-name", name);
    type(b, "question-input", text);
    b.click("ask-button");
    return b.waitFor(d -> {
      List<?> mine = (List<?>) b.js("return window.palco.audience.mine.map(q => q.id)");
      return mine.size() > ((Number) before).intValue() ? (String) mine.get(mine.size() - 1) : null;
    }, UI, "the question to be accepted");
  }

  private static String askError(StageBrowser b, String after) {
    return b.waitFor(d -> {
      String text = b.byTestId("ask-error").getText();
      return !text.isBlank() && !text.equals(after) ? text : null;
    }, UI, "an error under the question form");
  }

  /**
   * Clicks the first enabled, visible element matching {@code css}, finding it again on every try:
   * the lists re-render as updates arrive, so an element found a moment ago may be gone.
   */
  private static void clickFresh(StageBrowser b, String css, String what) {
    b.waitFor(d -> {
      for (WebElement e : b.driver.findElements(By.cssSelector(css))) {
        if (e.isDisplayed() && e.isEnabled()) {
          e.click();
          return true;
        }
      }
      return null;
    }, UI, what);
  }

  private static void clickQueue(StageBrowser b, String questionId, String testId) {
    clickFresh(b, "[data-testid=queue-question][data-question-id='" + questionId + "'] [data-testid=" + testId + "]",
        testId + " on " + questionId);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> audienceState(StageBrowser b) {
    return (Map<String, Object>) b.js("return window.palco.audience");
  }

  private static void awaitPlayer(StageBrowser b, String state, Duration deadline) {
    b.waitFor(d -> state.equals(audienceState(b).get("player")) ? true : null, deadline, "the player to be " + state);
  }

  /**
   * The camera numbers that the broadcast {@code viewer} plays shows now, cell by cell, for a
   * grid of {@code onStage} people (-1 where a cell is unreadable, as between layouts). The
   * guest's numbers start at {@link #GUEST_FIRST_NUMBER}, everyone else's at 0.
   */
  private static long[] composite(StageBrowser viewer, int onStage) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < onStage; i++) {
      keys.add("t" + i);
    }
    return CounterClip.readInComposite(viewer, CANVAS_WIDTH, LayoutPlanner.grid(keys, null, CANVAS_WIDTH, CANVAS_HEIGHT));
  }

  /** Whether one of the grid's cells shows the guest's camera. */
  private static boolean guestInComposite(StageBrowser viewer, int onStage) {
    for (long n : composite(viewer, onStage)) {
      if (n >= GUEST_FIRST_NUMBER) {
        return true;
      }
    }
    return false;
  }

  /** Whether every cell of the grid shows a camera other than the guest's. */
  private static boolean onlyHostsInComposite(StageBrowser viewer, int onStage) {
    for (long n : composite(viewer, onStage)) {
      if (n < 0 || n >= GUEST_FIRST_NUMBER) {
        return false;
      }
    }
    return true;
  }

  /** {@code GET /api/rooms/{id}/broadcast} as the moderator. */
  private JsonNode broadcastStatus(StageServer.Room room) {
    String token = room.moderatorLink().substring(room.moderatorLink().indexOf("?t=") + 3);
    try {
      java.net.http.HttpResponse<String> r = server.http().send(java.net.http.HttpRequest.newBuilder(
              URI.create(server.base() + "/api/rooms/" + room.id() + "/broadcast"))
          .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Ends the room's broadcast through the REST API, so that it cannot outlive a failed test. A
   * failure here is printed, never thrown: it would hide the test's own.
   */
  private void stopBroadcast(StageServer.Room room) {
    String token = room.moderatorLink().substring(room.moderatorLink().indexOf("?t=") + 3);
    try {
      server.http().send(java.net.http.HttpRequest.newBuilder(
              URI.create(server.base() + "/api/rooms/" + room.id() + "/broadcast"))
          .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).DELETE().build(),
          java.net.http.HttpResponse.BodyHandlers.discarding());
    } catch (java.io.IOException e) {
      System.out.println("audience: the broadcast could not be stopped: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void screenshots(StageBrowser b, String name) {
    b.viewport(1280, 800, false);
    pause(b);
    b.screenshotTo(SCREENSHOTS.resolve(name + "-desktop.png"));
    b.viewport(390, 844, true);
    pause(b);
    b.screenshotTo(SCREENSHOTS.resolve(name + "-phone.png"));
    b.resetViewport();
  }

  /** Lets a re-layout settle: two animation frames, awaited in the page (no sleep here). */
  private static void pause(StageBrowser b) {
    b.driver.executeAsyncScript(
        "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));");
  }

  // ---------------------------------------------------------------- tests

  @Test
  void aQuestionIsAskedUpvotedAndPinnedAndEveryoneSeesItPinnedWithinASecond() throws Exception {
    StageServer.Room room = server.createRoom("Friday panel");
    moderator.joinByLink(room.moderatorLink(), "Mia Moderator");
    presenter.joinByLink(room.presenterLink(), "Ada Lovelace");
    watch(ann, room.audienceLink());
    watch(bob, room.audienceLink());
    watch(cy, room.audienceLink());
    moderator.waitFor(d -> Long.valueOf(3).equals(moderator.js("return window.palco.audience.viewers")), UI,
        "three viewers counted");
    assertTrue(moderator.byTestId("viewer-count").getText().contains("3 watching"),
        moderator.byTestId("viewer-count").getText());

    String question = "How does the SFU keep latency under a second?";
    String qid = ask(ann, "Ann Attendee", question);
    clickQueue(moderator, qid, "q-approve");
    for (StageBrowser voter : List.of(bob, cy)) {
      clickFresh(voter, "[data-testid=audience-question][data-question-id='" + qid + "'] [data-testid=vote-button]",
          "the approved question to vote on");
      voter.waitFor(d -> !voter.driver.findElements(By.cssSelector("[data-testid=audience-question][data-question-id='" + qid
          + "'] [data-testid=vote-button][aria-pressed=true]")).isEmpty(), UI, "the vote to register");
    }
    moderator.waitFor(d -> Long.valueOf(2).equals(moderator.js(
        "const q = window.palco.audience.questions.find(x => x.id === arguments[0]); return q ? q.votes : null", qid)),
        UI, "two votes in the moderator's queue");

    List<StageBrowser> everyone = List.of(moderator, presenter, ann, bob, cy);
    for (StageBrowser b : everyone) {
      b.js("window.__pinnedAt = null; const id = arguments[0];"
          + "const t = setInterval(() => { const p = window.palco.audience && window.palco.audience.pinned;"
          + " if (p && p.id === id) { window.__pinnedAt = Date.now(); clearInterval(t); } }, 5);", qid);
    }
    // The moment of the click, as the moderator's page saw it (all pages share this machine's clock).
    moderator.js("window.__clickedAt = null; document.addEventListener('click', (e) => {"
        + " if (e.target.closest('[data-testid=q-pin]') && window.__clickedAt === null) window.__clickedAt = Date.now(); }, true);");
    clickQueue(moderator, qid, "q-pin");
    long clickedAt = ((Number) moderator.waitFor(d -> moderator.js("return window.__clickedAt"), UI, "the click")).longValue();
    long latest = 0;
    for (StageBrowser b : everyone) {
      Number at = b.waitFor(d -> (Number) b.js("return window.__pinnedAt"), Duration.ofSeconds(5), "the pinned question");
      latest = Math.max(latest, at.longValue());
    }
    long delayMs = latest - clickedAt;
    System.out.printf("pin: all five pages saw the pinned question %d ms after the click%n", delayMs);
    assertTrue(delayMs < 1_000, "everyone sees it pinned within 1 s: " + delayMs + " ms");

    for (StageBrowser viewer : List.of(ann, bob, cy)) {
      assertEquals(question, viewer.byTestId("audience-pinned-text").getText());
      assertTrue(viewer.byTestId("audience-pinned").isDisplayed());
    }
    for (StageBrowser staged : List.of(moderator, presenter)) {
      staged.waitFor(d -> question.equals(staged.byTestId("stage-pinned-text").getText()), UI, "the pinned strip on stage");
    }
    Map<String, Object> annState = audienceState(ann);
    assertEquals(2L, ((Map<?, ?>) annState.get("pinned")).get("votes"));

    // Chat, then the pictures of the product.
    bob.click("side-tab-chat");
    type(bob, "chat-input", "Great panel so far!");
    bob.click("chat-send");
    for (StageBrowser b : List.of(ann, moderator)) {
      b.waitFor(d -> ((List<?>) b.js("return window.palco.audience.chat.map(c => c.text)")).contains("Great panel so far!"),
          UI, "the chat message");
    }
    ann.click("raise-hand");
    String slides = ask(cy, "Cy", "Will the slides be shared after the session?");
    ask(bob, "Bob", "Which browsers are supported?");
    ask(cy, "Cy", "Can a viewer be invited on stage from a phone?");
    moderator.waitFor(d -> moderator.driver.findElements(By.cssSelector("[data-testid=queue-question]")).size() == 4,
        UI, "four questions in the queue");
    clickQueue(moderator, slides, "q-approve");
    clickFresh(ann, "[data-testid=audience-question][data-question-id='" + slides + "'] [data-testid=vote-button]",
        "the second approved question");
    moderator.waitFor(d -> Long.valueOf(1).equals(moderator.js(
        "const q = window.palco.audience.questions.find(x => x.id === arguments[0]); return q ? q.votes : null", slides)),
        UI, "Ann's vote in the queue");
    ask(ann, "Ann Attendee", "Is there a recording for people who missed it?");
    // The moderator's pointer rests away from the tiles, so no hover buttons cover them.
    new org.openqa.selenium.interactions.Actions(moderator.driver)
        .moveToElement(moderator.byTestId("viewer-count")).perform();
    screenshots(ann, "audience");
    screenshots(moderator, "moderator");
    moderator.click("panel-tab-hands");
    moderator.viewport(390, 844, true);
    moderator.click("audience-toggle");
    pause(moderator);
    moderator.screenshotTo(SCREENSHOTS.resolve("moderator-hands-phone.png"));
    moderator.resetViewport();
  }

  @Test
  void aRaisedHandIsInvitedOnStageSeenByThePresenterAndTheBroadcastAndSentBackToTheAudience() throws Exception {
    StageServer.Room room = server.createRoom("Open mic");
    moderator.joinByLink(room.moderatorLink(), "Mia Moderator");
    presenter.joinByLink(room.presenterLink(), "Ada Lovelace");
    moderator.click("broadcast-button");
    try {
      for (StageBrowser viewer : List.of(ann, bob, cy)) {
        watch(viewer, room.audienceLink());
      }
      for (StageBrowser viewer : List.of(ann, bob, cy)) {
        awaitPlayer(viewer, "playing", PLAY_DEADLINE);
      }
      ann.waitFor(d -> onlyHostsInComposite(ann, 2) ? true : null, PLAY_DEADLINE, "the moderator and the presenter in the broadcast");

      type(cy, "asker-name", "Cy Guest");
      cy.click("raise-hand");
      cy.waitFor(d -> "raised".equals(audienceState(cy).get("hand")), UI, "the hand to be up");

      moderator.click("panel-tab-hands");
      clickFresh(moderator, "[data-testid=hand-invite]", "the invite button");
      cy.waitFor(d -> cy.byTestId("invite-card").isDisplayed(), UI, "the invitation");
      cy.screenshot("invited");
      cy.click("accept-invite");
      WebElement name = cy.waitFor(d -> cy.byTestId("name-input").isDisplayed() ? cy.byTestId("name-input") : null, UI,
          "the device check");
      // The stream stops at the device check: on stage it would echo the guest's own voice.
      assertEquals("suspended", audienceState(cy).get("player"));
      if (name.getAttribute("value").isBlank()) {
        name.sendKeys("Cy Guest");
      }
      cy.click("join-button");
      cy.waitFor(d -> Boolean.TRUE.equals(cy.js("return window.palco.joined")), Duration.ofSeconds(15), "on stage");
      long joinedNanos = System.nanoTime();
      String guestId = cy.participantId();
      assertEquals("stage", cy.js("return window.palco.phase"));
      assertEquals("on-stage", audienceState(cy).get("hand"));

      // The presenter sees and hears the guest over WebRTC: frames decoded and growing.
      MediaChecks.awaitFlowing(server, presenter, List.of(guestId), MEDIA_DEADLINE);
      moderator.waitFor(d -> !moderator.tiles(guestId).isEmpty(), UI, "the guest's tile");
      // The audience sees the guest's camera in the broadcast: its numbers in a cell of the
      // three-person grid, read off the frames hls.js plays.
      for (StageBrowser viewer : List.of(ann, bob)) {
        viewer.waitFor(d -> guestInComposite(viewer, 3) ? true : null, PLAY_DEADLINE, "the guest in the broadcast");
        assertEquals("playing", audienceState(viewer).get("player"));
      }
      System.out.printf("audience: the guest's camera reached the viewers' broadcast %d ms after joining the stage;"
              + " the viewers play %s behind live%n", (System.nanoTime() - joinedNanos) / 1_000_000,
          audienceState(ann).get("playerLatency"));
      System.out.println("audience: the bridge's status " + broadcastStatus(room));

      // A question pinned while on air captions the broadcast (the bridge's lower third).
      String question = "Cy, what made you raise your hand?";
      String qid = ask(ann, "Ann Attendee", question);
      moderator.click("panel-tab-questions");
      clickQueue(moderator, qid, "q-pin");
      ann.waitFor(d -> {
        JsonNode caption = broadcastStatus(room).path("lowerThird");
        return question.equals(caption.path("text").asText()) && "Now answering · Ann Attendee".equals(
            caption.path("kicker").asText()) ? true : null;
      }, UI, "the pinned question on the broadcast");
      moderator.screenshot("guest-on-stage");
      cy.screenshot("on-stage");
      ann.waitFor(d -> guestInComposite(ann, 3) ? true : null, PLAY_DEADLINE, "the captioned broadcast to play");
      ann.screenshot("guest-in-broadcast");
      clickQueue(moderator, qid, "q-answered");
      ann.waitFor(d -> broadcastStatus(room).path("lowerThird").isMissingNode() ? true : null, UI,
          "the caption to go once answered");

      moderator.click("panel-tab-hands"); // the guests on stage are listed with the hands
      clickFresh(moderator, "[data-testid=guest-sendback]", "the send-back button");
      cy.waitFor(d -> "audience".equals(cy.js("return window.palco.phase")), UI, "back on the audience page");
      cy.waitFor(d -> cy.byTestId("audience-layout").isDisplayed(), UI, "the audience layout");
      cy.waitFor(d -> "down".equals(audienceState(cy).get("hand")), UI, "the hand down");
      presenter.waitFor(d -> presenter.tiles(guestId).isEmpty(), UI, "the guest's tile to go");
      assertEquals("joined", audienceState(cy).get("connection"), "the audience connection stayed up throughout");
      // Back in the audience, the guest watches again, and the broadcast no longer shows them.
      awaitPlayer(cy, "playing", PLAY_DEADLINE);
      ann.waitFor(d -> onlyHostsInComposite(ann, 2) ? true : null, PLAY_DEADLINE, "the broadcast without the guest");
      cy.screenshot("sent-back");
    } finally {
      stopBroadcast(room);
    }
  }

  @Test
  void abuseIsRefusedWithClearMessagesAndOthersCarryOn() throws Exception {
    StageServer.Room room = server.createRoom("Rough crowd");
    moderator.joinByLink(room.moderatorLink(), "Mia Moderator");
    watch(ann, room.audienceLink());
    watch(bob, room.audienceLink());
    watch(cy, room.audienceLink());

    // A flood from one viewer: the fourth question waiting is refused, and a script hammering
    // the socket gets slow-down and rate-limited answers, then is cut off.
    for (int i = 1; i <= 3; i++) {
      ask(ann, "Ann", "Flood question number " + i);
    }
    type(ann, "question-input", "Flood question number 4");
    ann.click("ask-button");
    String refused = askError(ann, "");
    assertTrue(refused.contains("waiting"), refused);
    ann.screenshot("flood-refused");

    String token = room.audienceLink().substring(room.audienceLink().indexOf("?t=") + 3);
    URI audienceWs = URI.create(server.ws() + "/audience");
    List<String> codes = new ArrayList<>();
    try (WsClient flooder = WsClient.connect(audienceWs)) {
      ObjectNode join = flooder.message("join").put("protocol", 1).put("token", token);
      flooder.send(join);
      flooder.awaitReply("audience.joined", join.get("id").asLong());
      for (int i = 0; i < 300 && flooder.trySendRaw("{\"type\":\"question.ask\",\"text\":\"spam " + i + "\"}"); i++) {
        // As fast as the socket takes them.
      }
      for (int i = 0; i < 20; i++) {
        codes.add(flooder.await("error").path("code").asText());
      }
    }
    assertTrue(codes.contains("rate-limited"), codes.toString());
    assertTrue(codes.stream().allMatch(c -> List.of("rate-limited", "slow-down", "limit-reached").contains(c)), codes.toString());

    // Oversized text: the page counts down, the server refuses with the limit.
    type(bob, "question-input", "x".repeat(300));
    assertTrue(bob.byTestId("ask-hint").getText().contains("20 characters too many"), bob.byTestId("ask-hint").getText());
    bob.click("ask-button");
    String tooLong = askError(bob, "");
    assertTrue(tooLong.contains("280"), tooLong);

    // Script in names and questions is shown as text everywhere.
    String evilName = "<img src=x onerror=\"window.__pwned=1\">";
    String evilText = "<script>window.__pwned=1</script><b>bold?</b> What about XSS?";
    String evilId = ask(cy, evilName, evilText);
    clickQueue(moderator, evilId, "q-approve");
    cy.click("side-tab-chat");
    type(cy, "chat-input", "<img src=y onerror=\"window.__pwned=2\">hi");
    cy.click("chat-send");
    for (StageBrowser b : List.of(ann, bob, moderator)) {
      String selector = b == moderator
          ? "[data-testid=queue-question][data-question-id='" + evilId + "']"
          : "[data-testid=audience-question][data-question-id='" + evilId + "']";
      String textId = b == moderator ? "queue-question-text" : "question-text";
      // Read in one script: the list re-renders as updates arrive.
      @SuppressWarnings("unchecked")
      Map<String, Object> card = b.waitFor(d -> (Map<String, Object>) b.js(
          "const c = document.querySelector(arguments[0]); if (!c) return null;"
              + "return {text: c.querySelector('[data-testid=' + arguments[1] + ']').textContent, all: c.textContent,"
              + " markup: c.querySelectorAll('script, img, b').length};", selector, textId), UI, "the approved question");
      assertEquals(evilText, card.get("text"));
      assertTrue(String.valueOf(card.get("all")).contains(evilName), String.valueOf(card.get("all")));
      assertEquals(0L, card.get("markup"), "no markup from the audience");
      b.waitFor(d -> ((List<?>) b.js("return window.palco.audience.chat.map(c => c.text)")).stream()
          .anyMatch(t -> String.valueOf(t).contains("onerror")), UI, "the chat line");
      assertEquals(null, b.js("return window.__pwned === undefined ? null : window.__pwned"), "no script ran");
    }
    bob.click("side-tab-chat");
    assertTrue(bob.driver.findElements(By.cssSelector("[data-testid=audience-chat] img")).isEmpty());
    bob.screenshot("injection-as-text");

    // A forged stage invitation with Ann's own session is refused with the reason; Ann's page
    // and everyone else carry on.
    @SuppressWarnings("unchecked")
    Map<String, Object> resume = (Map<String, Object>) ann.js(
        "return JSON.parse(sessionStorage.getItem('palco.viewer.' + arguments[0]))", room.id());
    assertNotNull(resume);
    String forgedGrant = server.tokens.issue(room.id(), dev.palco.signaling.Role.PRESENTER, java.time.Instant.now().plusSeconds(60))
        .replaceFirst("^v1", "g1");
    try (WsClient forger = WsClient.connect(server.ws())) {
      ObjectNode join = forger.message("join").put("protocol", 1).put("token", token);
      join.putObject("stage").put("viewerId", (String) resume.get("viewerId")).put("secret", (String) resume.get("secret"))
          .put("grant", forgedGrant);
      JsonNode error = forger.expectError(join);
      assertEquals("grant-bad-signature", error.path("code").asText());
      assertTrue(error.path("message").asText().contains("not issued by this server"), error.toString());
      assertEquals(4001, forger.awaitClose());
    }
    assertEquals("joined", audienceState(ann).get("connection"));
    assertFalse(Boolean.TRUE.equals(audienceState(ann).get("invited")));
    String after = ask(bob, "Bob", "Still working after all that?");
    clickQueue(moderator, after, "q-approve");
    ann.waitFor(d -> ((List<?>) ann.js("return window.palco.audience.questions.map(q => q.id)")).contains(after), UI,
        "the next question to reach Ann");
  }
}
