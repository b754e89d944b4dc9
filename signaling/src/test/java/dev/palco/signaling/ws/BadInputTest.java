package dev.palco.signaling.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.SignalingServer;
import dev.palco.signaling.TestServer;
import dev.palco.signaling.TestServer.CreatedRoom;
import dev.palco.signaling.WsClient;
import dev.palco.signaling.room.RoomSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed, oversized and flooding input is answered and contained: the connection stays usable
 * where the protocol says so, and another connection in the same room is not slowed down.
 */
class BadInputTest {

  /** Flooding closes after one second here (ten in production) to keep the test short. */
  private static final Duration FLOOD_CLOSE_AFTER = Duration.ofSeconds(1);

  private static TestServer server;
  private final List<WsClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() {
    server =
        TestServer.start(
            s -> {
              SignalingLimits l = s.limits();
              // Room caps high enough for one room per test case.
              RoomSettings rooms = new RoomSettings(1000, 100, s.rooms().emptyRoomTtl(),
                  s.rooms().resumeWindow(), s.rooms().iceServers());
              return new SignalingServer.Settings(
                  s.bindAddress(), 0, null, "", rooms,
                  new SignalingLimits(l.maxMessageBytes(), l.messagesPerSecond(), l.burstMessages(),
                      FLOOD_CLOSE_AFTER, l.outgoingQueueMessages(), l.incomingQueueMessages()),
                  s.tokenTtl(), s.maxPlayersPerRoom(), s.webFolder(), "test", s.audience());
            });
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(WsClient::close);
  }

