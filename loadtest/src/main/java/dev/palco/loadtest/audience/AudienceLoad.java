package dev.palco.loadtest.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The audience benchmark: opens thousands of audience WebSocket connections to a Palco server
 * on loopback and measures how long a Q&A update takes to reach every one of them, with the
 * server's CPU and memory.
 *
 * <p>One moderator connection (the stage door, through {@link java.net.http.WebSocket}) pins a
 * question; every viewer connection ({@link RawViewers}: thousands of sockets on one selector
 * thread) watches its frames for that pin. The delay of one viewer is from just before the
 * moderator's frame is sent to the moment the selector thread has read the viewer's frame; all
 * clients run in this JVM, so they share the clock. Meanwhile viewers vote and unvote at a steady rate, so the server fans out
 * vote updates too. The server runs as a separate process (started here from its jar, or given
 * by URL and pid), so its CPU time and resident memory are its own.
 *
 * <pre>
 *   java -cp loadtest/target/benchmarks.jar dev.palco.loadtest.audience.AudienceLoad \
 *       --server-jar signaling/target/palco-server.jar --viewers 5000 --rounds 30
 * </pre>
 *
 * Not part of any test run.
 */
public final class AudienceLoad {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "audience-load-secret-0123456789abcdef";

  private AudienceLoad() {}

  /** The pin the viewers are waiting for: its marker in the update, and when it was sent. */
  static final class Pin {
    volatile byte[] marker;
    volatile long sentAtNanos;
  }

  /** Options, as {@code --name value} pairs. */
  record Options(
      String serverJar, String url, long pid, int viewers, int rounds, long intervalMs, int votesPerSecond,
      int connectConcurrency, int port, String serverHeap) {

    static Options parse(String[] args) {
      String jar = null;
      String url = null;
      long pid = -1;
      int viewers = 5000;
      int rounds = 30;
      long interval = 1000;
      int votes = 500;
      int concurrency = 200;
      int port = 18080;
      String heap = "1g";
      for (int i = 0; i + 1 < args.length; i += 2) {
        String v = args[i + 1];
        switch (args[i]) {
          case "--server-jar" -> jar = v;
          case "--url" -> url = v;
          case "--pid" -> pid = Long.parseLong(v);
          case "--viewers" -> viewers = Integer.parseInt(v);
          case "--rounds" -> rounds = Integer.parseInt(v);
          case "--interval-ms" -> interval = Long.parseLong(v);
          case "--votes-per-second" -> votes = Integer.parseInt(v);
          case "--connect-concurrency" -> concurrency = Integer.parseInt(v);
          case "--port" -> port = Integer.parseInt(v);
          case "--server-heap" -> heap = v;
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (jar == null && url == null) {
        throw new IllegalArgumentException("give --server-jar PATH, or --url URL and --pid PID of a running server");
      }
      return new Options(jar, url, pid, viewers, rounds, interval, votes, concurrency, port, heap);
    }
  }

  /** The moderator's stage connection. */
  static final class Moderator implements WebSocket.Listener {
    final StringBuilder partial = new StringBuilder();
    final List<JsonNode> inbox = new ArrayList<>();
    WebSocket socket;

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode m = JSON.readTree(partial.toString());
          synchronized (inbox) {
            inbox.add(m);
            inbox.notifyAll();
          }
        } catch (IOException e) {
          // Not ours to judge here.
        }
        partial.setLength(0);
      }
      return null;
    }

