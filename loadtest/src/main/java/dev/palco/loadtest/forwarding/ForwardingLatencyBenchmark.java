package dev.palco.loadtest.forwarding;

import dev.palco.rtp.dtls.DtlsCertificate;
import dev.palco.rtp.dtls.DtlsSettings;
import dev.palco.rtp.srtp.SrtpSupport;
import dev.palco.sfu.client.IceClientOptions;
import dev.palco.sfu.client.WebRtcClient;
import dev.palco.sfu.client.WebRtcClientOptions;
import dev.palco.sfu.pipeline.DropReason;
import dev.palco.sfu.room.Participant;
import dev.palco.sfu.room.Room;
import dev.palco.sfu.room.Sfu;
import dev.palco.sfu.room.SfuConfig;
import dev.palco.sfu.room.TrackPublication;
import dev.palco.sfu.room.TrackSubscription;
import dev.palco.sfu.stats.LatencyHistogram;
import dev.palco.sfu.transport.CandidateDescription;
import dev.palco.sfu.transport.IceConfig;
import dev.palco.sfu.transport.IceCredentials;
import dev.palco.sfu.transport.IceServer;
import dev.palco.sfu.transport.WebRtcTransport;
import dev.palco.sfu.transport.WebRtcTransportListener;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Measures the SFU's forwarding latency with real clients in one JVM, over loopback: an {@link
 * Sfu} and an {@link IceServer} on 127.0.0.1, one publisher sending synthetic VP8 (default
 * 2.5 Mbit/s, 30 fps, a keyframe every 2 s) and Opus, and N subscribers, each a {@link
 * WebRtcClient} with ICE, DTLS and SRTP, subscribed to both tracks. For each N it warms up, then
 * measures for a fixed time:
 * <ul>
 *   <li>the SFU's own added latency, {@link Sfu#forwardingLatency()}: from a packet's arrival
 *       (the publisher's transport handing the datagram over) to the return of the socket send
 *       toward one subscriber, over every subscriber;</li>
 *   <li>publisher send to subscriber receive (the {@code SyntheticPayload} send time to the
 *       subscriber client's arrival time), as a cross-check that includes both clients' SRTP and
 *       the kernel;</li>
 *   <li>packets delivered per second, loss (forwarded by the SFU but not received), datagrams
 *       the publisher's queue refused (the SFU falling behind), and CPU: the
 *       whole process from {@code /proc/self/stat}, and the SFU's media threads alone.</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.palco.loadtest.forwarding.ForwardingLatencyBenchmark
 * [--subscribers=1,10,100] [--warmup-s=5] [--measure-s=20] [--video-bps=2500000]}. Prints one
 * Markdown table row per N. Not a test: never run by {@code mvn test}.
 */
public final class ForwardingLatencyBenchmark {
  private static final String[] SFU_THREADS = {"palco-media-", "org.ice4j.ice.harvest"};

  private final Sfu sfu;
  private final IceServer ice;
  private final ExecutorService handshakes;
  private final DtlsCertificate serverCertificate = DtlsCertificate.generate(Instant.now());
  private final WebRtcClientOptions clientOptions;

  private ForwardingLatencyBenchmark() throws Exception {
    Logger.getLogger("org.ice4j").setLevel(Level.WARNING);
    Logger.getLogger("org.jitsi").setLevel(Level.WARNING);
    Logger.getLogger("dev.palco").setLevel(Level.WARNING);
    SrtpSupport.warmUp();
    InetAddress loopback = InetAddress.getLoopbackAddress();
    ice = IceServer.start(IceConfig.defaults(List.of(loopback)).withPorts(0, false, 0));
    sfu = new Sfu(SfuConfig.defaults());
    handshakes = new ThreadPoolExecutor(0, 32, 1, TimeUnit.SECONDS, new SynchronousQueue<>(),
        r -> {
          Thread t = new Thread(r, "load-dtls-handshake");
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    clientOptions = WebRtcClientOptions.of(IceClientOptions.Mode.UDP, loopback)
        .withCertificate(DtlsCertificate.generate(Instant.now()));
  }

  /** One measured configuration. */
  private record Result(int subscribers, Percentiles sfuLatency, Percentiles endToEnd, double seconds,
      long packetsIn, long delivered, long forwardedTotal, long receivedTotal, double processCores,
      double sfuThreadCores, String loadStart, String loadEnd, long keyframeRequests, long queueDrops) {}

  /** Runs the benchmark; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    int[] counts = {1, 10, 100};
    int warmupS = 5;
    int measureS = 20;
    int videoBps = 2_500_000;
    for (String a : args) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      switch (kv[0]) {
        case "subscribers" -> {
          String[] parts = kv[1].split(",");
          counts = new int[parts.length];
          for (int i = 0; i < parts.length; i++) {
            counts[i] = Integer.parseInt(parts[i].trim());
          }
        }
        case "warmup-s" -> warmupS = Integer.parseInt(kv[1]);
        case "measure-s" -> measureS = Integer.parseInt(kv[1]);
        case "video-bps" -> videoBps = Integer.parseInt(kv[1]);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    ForwardingLatencyBenchmark bench = new ForwardingLatencyBenchmark();
    List<Result> results = new ArrayList<>();
    try {
      for (int n : counts) {
        Result r = bench.run(n, warmupS, measureS, videoBps);
        results.add(r);
        System.out.println(row(r));
      }
    } finally {
      bench.sfu.close();
      bench.ice.close();
      bench.handshakes.shutdownNow();
    }
    System.out.println();
    System.out.println("| subscribers | SFU added p50 | p99 | max | publisher→subscriber p50 | p99 | max "
        + "| packets in/s | delivered/s | lost | publisher queue drops | process CPU | SFU threads CPU | load avg start → end |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Result r : results) {
      System.out.println(row(r));
    }
  }

  private static String ms(long nanos) {
    return String.format("%.3f ms", nanos / 1e6);
  }

  private static String row(Result r) {
    long lost = r.forwardedTotal - r.receivedTotal;
    return String.format("| %d | %s | %s | %s | %s | %s | %s | %.0f | %.0f | %d of %d (%.3f %%) | %d | %.2f cores "
            + "| %.2f cores | %s → %s |",
        r.subscribers, ms(r.sfuLatency.p50Nanos()), ms(r.sfuLatency.p99Nanos()),
        ms(r.sfuLatency.maxNanos()), ms(r.endToEnd.p50Nanos()), ms(r.endToEnd.p99Nanos()),
        ms(r.endToEnd.maxNanos()), r.packetsIn / r.seconds, r.delivered / r.seconds, lost, r.forwardedTotal,
        100.0 * lost / Math.max(1, r.forwardedTotal), r.queueDrops, r.processCores, r.sfuThreadCores, r.loadStart, r.loadEnd);
  }

  private Result run(int subscriberCount, int warmupS, int measureS, int videoBps) throws Exception {
    Room room = sfu.createRoom("load-" + subscriberCount);
    List<AutoCloseable> toClose = new ArrayList<>();
    try {
      WebRtcClient pubClient = connect(room, "publisher", toClose);
      LoadPublisher publisher = new LoadPublisher(pubClient, 7, videoBps, 60);
      toClose.add(publisher);
      Participant pub = room.participant("publisher");
      TrackPublication cam = pub.publish(publisher.videoTrack());
      TrackPublication mic = pub.publish(publisher.audioTrack());
      LatencyHistogram endToEnd = new LatencyHistogram();
      LongAdder delivered = new LongAdder();
      List<LoadSubscriber> subscribers = new ArrayList<>();
      List<TrackSubscription> subscriptions = new ArrayList<>();
      long joinStart = System.nanoTime();
      for (int i = 0; i < subscriberCount; i++) {
        String id = "sub-" + i;
        WebRtcClient c = connect(room, id, toClose);
        LoadSubscriber s = new LoadSubscriber(c, endToEnd, delivered);
        subscribers.add(s);
        Participant p = room.participant(id);
        subscriptions.add(p.subscribe(cam));
        subscriptions.add(p.subscribe(mic));
      }
      System.out.printf("N=%d: %d subscribers connected in %d ms%n", subscriberCount, subscriberCount,
          (System.nanoTime() - joinStart) / 1_000_000);
      publisher.start();
      parkSeconds(warmupS);

      String loadStart = ProcessCpu.loadAverage();
      sfu.forwardingLatency().reset();
      endToEnd.reset();
      long cpu0 = ProcessCpu.processCpuNanos();
      long sfuCpu0 = ProcessCpu.threadCpuNanos(SFU_THREADS);
      long in0 = publisher.packetsSent();
      long out0 = delivered.sum();
      long t0 = System.nanoTime();
      parkSeconds(measureS);
      long t1 = System.nanoTime();
      long cpu1 = ProcessCpu.processCpuNanos();
      long sfuCpu1 = ProcessCpu.threadCpuNanos(SFU_THREADS);
      long in1 = publisher.packetsSent();
      long out1 = delivered.sum();
      // Snapshot before stopping: the histograms keep counting the tail otherwise.
      Percentiles sfuSnapshot = Percentiles.of(sfu.forwardingLatency());
      Percentiles e2eSnapshot = Percentiles.of(endToEnd);
      String loadEnd = ProcessCpu.loadAverage();
      publisher.stop();
      // Drain: wait until the subscribers' count stops moving.
      long last = -1;
      while (delivered.sum() != last) {
        last = delivered.sum();
        parkSeconds(1);
      }
      long forwarded = 0;
      for (TrackSubscription s : subscriptions) {
        forwarded += s.stats().packets();
      }
      double seconds = (t1 - t0) / 1e9;
      return new Result(subscriberCount, sfuSnapshot, e2eSnapshot, seconds, in1 - in0, out1 - out0, forwarded,
          delivered.sum(), (cpu1 - cpu0) / 1e9 / seconds, (sfuCpu1 - sfuCpu0) / 1e9 / seconds, loadStart, loadEnd,
          publisher.keyframeRequests(), pub.stats().dropped(DropReason.QUEUE_FULL));
    } finally {
      for (AutoCloseable c : toClose) {
        c.close();
      }
      room.close();
    }
  }

  /** Connects a client as signaling would and joins it to the room. */
  private WebRtcClient connect(Room room, String id, List<AutoCloseable> toClose) throws Exception {
    WebRtcTransport transport = WebRtcTransport.create(id, ice, serverCertificate, DtlsSettings.DEFAULTS,
        handshakes, new WebRtcTransportListener() { });
    room.join(id, transport);
    WebRtcClient client = WebRtcClient.create(id, clientOptions);
    toClose.add(client);
    IceCredentials offer = client.localCredentials();
    transport.setRemoteIceCredentials(offer.ufrag(), offer.pwd());
    transport.setRemoteFingerprint(client.localFingerprint());
    for (CandidateDescription c : client.localCandidates()) {
      transport.addRemoteCandidate(c);
    }
    transport.endOfRemoteCandidates();
    IceCredentials answer = transport.localIceCredentials();
    client.connect(answer.ufrag(), answer.pwd(), transport.localFingerprint(), transport.localCandidates(),
        Duration.ofSeconds(30));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!transport.isSecured()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(id + " not secured at the server: " + transport.state());
      }
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
    }
    return client;
  }

  /** What is reported of a histogram, read at one instant (recording goes on after). */
  private record Percentiles(long count, long p50Nanos, long p99Nanos, long maxNanos) {
    static Percentiles of(LatencyHistogram h) {
      return new Percentiles(h.count(), h.percentileNanos(50), h.percentileNanos(99), h.maxNanos());
    }
  }

  private static void parkSeconds(int s) {
    long end = System.nanoTime() + s * 1_000_000_000L;
    long left;
    while ((left = end - System.nanoTime()) > 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(left);
    }
  }
}
