package dev.palco.signaling.ws;

import dev.palco.signaling.audience.AudienceHub;
import dev.palco.signaling.broadcast.BroadcastControl;
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
import java.util.concurrent.ExecutorService;
import java.util.function.LongSupplier;

/**
 * Accepts WebSocket connections on {@code /ws} and keeps the live ones, so shutdown can close
 * those that never joined a room.
 */
public final class SignalingEndpoint implements WebSocketConnectionCallback {

  private final RoomRegistry rooms;
  private final JoinTokens tokens;
  private final SignalingMetrics metrics;
  private final SignalingLimits limits;
  private final ExecutorService workers;
  private final LongSupplier nanoTime;
  private final AudienceHub audience;
  private final BroadcastControl broadcasts;
  private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
  private volatile boolean accepting = true;

  /**
   * @param rooms the rooms
   * @param tokens verifies join tokens
   * @param metrics the meters
   * @param limits per-connection limits
   * @param workers the pool that handles messages (one at a time per connection)
   * @param nanoTime the monotonic time source of the rate limiters
   * @param audience the audience layer (stage connections receive its updates; guests join with
   *     its grants)
   * @param broadcasts what moderators' {@code broadcast.start} and {@code broadcast.stop} act on
   */
  public SignalingEndpoint(
      RoomRegistry rooms,
      JoinTokens tokens,
      SignalingMetrics metrics,
      SignalingLimits limits,
      ExecutorService workers,
      LongSupplier nanoTime,
      AudienceHub audience,
      BroadcastControl broadcasts) {
    this.audience = audience;
    this.broadcasts = broadcasts;
    this.rooms = rooms;
    this.tokens = tokens;
    this.metrics = metrics;
    this.limits = limits;
    this.workers = workers;
    this.nanoTime = nanoTime;
  }

  /** Starts and stops rooms' broadcasts for moderators' connections. */
  BroadcastControl broadcasts() {
    return broadcasts;
  }

  @Override
  public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
    String roomHint = null;
    List<String> roomParam = exchange.getRequestParameters().get("room");
    if (roomParam != null && !roomParam.isEmpty()) {
      roomHint = roomParam.get(0);
    }
    ClientConnection connection =
        new ClientConnection(
            channel, roomHint, rooms, tokens, metrics, limits, workers, nanoTime, this, audience);
    connections.add(connection);
    metrics.sessionDelta(1);
    connection.start();
    if (!accepting) {
      connection.close(1001, "server shutting down");
    }
  }

  void closed(ClientConnection connection) {
    if (connections.remove(connection)) {
      metrics.sessionDelta(-1);
    }
  }

  /** Stops admitting connections and closes every open one with 1001 (going away). */
  public void closeAll() {
    accepting = false;
    for (ClientConnection connection : new ArrayList<>(connections)) {
      connection.close(1001, "server shutting down");
    }
  }

  /** Open connections. */
  public int connectionCount() {
    return connections.size();
  }
}
