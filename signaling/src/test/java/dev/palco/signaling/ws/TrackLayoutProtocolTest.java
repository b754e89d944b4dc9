package dev.palco.signaling.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.TestServer;
import dev.palco.signaling.TestServer.CreatedRoom;
import dev.palco.signaling.WsClient;
import dev.palco.signaling.media.InMemoryMediaPlane.FakeSession;
import dev.palco.signaling.media.ReceivePause;
import dev.palco.signaling.media.TrackLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The subscriber's own constraints and what it is told back (docs/protocol.md, "Receiving
 * video"): {@code subscription.layout} reaches the media session validated, and the media
 * plane's pauses reach the page as {@code track.paused}.
 */
class TrackLayoutProtocolTest {

  private static TestServer server;
  private final List<WsClient> clients = new ArrayList<>();
  private final java.util.Map<WsClient, String> ids = new java.util.HashMap<>();

  @BeforeAll
  static void start() {
    // Room caps high enough for one room per test case.
    server = TestServer.start(s -> new dev.palco.signaling.SignalingServer.Settings(
        s.bindAddress(), 0, null, "",
        new dev.palco.signaling.room.RoomSettings(1000, 100, s.rooms().emptyRoomTtl(),
            s.rooms().resumeWindow(), s.rooms().iceServers()),
        s.limits(), s.tokenTtl(), s.maxPlayersPerRoom(), s.webFolder(), "test", s.audience()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(WsClient::close);
  }

  /** A room where Ada publishes a microphone and a camera, and Bob receives them. */
  private record Stage(CreatedRoom room, WsClient ada, String adaId, WsClient bob, String bobId,
      String adaAudio, String adaVideo) {}

  private Stage stage() {
    CreatedRoom room = server.createRoom("Layout");
    WsClient ada = joined(room.presenterToken(), "Ada");
    String adaId = ids.get(ada);
    WsClient bob = joined(room.presenterToken(), "Bob");
    ObjectNode offer = ada.message("publish.offer");
    offer.put("sdp", Sdp.MIC_AND_CAMERA);
    ArrayNode tracks = offer.putArray("tracks");
    tracks.addObject().put("mid", "0").put("source", "microphone");
    tracks.addObject().put("mid", "1").put("source", "camera");
    ada.send(offer);
    ada.awaitReply("publish.answer", offer.get("id").asLong());
    String audio = bob.await("track.published", m -> m.at("/track/kind").asText().equals("audio"))
        .at("/track/trackId").asText();
    String video = bob.await("track.published", m -> m.at("/track/kind").asText().equals("video"))
        .at("/track/trackId").asText();
    JsonNode subscribe = bob.await("subscribe.offer");
    ObjectNode answer = bob.message("subscribe.answer");
    answer.put("revision", subscribe.get("revision").asLong());
    answer.put("sdp", Sdp.ANSWER);
    bob.send(answer);
    return new Stage(room, ada, adaId, bob, ids.get(bob), audio, video);
  }

  private WsClient joined(String token, String name) {
    WsClient c = WsClient.connect(server.ws());
    clients.add(c);
    ObjectNode join = c.message("join");
    join.put("protocol", 1);
    join.put("token", token);
    join.put("name", name);
    c.send(join);
    ids.put(c, c.awaitReply("joined", join.get("id").asLong()).get("participantId").asText());
    return c;
  }

  private static ObjectNode layout(WsClient c, String trackId, Integer width, Integer height, Boolean visible) {
    ObjectNode m = c.message("subscription.layout");
    ObjectNode t = m.putArray("tracks").addObject();
    t.put("trackId", trackId);
    if (width != null) {
      t.put("width", width);
    }
    if (height != null) {
      t.put("height", height);
    }
    if (visible != null) {
      t.put("visible", visible);
    }
    return m;
  }

  @Test
  void aLayoutReachesTheSubscribersMediaSessionAndIsAcknowledged() {
    Stage s = stage();
    FakeSession bobMedia = server.media.session(s.room().id(), s.bobId());

    ObjectNode small = layout(s.bob(), s.adaVideo(), 320, 180, true);
    s.bob().send(small);
    s.bob().awaitReply("ack", small.get("id").asLong());
    ObjectNode hidden = layout(s.bob(), s.adaVideo(), null, null, false);
    s.bob().send(hidden);
    s.bob().awaitReply("ack", hidden.get("id").asLong());

    assertEquals(List.of(new TrackLayout(s.adaVideo(), 320, 180, true), new TrackLayout(s.adaVideo(), 0, 0, false)),
        bobMedia.layouts, "both layouts, in order, with no size meaning no limit");
  }

  @Test
  void aLayoutWithoutIdIsAppliedSilently() {
    Stage s = stage();
    FakeSession bobMedia = server.media.session(s.room().id(), s.bobId());
    ObjectNode m = layout(s.bob(), s.adaVideo(), 1280, 720, null);
    m.remove("id");
    s.bob().send(m);
    WsClient.awaitTrue("the layout applied", () -> bobMedia.layouts.size() == 1);
    assertTrue(bobMedia.layouts.get(0).visible(), "visible by default");
    assertFalse(s.bob().hasAfterBarrier("ack"), "no id, no ack");
    assertFalse(s.bob().hasAfterBarrier("error"));
  }

  @Test
  void unknownAndAudioTracksAreUnknownTrackAndTheOthersStillApply() {
    Stage s = stage();
    FakeSession bobMedia = server.media.session(s.room().id(), s.bobId());

    JsonNode unknown = s.bob().expectError(layout(s.bob(), "t-999", 640, 360, true));
    assertEquals("unknown-track", unknown.get("code").asText());
    assertTrue(unknown.get("message").asText().contains("t-999"), unknown.toString());

    JsonNode audio = s.bob().expectError(layout(s.bob(), s.adaAudio(), 640, 360, true));
    assertEquals("unknown-track", audio.get("code").asText(), "an audio track has no layout");

    // Ada does not receive her own camera.
    JsonNode own = s.ada().expectError(layout(s.ada(), s.adaVideo(), 640, 360, true));
    assertEquals("unknown-track", own.get("code").asText());

    ObjectNode mixed = layout(s.bob(), s.adaVideo(), 640, 360, true);
    ((ArrayNode) mixed.get("tracks")).addObject().put("trackId", "t-gone").put("visible", false);
    JsonNode partly = s.bob().expectError(mixed);
    assertEquals("unknown-track", partly.get("code").asText());
    assertTrue(partly.get("message").asText().contains("t-gone"), partly.toString());
    assertTrue(partly.get("message").asText().contains("applied"), partly.toString());
    assertEquals(List.of(new TrackLayout(s.adaVideo(), 640, 360, true)), bobMedia.layouts);
  }

  static Stream<Arguments> malformedLayouts() {
    return Stream.of(
        Arguments.of("no tracks", "{}"),
        Arguments.of("tracks not an array", "{\"tracks\": {}}"),
        Arguments.of("empty tracks", "{\"tracks\": []}"),
        Arguments.of("entry not an object", "{\"tracks\": [5]}"),
        Arguments.of("no trackId", "{\"tracks\": [{\"width\": 320, \"height\": 180}]}"),
        Arguments.of("trackId not a string", "{\"tracks\": [{\"trackId\": 7}]}"),
        Arguments.of("empty trackId", "{\"tracks\": [{\"trackId\": \"\"}]}"),
        Arguments.of("trackId too long", "{\"tracks\": [{\"trackId\": \"" + "t".repeat(65) + "\"}]}"),
        Arguments.of("width without height", "{\"tracks\": [{\"trackId\": \"t-1\", \"width\": 320}]}"),
        Arguments.of("height without width", "{\"tracks\": [{\"trackId\": \"t-1\", \"height\": 180}]}"),
        Arguments.of("zero width", "{\"tracks\": [{\"trackId\": \"t-1\", \"width\": 0, \"height\": 180}]}"),
        Arguments.of("negative height", "{\"tracks\": [{\"trackId\": \"t-1\", \"width\": 320, \"height\": -1}]}"),
        Arguments.of("width over the bound", "{\"tracks\": [{\"trackId\": \"t-1\", \"width\": 16385, \"height\": 180}]}"),
        Arguments.of("width beyond int", "{\"tracks\": [{\"trackId\": \"t-1\", \"width\": 4294967616, \"height\": 180}]}"),
        Arguments.of("fractional width", "{\"tracks\": [{\"trackId\": \"t-1\", \"width\": 320.5, \"height\": 180}]}"),
        Arguments.of("width as text", "{\"tracks\": [{\"trackId\": \"t-1\", \"width\": \"320\", \"height\": 180}]}"),
        Arguments.of("visible as text", "{\"tracks\": [{\"trackId\": \"t-1\", \"visible\": \"yes\"}]}"),
        Arguments.of("a track twice", "{\"tracks\": [{\"trackId\": \"t-1\"}, {\"trackId\": \"t-1\"}]}"),
        Arguments.of("too many tracks", "{\"tracks\": [" + String.join(", ", java.util.Collections.nCopies(
            ClientConnection.MAX_LAYOUT_TRACKS + 1, "{\"trackId\": \"t-1\"}")) + "]}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedLayouts")
  void malformedLayoutsAreBadMessageAndReachNoMediaSession(String what, String body) throws Exception {
    Stage s = stage();
    FakeSession bobMedia = server.media.session(s.room().id(), s.bobId());
    ObjectNode message = (ObjectNode) dev.palco.signaling.Json.MAPPER.readTree(body);
    message.put("type", "subscription.layout");
    message.put("id", 41);
    s.bob().send(message);
    JsonNode error = s.bob().awaitReply("error", 41);
    assertEquals("bad-message", error.get("code").asText(), error.toString());
    assertTrue(bobMedia.layouts.isEmpty(), "nothing applied");
    ObjectNode ping = s.bob().message("ping");
    s.bob().send(ping);
    s.bob().awaitReply("pong", ping.get("id").asLong());
  }

  @Test
  void aLayoutBeforeJoiningIsNotJoined() {
    WsClient c = WsClient.connect(server.ws());
    clients.add(c);
    assertEquals("not-joined", c.expectError(layout(c, "t-1", 320, 180, true)).get("code").asText());
  }

  @Test
  void layoutsAreRateLimitedLikeEveryOtherMessage() {
    Stage s = stage();
    FakeSession bobMedia = server.media.session(s.room().id(), s.bobId());
    // The documented burst is 100 messages (the join and the answer took two), refilled at 50 a
    // second: 300 at once overflow it unless the server took 4 s to read them.
    for (int i = 0; i < 300; i++) {
      s.bob().send(layout(s.bob(), s.adaVideo(), 320 + i, 180, true));
    }
    JsonNode limited = s.bob().await("error", m -> m.get("code").asText().equals("rate-limited"));
    assertTrue(limited.has("re"), limited.toString());
    WsClient.awaitTrue("the burst's layouts applied", () -> bobMedia.layouts.size() >= 95);
    // A message answered rate-limited is never applied, so not all 300 can be.
    assertTrue(bobMedia.layouts.size() < 300, "some were dropped: " + bobMedia.layouts.size());
  }

  @Test
  void pausesReachTheSubscriberWithTheirReasonAndResumesWithout() {
    Stage s = stage();
    FakeSession bobMedia = server.media.session(s.room().id(), s.bobId());

    bobMedia.emitPause(s.adaId(), s.adaVideo(), ReceivePause.LAST_N);
    JsonNode paused = s.bob().await("track.paused");
    assertEquals(s.adaId(), paused.get("participantId").asText());
    assertEquals(s.adaVideo(), paused.get("trackId").asText());
    assertTrue(paused.get("paused").asBoolean());
    assertEquals("last-n", paused.get("reason").asText());

    for (ReceivePause reason : List.of(ReceivePause.HIDDEN, ReceivePause.BANDWIDTH, ReceivePause.NO_LIVE_LAYER)) {
      bobMedia.emitPause(s.adaId(), s.adaVideo(), reason);
      assertEquals(reason.wireName(), s.bob().await("track.paused").get("reason").asText());
    }

    bobMedia.emitPause(s.adaId(), s.adaVideo(), ReceivePause.NONE);
    JsonNode resumed = s.bob().await("track.paused");
    assertFalse(resumed.get("paused").asBoolean());
    assertFalse(resumed.has("reason"), resumed.toString());
    assertFalse(s.ada().hasAfterBarrier("track.paused"), "only the subscriber is told");
  }
}
