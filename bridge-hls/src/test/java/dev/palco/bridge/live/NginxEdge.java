package dev.palco.bridge.live;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * nginx (Debian's {@code nginx}) as a CDN edge in front of the origin, run as a child process of
 * the test with a generated configuration under target/: {@code proxy_cache} honouring the
 * origin's Cache-Control, and {@code proxy_cache_lock} so that concurrent misses on one URL make a
 * single origin request. The pid file, logs, temp paths and the cache all live in its directory;
 * nothing under /etc, /var or $HOME is touched. {@link #close()} stops the master and its workers.
 *
 * <p>A known property of nginx's cache lock, visible in the measurements: requests waiting on the
 * lock are not woken when the response arrives, they re-check every 500 ms
 * ({@code ngx_http_file_cache_lock}), so collapsed requests get their answer up to half a second
 * after the one that went to the origin.
 */
final class NginxEdge implements AutoCloseable {

    private final Path dir;
    private final Process process;
    private final int port;

    private NginxEdge(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /** Writes the configuration, starts nginx and waits until it answers. */
    static NginxEdge start(Path dir, int originPort) throws IOException {
        Path abs = dir.toAbsolutePath();
        // A cache left by an earlier run holds the same URLs (keys name the upstream, not its port)
        // for another stream: start empty.
        deleteTree(abs);
        Files.createDirectories(abs.resolve("tmp"));
        Files.createDirectories(abs.resolve("cache"));
        int port = freeLoopbackPort();
        // As root, the master would hand the workers to "nobody", which cannot write the cache
        // under target/: keep them on the test's own user.
        String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
        String conf = user + """
                daemon off;
                master_process on;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                    log_format edge '$msec "$request" $status $upstream_cache_status $request_time';
                    access_log %1$s/access.log edge;
                    client_body_temp_path %1$s/tmp/body;
                    proxy_temp_path %1$s/tmp/proxy;
                    fastcgi_temp_path %1$s/tmp/fastcgi;
                    uwsgi_temp_path %1$s/tmp/uwsgi;
                    scgi_temp_path %1$s/tmp/scgi;
                    proxy_cache_path %1$s/cache levels=1:2 keys_zone=hls:8m max_size=256m inactive=60s use_temp_path=off;
                    upstream origin {
                        server 127.0.0.1:%2$d;
                        keepalive 32;
                    }
                    server {
                        listen 127.0.0.1:%3$d;
                        location = /edge-ready { return 204; }
                        location / {
                            proxy_pass http://origin;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_cache hls;
                            # One origin request per URL however many viewers miss at once. A
                            # blocking playlist request may be held up to 3 x TD (6 s): wait longer.
                            proxy_cache_lock on;
                            proxy_cache_lock_timeout 10s;
                            proxy_cache_lock_age 10s;
                            proxy_read_timeout 15s;
                            add_header X-Cache-Status $upstream_cache_status always;
                        }
                    }
                }
                """.formatted(abs, originPort, port);
        Path confFile = abs.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        // Debian installs it in /usr/sbin, which is not on every user's PATH.
        String nginx = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
        Process p = new ProcessBuilder(nginx, "-p", abs.toString(), "-c", confFile.toString(),
                "-e", abs.resolve("error.log").toString())
                .redirectErrorStream(true).redirectOutput(abs.resolve("nginx.out").toFile()).start();
        NginxEdge edge = new NginxEdge(abs, p, port);
        try {
            Poll.until(() -> {
                if (!p.isAlive()) {
                    throw new AssertionError("nginx exited: " + edge.log());
                }
                return edge.ready();
            }, 10_000, () -> "nginx to answer on port " + port + ": " + edge.log());
        } catch (RuntimeException | Error e) {
            edge.close();
            throw e;
        }
        return edge;
    }

    int port() {
        return port;
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    Path accessLog() {
        return dir.resolve("access.log");
    }

    private boolean ready() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(base() + "/edge-ready").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(500);
            try {
                return c.getResponseCode() == 204;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    private String log() {
        try {
            Path err = dir.resolve("error.log");
            Path out = dir.resolve("nginx.out");
            return (Files.exists(err) ? Files.readString(err) : "") + (Files.exists(out) ? Files.readString(out) : "");
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Stops nginx: SIGTERM to the master (fast shutdown), then its workers if any is left. */
    @Override
    public void close() {
        var children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle h : children) {
            h.destroyForcibly();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
