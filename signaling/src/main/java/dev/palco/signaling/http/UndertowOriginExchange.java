package dev.palco.signaling.http;

import dev.palco.bridge.origin.OriginExchange;
import dev.palco.bridge.origin.OriginResponse;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * An {@link OriginExchange} on an Undertow request that the handler dispatched (so it stays open
 * after the handler returns): the LL-HLS origin answers a blocking playlist reload or a part still
 * being written later, from the encoder's thread.
 *
 * <p>Every call moves to the connection's I/O thread, in order. A chunked body is written one
 * chunk at a time, the next once the previous has gone out, since Undertow's {@link Sender}
 * takes one write at a time. Calls after the client left are ignored.
 */
final class UndertowOriginExchange implements OriginExchange, IoCallback {
  private static final HttpString ACCESS_CONTROL_EXPOSE_HEADERS = new HttpString("Access-Control-Expose-Headers");
  private static final HttpString ACCESS_CONTROL_ALLOW_ORIGIN = new HttpString("Access-Control-Allow-Origin");

  private final HttpServerExchange exchange;
  // I/O thread only:
  private boolean answered;
  private boolean writing;
  private boolean ending;
  private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();

  UndertowOriginExchange(HttpServerExchange exchange) {
    this.exchange = exchange;
  }

  @Override
  public void respond(OriginResponse response) {
    exchange.getIoThread().execute(() -> {
      if (answered || exchange.isComplete()) {
        return;
      }
      answered = true;
      headers(response);
      exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, response.body().length);
      exchange.getResponseSender().send(ByteBuffer.wrap(response.body()));
    });
  }

  @Override
  public void beginChunked(OriginResponse head) {
    exchange.getIoThread().execute(() -> {
      if (answered || exchange.isComplete()) {
        return;
      }
      answered = true;
      headers(head);
    });
  }

  @Override
  public void chunk(byte[] buf, int off, int len) {
    exchange.getIoThread().execute(() -> {
      if (exchange.isComplete()) {
        return;
      }
      pending.add(ByteBuffer.wrap(buf, off, len));
      writeNext();
    });
  }

  @Override
  public void end() {
    exchange.getIoThread().execute(() -> {
      ending = true;
      writeNext();
    });
  }

  @Override
  public boolean isOpen() {
    return !exchange.isComplete() && exchange.getConnection().isOpen();
  }

  private void writeNext() {
    if (writing || exchange.isComplete()) {
      return;
    }
    ByteBuffer next = pending.poll();
    if (next != null) {
      writing = true;
      exchange.getResponseSender().send(next, this);
    } else if (ending) {
      exchange.endExchange();
    }
  }

  @Override
  public void onComplete(HttpServerExchange done, Sender sender) {
    writing = false;
    writeNext();
  }

  @Override
  public void onException(HttpServerExchange failed, Sender sender, IOException exception) {
    // The viewer went away mid-part: nothing to tell anyone.
    pending.clear();
    IoCallback.END_EXCHANGE.onException(failed, sender, exception);
  }

  private void headers(OriginResponse r) {
    exchange.setStatusCode(r.status());
    var h = exchange.getResponseHeaders();
    if (r.contentType() != null) {
      h.put(Headers.CONTENT_TYPE, r.contentType());
    }
    if (r.cacheControl() != null) {
      h.put(Headers.CACHE_CONTROL, r.cacheControl());
    }
    if (r.gzip()) {
      h.put(Headers.CONTENT_ENCODING, "gzip");
    }
    if (r.varyAcceptEncoding()) {
      h.put(Headers.VARY, "Accept-Encoding");
    }
    // The audience page may sit on another origin (a CDN); hls.js reads Age for its live edge.
    h.put(ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    h.put(ACCESS_CONTROL_EXPOSE_HEADERS, "Age, Content-Length, Date");
  }
}
