package dev.palco.signaling.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.IceServers;
import dev.palco.signaling.SignalingServer;
import dev.palco.signaling.TestServer;
import dev.palco.signaling.TestServer.CreatedRoom;
import dev.palco.signaling.WsClient;
import dev.palco.turn.IceServerList;
import dev.palco.turn.TurnSecrets;
import dev.palco.turn.testing.CoturnProcess;
import dev.palco.turn.testing.TurnTestClient;
import dev.palco.turn.testing.TurnTestClient.Allocation;
import dev.palco.turn.testing.TurnTestClient.Transport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end on loopback: a participant joins, and the TURN credential in its {@code joined}
 * allocates a relay on a real coturn running the generated configuration, over UDP and over TCP.
 * (Credentials are issued on the real clock here: coturn checks expiry against its own.)
 */
class JoinedCredentialsOnCoturnTest {

  private static final TurnSecrets SECRETS = TurnSecrets.of("joined-on-coturn-secret-42");

  private static CoturnProcess coturn;
  private static TestServer server;

  @BeforeAll
  static void start() {
    coturn = CoturnProcess.start(Path.of("target", "coturn", "signaling"), SECRETS, Instant.now());
    IceServerList turn = new IceServerList(coturn.iceServerSettings(Duration.ofHours(1)), SECRETS);
    server =
        TestServer.start(
            s ->
                new SignalingServer.Settings(
                    s.bindAddress(), s.httpPort(), s.tls(), s.publicUrl(),
                    s.rooms().withIceServers(IceServers.withTurn(s.rooms().iceServers().fixedEntries(), turn, Clock.systemUTC())),
                    s.limits(), s.tokenTtl(), s.maxPlayersPerRoom(), s.webFolder(), s.version(), s.audience()));
  }

  @AfterAll
  static void stop() {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      if (coturn != null) {
        coturn.close();
      }
    }
  }

  @Test
  void theCredentialFromJoinedAllocatesOnCoturnOverUdpAndTcp() {
    CreatedRoom room = server.createRoom("Behind a firewall");
    try (WsClient ada = WsClient.connect(server.ws())) {
      ObjectNode join = ada.message("join");
      join.put("protocol", 1);
      join.put("token", room.presenterToken());
      join.put("name", "Ada");
      ada.send(join);
      JsonNode turn = ada.awaitReply("joined", join.get("id").asLong()).at("/iceServers/2");
      String port = String.valueOf(coturn.address().getPort());
      assertEquals("turn:127.0.0.1:" + port + "?transport=udp", turn.at("/urls/0").asText());
      assertEquals("turn:127.0.0.1:" + port + "?transport=tcp", turn.at("/urls/1").asText());

      for (Transport transport : Transport.values()) {
        Allocation allocation =
            TurnTestClient.allocate(
                transport, coturn.address(), turn.get("username").asText(), turn.get("credential").asText());
        assertTrue(allocation.granted(), transport + ": error " + allocation.errorCode() + "\n" + coturn.log());
      }
    }
  }
}
