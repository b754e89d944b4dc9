package dev.palco.loadtest.generator;

import dev.palco.loadtest.generator.net.ClientNetwork;
import dev.palco.loadtest.generator.net.Ice4jMediaClient;
import dev.palco.loadtest.generator.net.LeanWebRtcClient;
import dev.palco.loadtest.generator.net.MediaClient;
import dev.palco.rtp.dtls.DtlsCertificate;
import dev.palco.rtp.dtls.DtlsSettings;
import dev.palco.sfu.client.WebRtcClientOptions;
import dev.palco.sfu.client.IceClientOptions;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One load run against one {@link MediaTarget}: starts the publisher, adds and removes
 * subscribers, and measures intervals at a steady load ({@link #measure}) while printing a
 * progress line every second (current load, packets/s, loss, latency, CPU).
 *
 * <p>Threads: one {@link MediaLoop} paces all media and feedback timers; a small pool connects
 * subscribers in parallel. With {@link Clients#SHARED} every client's socket is read by one of
 * the {@value #SELECTOR_THREADS} selector threads of a {@link ClientNetwork} and their STUN and DTLS
 * timers run on its one timer thread; with {@link Clients#ICE4J} each client's ICE agent reads its own socket.
 */
public final class LoadRun implements AutoCloseable {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
  /**
   * Receive threads of the shared client network. One keeps up with hundreds of streams on an
   * idle machine; two keep the generator's receive path from starving when other processes
   * compete for the cores (one thread gets one thread's share of the CPU).
   */
  static final int SELECTOR_THREADS = 2;

  /**
   * Publisher settings.
   *
   * @param bitrateBps video bitrate
   * @param fps video frame rate
   * @param keyframeIntervalS periodic keyframe interval
   */
  public record PublisherSettings(int bitrateBps, int fps, double keyframeIntervalS) {}

  /** Which client stack simulates the browsers. */
  public enum Clients {
    /** {@link LeanWebRtcClient}s on the shared selector threads and one timer thread of a {@link ClientNetwork}. */
    SHARED,
    /** Full {@code WebRtcClient}s, each with its ice4j agent, timers and reader thread. */
    ICE4J
  }

  private record Member(StreamSubscriber subscriber, AutoCloseable session) {}

  private final MediaTarget target;
  private final PublisherSettings settings;
  private final PrintStream progress;
  private final LoadStats stats = new LoadStats();
  private final MediaLoop loop = new MediaLoop();
  private final MediaClient.Factory clientFactory;
  private final ClientNetwork network;
  private final ExecutorService connectors;
  private final List<Member> members = new ArrayList<>();
  private final AtomicInteger clientNumber = new AtomicInteger();
  private StreamPublisher publisher;
  private AutoCloseable publisherSession;
  private long departedExpected;
  private long departedUnique;
  private final long[] departedCounts = new long[4];

  /**
   * @param target the server, already {@link MediaTarget#prepare prepared}
   * @param settings the publisher's stream
   * @param connectParallelism subscriptions signalled and connected at once
   * @param progress where the per-second progress lines go, or null for none
   */
  public LoadRun(MediaTarget target, PublisherSettings settings, int connectParallelism, PrintStream progress)
      throws Exception {
    this(target, settings, connectParallelism, progress, InetAddress.getByName("127.0.0.1"));
  }

  /**
   * With {@link Clients#ICE4J}: the side-by-side benchmark's clients, until the lean client has
   * been run against Janus's ICE (libnice).
   *
   * @param bindAddress the clients' local address
   */
  public LoadRun(MediaTarget target, PublisherSettings settings, int connectParallelism, PrintStream progress,
      InetAddress bindAddress) throws Exception {
    this(target, settings, connectParallelism, progress, bindAddress, Clients.ICE4J);
  }

  /**
   * @param clients which client stack to use
   */
  public LoadRun(MediaTarget target, PublisherSettings settings, int connectParallelism, PrintStream progress,
      InetAddress bindAddress, Clients clients) throws Exception {
    this.target = target;
    this.settings = settings;
    this.progress = progress;
    DtlsCertificate certificate = DtlsCertificate.generate(Instant.now());
    if (clients == Clients.SHARED) {
      ClientNetwork net = new ClientNetwork("load-clients", SELECTOR_THREADS);
      this.network = net;
      this.clientFactory = name -> LeanWebRtcClient.create(name, net, bindAddress, certificate, DtlsSettings.DEFAULTS);
    } else {
      WebRtcClientOptions options = WebRtcClientOptions.of(IceClientOptions.Mode.UDP, bindAddress)
          .withCertificate(certificate);
      this.network = null;
      this.clientFactory = name -> Ice4jMediaClient.create(name, options);
    }
    this.connectors = Executors.newFixedThreadPool(connectParallelism, r -> {
      Thread t = new Thread(r, "load-connect");
      t.setDaemon(true);
      return t;
    });
  }

  /** The shared counters and histograms. */
  public LoadStats stats() {
    return stats;
  }

  /** The publisher, once started. */
  public StreamPublisher publisher() {
    return publisher;
  }

  /** Connects the publisher and starts its media. */
  public void startPublisher() throws Exception {
    MediaClient client = clientFactory.create("load-pub");
    publisher = new StreamPublisher(client, 42, settings.bitrateBps(), settings.fps(), settings.keyframeIntervalS());
    MediaTarget.Session s = target.publish(client, publisher);
    publisherSession = s.session();
    client.connect(s.remote().iceUfrag(), s.remote().icePwd(), s.remote().fingerprint(), s.remote().candidates(),
        CONNECT_TIMEOUT);
    loop.add(publisher);
  }

  /** Subscribers connected now. */
  public synchronized int subscribers() {
    return members.size();
  }

  /**
   * Adds {@code count} subscribers, {@code connectParallelism} at a time, and waits for them.
   *
   * @return how many connected
   */
  public int addSubscribers(int count) throws InterruptedException {
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      results.add(connectors.submit(this::addOne));
    }
    int ok = 0;
    for (Future<Boolean> f : results) {
      try {
        if (f.get()) {
          ok++;
        }
      } catch (java.util.concurrent.ExecutionException e) {
        stats.connectFailures.increment();
      }
    }
    return ok;
  }

  private boolean addOne() {
    long start = System.nanoTime();
    MediaClient client = null;
    AutoCloseable session = null;
    try {
      client = clientFactory.create("load-sub-" + clientNumber.incrementAndGet());
      MediaTarget.Session s = target.subscribe(client);
      session = s.session();
      StreamSubscriber subscriber = new StreamSubscriber(client, s.negotiated(), stats, start);
      client.connect(s.remote().iceUfrag(), s.remote().icePwd(), s.remote().fingerprint(), s.remote().candidates(),
          CONNECT_TIMEOUT);
      synchronized (this) {
        members.add(new Member(subscriber, session));
      }
      loop.add(subscriber);
      return true;
    } catch (Exception e) {
      stats.connectFailures.increment();
      if (progress != null) {
        progress.println("subscribe failed: " + e);
      }
      if (client != null) {
        client.close();
      }
      closeQuietly(session);
      return false;
    }
  }

  /** Removes the {@code count} oldest subscribers, ending their sessions. */
  public void removeSubscribers(int count) {
    List<Member> gone = new ArrayList<>();
    synchronized (this) {
      for (int i = 0; i < count && !members.isEmpty(); i++) {
        Member m = members.remove(0);
        departedExpected += m.subscriber().expected();
        departedUnique += m.subscriber().uniqueReceived();
        m.subscriber().addCounts(departedCounts);
        gone.add(m);
      }
    }
    for (Member m : gone) {
      loop.remove(m.subscriber());
      m.subscriber().close();
      closeQuietly(m.session());
    }
  }

  /** Expected and distinct received packets over every subscriber that ever was. */
  private synchronized long[] totals() {
    long expected = departedExpected;
    long unique = departedUnique;
    for (Member m : members) {
      expected += m.subscriber().expected();
      unique += m.subscriber().uniqueReceived();
    }
    return new long[] {expected, unique};
  }

  /**
   * Measures {@code seconds} at the current load, printing progress every second; {@code each}
   * (may be null) runs once a second, for churn.
   */
  public WindowResult measure(double seconds, Runnable each) throws InterruptedException {
    long pid = target.serverPid();
    long self = ProcessHandle.current().pid();
    long startNanos = System.nanoTime();
    long[] t0 = totals();
    long packets0 = stats.packets.sum();
    long bytes0 = stats.bytes.sum();
    long nacks0 = stats.nacksSent.sum();
    long rtx0 = stats.rtxReceived.sum();
    long cpu0 = ProcessStats.cpuNanos(pid);
    long self0 = ProcessStats.cpuNanos(self);
    stats.window.reset();
    long tickNanos = 1_000_000_000L;
    long next = startNanos + tickNanos;
    long end = startNanos + (long) (seconds * 1e9);
    long[] tPrev = t0;
    long packetsPrev = packets0;
    long cpuPrev = cpu0;
    long selfPrev = self0;
    long prevNanos = startNanos;
    dev.palco.sfu.stats.LatencyHistogram second = new dev.palco.sfu.stats.LatencyHistogram();
    while (System.nanoTime() < end) {
      long wait = Math.min(next, end) - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      if (each != null && System.nanoTime() < end) {
        each.run();
      }
      long now = System.nanoTime();
      long[] t = totals();
      long packets = stats.packets.sum();
      long cpu = ProcessStats.cpuNanos(pid);
      long selfCpu = ProcessStats.cpuNanos(self);
      double dt = (now - prevNanos) / 1e9;
      if (progress != null) {
        long exp = t[0] - tPrev[0];
        double loss = exp <= 0 ? 0 : 100.0 * Math.max(0, exp - (t[1] - tPrev[1])) / exp;
        progress.printf("[%s %5.1fs] subs=%d pps=%.0f loss=%.2f%% p50=%.2fms p99=%.2fms server=%.0f%% gen=%.0f%%%n",
            target.name(), (now - startNanos) / 1e9, subscribers(), (packets - packetsPrev) / dt, loss,
            stats.window.percentileNanos(50) / 1e6, stats.window.percentileNanos(99) / 1e6,
            (cpu - cpuPrev) / 1e7 / dt, (selfCpu - selfPrev) / 1e7 / dt);
      }
      tPrev = t;
      packetsPrev = packets;
      cpuPrev = cpu;
      selfPrev = selfCpu;
      prevNanos = now;
      next += tickNanos;
    }
    double dt = (System.nanoTime() - startNanos) / 1e9;
    long[] t1 = totals();
    long expected = t1[0] - t0[0];
    double loss = expected <= 0 ? 0 : 100.0 * Math.max(0, expected - (t1[1] - t0[1])) / expected;
    return new WindowResult(subscribers(), dt, (stats.packets.sum() - packets0) / dt,
        (stats.bytes.sum() - bytes0) * 8 / dt / 1e6, expected, loss, stats.nacksSent.sum() - nacks0,
        stats.rtxReceived.sum() - rtx0, stats.window.percentileNanos(50) / 1e6,
        stats.window.percentileNanos(95) / 1e6, stats.window.percentileNanos(99) / 1e6, stats.window.maxNanos() / 1e6,
        pid < 0 ? -1 : (ProcessStats.cpuNanos(pid) - cpu0) / 1e9 / dt, ProcessStats.rssBytes(pid) / 1048576.0,
        (ProcessStats.cpuNanos(self) - self0) / 1e9 / dt, stats.connectFailures.sum());
  }

  /**
   * Counts over every subscriber that ever was: video expected, video distinct received, audio
   * expected, audio distinct received. The difference of two snapshots, taken after the
   * publisher stopped and retransmissions settled, is what an interval lost for good.
   */
  public synchronized long[] streamCounts() {
    long[] c = departedCounts.clone();
    for (Member m : members) {
      m.subscriber().addCounts(c);
    }
    return c;
  }

  /** Stops the publisher and waits {@code settleMs} for the last retransmissions. */
  public void stopPublisher(long settleMs) throws InterruptedException {
    if (publisher != null) {
      publisher.stop();
    }
    Thread.sleep(settleMs);
  }

  @Override
  public void close() {
    removeSubscribers(Integer.MAX_VALUE);
    try {
      loop.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (publisher != null) {
      publisher.close();
    }
    closeQuietly(publisherSession);
    connectors.shutdownNow();
    if (network != null) {
      network.close();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // Best effort: the server ends the session on consent loss anyway.
    }
  }
}
