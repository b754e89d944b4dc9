package dev.palco.loadtest.forwarding;

import dev.palco.loadtest.generator.net.Ice4jMediaClient;
import dev.palco.sfu.client.WebRtcClient;
import dev.palco.sfu.pipeline.DropReason;
import dev.palco.sfu.room.Participant;
import dev.palco.sfu.room.Room;
import dev.palco.sfu.room.Sfu;
import dev.palco.sfu.room.SfuConfig;
import dev.palco.sfu.room.TrackPublication;
import dev.palco.sfu.room.TrackSubscription;
import dev.palco.sfu.stats.LatencyHistogram;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures the SFU's forwarding latency with real clients over loopback: an {@link Sfu} and an
 * ICE server on 127.0.0.1 ({@link LoopbackSfu}), one publisher sending synthetic VP8 (default
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
 *       whole process from {@code /proc/self/stat}, the SFU's media threads alone, and the
 *       subscriber process when the clients run in one.</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.palco.loadtest.forwarding.ForwardingLatencyBenchmark
 * [--subscribers=1,10,100] [--warmup-s=30] [--measure-s=20] [--video-bps=2500000]
 * [--clients=in-process|process|process-shared] [--pacing=burst|chromium]}. With {@code
 * --clients=process} the subscriber clients run in a child JVM ({@link SubscriberFleet}), so their
 * receive work is not charged to this process ({@code process-shared}: the child's clients share
 * two selector threads instead of a reader thread each); with {@code --pacing=chromium} the publisher paces its packets as
 * Chromium does ({@link LoadPublisher}), instead of sending each frame as a burst. The defaults
 * (in-process, burst) are the original run. Prints one Markdown table row per N. Not a test: never
 * run by {@code mvn test}.
 */
public final class ForwardingLatencyBenchmark {
  private final LoopbackSfu server;
  private final Sfu sfu;

  private ForwardingLatencyBenchmark() throws Exception {
    server = new LoopbackSfu(SfuConfig.defaults());
    sfu = server.sfu;
  }

  /** One measured configuration. */
  private record Result(int subscribers, Percentiles sfuLatency, Percentiles endToEnd, double seconds,
      long packetsIn, long delivered, long forwardedTotal, long receivedTotal, double processCores,
      double sfuThreadCores, double clientProcessCores, String loadStart, String loadEnd, long keyframeRequests,
      long queueDrops) {}

  private boolean separateClients;
  private double pacingFactor;
  private SubscriberFleet.Clients fleetClients;

