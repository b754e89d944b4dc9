package dev.palco.signaling.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.ErrorCode;
import dev.palco.signaling.Json;
import dev.palco.signaling.SignalingException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Small helpers the HTTP doors share: error bodies, bearer tokens, bounded body reads, CORS. */
public final class HttpSupport {

  /** Headers a browser page may read from a cross-origin answer (WHIP/WHEP need all three). */
  public static final String EXPOSED_HEADERS = "Location, ETag, Link, Accept-Patch";

  private HttpSupport() {}

  /** Sends {@code {"error": {"code": …, "message": …}}} with the code's status. */
  public static void sendError(HttpServerExchange exchange, SignalingException e) {
    sendError(exchange, e.code().httpStatus(), e.code(), e.getMessage());
  }

  /** Sends a JSON error body with an explicit status. */
  public static void sendError(HttpServerExchange exchange, int status, ErrorCode code, String message) {
    ObjectNode body = Json.object();
    ObjectNode error = body.putObject("error");
    error.put("code", code.wireName());
    error.put("message", message);
    if (status == 401) {
      exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
    }
    sendJson(exchange, status, body);
  }

  /** Sends a JSON body. */
  public static void sendJson(HttpServerExchange exchange, int status, ObjectNode body) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    exchange.getResponseSender().send(body.toString(), StandardCharsets.UTF_8);
  }

  /**
   * The token of an {@code Authorization: Bearer} header (RFC 6750 §2.1).
   *
   * @throws SignalingException {@code token-malformed} if there is none
   */
  public static String bearerToken(HttpServerExchange exchange) throws SignalingException {
    String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new SignalingException(ErrorCode.TOKEN_MALFORMED, "send the join token as Authorization: Bearer <token>");
    }
    return header.substring(7).strip();
  }

  /**
   * Reads a request body of at most {@code maxBytes} (blocking; call from a worker thread).
   *
   * @return the body, or {@code null} if it is larger than {@code maxBytes}
   */
  public static byte[] readBody(HttpServerExchange exchange, int maxBytes) throws IOException {
    long declared = exchange.getRequestContentLength();
    if (declared > maxBytes) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    InputStream in = exchange.getInputStream();
    int n;
    while ((n = in.read(buf)) > 0) {
      if (out.size() + n > maxBytes) {
        return null;
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  /** The media type of the request without parameters, lower-cased, or "" if none. */
  public static String mediaType(HttpServerExchange exchange) {
    String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
    if (type == null) {
      return "";
    }
    int semi = type.indexOf(';');
    return (semi < 0 ? type : type.substring(0, semi)).strip().toLowerCase(java.util.Locale.ROOT);
  }

  /** Adds the CORS headers every cross-origin answer carries (any origin, no credentials). */
  public static void addCors(HttpServerExchange exchange) {
    exchange.getResponseHeaders().put(new HttpString("Access-Control-Allow-Origin"), "*");
    exchange.getResponseHeaders().put(new HttpString("Access-Control-Expose-Headers"), EXPOSED_HEADERS);
  }

  /** Answers a CORS preflight (Fetch standard, CORS protocol) for the given methods. */
  public static void answerPreflight(HttpServerExchange exchange, String methods) {
    addCors(exchange);
    exchange.getResponseHeaders().put(new HttpString("Access-Control-Allow-Methods"), methods);
    exchange.getResponseHeaders()
        .put(new HttpString("Access-Control-Allow-Headers"), "Authorization, Content-Type, If-Match");
    exchange.getResponseHeaders().put(new HttpString("Access-Control-Max-Age"), "86400");
    exchange.getResponseHeaders().put(Headers.ALLOW, methods);
    exchange.setStatusCode(204);
    exchange.endExchange();
  }

  /** Answers 405 with the methods the resource allows. */
  public static void methodNotAllowed(HttpServerExchange exchange, String methods) {
    exchange.getResponseHeaders().put(Headers.ALLOW, methods);
    sendError(exchange, 405, ErrorCode.BAD_MESSAGE, "method not allowed; allowed: " + methods);
  }
}
