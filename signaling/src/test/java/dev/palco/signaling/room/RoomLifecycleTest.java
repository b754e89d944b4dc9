package dev.palco.signaling.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.Json;
import dev.palco.signaling.SignalingServer;
import dev.palco.signaling.TestServer;
import dev.palco.signaling.TestServer.CreatedRoom;
import dev.palco.signaling.WsClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Room expiry when empty and the room cap, with a clock the test moves. */
class RoomLifecycleTest {

  private static TestServer server;

  @BeforeAll
  static void start() {
    server =
        TestServer.start(
            s -> new SignalingServer.Settings(
                s.bindAddress(), 0, null, "",
                new RoomSettings(3, 8, Duration.ofMinutes(10), Duration.ofSeconds(30), s.rooms().iceServers()),
                s.limits(), s.tokenTtl(), s.maxPlayersPerRoom(), s.webFolder(), "test", s.audience()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void emptyRoomsExpireOccupiedOnesDoNotAndTheCapHolds() {
    CreatedRoom unused = server.createRoom("Nobody came");
    CreatedRoom busy = server.createRoom("Busy");
    try (WsClient ada = WsClient.connect(server.ws())) {
      ObjectNode join = ada.message("join");
      join.put("protocol", 1);
      join.put("token", busy.presenterToken());
      ada.send(join);
      ada.await("joined");
      server.createRoom("Third");

      assertEquals(503, server.send(HttpRequest.newBuilder(server.uri("/api/rooms"))
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build()).statusCode(), "room cap");

      server.clock.advance(Duration.ofMinutes(9));
      server.server.rooms().sweep();
      assertNotNull(server.server.rooms().get(unused.id()));

      server.clock.advance(Duration.ofMinutes(1));
      server.server.rooms().sweep();
      assertNull(server.server.rooms().get(unused.id()), "empty for 10 minutes: ended");
      assertNotNull(server.server.rooms().get(busy.id()), "someone is in it");
      assertEquals(201, server.send(HttpRequest.newBuilder(server.uri("/api/rooms"))
          .POST(HttpRequest.BodyPublishers.ofString(Json.object().toString())).build()).statusCode(), "room freed");

      ada.send(ada.message("leave"));
      ada.awaitClose();
      server.clock.advance(Duration.ofMinutes(10));
      server.server.rooms().sweep();
      assertNull(server.server.rooms().get(busy.id()), "empty again for 10 minutes: ended");
    }
  }
}
