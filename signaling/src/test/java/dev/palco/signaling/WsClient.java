package dev.palco.signaling;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client ({@link java.net.http.WebSocket}) that keeps every message it receives
 * until a test takes it, and waits for messages with a deadline instead of sleeping.
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable {

  /** How long any wait lasts before the test fails. */
  public static final Duration DEADLINE = Duration.ofSeconds(5);

  private final List<JsonNode> inbox = new ArrayList<>();
  private final StringBuilder partial = new StringBuilder();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private WebSocket socket;
  private long nextId = 1000;

  public static WsClient connect(URI uri) {
    return connect(HttpClient.newHttpClient(), uri);
  }

  /** Connects through a given client (for wss with a test trust store). */
  public static WsClient connect(HttpClient http, URI uri) {
    WsClient client = new WsClient();
    client.socket =
        http
            .newWebSocketBuilder()
            .connectTimeout(DEADLINE)
            .buildAsync(uri, client)
            .orTimeout(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
            .join();
    return client;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      try {
        JsonNode message = Json.MAPPER.readTree(partial.toString());
        synchronized (inbox) {
          inbox.add(message);
          inbox.notifyAll();
        }
      } catch (IOException e) {
        closed.completeExceptionally(e);
      }
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode);
    synchronized (inbox) {
      inbox.notifyAll();
    }
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(-1);
    synchronized (inbox) {
      inbox.notifyAll();
    }
  }

  /** Sends raw text and waits until it is handed to the socket. */
  public void sendRaw(String text) {
    socket.sendText(text, true).orTimeout(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  /** Sends a binary frame. */
  public void sendBinary(byte[] data) {
    socket.sendBinary(java.nio.ByteBuffer.wrap(data), true).orTimeout(DEADLINE.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  /** Sends raw text; false if the socket is closed (for floods). */
  public boolean trySendRaw(String text) {
    try {
      socket.sendText(text, true).get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  public void send(ObjectNode message) {
    sendRaw(message.toString());
  }

  /** A new message of a type with a fresh {@code id}. */
  public ObjectNode message(String type) {
    ObjectNode m = Json.object();
    m.put("type", type);
    m.put("id", nextId++);
    return m;
  }

  /** Takes the first message of a type, waiting for it. */
  public JsonNode await(String type) {
    return await(type, m -> true);
  }

  /** Takes the first message of a type that matches, waiting for it. */
  public JsonNode await(String type, Predicate<JsonNode> matches) {
    return await(type, matches, DEADLINE);
  }

  /** As {@link #await(String, Predicate)}, for something that takes longer than a round trip. */
  public JsonNode await(String type, Predicate<JsonNode> matches, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    synchronized (inbox) {
      while (true) {
        for (Iterator<JsonNode> it = inbox.iterator(); it.hasNext(); ) {
          JsonNode m = it.next();
          if (type.equals(m.path("type").asText()) && matches.test(m)) {
            it.remove();
            return m;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fail("no " + type + " message within " + within + "; received " + inbox);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(inbox, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          fail("interrupted");
        }
      }
    }
  }

  /** Takes the reply ({@code re}) of a type to a request id. */
  public JsonNode awaitReply(String type, long id) {
    return await(type, m -> m.path("re").asLong(-1) == id);
  }

  /** Sends a message and takes the {@code error} that answers it. */
  public JsonNode expectError(ObjectNode message) {
    send(message);
    return awaitReply("error", message.get("id").asLong());
  }

  /**
   * Round-trips a ping, so every message the server queued before the pong has arrived; then
   * tells whether a message of the type is waiting (without taking it).
   */
  public boolean hasAfterBarrier(String type) {
    ObjectNode ping = message("ping");
    send(ping);
    awaitReply("pong", ping.get("id").asLong());
    synchronized (inbox) {
      for (JsonNode m : inbox) {
        if (type.equals(m.path("type").asText())) {
          return true;
        }
      }
      return false;
    }
  }

  /** Drops every message received so far. */
  public void clear() {
    synchronized (inbox) {
      inbox.clear();
    }
  }

  /** Waits for the server to close the connection and returns the status code. */
  public int awaitClose() {
    try {
      return closed.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      fail("the connection did not close within " + DEADLINE);
      return -1;
    }
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  /** Drops the TCP connection without a close handshake (a network blip). */
  public void abort() {
    socket.abort();
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.abort();
    }
  }

  /** Waits, spinning, until {@code condition} holds, for at most {@link #DEADLINE}. */
  public static void awaitTrue(String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(200_000L);
    }
  }
}
