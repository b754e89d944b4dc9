package dev.palco.signaling.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.MimeMappings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the web client from a classpath folder ({@code palco-web/} in the web-client jar): {@code
 * /} is {@code index.html} (the landing page), {@code /r/{roomId}} is {@code stage.html}, {@code
 * /a/{roomId}} is {@code audience.html}, any other
 * path is the file of that name or 404.
 *
 * <p>Caching: HTML is {@code no-cache} (a new build shows at once); files whose names carry a
 * content hash (Vite's {@code name-3f9a1c2b.js}) are immutable for a year; anything else an hour.
 * Files are read once and kept, since the classpath does not change while the server runs.
 *
 * <p>If the folder is missing the server still runs: {@code /} and {@code /r/…} say that the web
 * client is not built.
 */
public final class StaticWebClient implements HttpHandler {

  /** A hash of at least 8 URL-safe characters just before the extension. */
  private static final Pattern HASHED = Pattern.compile(".*[-.][A-Za-z0-9_]{8,}\\.[a-z0-9]+$");
  private static final Pattern ROOM_PAGE = Pattern.compile("^/r/[A-Za-z0-9_-]+/?$");
  private static final Pattern AUDIENCE_PAGE = Pattern.compile("^/a/[A-Za-z0-9_-]+/?$");

  private static final Map<String, String> EXTRA_TYPES =
      Map.of(
          "mjs", "text/javascript",
          "js", "text/javascript",
          "map", "application/json",
          "wasm", "application/wasm",
          "webmanifest", "application/manifest+json",
          "woff2", "font/woff2",
          "svg", "image/svg+xml",
          "ico", "image/x-icon");

  private static final byte[] NOT_BUILT =
      ("<!doctype html><meta charset=utf-8><title>Palco</title>"
              + "<p>The Palco server is running, but the web client is not built into it."
              + " Build it with <code>mvn -B -q -DskipTests package</code>.</p>")
          .getBytes(StandardCharsets.UTF_8);

  private final ClassLoader loader;
  private final String folder;
  private final boolean present;
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  /**
   * @param loader where to look
   * @param folder the classpath folder, such as {@code palco-web}
   */
  public StaticWebClient(ClassLoader loader, String folder) {
    this.loader = loader;
    this.folder = folder;
    this.present = loader.getResource(folder + "/index.html") != null;
  }

  /** Whether the web client is on the classpath. */
  public boolean isPresent() {
    return present;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    if (!exchange.getRequestMethod().equals(Methods.GET) && !exchange.getRequestMethod().equals(Methods.HEAD)) {
      HttpSupport.methodNotAllowed(exchange, "GET, HEAD");
      return;
    }
    String path = exchange.getRelativePath();
    String file;
    if (path.isEmpty() || path.equals("/") || path.equals("/index.html")) {
      file = "index.html";
    } else if (ROOM_PAGE.matcher(path).matches()) {
      file = "stage.html";
    } else if (AUDIENCE_PAGE.matcher(path).matches()) {
      file = "audience.html";
    } else {
      file = safeFile(path);
    }
    if (!present && ("index.html".equals(file) || "stage.html".equals(file) || "audience.html".equals(file))) {
      send(exchange, 200, "text/html; charset=utf-8", "no-cache", NOT_BUILT);
      return;
    }
    byte[] body = file == null ? null : load(file);
    if (body == null) {
      send(exchange, 404, "text/plain; charset=utf-8", "no-cache", "not found\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    send(exchange, 200, contentType(file), cacheControl(file), body);
  }

  /** The file a path names, or {@code null} for anything that could leave the folder. */
  private static String safeFile(String path) {
    String file = path.substring(1);
    if (file.isEmpty() || file.endsWith("/") || file.contains("\\") || file.indexOf('\0') >= 0) {
      return null;
    }
    for (String segment : file.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return null;
      }
    }
    String last = file.substring(file.lastIndexOf('/') + 1);
    // Folders have no extension; files served here all do.
    return last.indexOf('.') > 0 ? file : null;
  }

  private byte[] load(String file) throws IOException {
    byte[] cached = cache.get(file);
    if (cached != null) {
      return cached;
    }
    URL url = loader.getResource(folder + "/" + file);
    if (url == null) {
      return null;
    }
    try (InputStream in = url.openStream()) {
      byte[] bytes = in.readAllBytes();
      cache.put(file, bytes);
      return bytes;
    }
  }

  static String cacheControl(String file) {
    if (file.endsWith(".html")) {
      return "no-cache";
    }
    if (HASHED.matcher(file.substring(file.lastIndexOf('/') + 1)).matches()) {
      return "public, max-age=31536000, immutable";
    }
    return "public, max-age=3600";
  }

  private static String contentType(String file) {
    String ext = file.substring(file.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    String type = EXTRA_TYPES.get(ext);
    if (type == null) {
      type = MimeMappings.DEFAULT.getMimeType(ext);
    }
    if (type == null) {
      return "application/octet-stream";
    }
    boolean text = type.startsWith("text/") || type.equals("application/json") || type.endsWith("+xml")
        || type.equals("application/manifest+json");
    return text ? type + "; charset=utf-8" : type;
  }

  private static void send(HttpServerExchange exchange, int status, String type, String cache, byte[] body) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, type);
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, cache);
    exchange.getResponseHeaders().put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
    if (exchange.getRequestMethod().equals(Methods.HEAD)) {
      exchange.endExchange();
    } else {
      exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
  }
}
