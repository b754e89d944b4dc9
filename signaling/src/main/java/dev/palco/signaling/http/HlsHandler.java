package dev.palco.signaling.http;

import dev.palco.bridge.origin.OriginRequest;
import dev.palco.signaling.broadcast.Broadcaster;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;

/**
 * Serves each room's LL-HLS stream under {@code /hls/{roomId}/} (the multivariant playlist is
 * {@code /hls/{roomId}/index.m3u8}) from the broadcaster's origin, on the server's own port, so
 * a viewer (or a CDN in front) needs nothing but the server's address.
 *
 * <p>A blocking playlist reload (RFC 8216bis §6.2.5.2) or a part not yet complete is answered
 * later by the origin; the request is dispatched so no thread waits for it.
 */
public final class HlsHandler implements HttpHandler {
  /** The path prefix. */
  public static final String PREFIX = "/hls/";

  private final Broadcaster broadcaster;

  public HlsHandler(Broadcaster broadcaster) {
    this.broadcaster = broadcaster;
  }

  /** The multivariant playlist's path for a room. */
  public static String playlistPath(String roomId) {
    return PREFIX + roomId + "/" + OriginRequest.MULTIVARIANT_NAME;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    if (exchange.getRequestMethod().equals(Methods.OPTIONS)) {
      HttpSupport.answerPreflight(exchange, "GET, HEAD, OPTIONS");
      return;
    }
    if (!exchange.getRequestMethod().equals(Methods.GET) && !exchange.getRequestMethod().equals(Methods.HEAD)) {
      HttpSupport.methodNotAllowed(exchange, "GET, HEAD, OPTIONS");
      return;
    }
    String path = exchange.getRelativePath();
    int slash = path.indexOf('/', PREFIX.length());
    if (slash <= PREFIX.length()) {
      notFound(exchange);
      return;
    }
    String roomId = path.substring(PREFIX.length(), slash);
    String query = exchange.getQueryString();
    String target = path.substring(slash) + (query == null || query.isEmpty() ? "" : "?" + query);
    OriginRequest request =
        OriginRequest.parse(target, exchange.getRequestHeaders().getFirst(Headers.ACCEPT_ENCODING));
    UndertowOriginExchange answer = new UndertowOriginExchange(exchange);
    // Dispatched before the origin sees it: its answer may come from another thread at any time.
    exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
      if (!broadcaster.handle(roomId, request, answer)) {
        notFound(exchange);
      }
    });
  }

  private static void notFound(HttpServerExchange exchange) {
    exchange.setStatusCode(404);
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
    HttpSupport.addCors(exchange);
    exchange.endExchange();
  }
}
