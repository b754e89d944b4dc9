package dev.palco.signaling.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.Json;
import dev.palco.signaling.Role;
import dev.palco.signaling.TestServer;
import dev.palco.signaling.TestServer.CreatedRoom;
import dev.palco.signaling.WsClient;
import dev.palco.signaling.media.InMemoryMediaPlane.FakeSession;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The WebSocket protocol of docs/protocol.md against a real server and real WebSocket clients. */
class WebSocketProtocolTest {

  private static TestServer server;
  private final List<WsClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(WsClient::close);
  }

  private WsClient connect() {
    WsClient c = WsClient.connect(server.ws());
    clients.add(c);
    return c;
  }

  private static ObjectNode join(WsClient c, String token, String name) {
    ObjectNode m = c.message("join");
    m.put("protocol", 1);
    m.put("token", token);
    m.put("name", name);
    return m;
  }

  private static JsonNode joinAs(WsClient c, String token, String name) {
    ObjectNode m = join(c, token, name);
    c.send(m);
    JsonNode joined = c.awaitReply("joined", m.get("id").asLong());
    return joined;
  }

  private static void publish(WsClient c, String sdp) {
    ObjectNode offer = c.message("publish.offer");
    offer.put("sdp", sdp);
    offer.putArray("tracks").addObject().put("mid", "0").put("source", "microphone");
    ((com.fasterxml.jackson.databind.node.ArrayNode) offer.get("tracks")).addObject().put("mid", "1").put("source", "camera");
    c.send(offer);
    JsonNode answer = c.awaitReply("publish.answer", offer.get("id").asLong());
    assertTrue(answer.get("sdp").asText().startsWith("v=0"));
  }

  private static void answerSubscribe(WsClient c, JsonNode offer) {
    ObjectNode answer = c.message("subscribe.answer");
    answer.put("revision", offer.get("revision").asLong());
    answer.put("sdp", Sdp.ANSWER);
    c.send(answer);
  }

  @Test
  void joinAnswersJoinedWithRoomRoleResumeAndIceServers() {
    CreatedRoom room = server.createRoom("Friday panel");
    WsClient ada = connect();

    JsonNode joined = joinAs(ada, room.moderatorToken(), "Ada Lovelace");

    assertEquals(1, joined.get("protocol").asInt());
    assertEquals(room.id(), joined.at("/room/id").asText());
    assertEquals("Friday panel", joined.at("/room/name").asText());
    assertEquals("moderator", joined.get("role").asText());
    assertFalse(joined.get("resumed").asBoolean());
    String id = joined.get("participantId").asText();
    assertTrue(id.startsWith("p-"));
    assertEquals(id, joined.at("/resume/participantId").asText());
    assertTrue(joined.at("/resume/secret").asText().length() >= 20);
    assertEquals("stun:127.0.0.1:3478", joined.at("/iceServers/0/urls/0").asText());
    assertEquals(0, joined.get("participants").size());
  }

  @Test
  void secondParticipantIsAnnouncedAndSeesTheFirst() {
    CreatedRoom room = server.createRoom("Panel");
    WsClient ada = connect();
    String adaId = joinAs(ada, room.moderatorToken(), "Ada").get("participantId").asText();
    WsClient bob = connect();

    JsonNode bobJoined = joinAs(bob, room.presenterToken(), "Bob");

    assertEquals(1, bobJoined.get("participants").size());
    JsonNode listed = bobJoined.at("/participants/0");
    assertEquals(adaId, listed.get("id").asText());
    assertEquals("Ada", listed.get("name").asText());
    assertEquals("moderator", listed.get("role").asText());
    JsonNode announced = ada.await("participant.joined").get("participant");
    assertEquals(bobJoined.get("participantId").asText(), announced.get("id").asText());
    assertEquals("Bob", announced.get("name").asText());
    assertEquals("presenter", announced.get("role").asText());
    assertEquals(0, announced.get("tracks").size());
  }

  @Test
  void joinRefusalsCloseWithTheDocumentedStatus() {
    CreatedRoom room = server.createRoom("Panel");
    String token = room.presenterToken();

    WsClient forged = connect();
    String forgedToken = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
    JsonNode e = forged.expectError(join(forged, forgedToken, "Eve"));
    assertEquals("token-bad-signature", e.get("code").asText());
    assertEquals(4001, forged.awaitClose());

    WsClient expired = connect();
    String old = server.tokens.issue(room.id(), Role.PRESENTER, server.clock.instant().minusSeconds(1));
    assertEquals("token-expired", expired.expectError(join(expired, old, "Old")).get("code").asText());
    assertEquals(4001, expired.awaitClose());

    WsClient wrongRoom = connect();
    ObjectNode m = join(wrongRoom, token, "Lost");
    m.put("room", "zzzzzz");
    assertEquals("token-wrong-room", wrongRoom.expectError(m).get("code").asText());
    assertEquals(4001, wrongRoom.awaitClose());

    WsClient gone = connect();
    String noRoom = server.tokens.issue("nxroom", Role.PRESENTER, server.clock.instant().plusSeconds(60));
    assertEquals("room-not-found", gone.expectError(join(gone, noRoom, "Late")).get("code").asText());
    assertEquals(4004, gone.awaitClose());
  }

  @Test
  void roomQueryParameterNamesTheRoomBeingJoined() {
    CreatedRoom room = server.createRoom("Panel");
    CreatedRoom other = server.createRoom("Other");
    WsClient c = WsClient.connect(java.net.URI.create(server.ws() + "?room=" + other.id()));
    clients.add(c);
    assertEquals("token-wrong-room", c.expectError(join(c, room.presenterToken(), "Lost")).get("code").asText());
  }

  @Test
  void protocolVersionAndOrderAreChecked() {
    CreatedRoom room = server.createRoom("Panel");
    WsClient c = connect();
    ObjectNode early = c.message("publish.offer");
    early.put("sdp", Sdp.MIC_AND_CAMERA);
    assertEquals("not-joined", c.expectError(early).get("code").asText());

    ObjectNode v2 = join(c, room.presenterToken(), "Future");
    v2.put("protocol", 2);
    assertEquals("unsupported-protocol", c.expectError(v2).get("code").asText());

    ObjectNode ping = c.message("ping");
    c.send(ping);
    c.awaitReply("pong", ping.get("id").asLong());
    joinAs(c, room.presenterToken(), "Now");
    assertEquals("bad-message", c.expectError(join(c, room.presenterToken(), "Again")).get("code").asText());
  }

  @Test
  void publishOfferIsAnsweredAndTracksAreAnnounced() {
    CreatedRoom room = server.createRoom("Panel");
    WsClient ada = connect();
    String adaId = joinAs(ada, room.moderatorToken(), "Ada").get("participantId").asText();
    WsClient bob = connect();
    joinAs(bob, room.presenterToken(), "Bob");

    publish(ada, Sdp.MIC_AND_CAMERA);

    JsonNode own = ada.await("track.published", m -> m.at("/track/kind").asText().equals("audio"));
    assertEquals("0", own.at("/track/mid").asText(), "the publisher learns its mid -> trackId map");
    JsonNode seen = bob.await("track.published", m -> m.at("/track/kind").asText().equals("audio"));
    assertEquals(adaId, seen.get("participantId").asText());
    assertEquals("microphone", seen.at("/track/source").asText());
    assertFalse(seen.at("/track/muted").asBoolean());
    assertTrue(seen.at("/track/mid").isMissingNode(), "others do not get the publisher's mid");
    assertEquals("camera", bob.await("track.published").at("/track/source").asText());

    // A late joiner sees the tracks in joined.
    WsClient cy = connect();
    JsonNode cyJoined = joinAs(cy, room.presenterToken(), "Cy");
    JsonNode adaListed = null;
    for (JsonNode p : cyJoined.get("participants")) {
      if (p.get("id").asText().equals(adaId)) {
        adaListed = p;
      }
    }
    assertNotNull(adaListed);
    assertEquals(2, adaListed.get("tracks").size());
  }

  @Test
  void rejectedSdpIsSdpInvalidWithTheMediaPlanesReason() {
    CreatedRoom room = server.createRoom("Panel");
    WsClient ada = connect();
    joinAs(ada, room.presenterToken(), "Ada");
    ObjectNode offer = ada.message("publish.offer");
    offer.put("sdp", Sdp.HEADER + "m=video 9 UDP/TLS/RTP/SAVPF 98\r\na=mid:1\r\na=x-reject:m=video mid=1: no supported codec (offered: VP9, AV1)\r\n");

    JsonNode error = ada.expectError(offer);

    assertEquals("sdp-invalid", error.get("code").asText());
    assertEquals("m=video mid=1: no supported codec (offered: VP9, AV1)", error.get("message").asText());
  }

  @Test
  void subscribeRevisionsFollowTheGlareRuleAndFoldChanges() {
    CreatedRoom room = server.createRoom("Panel");
    WsClient ada = connect();
    String adaId = joinAs(ada, room.moderatorToken(), "Ada").get("participantId").asText();
    WsClient bob = connect();
    String bobId = joinAs(bob, room.presenterToken(), "Bob").get("participantId").asText();

    publish(ada, Sdp.MIC_AND_CAMERA);
    JsonNode offer1 = bob.await("subscribe.offer");
    assertEquals(1, offer1.get("revision").asLong());
    assertEquals(2, offer1.get("tracks").size());
    JsonNode t0 = offer1.at("/tracks/0");
    assertEquals(adaId, t0.get("participantId").asText());
    assertEquals("audio", t0.get("kind").asText());
    assertEquals("microphone", t0.get("source").asText());
    assertTrue(offer1.get("sdp").asText().contains("a=mid:" + t0.get("mid").asText()));

    // Glare: Bob's own offer crosses the unanswered subscribe offer; the server is impolite.
    ObjectNode crossing = bob.message("publish.offer");
    crossing.put("sdp", Sdp.MIC_AND_CAMERA);
    assertEquals("glare", bob.expectError(crossing).get("code").asText());

    // While revision 1 is unanswered, Ada shares her screen: no second offer yet.
    ObjectNode screen = ada.message("publish.offer");
    screen.put("sdp", Sdp.WITH_SCREEN);
    screen.putArray("tracks").addObject().put("mid", "2").put("source", "screen");
    ada.send(screen);
    ada.awaitReply("publish.answer", screen.get("id").asLong());
    assertFalse(bob.hasAfterBarrier("subscribe.offer"), "one subscribe offer at a time");

    // A stale revision is refused.
    ObjectNode stale = bob.message("subscribe.answer");
    stale.put("revision", 7);
    stale.put("sdp", Sdp.ANSWER);
    assertEquals("bad-message", bob.expectError(stale).get("code").asText());

    answerSubscribe(bob, offer1);
    JsonNode offer2 = bob.await("subscribe.offer");
    assertEquals(2, offer2.get("revision").asLong());
    assertEquals(3, offer2.get("tracks").size(), "the screen share was folded into the next offer");
    assertEquals("screen", offer2.at("/tracks/2/source").asText());
    answerSubscribe(bob, offer2);

    FakeSession bobMedia = server.media.session(room.id(), bobId);
    WsClient.awaitTrue("both answers applied", () -> bobMedia.appliedRevisions.equals(List.of(1L, 2L)));

    // Now Bob may publish; Ada is offer his tracks.
    publish(bob, Sdp.MIC_AND_CAMERA);
    JsonNode adaOffer = ada.await("subscribe.offer");
    assertEquals(1, adaOffer.get("revision").asLong());
    assertEquals(bobId, adaOffer.at("/tracks/0/participantId").asText());
  }

  @Test
  void trickleGoesToTheMediaSessionBothWays() {
    CreatedRoom room = server.createRoom("Panel");
    WsClient ada = connect();
    String adaId = joinAs(ada, room.presenterToken(), "Ada").get("participantId").asText();
    FakeSession media = server.media.session(room.id(), adaId);

    ObjectNode trickle = ada.message("trickle");
    ObjectNode c = trickle.putObject("candidate");
    c.put("candidate", "candidate:1 1 udp 2122260223 192.0.2.10 54321 typ host");
    c.put("sdpMid", "0");
    c.put("sdpMLineIndex", 0);
    ada.send(trickle);
    ObjectNode end = ada.message("trickle");
    end.putNull("candidate");
    ada.send(end);
    ObjectNode bad = ada.message("trickle");
    bad.put("candidate", "candidate:1 1 udp");
    assertEquals("bad-message", ada.expectError(bad).get("code").asText());

    WsClient.awaitTrue("candidate and end-of-candidates reached the media session",
        () -> media.remoteCandidates.size() == 1 && media.endOfCandidates);
    assertEquals("candidate:1 1 udp 2122260223 192.0.2.10 54321 typ host", media.remoteCandidates.get(0).candidate());
    assertEquals("0", media.remoteCandidates.get(0).sdpMid());
    assertEquals(0, media.remoteCandidates.get(0).sdpMLineIndex());

    media.emitLocalCandidate(new dev.palco.signaling.media.IceCandidate("candidate:9 1 udp 1 127.0.0.1 10000 typ host", "0", 0));
    media.emitLocalCandidate(null);
    assertEquals("candidate:9 1 udp 1 127.0.0.1 10000 typ host", ada.await("trickle").at("/candidate/candidate").asText());
    assertTrue(ada.await("trickle").get("candidate").isNull());
  }

  @Test
  void mediaFailureIsReported() {
    CreatedRoom room = server.createRoom("Panel");
    WsClient ada = connect();
    String adaId = joinAs(ada, room.presenterToken(), "Ada").get("participantId").asText();
    server.media.session(room.id(), adaId).fail("ICE failed");
    JsonNode e = ada.await("error");
    assertEquals("internal", e.get("code").asText());
    assertTrue(e.get("message").asText().contains("ICE failed"));
  }

  @Test
  void dominantSpeakerChangesReachEverySeatAndLateJoinersLearnTheCurrentOne() {
    CreatedRoom room = server.createRoom("Panel");
    WsClient ada = connect();
    String adaId = joinAs(ada, room.presenterToken(), "Ada").get("participantId").asText();
    WsClient grace = connect();
    String graceId = joinAs(grace, room.presenterToken(), "Grace").get("participantId").asText();

    // Each seat's media session reports the room's change; every seat hears it once, with the
    // speaking order limited to announced seats (a WHEP player's id, say, is left out).
    List<String> order = List.of(graceId, "whep-player-1", adaId);
    server.media.session(room.id(), adaId).emitDominantSpeaker(graceId, order);
    server.media.session(room.id(), graceId).emitDominantSpeaker(graceId, order);
    for (WsClient c : List.of(ada, grace)) {
      JsonNode m = c.await("speaker.changed");
      assertEquals(graceId, m.get("participantId").asText());
      assertEquals(List.of(graceId, adaId),
          List.of(m.at("/participantIds/0").asText(), m.at("/participantIds/1").asText()));
      assertEquals(2, m.get("participantIds").size());
    }

    WsClient late = connect();
    joinAs(late, room.presenterToken(), "Late");
    assertEquals(graceId, late.await("speaker.changed").get("participantId").asText(),
        "a newcomer hears who is speaking now");
  }

  @Test
  void muteBySelfAndByModeratorIsEnforcedOnTheServer() {
    CreatedRoom room = server.createRoom("Panel");
    WsClient mod = connect();
    String modId = joinAs(mod, room.moderatorToken(), "Mod").get("participantId").asText();
    WsClient bob = connect();
    String bobId = joinAs(bob, room.presenterToken(), "Bob").get("participantId").asText();
    WsClient cy = connect();
    joinAs(cy, room.presenterToken(), "Cy");
    publish(bob, Sdp.MIC_AND_CAMERA);
    String bobAudio = bob.await("track.published", m -> m.at("/track/kind").asText().equals("audio")).at("/track/trackId").asText();
    String bobVideo = bob.await("track.published", m -> m.at("/track/kind").asText().equals("video")).at("/track/trackId").asText();
    FakeSession bobMedia = server.media.session(room.id(), bobId);

    // Self mute of the camera.
    ObjectNode selfMute = bob.message("track.mute");
    selfMute.put("trackId", bobVideo);
    selfMute.put("muted", true);
    bob.send(selfMute);
    JsonNode seen = cy.await("track.muted");
    assertEquals(bobId, seen.get("participantId").asText());
    assertEquals(bobVideo, seen.get("trackId").asText());
    assertTrue(seen.get("muted").asBoolean());
    assertEquals(bobId, seen.get("by").asText());

    // A presenter may not mute others, nor mute a track that is not its own.
    ObjectNode presenterMute = cy.message("moderate.mute");
    presenterMute.put("participantId", bobId);
    presenterMute.put("kind", "audio");
    assertEquals("forbidden", cy.expectError(presenterMute).get("code").asText());
    ObjectNode notOwn = cy.message("track.mute");
    notOwn.put("trackId", bobAudio);
    notOwn.put("muted", true);
    assertEquals("bad-message", cy.expectError(notOwn).get("code").asText());

    // The moderator mutes Bob's audio.
    ObjectNode modMute = mod.message("moderate.mute");
    modMute.put("participantId", bobId);
    modMute.put("kind", "audio");
    mod.send(modMute);
    JsonNode told = bob.await("muted.by.moderator");
    assertEquals("audio", told.get("kind").asText());
    assertEquals(modId, told.get("by").asText());
    JsonNode all = cy.await("track.muted", m -> m.get("trackId").asText().equals(bobAudio));
    assertEquals(modId, all.get("by").asText());
    WsClient.awaitTrue("forwarding of both tracks stopped on the server",
        () -> bobMedia.mutes.equals(List.of(bobVideo + "=true", bobAudio + "=true")));

    // Only Bob can unmute.
    ObjectNode unmute = bob.message("track.mute");
    unmute.put("trackId", bobAudio);
    unmute.put("muted", false);
    bob.send(unmute);
    assertFalse(cy.await("track.muted", m -> m.get("trackId").asText().equals(bobAudio)).get("muted").asBoolean());
    WsClient.awaitTrue("unmuted on the server", () -> bobMedia.mutes.contains(bobAudio + "=false"));
  }

  @Test
  void removedParticipantIsToldClosedAndCannotRejoinWithItsLink() {
    CreatedRoom room = server.createRoom("Panel");
    String eveToken = server.tokens.issue(room.id(), Role.PRESENTER, server.clock.instant().plusSeconds(3600));
    WsClient mod = connect();
    String modId = joinAs(mod, room.moderatorToken(), "Mod").get("participantId").asText();
    WsClient eve = connect();
    String eveId = joinAs(eve, eveToken, "Eve").get("participantId").asText();
    WsClient cy = connect();
    joinAs(cy, room.presenterToken(), "Cy");

    ObjectNode byPresenter = cy.message("moderate.remove");
    byPresenter.put("participantId", eveId);
    assertEquals("forbidden", cy.expectError(byPresenter).get("code").asText());

    ObjectNode remove = mod.message("moderate.remove");
    remove.put("participantId", eveId);
    remove.put("reason", "Off-topic");
    mod.send(remove);

    JsonNode removed = eve.await("removed");
    assertEquals("Off-topic", removed.get("reason").asText());
    assertEquals(modId, removed.get("by").asText());
    assertEquals(4003, eve.awaitClose());
    JsonNode left = cy.await("participant.left");
    assertEquals(eveId, left.get("participantId").asText());
    assertEquals("removed", left.get("reason").asText());

    WsClient again = connect();
    assertEquals("forbidden", again.expectError(join(again, eveToken, "Eve")).get("code").asText());
    assertEquals(4003, again.awaitClose());
  }

  @Test
  void roomEndClosesEveryoneWith4000AndIsForModeratorsOnly() {
    CreatedRoom room = server.createRoom("Panel");
    WsClient mod = connect();
    joinAs(mod, room.moderatorToken(), "Mod");
    WsClient bob = connect();
    joinAs(bob, room.presenterToken(), "Bob");

    assertEquals("forbidden", bob.expectError(bob.message("room.end")).get("code").asText());
    mod.send(mod.message("room.end"));

    assertEquals("ended by moderator", bob.await("room.ended").get("reason").asText());
    assertEquals(4000, bob.awaitClose());
    mod.await("room.ended");
    assertEquals(4000, mod.awaitClose());
    assertTrue(server.server.rooms().get(room.id()) == null);
    WsClient.awaitTrue("media room released", () -> server.media.closedRooms().contains(room.id()));
  }

  @Test
  void broadcastControlIsForModeratorsAndAServerWithoutABridgeSaysSo() {
    CreatedRoom room = server.createRoom("Panel");
    WsClient mod = connect();
    joinAs(mod, room.moderatorToken(), "Mod");
    WsClient bob = connect();
    joinAs(bob, room.presenterToken(), "Bob");

    assertEquals("forbidden", bob.expectError(bob.message("broadcast.start")).get("code").asText());
    assertEquals("forbidden", bob.expectError(bob.message("broadcast.stop")).get("code").asText());
    JsonNode refused = mod.expectError(mod.message("broadcast.start"));
    assertEquals("broadcast-unavailable", refused.get("code").asText());
    assertTrue(refused.get("message").asText().contains("no bridge"), refused.toString());
    // Stopping what never started is harmless, and tells every seat it is off air.
    mod.send(mod.message("broadcast.stop"));
    assertFalse(bob.await("broadcast.state").get("live").asBoolean());
  }

  @Test
  void resumeAfterADroppedConnectionKeepsTheSeat() throws Exception {
    CreatedRoom room = server.createRoom("Panel");
    WsClient ada = connect();
    joinAs(ada, room.moderatorToken(), "Ada");
    WsClient bob = connect();
    JsonNode bobJoined = joinAs(bob, room.presenterToken(), "Bob");
    String bobId = bobJoined.get("participantId").asText();
    String secret = bobJoined.at("/resume/secret").asText();
    ada.await("participant.joined");

    bob.abort();
    WsClient.awaitTrue("the server saw the drop", () -> !connected(room, bobId));

    WsClient back = connect();
    ObjectNode resume = join(back, room.presenterToken(), "Bob");
    resume.putObject("resume").put("participantId", bobId).put("secret", secret);
    back.send(resume);
    JsonNode joined = back.awaitReply("joined", resume.get("id").asLong());
    assertTrue(joined.get("resumed").asBoolean());
    assertEquals(bobId, joined.get("participantId").asText());
    assertEquals("presenter", joined.get("role").asText());
    assertEquals(1, joined.get("participants").size());
    assertFalse(ada.hasAfterBarrier("participant.left"), "a resumed seat never left");
    assertFalse(ada.hasAfterBarrier("participant.joined"), "nor joined again");

    // A wrong secret gets a fresh seat instead.
    WsClient imposter = connect();
    ObjectNode guess = join(imposter, room.presenterToken(), "Mallory");
    guess.putObject("resume").put("participantId", bobId).put("secret", "AAAAAAAAAAAAAAAAAAAAAAAA");
    imposter.send(guess);
    JsonNode fresh = imposter.awaitReply("joined", guess.get("id").asLong());
    assertFalse(fresh.get("resumed").asBoolean());
    assertFalse(fresh.get("participantId").asText().equals(bobId));
  }

  @Test
  void seatIsFreedWhenTheResumeWindowPasses() {
    CreatedRoom room = server.createRoom("Panel");
    WsClient ada = connect();
    joinAs(ada, room.moderatorToken(), "Ada");
    WsClient bob = connect();
    String bobId = joinAs(bob, room.presenterToken(), "Bob").get("participantId").asText();

    bob.abort();
    WsClient.awaitTrue("the server saw the drop", () -> !connected(room, bobId));
    server.clock.advance(Duration.ofSeconds(29));
    server.server.rooms().sweep();
    assertFalse(ada.hasAfterBarrier("participant.left"));

    server.clock.advance(Duration.ofSeconds(1));
    server.server.rooms().sweep();
    JsonNode left = ada.await("participant.left");
    assertEquals(bobId, left.get("participantId").asText());
    assertEquals("disconnected", left.get("reason").asText());
  }

  @Test
  void leaveTellsTheOthers() {
    CreatedRoom room = server.createRoom("Panel");
    WsClient ada = connect();
    joinAs(ada, room.moderatorToken(), "Ada");
    WsClient bob = connect();
    String bobId = joinAs(bob, room.presenterToken(), "Bob").get("participantId").asText();
    publish(bob, Sdp.MIC_AND_CAMERA);
    ada.await("subscribe.offer");

    bob.send(bob.message("leave"));

    JsonNode left = ada.await("participant.left");
    assertEquals(bobId, left.get("participantId").asText());
    assertEquals("left", left.get("reason").asText());
    assertEquals(1000, bob.awaitClose());
    assertTrue(server.media.session(room.id(), bobId) == null, "media session closed");
  }

  @Test
  void fullRoomIsRoomFull() {
    CreatedRoom room = server.createRoom("Panel");
    for (int i = 0; i < 8; i++) {
      joinAs(connect(), room.presenterToken(), "P" + i);
    }
    WsClient ninth = connect();
    assertEquals("room-full", ninth.expectError(join(ninth, room.presenterToken(), "P9")).get("code").asText());
  }

  private static boolean connected(CreatedRoom room, String participantId) {
    String body =
        server.send(HttpRequest.newBuilder(server.uri("/api/rooms/" + room.id()))
            .header("Authorization", "Bearer " + room.moderatorToken()).GET().build()).body();
    try {
      for (JsonNode p : Json.MAPPER.readTree(body).get("participants")) {
        if (p.get("id").asText().equals(participantId)) {
          return p.get("connected").asBoolean();
        }
      }
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    return false;
  }
}
