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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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


  /**
   * One subscription.
   *
   * @param group the bandwidth class (simulcast) or null
   */
  private record Member(StreamSubscriber subscriber, AutoCloseable session, String group) {}

  /** A meeting participant: its publisher in a room of its own. */
  private record Seat(PalcoTarget room, StreamPublisher publisher, AutoCloseable session) {}

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
  private SimulcastPublisher simulcast;
  private final List<Seat> seats = new ArrayList<>();
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

  /**
   * Connects a simulcast publisher (Palco only) with these layers, lowest first, and starts its
   * media; subscribers then receive the layer the SFU picks for each.
   */
  public void startSimulcastPublisher(List<GeneratorOptions.SimulcastLayer> layers) throws Exception {
    if (!(target instanceof PalcoTarget palco)) {
      throw new IllegalArgumentException("simulcast runs against palco only");
    }
    MediaClient client = clientFactory.create("load-simulcast");
    simulcast = new SimulcastPublisher(client, 43, layers, settings.fps(), settings.keyframeIntervalS());
    MediaTarget.Session s = palco.publishSimulcast(client, simulcast);
    publisherSession = s.session();
    client.connect(s.remote().iceUfrag(), s.remote().icePwd(), s.remote().fingerprint(), s.remote().candidates(),
        CONNECT_TIMEOUT);
    loop.add(simulcast);
  }

  /** The simulcast publisher, once started. */
  public SimulcastPublisher simulcastPublisher() {
    return simulcast;
  }

  /**
   * Adds a meeting participant (Palco only): it publishes video and Opus into a room of its own,
   * subscribes to every participant already there, and every one of them subscribes to it, each
   * subscription a WHEP session on the publisher's room.
   *
   * @return subscriptions that failed
   */
  public int addParticipant() throws Exception {
    if (!(target instanceof PalcoTarget palco)) {
      throw new IllegalArgumentException("the meeting runs against palco only");
    }
    List<Seat> others;
    Seat seat;
    synchronized (this) {
      others = new ArrayList<>(seats);
    }
    PalcoTarget room = others.isEmpty() ? palco : palco.newRoom();
    MediaClient client = clientFactory.create("load-participant-" + (others.size() + 1));
    StreamPublisher p = new StreamPublisher(client, 42 + others.size(), settings.bitrateBps(), settings.fps(),
        settings.keyframeIntervalS());
    MediaTarget.Session s = room.publish(client, p);
    client.connect(s.remote().iceUfrag(), s.remote().icePwd(), s.remote().fingerprint(), s.remote().candidates(),
        CONNECT_TIMEOUT);
    loop.add(p);
    seat = new Seat(room, p, s.session());
    synchronized (this) {
      seats.add(seat);
    }
    List<Future<Boolean>> results = new ArrayList<>();
    for (Seat other : others) {
      // This participant receives each other one, and each other one receives this one.
      results.add(connectors.submit(() -> addOne(other.room(), null, 0, ReceiveShaper.Kind.QUEUE)));
      results.add(connectors.submit(() -> addOne(room, null, 0, ReceiveShaper.Kind.QUEUE)));
    }
    int failed = 0;
    for (Future<Boolean> f : results) {
      try {
        failed += f.get() ? 0 : 1;
      } catch (java.util.concurrent.ExecutionException e) {
        stats.connectFailures.increment();
        failed++;
      }
    }
    return failed;
  }

  /** Meeting participants now. */
  public synchronized int participants() {
    return seats.size();
  }

  /** Every publisher's sequence numbers NACKed by the server. */
  public synchronized long publisherNacksReceived() {
    long n = (publisher == null ? 0 : publisher.nacksReceived()) + (simulcast == null ? 0 : simulcast.nacksReceived());
    for (Seat seat : seats) {
      n += seat.publisher().nacksReceived();
    }
    return n;
  }

  /** Every publisher's RTX packets. */
  public synchronized long publisherRtxSent() {
    long n = (publisher == null ? 0 : publisher.rtxSent()) + (simulcast == null ? 0 : simulcast.rtxSent());
    for (Seat seat : seats) {
      n += seat.publisher().rtxSent();
    }
    return n;
  }

  /** Every publisher's PLIs and FIRs received. */
  public synchronized long publisherKeyframeRequests() {
    long n = (publisher == null ? 0 : publisher.keyframeRequests())
        + (simulcast == null ? 0 : simulcast.keyframeRequests());
    for (Seat seat : seats) {
      n += seat.publisher().keyframeRequests();
    }
    return n;
  }

  /**
   * Adds one subscriber behind a bottleneck of {@code limitBps} (0: none) of the given kind,
   * counted in bandwidth class {@code group}.
   *
   * @return whether it connected
   */
  public boolean addShapedSubscriber(String group, long limitBps, ReceiveShaper.Kind kind)
      throws InterruptedException {
    try {
      return connectors.submit(() -> addOne(target, group, limitBps, kind)).get();
    } catch (java.util.concurrent.ExecutionException e) {
      stats.connectFailures.increment();
      return false;
    }
  }

  /**
   * Per bandwidth class, in the order first added: subscribers, video bytes received, video
   * expected and distinct received, packets the shaper dropped, and the keyframe sizes (the
   * layers) the subscribers last received.
   */
  public synchronized Map<String, GroupCounts> groupCounts() {
    Map<String, GroupCounts> out = new LinkedHashMap<>();
    for (Member m : members) {
      if (m.group() == null) {
        continue;
      }
      GroupCounts g = out.computeIfAbsent(m.group(), k -> new GroupCounts());
      StreamSubscriber sub = m.subscriber();
      long[] c = new long[4];
      sub.addCounts(c);
      g.subscribers++;
      g.videoBytes += sub.videoBytes();
      g.videoExpected += c[0];
      g.videoUnique += c[1];
      g.audioExpected += c[2];
      g.audioUnique += c[3];
      ReceiveShaper shaper = sub.shaper();
      g.shaperDrops += shaper == null ? 0 : shaper.droppedPackets();
      int[] size = sub.lastKeyframeSizePx();
      g.lastKeyframeSizes.add(size[0] + "x" + size[1]);
    }
    return out;
  }

  /** Counts of one bandwidth class; see {@link #groupCounts}. */
  public static final class GroupCounts {
    /** Subscribers in the class. */
    public int subscribers;
    /** Video RTP bytes received after the shaper. */
    public long videoBytes;
    /** Video packets expected. */
    public long videoExpected;
    /** Distinct video packets received. */
    public long videoUnique;
    /** Audio packets expected. */
    public long audioExpected;
    /** Distinct audio packets received. */
    public long audioUnique;
    /** Packets the shaper dropped. */
    public long shaperDrops;
    /** Each subscriber's last keyframe size, {@code WIDTHxHEIGHT}. */
    public final List<String> lastKeyframeSizes = new ArrayList<>();
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
      results.add(connectors.submit(() -> addOne(target, null, 0, ReceiveShaper.Kind.QUEUE)));
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

  private boolean addOne(MediaTarget on, String group, long limitBps, ReceiveShaper.Kind kind) {
    long start = System.nanoTime();
    MediaClient client = null;
    AutoCloseable session = null;
    try {
      client = clientFactory.create("load-sub-" + clientNumber.incrementAndGet());
      MediaTarget.Session s = on.subscribe(client);
      session = s.session();
      StreamSubscriber subscriber = new StreamSubscriber(client, s.negotiated(), stats, start);
      if (limitBps > 0) {
        subscriber.setShaper(new ReceiveShaper(limitBps, kind));
      }
      client.connect(s.remote().iceUfrag(), s.remote().icePwd(), s.remote().fingerprint(), s.remote().candidates(),
          CONNECT_TIMEOUT);
      stats.connectTime.record(System.nanoTime() - start);
      synchronized (this) {
        members.add(new Member(subscriber, session, group));
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
        progress.printf("[%s %5.1fs] subs=%d pps=%.0f loss=%.2f%% p50=%.2fms p99=%.2fms server=%.0f%% gen=%.0f%%%s%n",
            target.name(), (now - startNanos) / 1e9, subscribers(), (packets - packetsPrev) / dt, loss,
            stats.window.percentileNanos(50) / 1e6, stats.window.percentileNanos(99) / 1e6,
            (cpu - cpuPrev) / 1e7 / dt, (selfCpu - selfPrev) / 1e7 / dt, progressDetail());
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

  /** The progress line's tail: meeting participants, or each bandwidth class's last layers. */
  private String progressDetail() {
    StringBuilder sb = new StringBuilder();
    if (participants() > 0) {
      sb.append(" participants=").append(participants());
    }
    for (Map.Entry<String, GroupCounts> e : groupCounts().entrySet()) {
      sb.append(' ').append(e.getKey()).append('=').append(String.join("/", e.getValue().lastKeyframeSizes));
    }
    return sb.toString();
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
    if (simulcast != null) {
      simulcast.stop();
    }
    synchronized (this) {
      for (Seat seat : seats) {
        seat.publisher().stop();
      }
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
    if (simulcast != null) {
      simulcast.close();
    }
    closeQuietly(publisherSession);
    List<Seat> gone;
    synchronized (this) {
      gone = new ArrayList<>(seats);
      seats.clear();
    }
    for (Seat seat : gone) {
      seat.publisher().close();
      closeQuietly(seat.session());
    }
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