  private WsClient joined(CreatedRoom room, String token, String name) {
    WsClient c = WsClient.connect(server.ws());
    clients.add(c);
    ObjectNode join = c.message("join");
    join.put("protocol", 1);
    join.put("token", token);
    join.put("name", name);
    c.send(join);
    c.awaitReply("joined", join.get("id").asLong());
    return c;
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("{", "bad-json", false),
        Arguments.of("garbage", "bad-json", false),
        Arguments.of("[1,2,3]", "bad-json", false),
        Arguments.of("\"join\"", "bad-json", false),
        Arguments.of("null", "bad-json", false),
        Arguments.of("[".repeat(5000) + "]".repeat(5000), "bad-json", false),
        Arguments.of("{\"id\": 1}", "unknown-type", true),
        Arguments.of("{\"id\": 2, \"type\": 7}", "unknown-type", true),
        Arguments.of("{\"id\": 3, \"type\": \"launch.missiles\"}", "unknown-type", true),
        Arguments.of("{\"id\": \"four\", \"type\": \"ping\"}", "bad-message", false),
        Arguments.of("{\"id\": 5, \"type\": \"publish.offer\"}", "bad-message", true),
        Arguments.of("{\"id\": 6, \"type\": \"publish.offer\", \"sdp\": 12}", "bad-message", true),
        Arguments.of("{\"id\": 7, \"type\": \"publish.offer\", \"sdp\": \"v=0\", \"tracks\": {}}", "bad-message", true),
        Arguments.of("{\"id\": 8, \"type\": \"publish.offer\", \"sdp\": \"v=0\", \"tracks\": [{\"mid\": \"0\", \"source\": \"hologram\"}]}", "bad-message", true),
        Arguments.of("{\"id\": 9, \"type\": \"subscribe.answer\", \"sdp\": \"v=0\"}", "bad-message", true),
        Arguments.of("{\"id\": 10, \"type\": \"subscribe.answer\", \"revision\": \"1\", \"sdp\": \"v=0\"}", "bad-message", true),
        Arguments.of("{\"id\": 11, \"type\": \"trickle\"}", "bad-message", true),
        Arguments.of("{\"id\": 12, \"type\": \"trickle\", \"candidate\": 5}", "bad-message", true),
        Arguments.of("{\"id\": 13, \"type\": \"trickle\", \"candidate\": {\"candidate\": \"c\", \"sdpMLineIndex\": -1}}", "bad-message", true),
        Arguments.of("{\"id\": 14, \"type\": \"track.mute\", \"trackId\": \"t-1\", \"muted\": \"yes\"}", "bad-message", true),
        Arguments.of("{\"id\": 15, \"type\": \"moderate.mute\", \"participantId\": \"p-1\", \"kind\": \"smell\"}", "bad-message", true),
        Arguments.of("{\"id\": 16, \"type\": \"join\", \"protocol\": 1, \"token\": \"x\"}", "bad-message", true),
        Arguments.of("{\"id\": 17, \"type\": \"subscribe.answer\", \"revision\": 3, \"sdp\": \"v=0\"}", "bad-message", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedMessagesGetAnErrorAndTheConnectionStaysOpen(String text, String code, boolean hasId) throws Exception {
    CreatedRoom room = server.createRoom("Bad input");
    WsClient c = joined(room, room.presenterToken(), "Tester");

    c.sendRaw(text);

    JsonNode error = c.await("error");
    assertEquals(code, error.get("code").asText(), error.toString());
    assertEquals(hasId, error.has("re"), error.toString());
    if (hasId) {
      assertTrue(error.get("re").isIntegralNumber(), error.toString());
    }
    assertFalse(c.isClosed());
    ObjectNode ping = c.message("ping");
    c.send(ping);
    c.awaitReply("pong", ping.get("id").asLong());
  }

  @Test
  void binaryFramesAreBadJson() {
    CreatedRoom room = server.createRoom("Bad input");
    WsClient c = joined(room, room.presenterToken(), "Binary");
    c.sendBinary(new byte[] {'{', '}'});
    assertEquals("bad-json", c.await("error").get("code").asText());
    ObjectNode ping = c.message("ping");
    c.send(ping);
    c.awaitReply("pong", ping.get("id").asLong());
  }

  @Test
  void aMessageOverOneMebibyteClosesWith1009AndOthersCarryOn() {
    CreatedRoom room = server.createRoom("Big");
    WsClient victim = joined(room, room.moderatorToken(), "Victim");
    WsClient big = joined(room, room.presenterToken(), "Big");

    StringBuilder huge = new StringBuilder("{\"type\":\"ping\",\"pad\":\"");
    huge.append("x".repeat(1024 * 1024)).append("\"}");
    big.trySendRaw(huge.toString());

    assertEquals(1009, big.awaitClose());
    ObjectNode ping = victim.message("ping");
    victim.send(ping);
    victim.awaitReply("pong", ping.get("id").asLong());
  }

  @Test
  void aMessageJustUnderTheLimitIsHandled() {
    CreatedRoom room = server.createRoom("Big");
    WsClient c = joined(room, room.presenterToken(), "Big");
    String prefix = "{\"type\":\"ping\",\"id\":1,\"pad\":\"";
    String text = prefix + "x".repeat(64 * 1024 - prefix.length() - 2) + "\"}";
    assertEquals(64 * 1024, text.length());
    c.sendRaw(text);
    c.awaitReply("pong", 1);
  }

  @Test
  void aFloodIsRateLimitedThenClosedWith1008WhileAnotherConnectionStaysPrompt() throws Exception {
    CreatedRoom room = server.createRoom("Flood");
    WsClient victim = joined(room, room.moderatorToken(), "Victim");
    WsClient flooder = joined(room, room.presenterToken(), "Flooder");
    victim.await("participant.joined");

    ExecutorService pool = Executors.newSingleThreadExecutor();
    CompletableFuture<Integer> sent =
        CompletableFuture.supplyAsync(
            () -> {
              int n = 0;
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
              // At least 1,000 messages, then on until the server closes the connection.
              while (System.nanoTime() < deadline && (n < 1000 || !flooder.isClosed())) {
                if (!flooder.trySendRaw("{\"type\":\"ping\",\"id\":" + n + "}")) {
                  break;
                }
                n++;
              }
              return n;
            },
            pool);
    // Meanwhile the victim's pings are answered promptly and room events still reach it. The
    // victim keeps inside its own limit (50 messages a second): a ping every 40 ms, and every
    // tenth round a guest joins and leaves.
    ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
    AtomicLong worstPongNanos = new AtomicLong();
    AtomicInteger rounds = new AtomicInteger();
    AtomicReference<Throwable> victimFailure = new AtomicReference<>();
    ScheduledFuture<?> pings =
        pinger.scheduleAtFixedRate(
            () -> {
              try {
                ObjectNode ping = victim.message("ping");
                long t0 = System.nanoTime();
                victim.send(ping);
                victim.awaitReply("pong", ping.get("id").asLong());
                worstPongNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                if (rounds.getAndIncrement() % 10 == 0) {
                  WsClient guest = joined(room, room.presenterToken(), "Guest" + rounds.get());
                  String guestId = victim.await("participant.joined").at("/participant/id").asText();
                  guest.send(guest.message("leave"));
                  victim.await("participant.left", m -> m.get("participantId").asText().equals(guestId));
                }
              } catch (Throwable t) {
                victimFailure.compareAndSet(null, t);
                throw t;
              }
            },
            0,
            40,
            TimeUnit.MILLISECONDS);
    try {
      int floodMessages = sent.get(30, TimeUnit.SECONDS);
      pings.cancel(false);
      pinger.shutdown();
      assertTrue(pinger.awaitTermination(10, TimeUnit.SECONDS), "the victim's last round ends");
      if (victimFailure.get() != null) {
        throw new AssertionError("the victim during the flood", victimFailure.get());
      }
      assertTrue(floodMessages >= 1000, "sent " + floodMessages);
      assertTrue(rounds.get() >= 5, "the victim pinged during the flood: " + rounds.get() + " rounds");
      assertTrue(worstPongNanos.get() < TimeUnit.MILLISECONDS.toNanos(500),
          "worst pong took " + worstPongNanos.get() / 1_000_000 + " ms during the flood");
    } finally {
      pinger.shutdownNow();
      pool.shutdownNow();
    }

    JsonNode limited = flooder.await("error", m -> m.get("code").asText().equals("rate-limited"));
    assertTrue(limited.has("re"), "rate-limited errors name the dropped message");
    assertEquals(1008, flooder.awaitClose());
    ObjectNode ping = victim.message("ping");
    victim.send(ping);
    victim.awaitReply("pong", ping.get("id").asLong());
  }

  @Test
  void theBurstPassesBeforeTheLimitBites() {
    CreatedRoom room = server.createRoom("Burst");
    WsClient c = joined(room, room.presenterToken(), "Burst");
    // The join took one token; 99 more fit in the bucket of 100.
    for (int i = 0; i < 99; i++) {
      c.sendRaw("{\"type\":\"ping\",\"id\":" + i + "}");
    }
    for (int i = 0; i < 99; i++) {
      c.awaitReply("pong", i);
    }
  }
}