  /** Runs the benchmark; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    int[] counts = {1, 10, 100};
    // The JIT still compiles the forwarding path after 5 s at 1 subscriber (340 packets/s): with a
    // 5 s warm-up the compilations fell into the measurement and tripled the p99.
    int warmupS = 30;
    int measureS = 20;
    int videoBps = 2_500_000;
    boolean separate = false;
    SubscriberFleet.Clients fleetClients = SubscriberFleet.Clients.ICE4J;
    double pacing = 0;
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
        case "clients" -> separate = switch (kv[1]) {
          case "process" -> true;
          case "process-shared" -> {
            fleetClients = SubscriberFleet.Clients.SHARED;
            yield true;
          }
          case "in-process" -> false;
          default -> throw new IllegalArgumentException("--clients=in-process|process|process-shared, not " + kv[1]);
        };
        case "pacing" -> pacing = switch (kv[1]) {
          case "chromium" -> LoadPublisher.CHROMIUM_PACING_FACTOR;
          case "burst" -> 0;
          default -> throw new IllegalArgumentException("--pacing=burst|chromium, not " + kv[1]);
        };
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    ForwardingLatencyBenchmark bench = new ForwardingLatencyBenchmark();
    bench.separateClients = separate;
    bench.fleetClients = fleetClients;
    bench.pacingFactor = pacing;
    System.out.printf("clients %s, publisher %s, %d media workers%n", separate ? "in a child process ("
            + fleetClients.name().toLowerCase(java.util.Locale.ROOT) + ")" : "in process",
        pacing > 0 ? "paced at " + pacing + " x its bitrate" : "sending frames as bursts",
        bench.sfu.config().workerThreads());
    List<Result> results = new ArrayList<>();
    try {
      for (int n : counts) {
        Result r = bench.run(n, warmupS, measureS, videoBps);
        results.add(r);
        System.out.println(row(r));
      }
    } finally {
      bench.server.close();
    }
    System.out.println();
    System.out.println("| subscribers | SFU added p50 | p99 | max | publisher→subscriber p50 | p99 | max "
        + "| packets in/s | delivered/s | lost | publisher queue drops | SFU process CPU | SFU threads CPU "
        + "| subscriber process CPU | load avg start → end |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
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
            + "| %.2f cores | %s | %s → %s |",
        r.subscribers, ms(r.sfuLatency.p50Nanos()), ms(r.sfuLatency.p99Nanos()),
        ms(r.sfuLatency.maxNanos()), ms(r.endToEnd.p50Nanos()), ms(r.endToEnd.p99Nanos()),
        ms(r.endToEnd.maxNanos()), r.packetsIn / r.seconds, r.delivered / r.seconds, lost, r.forwardedTotal,
        100.0 * lost / Math.max(1, r.forwardedTotal), r.queueDrops, r.processCores, r.sfuThreadCores,
        r.clientProcessCores < 0 ? "(in process)" : String.format("%.2f cores", r.clientProcessCores), r.loadStart,
        r.loadEnd);
  }

  private Result run(int subscriberCount, int warmupS, int measureS, int videoBps) throws Exception {
    Room room = sfu.createRoom("load-" + subscriberCount);
    List<AutoCloseable> toClose = new ArrayList<>();
    RemoteSubscribers fleet = separateClients ? new RemoteSubscribers("1g", fleetClients, 0, 0) : null;
    try {
      WebRtcClient pubClient = server.connect(room, "publisher");
      toClose.add(pubClient);
      LoadPublisher publisher = new LoadPublisher(pubClient, 7,
          List.of(new LoadPublisher.VideoLayer(null, videoBps, 1280, 720)), 60, pacingFactor);
      toClose.add(publisher);
      Participant pub = room.participant("publisher");
      TrackPublication cam = pub.publish(publisher.videoTrack());
      TrackPublication mic = pub.publish(publisher.audioTrack());
      LatencyHistogram endToEnd = new LatencyHistogram();
      LongAdder delivered = new LongAdder();
      List<TrackSubscription> subscriptions = new ArrayList<>();
      long joinStart = System.nanoTime();
      for (int i = 0; i < subscriberCount; i++) {
        String id = "sub-" + i;
        if (fleet != null) {
          server.connectRemote(room, id, fleet, false);
        } else {
          WebRtcClient c = server.connect(room, id);
          toClose.add(c);
          new LoadSubscriber(new Ice4jMediaClient(c), endToEnd, delivered);
        }
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
      RemoteSubscribers.Snapshot remote0 = null;
      if (fleet != null) {
        fleet.resetLatency();
        remote0 = fleet.snapshot();
      }
      long cpu0 = ProcessCpu.processCpuNanos();
      long sfuCpu0 = ProcessCpu.threadCpuNanos(LoopbackSfu.SFU_THREADS);
      long in0 = publisher.packetsSent();
      long out0 = fleet != null ? remote0.delivered() : delivered.sum();
      long t0 = System.nanoTime();
      parkSeconds(measureS);
      long t1 = System.nanoTime();
      long cpu1 = ProcessCpu.processCpuNanos();
      long sfuCpu1 = ProcessCpu.threadCpuNanos(LoopbackSfu.SFU_THREADS);
      long in1 = publisher.packetsSent();
      // Snapshot before stopping: the histograms keep counting the tail otherwise.
      Percentiles sfuSnapshot = Percentiles.of(sfu.forwardingLatency());
      RemoteSubscribers.Snapshot remote1 = fleet != null ? fleet.snapshot() : null;
      Percentiles e2eSnapshot = fleet != null
          ? new Percentiles(remote1.latencyCount(), remote1.p50Nanos(), remote1.p99Nanos(), remote1.maxNanos())
          : Percentiles.of(endToEnd);
      long out1 = fleet != null ? remote1.delivered() : delivered.sum();
      String loadEnd = ProcessCpu.loadAverage();
      publisher.stop();
      // Drain: wait until the subscribers' count stops moving.
      long last = -1;
      long now = fleet != null ? fleet.snapshot().delivered() : delivered.sum();
      while (now != last) {
        last = now;
        parkSeconds(1);
        now = fleet != null ? fleet.snapshot().delivered() : delivered.sum();
      }
      long forwarded = 0;
      for (TrackSubscription s : subscriptions) {
        forwarded += s.stats().packets();
      }
      double seconds = (t1 - t0) / 1e9;
      double clientCores = fleet != null ? (remote1.cpuNanos() - remote0.cpuNanos()) / 1e9 / seconds : -1;
      return new Result(subscriberCount, sfuSnapshot, e2eSnapshot, seconds, in1 - in0, out1 - out0, forwarded,
          now, (cpu1 - cpu0) / 1e9 / seconds, (sfuCpu1 - sfuCpu0) / 1e9 / seconds, clientCores, loadStart,
          loadEnd, publisher.keyframeRequests(), pub.stats().dropped(DropReason.QUEUE_FULL));
    } finally {
      for (AutoCloseable c : toClose) {
        c.close();
      }
      if (fleet != null) {
        fleet.close();
      }
      room.close();
    }
  }

  /** What is reported of a histogram, read at one instant (recording goes on after). */
  private record Percentiles(long count, long p50Nanos, long p99Nanos, long maxNanos) {
    static Percentiles of(LatencyHistogram h) {
      return new Percentiles(h.count(), h.percentileNanos(50), h.percentileNanos(99), h.maxNanos());
    }
  }

  private static void parkSeconds(int s) {
    LoopbackSfu.parkSeconds(s);
  }
}
