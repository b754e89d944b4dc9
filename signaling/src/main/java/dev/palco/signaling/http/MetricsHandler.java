package dev.palco.signaling.http;

import dev.palco.signaling.metrics.SignalingMetrics;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: the Prometheus text exposition format, version 0.0.4. */
public final class MetricsHandler implements HttpHandler {

  private final SignalingMetrics metrics;

  /** Serves the given meters. */
  public MetricsHandler(SignalingMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    exchange.getResponseSender().send(metrics.scrape(), StandardCharsets.UTF_8);
  }
}