    JsonNode await(String type, long re) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      synchronized (inbox) {
        while (true) {
          for (JsonNode m : inbox) {
            if (type.equals(m.path("type").asText()) && (re < 0 || m.path("re").asLong() == re)) {
              inbox.remove(m);
              return m;
            }
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new IllegalStateException("no " + type + " (re " + re + "); got " + inbox);
          }
          TimeUnit.NANOSECONDS.timedWait(inbox, left);
        }
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    Process server = null;
    String base = o.url();
    long pid = o.pid();
    if (o.serverJar() != null) {
      Path dir = Path.of("loadtest", "target", "audience-load");
      Files.createDirectories(dir);
      Path conf = dir.resolve("server.conf");
      Files.writeString(conf, "palco {\n  data-dir = \"" + dir.resolve("data").toAbsolutePath() + "\"\n"
          + "  http { bind = \"127.0.0.1\", port = " + o.port() + " }\n"
          + "  media.port = " + (o.port() + 1) + "\n"
          + "  tokens.secret = \"" + SECRET + "\"\n  log-level = \"warn\"\n"
          + "  audience.max-viewers = " + Math.max(10000, o.viewers() + 10) + "\n}\n");
      server = new ProcessBuilder("java", "-Xmx" + o.serverHeap(), "-Dice4j.harvest.mapping.aws.enabled=false",
          "-Dice4j.harvest.mapping.stun.enabled=false", "-jar", o.serverJar(), "--config", conf.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile()).start();
      pid = server.pid();
      base = "http://127.0.0.1:" + o.port();
    }
    try {
      run(o, base, pid);
    } finally {
      if (server != null) {
        server.destroy();
        server.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void run(Options o, String base, long pid) throws Exception {
    ExecutorService io = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "load-io");
      t.setDaemon(true);
      return t;
    });
    HttpClient http = HttpClient.newBuilder().executor(io).connectTimeout(Duration.ofSeconds(10)).build();
    waitHealthy(http, base);
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/rooms"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Load\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode room = JSON.readTree(created.body());
    String moderatorToken = tokenOf(room.at("/links/moderator").asText());
    String audienceToken = tokenOf(room.at("/links/audience").asText());
    String wsBase = base.replaceFirst("^http", "ws");

    Moderator moderator = new Moderator();
    moderator.socket = http.newWebSocketBuilder().buildAsync(URI.create(wsBase + "/ws"), moderator).join();
    moderator.socket.sendText("{\"type\":\"join\",\"id\":1,\"protocol\":1,\"name\":\"Load moderator\",\"token\":\""
        + moderatorToken + "\"}", true).join();
    moderator.await("joined", 1);

    long cpuStart = serverCpuNanos(pid);
    long connectStart = System.nanoTime();
    int count = o.viewers();
    AtomicLongArray delays = new AtomicLongArray(count);
    AtomicIntegerArray closeCodes = new AtomicIntegerArray(count);
    AtomicIntegerArray voted = new AtomicIntegerArray(count);
    CountDownLatch joinedAll = new CountDownLatch(count);
    byte[] joinedMarker = "\"audience.joined\"".getBytes(StandardCharsets.US_ASCII);
    boolean[] joined = new boolean[count];
    Pin pin = new Pin();
    RawViewers.Observer observer = new RawViewers.Observer() {
      @Override
      public void text(int index, byte[] buf, int off, int len, long nanos) {
        byte[] marker = pin.marker;
        if (marker != null && delays.get(index) < 0 && RawViewers.indexOf(buf, off, len, marker) >= 0) {
          delays.set(index, nanos - pin.sentAtNanos);
        }
        if (!joined[index] && RawViewers.indexOf(buf, off, len, joinedMarker) >= 0) {
          joined[index] = true;
          joinedAll.countDown();
        }
      }

      @Override
      public void closed(int index, int code) {
        closeCodes.set(index, code);
        if (!joined[index]) {
          joined[index] = true;
          joinedAll.countDown();
        }
      }
    };
    URI wsUri = URI.create(wsBase);
    RawViewers viewers = new RawViewers(new InetSocketAddress(wsUri.getHost(), wsUri.getPort()), "/ws/audience", count, observer);
    String join = "{\"type\":\"join\",\"id\":1,\"protocol\":1,\"token\":\"" + audienceToken + "\"}";
    for (int i = 0; i < count; i++) {
      delays.set(i, -1);
      viewers.open(i, join);
      if (i % o.connectConcurrency() == o.connectConcurrency() - 1) {
        // Let the server accept a batch before the next: a SYN flood is not what is measured.
        while (joinedAll.getCount() > count - i - 1 + o.connectConcurrency() / 2) {
          Thread.sleep(1);
        }
      }
    }
    joinedAll.await(5, TimeUnit.MINUTES);
    int failed = 0;
    for (int i = 0; i < count; i++) {
      if (closeCodes.get(i) != 0) {
        failed++;
      }
    }
    double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
    long cpuAfterConnect = serverCpuNanos(pid);
    System.out.printf(Locale.ROOT, "%d viewers joined in %.1f s (%d failed); server CPU for the joins %.1f s%n",
        count - failed, connectSeconds, failed, (cpuAfterConnect - cpuStart) / 1e9);

    // Two approved questions to pin in turn, asked by the first viewer.
    String[] questions = new String[2];
    for (int i = 0; i < 2; i++) {
      questions[i] = ask(viewers.conns[0], moderator, "Load question " + i);
    }

    // Votes in the background: viewers other than the asker vote and unvote.
    AtomicLong votesSent = new AtomicLong();
    var voteTimer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "load-votes");
      t.setDaemon(true);
      return t;
    });
    SplittableRandom random = new SplittableRandom(42);
    int perTick = Math.max(1, o.votesPerSecond() / 20);
    if (o.votesPerSecond() > 0) {
      voteTimer.scheduleAtFixedRate(() -> {
        for (int k = 0; k < perTick; k++) {
          int i = 1 + random.nextInt(count - 1);
          boolean up = voted.get(i) == 0;
          if (viewers.conns[i].send("{\"type\":\"question.vote\",\"questionId\":\"" + questions[0] + "\",\"up\":" + up + "}")) {
            voted.set(i, up ? 1 : 0);
            votesSent.incrementAndGet();
          }
        }
      }, 0, 50, TimeUnit.MILLISECONDS);
    }

    int warmup = 3;
    List<Long> allDelays = new ArrayList<>();
    List<Long> roundMax = new ArrayList<>();
    long cpuMeasureStart = 0;
    long clientCpuStart = 0;
    long wallMeasureStart = 0;
    int missed = 0;
    long modId = 100;
    for (int round = 0; round < warmup + o.rounds(); round++) {
      if (round == warmup) {
        cpuMeasureStart = serverCpuNanos(pid);
        clientCpuStart = serverCpuNanos(ProcessHandle.current().pid());
        wallMeasureStart = System.nanoTime();
        votesSent.set(0);
      }
      String target = questions[round % 2];
      for (int i = 0; i < count; i++) {
        delays.set(i, -1);
      }
      long id = ++modId;
      long sentAt = System.nanoTime();
      pin.sentAtNanos = sentAt;
      pin.marker = ("\"pinned\":{\"id\":\"" + target + "\"").getBytes(StandardCharsets.US_ASCII);
      moderator.socket.sendText("{\"type\":\"question.moderate\",\"id\":" + id + ",\"questionId\":\"" + target
          + "\",\"action\":\"pin\"}", true).join();
      long deadline = sentAt + TimeUnit.SECONDS.toNanos(10);
      int got;
      do {
        got = 0;
        for (int i = 0; i < count; i++) {
          if (delays.get(i) >= 0 || closeCodes.get(i) != 0) {
            got++;
          }
        }
        if (got < count) {
          Thread.sleep(5);
        }
      } while (got < count && System.nanoTime() < deadline);
      moderator.await("ack", id);
      pin.marker = null;
      long max = 0;
      for (int i = 0; i < count; i++) {
        long delay = delays.get(i);
        if (delay < 0) {
          if (round >= warmup && closeCodes.get(i) == 0) {
            missed++;
          }
          continue;
        }
        max = Math.max(max, delay);
        if (round >= warmup) {
          allDelays.add(delay);
        }
      }
      if (round >= warmup) {
        roundMax.add(max);
      }
      long next = sentAt + TimeUnit.MILLISECONDS.toNanos(o.intervalMs());
      long wait = next - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
    }
    double measureSeconds = (System.nanoTime() - wallMeasureStart) / 1e9;
    long cpuMeasure = serverCpuNanos(pid) - cpuMeasureStart;
    voteTimer.shutdownNow();
    int closed = 0;
    for (int i = 0; i < count; i++) {
      if (closeCodes.get(i) != 0) {
        closed++;
      }
    }
    closed -= failed;

    long[] d = allDelays.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] r = roundMax.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.println();
    System.out.printf(Locale.ROOT, "| viewers | rounds | votes/s sent | delay p50 | p99 | max | all-viewers (per round) p50 | p99 | missed | cut off |%n");
    System.out.printf(Locale.ROOT, "| %d | %d | %.0f | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %d | %d |%n",
        count - failed, o.rounds(), votesSent.get() / measureSeconds,
        pct(d, 50), pct(d, 99), d.length == 0 ? 0 : d[d.length - 1] / 1e6, pct(r, 50), pct(r, 99), missed, closed);
    System.out.printf(Locale.ROOT, "server: CPU %.2f cores while measuring (%.1f s of CPU in %.1f s); RSS %s, peak %s%n",
        cpuMeasure / 1e9 / measureSeconds, cpuMeasure / 1e9, measureSeconds, status(pid, "VmRSS"), status(pid, "VmHWM"));
    System.out.printf(Locale.ROOT, "server fan-out (queue one update to every viewer): %s%n", fanout(http, base));
    System.out.printf(Locale.ROOT, "load generator: CPU %.2f cores, RSS %s; load average %s%n",
        (serverCpuNanos(ProcessHandle.current().pid()) - clientCpuStart) / 1e9 / measureSeconds,
        status(ProcessHandle.current().pid(), "VmRSS"), Files.readString(Path.of("/proc/loadavg")).trim());
    viewers.close();
    moderator.socket.abort();
  }

  private static String ask(RawViewers.Conn asker, Moderator moderator, String text) throws Exception {
    CompletableFuture<String> id = new CompletableFuture<>();
    // The moderator's update names the question (it sees every question, with its id).
    asker.send("{\"type\":\"question.ask\",\"id\":7,\"text\":\"" + text + "\"}");
    while (!id.isDone()) {
      JsonNode update = moderator.await("audience.update", -1);
      for (JsonNode q : update.path("questions")) {
        if (q.path("text").asText().equals(text)) {
          id.complete(q.path("id").asText());
        }
      }
    }
    String qid = id.get();
    moderator.socket.sendText("{\"type\":\"question.moderate\",\"id\":" + (qid.hashCode() & 0xffff)
        + ",\"questionId\":\"" + qid + "\",\"action\":\"approve\"}", true).join();
    moderator.await("ack", qid.hashCode() & 0xffff);
    return qid;
  }

  /** Mean and max of palco_audience_fanout_seconds from /metrics. */
  private static String fanout(HttpClient http, String base) {
    try {
      String text = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
      double count = 0;
      double sum = 0;
      double max = 0;
      for (String line : text.split("\n")) {
        if (line.startsWith("palco_audience_fanout_seconds_count")) {
          count = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        } else if (line.startsWith("palco_audience_fanout_seconds_sum")) {
          sum = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        } else if (line.startsWith("palco_audience_fanout_seconds_max")) {
          max = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return String.format(Locale.ROOT, "%.0f fan-outs, mean %.1f ms, max %.1f ms (recent)", count,
          count == 0 ? 0 : sum / count * 1000, max * 1000);
    } catch (IOException | InterruptedException | RuntimeException e) {
      return "unknown (" + e + ")";
    }
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1));
    return sorted[i] / 1e6;
  }

  private static String tokenOf(String link) {
    return link.substring(link.indexOf("?t=") + 3);
  }

  private static void waitHealthy(HttpClient http, String base) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), HttpResponse.BodyHandlers.ofString())
            .statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not up yet.
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the server at " + base + " did not become healthy");
  }

  /** User plus system CPU of a process (proc(5) fields 14 and 15, at 100 ticks per second), ns. */
  static long serverCpuNanos(long pid) {
    if (pid < 0) {
      return 0;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static String status(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field + ":")) {
          return line.substring(field.length() + 1).trim();
        }
      }
    } catch (IOException e) {
      // Fall through.
    }
    return "unknown";
  }
}
