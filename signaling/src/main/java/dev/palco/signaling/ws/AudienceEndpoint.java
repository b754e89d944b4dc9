package dev.palco.signaling.ws;

import dev.palco.signaling.audience.AudienceHub;
import dev.palco.signaling.metrics.SignalingMetrics;
import dev.palco.signaling.room.RoomRegistry;
import dev.palco.signaling.token.JoinTokens;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Accepts audience WebSocket connections on {@code /ws/audience} and keeps the live ones, so
 * shutdown can close them. A separate door from the stage's {@code /ws}: viewers speak a small
 * message set of their own, under tighter limits, and nothing about them touches a seat or the
 * media plane.
 */
public final class AudienceEndpoint implements WebSocketConnectionCallback {

  private final RoomRegistry rooms;
  private final JoinTokens tokens;
  private final AudienceHub hub;
  private final SignalingMetrics metrics;
  private final Executor workers;
  private final LongSupplier nanoTime;
  private final Set<AudienceConnection> connections = ConcurrentHashMap.newKeySet();
  private volatile boolean accepting = true;

  /**
   * @param rooms the rooms
   * @param tokens verifies audience tokens
   * @param hub the audience layer
   * @param metrics the meters
   * @param workers the pool that handles messages (one at a time per connection)
   * @param nanoTime the monotonic time of the rate limiters
   */
  public AudienceEndpoint(
      RoomRegistry rooms, JoinTokens tokens, AudienceHub hub, SignalingMetrics metrics, Executor workers,
      LongSupplier nanoTime) {
    this.rooms = rooms;
    this.tokens = tokens;
    this.hub = hub;
    this.metrics = metrics;
    this.workers = workers;
    this.nanoTime = nanoTime;
  }

  @Override
  public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
    String roomHint = null;
    List<String> roomParam = exchange.getRequestParameters().get("room");
    if (roomParam != null && !roomParam.isEmpty()) {
      roomHint = roomParam.get(0);
    }
    AudienceConnection connection =
        new AudienceConnection(channel, roomHint, rooms, tokens, hub, metrics, workers, nanoTime, this);
    connections.add(connection);
    connection.start();
    if (!accepting) {
      connection.close(1001, "server shutting down");
    }
  }

  void closed(AudienceConnection connection) {
    connections.remove(connection);
  }

  /** Stops admitting connections and closes every open one with 1001 (going away). */
  public void closeAll() {
    accepting = false;
    for (AudienceConnection connection : new ArrayList<>(connections)) {
      connection.close(1001, "server shutting down");
    }
  }

  /** Open audience connections (joined or not). */
  public int connectionCount() {
    return connections.size();
  }
}
