package dev.palco.signaling.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.ErrorCode;
import dev.palco.signaling.Json;
import dev.palco.signaling.Role;
import dev.palco.signaling.SignalingException;
import dev.palco.signaling.broadcast.BroadcastControl;
import dev.palco.signaling.metrics.SignalingMetrics;
import dev.palco.signaling.room.Room;
import dev.palco.signaling.room.RoomRegistry;
import dev.palco.signaling.token.JoinToken;
import dev.palco.signaling.token.JoinTokens;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code /api/rooms}: create a room (anyone), read it and end it (a moderator's bearer token).
 * Runs on a worker thread (it reads the body blocking).
 */
public final class RoomsApi implements HttpHandler {

  private static final int MAX_BODY_BYTES = 16 * 1024;
  private static final int MAX_NAME_CHARS = 100;
  private static final String BROADCAST_SUFFIX = "/broadcast";
  private static final String RESTART_SUFFIX = "/broadcast/restart";

  private final RoomRegistry rooms;
  private final JoinTokens tokens;
  private final SignalingMetrics metrics;
  private final Clock clock;
  private final Duration tokenTtl;
  private final String publicUrl;
  private final BroadcastControl broadcasts;

  /**
   * @param rooms the rooms
   * @param tokens issues and verifies join tokens
   * @param metrics counts error replies
   * @param clock the time tokens expire by
   * @param tokenTtl how long a room's links work
   * @param publicUrl the base of links (such as {@code https://palco.example}), or empty to use
   *     the request's scheme and {@code Host}
   * @param broadcasts starts and stops rooms' broadcasts
   */
  public RoomsApi(
      RoomRegistry rooms,
      JoinTokens tokens,
      SignalingMetrics metrics,
      Clock clock,
      Duration tokenTtl,
      String publicUrl,
      BroadcastControl broadcasts) {
    this.rooms = rooms;
    this.tokens = tokens;
    this.metrics = metrics;
    this.clock = clock;
    this.tokenTtl = tokenTtl;
    this.broadcasts = broadcasts;
    this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    HttpSupport.addCors(exchange);
    String path = exchange.getRelativePath();
    String rest = path.startsWith("/api/rooms") ? path.substring("/api/rooms".length()) : null;
    try {
      if (rest == null || rest.isEmpty() || rest.equals("/")) {
        if (exchange.getRequestMethod().equals(Methods.OPTIONS)) {
          HttpSupport.answerPreflight(exchange, "POST, OPTIONS");
        } else if (exchange.getRequestMethod().equals(Methods.POST)) {
          create(exchange);
        } else {
          HttpSupport.methodNotAllowed(exchange, "POST, OPTIONS");
        }
        return;
      }
      String roomId = rest.substring(1);
      if (roomId.endsWith(RESTART_SUFFIX)
          && roomId.indexOf('/') == roomId.length() - RESTART_SUFFIX.length()) {
        restartBroadcast(exchange, roomId.substring(0, roomId.length() - RESTART_SUFFIX.length()));
        return;
      }
      if (roomId.endsWith(BROADCAST_SUFFIX) && roomId.indexOf('/') == roomId.length() - BROADCAST_SUFFIX.length()) {
        broadcast(exchange, roomId.substring(0, roomId.length() - BROADCAST_SUFFIX.length()));
        return;
      }
      if (roomId.indexOf('/') >= 0) {
        throw new SignalingException(ErrorCode.ROOM_NOT_FOUND, "no such resource");
      }
      if (exchange.getRequestMethod().equals(Methods.OPTIONS)) {
        HttpSupport.answerPreflight(exchange, "GET, DELETE, OPTIONS");
      } else if (exchange.getRequestMethod().equals(Methods.GET)) {
        Room room = authorizeModerator(exchange, roomId);
        HttpSupport.sendJson(exchange, 200, room.snapshot());
      } else if (exchange.getRequestMethod().equals(Methods.DELETE)) {
        Room room = authorizeModerator(exchange, roomId);
        rooms.end(room, "ended by moderator", 4000);
        exchange.setStatusCode(204);
        exchange.endExchange();
      } else {
        HttpSupport.methodNotAllowed(exchange, "GET, DELETE, OPTIONS");
      }
    } catch (SignalingException e) {
      metrics.error(e.code());
      HttpSupport.sendError(exchange, e);
    }
  }

  /**
   * {@code /api/rooms/{id}/broadcast}: GET its state, POST to go on air, DELETE to go off air
   * (docs/protocol.md, "REST").
   */
  private void broadcast(HttpServerExchange exchange, String roomId) throws SignalingException {
    if (exchange.getRequestMethod().equals(Methods.OPTIONS)) {
      HttpSupport.answerPreflight(exchange, "GET, POST, DELETE, OPTIONS");
      return;
    }
    Room room = authorizeModerator(exchange, roomId);
    if (exchange.getRequestMethod().equals(Methods.GET)) {
      HttpSupport.sendJson(exchange, 200, broadcasts.state(room));
    } else if (exchange.getRequestMethod().equals(Methods.POST)) {
      broadcasts.start(room);
      HttpSupport.sendJson(exchange, 200, broadcasts.state(room));
    } else if (exchange.getRequestMethod().equals(Methods.DELETE)) {
      broadcasts.stop(room);
      exchange.setStatusCode(204);
      exchange.endExchange();
    } else {
      HttpSupport.methodNotAllowed(exchange, "GET, POST, DELETE, OPTIONS");
    }
  }

  /** {@code POST /api/rooms/{id}/broadcast/restart}: new encoders, the same playlists. */
  private void restartBroadcast(HttpServerExchange exchange, String roomId) throws SignalingException {
    if (exchange.getRequestMethod().equals(Methods.OPTIONS)) {
      HttpSupport.answerPreflight(exchange, "POST, OPTIONS");
      return;
    }
    if (!exchange.getRequestMethod().equals(Methods.POST)) {
      HttpSupport.methodNotAllowed(exchange, "POST, OPTIONS");
      return;
    }
    Room room = authorizeModerator(exchange, roomId);
    broadcasts.restart(room);
    HttpSupport.sendJson(exchange, 200, broadcasts.state(room));
  }

  private void create(HttpServerExchange exchange) throws SignalingException, IOException {
    byte[] body = HttpSupport.readBody(exchange, MAX_BODY_BYTES);
    if (body == null) {
      throw new SignalingException(ErrorCode.BAD_MESSAGE, "the body is larger than " + MAX_BODY_BYTES + " bytes");
    }
    String name = "Untitled room";
    if (body.length > 0) {
      JsonNode json;
      try {
        json = Json.MAPPER.readTree(body);
      } catch (IOException e) {
        json = null;
      }
      if (json == null || !json.isObject()) {
        throw new SignalingException(ErrorCode.BAD_JSON, "the body must be a JSON object");
      }
      JsonNode nameNode = json.get("name");
      if (nameNode != null && !nameNode.isNull()) {
        if (!nameNode.isTextual() || nameNode.asText().length() > MAX_NAME_CHARS) {
          throw new SignalingException(
              ErrorCode.BAD_MESSAGE, "'name' must be a string of at most " + MAX_NAME_CHARS + " characters");
        }
        if (!nameNode.asText().isBlank()) {
          name = nameNode.asText().strip();
        }
      }
    }
    Room room = rooms.create(name);
    Instant expiresAt = clock.instant().plus(tokenTtl);
    String base = linkBase(exchange) + "/r/" + room.id() + "?t=";
    ObjectNode answer = Json.object();
    answer.put("id", room.id());
    answer.put("name", room.name());
    ObjectNode links = answer.putObject("links");
    links.put("moderator", base + tokens.issue(room.id(), Role.MODERATOR, expiresAt));
    links.put("presenter", base + tokens.issue(room.id(), Role.PRESENTER, expiresAt));
    links.put("audience", linkBase(exchange) + "/a/" + room.id() + "?t=" + tokens.issue(room.id(), Role.AUDIENCE, expiresAt));
    answer.put("expiresAt", Instant.ofEpochSecond(expiresAt.getEpochSecond()).toString());
    exchange.getResponseHeaders().put(Headers.LOCATION, "/api/rooms/" + room.id());
    HttpSupport.sendJson(exchange, 201, answer);
  }

  private String linkBase(HttpServerExchange exchange) {
    if (!publicUrl.isEmpty()) {
      return publicUrl;
    }
    return exchange.getRequestScheme() + "://" + exchange.getHostAndPort();
  }

  private Room authorizeModerator(HttpServerExchange exchange, String roomId) throws SignalingException {
    JoinToken claims = tokens.verify(HttpSupport.bearerToken(exchange), roomId);
    Room room = rooms.require(roomId);
    if (claims.role() != Role.MODERATOR || room.isRevoked(claims)) {
      throw new SignalingException(ErrorCode.FORBIDDEN, "only a moderator of this room may do this");
    }
    return room;
  }
}
