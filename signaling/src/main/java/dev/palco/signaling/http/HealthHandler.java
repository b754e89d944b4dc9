package dev.palco.signaling.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.Json;
import dev.palco.signaling.room.RoomRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/** {@code GET /healthz}: 200 while the server takes sessions, 503 once it is shutting down. */
public final class HealthHandler implements HttpHandler {

  private final RoomRegistry rooms;
  private final IntSupplier sessions;
  private final BooleanSupplier draining;
  private final String version;

  /**
   * @param rooms for the room count
   * @param sessions open WebSocket connections
   * @param draining true once shutdown began
   * @param version the build version
   */
  public HealthHandler(RoomRegistry rooms, IntSupplier sessions, BooleanSupplier draining, String version) {
    this.rooms = rooms;
    this.sessions = sessions;
    this.draining = draining;
    this.version = version;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    boolean down = draining.getAsBoolean();
    ObjectNode body = Json.object();
    body.put("status", down ? "shutting-down" : "ok");
    body.put("version", version);
    body.put("rooms", rooms.roomCount());
    body.put("participants", rooms.participantCount());
    body.put("sessions", sessions.getAsInt());
    HttpSupport.sendJson(exchange, down ? 503 : 200, body);
  }
}
