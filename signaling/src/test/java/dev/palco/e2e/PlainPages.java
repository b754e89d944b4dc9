package dev.palco.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;

/**
 * Serves the plain WHIP and WHEP pages and their shared script (test resources next to this
 * class) from a second origin on loopback, so the browser's requests to the server are
 * cross-origin, as a tool's page on another site would make them, and CORS is part of what is
 * tested.
 */
final class PlainPages implements AutoCloseable {
  private final HttpServer http;

  private PlainPages(HttpServer http) {
    this.http = http;
  }

  static PlainPages start() throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", exchange -> {
      String name = exchange.getRequestURI().getPath().substring(1);
      try (InputStream in = name.matches("[a-z]+\\.(html|js)") ? PlainPages.class.getResourceAsStream(name) : null) {
        if (in == null) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        byte[] page = in.readAllBytes();
        exchange.getResponseHeaders().set("Content-Type",
            (name.endsWith(".js") ? "text/javascript" : "text/html") + "; charset=utf-8");
        exchange.sendResponseHeaders(200, page.length);
        exchange.getResponseBody().write(page);
      } finally {
        exchange.close();
      }
    });
    http.start();
    return new PlainPages(http);
  }

  /** The page's URL: http://127.0.0.1:{port}/{name}. */
  String url(String name) {
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/" + name;
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
