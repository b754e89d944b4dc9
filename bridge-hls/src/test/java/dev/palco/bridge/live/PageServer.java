package dev.palco.bridge.live;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The web server of the test player, on 127.0.0.1 and a port of its own: the player page and
 * hls.js come from here, the stream from the origin on another port, so the browser treats the
 * origin as cross-origin and the origin's CORS headers are exercised.
 */
final class PageServer implements AutoCloseable {

    private final HttpServer server;

    /** Serves each path of {@code pages} (path to body and content type). */
    PageServer(Map<String, Page> pages) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", ex -> {
            Page page = pages.get(ex.getRequestURI().getPath());
            if (page == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.getResponseHeaders().set("Content-Type", page.contentType());
                ex.getResponseHeaders().set("Cache-Control", "no-store");
                ex.sendResponseHeaders(200, page.body().length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(page.body());
                }
            }
            ex.close();
        });
        server.start();
    }

    /** Base URL, {@code http://127.0.0.1:port}. */
    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** One resource. */
    record Page(byte[] body, String contentType) {

        /** A class-path resource; fails when it is missing (hls.js is copied there by the build). */
        static Page resource(String name, String contentType) {
            try (InputStream in = PageServer.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("missing test resource " + name
                            + " (hls.js: mvn copies it from web-client/node_modules in process-test-resources)");
                }
                return new Page(in.readAllBytes(), contentType);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
