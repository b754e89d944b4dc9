package dev.palco.loadtest.forwarding;

import dev.palco.sfu.client.WebRtcClient;
import dev.palco.sfu.pipeline.DropReason;
import dev.palco.sfu.room.ExtensionUris;
import dev.palco.sfu.room.Participant;
import dev.palco.sfu.room.Room;
import dev.palco.sfu.room.SfuConfig;
import dev.palco.sfu.room.TrackParameters;
import dev.palco.sfu.room.TrackPublication;
import dev.palco.sfu.room.TrackSubscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Subscriber video streams served per core (issue 5): one simulcast publisher (VP8 q/h/f at
 * 320×180 150 kbit/s, 640×360 500 kbit/s and 1280×720 1.7 Mbit/s, Chromium's layers for a 720p
 * camera, paced as Chromium paces) and a growing number N of subscribers on mixed layers
 * (subscriber i is capped at layer i mod 3 with {@link TrackSubscription#setMaxLayer}), whose
 * clients run in a child JVM ({@link SubscriberFleet}). It adds subscribers step by step; at each
 * step it lets the forwarding settle, then measures for a fixed time:
 * <ul>
 *   <li><b>loss</b>: packets the SFU sent on the subscriptions that no client received, plus the
 *       packets the SFU dropped on the way (the publisher's queue full, a subscriber's forward
 *       queue full, a failed send), over what it should have sent;</li>
 *   <li>CPU of the SFU's threads (media workers, media timer, UDP reader) in cores, and of the
 *       client process;</li>
 *   <li><b>streams per core</b>: N divided by the SFU threads' cores; and N divided by the whole
 *       SFU process's cores, which adds ice4j's STUN threads, the ICE timer, the JIT and the GC
 *       (and the benchmark's publisher client, about 0.02 cores).</li>
 * </ul>
 * It stops at the first step that fails: loss above the threshold, or an SFU-added median delay
 * above {@code --max-p50-ms} (the SFU no longer keeps up and a backlog builds in the subscribers'
 * forward queues, which hold seconds of video before they overflow and show as loss). It reports
 * the last step that passed. The clients are count-only by default (they count the SRTP packets reaching their
 * sockets and drop them undecrypted; {@code --decrypt} makes them decrypt and check everything),
 * so that on one host their receive cost takes as little as possible from the SFU. With {@code
 * --fleet=shared} the clients share two selector threads (they then always decrypt): a burst to
 * many subscribers wakes a selector once, not a reader thread per subscriber. With {@code
 * --remb-bps} every client sends that REMB once a second, so the SFU runs its estimator, pacer and
 * every 10 ms tick for each subscriber as it does for a browser; without it the SFU has no
 * bandwidth feedback and ticks a subscriber only for its allocation. With {@code --twcc} each
 * subscriber agrees transport-cc instead, as a browser does: the benchmark applies each
 * subscription's answer side with the transport-wide sequence number under id {@value
 * #TRANSPORT_CC_ID} ({@link TrackSubscription#applyNegotiation}, as signaling does after the
 * subscriber's SDP answer), so the SFU stamps its own transport-wide number on every packet, and
 * each client reads it and sends transport-cc feedback every 50 ms ({@link TransportCcReporter}).
 * The SFU then parses every feedback and runs its delay- and loss-based estimator on each packet
 * report, probes and paces. {@code --twcc} and {@code --remb-bps} exclude each other (the SFU
 * ignores a REMB from a subscriber that agreed transport-cc).
 *
 * <p>Usage: {@code java -cp benchmarks.jar
 * dev.palco.loadtest.forwarding.SubscriberCapacityBenchmark [--start=50] [--step=50] [--max=1000]
 * [--settle-s=3] [--measure-s=10] [--loss-threshold=0.001] [--max-p50-ms=50] [--audio] [--decrypt] [--fleet=ice4j|shared]
 * [--remb-bps=B | --twcc] [--workers=N]}. Not a test: never run by {@code mvn test}.
 */
public final class SubscriberCapacityBenchmark {
  private static final List<LoadPublisher.VideoLayer> LAYERS = List.of(
      new LoadPublisher.VideoLayer("q", 150_000, 320, 180),
      new LoadPublisher.VideoLayer("h", 500_000, 640, 360),
      new LoadPublisher.VideoLayer("f", 1_700_000, 1280, 720));

  /** The id a Chromium offer gives the transport-wide sequence number. */
  private static final int TRANSPORT_CC_ID = 3;

  /** One step of the ramp. */
  private record Step(int subscribers, double seconds, long shouldSend, long lost, long sfuDrops,
      double deliveredPerSecond, double sfuCores, double sfuProcessCores, double clientCores, long p50Nanos,
      long p99Nanos, String loadStart, String loadEnd, int[] layerCounts) {

    boolean passed(double lossThreshold, double maxP50Ms) {
      return lossRatio() <= lossThreshold && p50Nanos / 1e6 <= maxP50Ms;
    }

    double lossRatio() {
      return (double) lost / Math.max(1, shouldSend);
    }

    double streamsPerCore() {
      return subscribers / Math.max(1e-9, sfuCores);
    }

    double streamsPerProcessCore() {
      return subscribers / Math.max(1e-9, sfuProcessCores);
    }
  }

  private SubscriberCapacityBenchmark() {}

  /** Runs the ramp; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    int start = 50;
    int step = 50;
    int max = 1000;
    double settleS = 3;
    double measureS = 10;
    double lossThreshold = 0.001;
    double maxP50Ms = 50;
    boolean audio = false;
    boolean decrypt = false;
    SubscriberFleet.Clients fleetClients = SubscriberFleet.Clients.ICE4J;
    long rembBps = 0;
    boolean twcc = false;
    int workers = SfuConfig.defaults().workerThreads();
    for (String a : args) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      switch (kv[0]) {
        case "start" -> start = Integer.parseInt(kv[1]);
        case "step" -> step = Integer.parseInt(kv[1]);
        case "max" -> max = Integer.parseInt(kv[1]);
        case "settle-s" -> settleS = Double.parseDouble(kv[1]);
        case "measure-s" -> measureS = Double.parseDouble(kv[1]);
        case "loss-threshold" -> lossThreshold = Double.parseDouble(kv[1]);
        case "max-p50-ms" -> maxP50Ms = Double.parseDouble(kv[1]);
        case "audio" -> audio = true;
        case "decrypt" -> decrypt = true;
        case "remb-bps" -> rembBps = Long.parseLong(kv[1]);
        case "twcc" -> twcc = true;
        case "fleet" -> fleetClients = SubscriberFleet.Clients.valueOf(kv[1].toUpperCase(java.util.Locale.ROOT));
        case "workers" -> workers = Integer.parseInt(kv[1]);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (twcc && rembBps > 0) {
      throw new IllegalArgumentException("--twcc and --remb-bps exclude each other");
    }
    // The shared fleet has no count-only mode: its clients decrypt what they receive.
    decrypt |= fleetClients == SubscriberFleet.Clients.SHARED;
    // Bandwidth feedback comes from decrypting clients (count-only ones see no packet).
    decrypt |= rembBps > 0 || twcc;
    System.out.printf("simulcast publisher %s paced at %.1f x; subscribers on layers i mod 3%s; clients %s in a "
            + "child process; %d media workers; a step passes with loss <= %.3f %% and SFU-added p50 <= %.0f ms%n",
        LAYERS, LoadPublisher.CHROMIUM_PACING_FACTOR, audio ? " plus audio" : "", (decrypt ? "decrypting" : "count-only") + " (" + fleetClients.name().toLowerCase(java.util.Locale.ROOT) + ")"
            + (twcc ? ", each agreeing transport-cc and sending transport-cc feedback every 50 ms"
                : rembBps > 0 ? ", each sending a REMB of " + rembBps + " bit/s a second" : ", no bandwidth feedback"),
        workers, 100 * lossThreshold, maxP50Ms);
    List<Step> steps = new ArrayList<>();
    try (LoopbackSfu server = new LoopbackSfu(SfuConfig.defaults().withWorkerThreads(workers));
        RemoteSubscribers fleet = new RemoteSubscribers("2g", fleetClients, rembBps, twcc ? TRANSPORT_CC_ID : 0)) {
      Room room = server.sfu.createRoom("capacity");
      WebRtcClient pubClient = server.connect(room, "publisher");
      try (LoadPublisher publisher = new LoadPublisher(pubClient, 11, LAYERS, 60,
          LoadPublisher.CHROMIUM_PACING_FACTOR)) {
        Participant pub = room.participant("publisher");
        TrackPublication cam = pub.publish(publisher.videoTrack());
        TrackPublication mic = pub.publish(publisher.audioTrack());
        publisher.start();
        List<TrackSubscription> subscriptions = new ArrayList<>();
        List<Participant> subscribers = new ArrayList<>();
        int n = 0;
        for (int target = start; target <= max; target += step) {
          long joinStart = System.nanoTime();
          while (n < target) {
            String id = "sub-" + n;
            server.connectRemote(room, id, fleet, !decrypt);
            Participant p = room.participant(id);
            subscribers.add(p);
            TrackSubscription video = p.subscribe(cam);
            video.setMaxLayer(n % LAYERS.size());
            subscriptions.add(video);
            if (twcc) {
              video.applyNegotiation(answerWithTransportCc(cam.parameters()));
            }
            if (audio) {
              TrackSubscription sound = p.subscribe(mic);
              if (twcc) {
                sound.applyNegotiation(answerWithTransportCc(mic.parameters()));
              }
              subscriptions.add(sound);
            }
            n++;
          }
          System.out.printf("N=%d: joined in %d ms%n", n, (System.nanoTime() - joinStart) / 1_000_000);
          LoopbackSfu.parkSeconds(settleS);
          Step s = measure(server, fleet, pub, subscribers, subscriptions, cam, n, measureS);
          steps.add(s);
          System.out.println(row(s));
          printFeedback(pub, subscribers, fleet);
          if (!s.passed(lossThreshold, maxP50Ms)) {
            break;
          }
        }
        publisher.stop();
      }
    }
    System.out.println();
    System.out.println("| N subscribers | layers q/h/f forwarded | packets/s delivered | lost | SFU drops "
        + "| SFU threads CPU | SFU process CPU | client process CPU | streams per SFU core "
        + "| streams per SFU process core | SFU added p50 / p99 | load avg start → end |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
    Step best = null;
    for (Step s : steps) {
      System.out.println(row(s));
      if (s.passed(lossThreshold, maxP50Ms)) {
        best = s;
      }
    }
    System.out.println();
    if (best == null) {
      System.out.println("the first step already failed");
    } else {
      System.out.printf("largest N that kept up without loss: %d video streams on %.2f SFU cores = %.0f streams per "
              + "core (%.2f cores of the whole SFU process = %.0f streams per process core)%n",
          best.subscribers(), best.sfuCores(), best.streamsPerCore(), best.sfuProcessCores(),
          best.streamsPerProcessCore());
    }
  }

  private static Step measure(LoopbackSfu server, RemoteSubscribers fleet, Participant pub,
      List<Participant> subscribers, List<TrackSubscription> subscriptions, TrackPublication cam, int n,
      double measureS) throws Exception {
    String loadStart = ProcessCpu.loadAverage();
    server.sfu.forwardingLatency().reset();
    long sent0 = sentPackets(subscriptions);
    long drops0 = sfuDrops(pub, subscribers);
    RemoteSubscribers.Snapshot r0 = fleet.snapshot();
    long cpu0 = ProcessCpu.processCpuNanos();
    long sfuCpu0 = ProcessCpu.threadCpuNanos(LoopbackSfu.SFU_THREADS);
    long t0 = System.nanoTime();
    LoopbackSfu.parkSeconds(measureS);
    long t1 = System.nanoTime();
    long sfuCpu1 = ProcessCpu.threadCpuNanos(LoopbackSfu.SFU_THREADS);
    long cpu1 = ProcessCpu.processCpuNanos();
    long sent1 = sentPackets(subscriptions);
    long drops1 = sfuDrops(pub, subscribers);
    // Packets still in flight at the window's end (sent, not yet read) are a few milliseconds'
    // worth; a short wait lets them land before the clients are counted.
    LoopbackSfu.parkSeconds(0.2);
    RemoteSubscribers.Snapshot r1 = fleet.snapshot();
    String loadEnd = ProcessCpu.loadAverage();
    double seconds = (t1 - t0) / 1e9;
    long sent = sent1 - sent0;
    long delivered = r1.delivered() - r0.delivered();
    long sfuDrops = drops1 - drops0;
    long lost = Math.max(0, sent - delivered) + sfuDrops;
    int[] layers = new int[3];
    for (TrackSubscription s : subscriptions) {
      if (s.kind() == dev.palco.sfu.room.TrackKind.VIDEO) {
        int l = s.currentLayer();
        if (l >= 0 && l < layers.length) {
          layers[l]++;
        }
      }
    }
    return new Step(n, seconds, sent + sfuDrops, lost, sfuDrops, delivered / seconds,
        (sfuCpu1 - sfuCpu0) / 1e9 / seconds, (cpu1 - cpu0) / 1e9 / seconds,
        (r1.cpuNanos() - r0.cpuNanos()) / 1e9 / seconds, server.sfu.forwardingLatency().percentileNanos(50),
        server.sfu.forwardingLatency().percentileNanos(99), loadStart, loadEnd, layers);
  }

  /**
   * The subscriber's side of a section carrying {@code publisher}'s track, as its SDP answer would
   * give it: the same codecs and payload types, and the transport-wide sequence number under
   * {@link #TRANSPORT_CC_ID}.
   */
  private static TrackParameters answerWithTransportCc(TrackParameters publisher) {
    return new TrackParameters(publisher.kind(), publisher.mid(), publisher.codecs(),
        Map.of(ExtensionUris.TRANSPORT_CC, TRANSPORT_CC_ID), List.of(), List.of(), publisher.rtcpReducedSize(),
        publisher.streamId(), publisher.trackId());
  }

  /** Says how many subscribers the SFU estimates bandwidth for, so a run shows what it exercised. */
  private static void printFeedback(Participant pub, List<Participant> subscribers, RemoteSubscribers fleet) throws Exception {
    int withFeedback = 0;
    int withTransportCc = 0;
    long rembs = 0;
    long feedbackMessages = 0;
    long acked = 0;
    long reportedLost = 0;
    long estimateSum = 0;
    long probes = 0;
    long paddingPackets = 0;
    long pacerDrops = 0;
    int belowCap = 0;
    long switches = 0;
    for (int i = 0; i < subscribers.size(); i++) {
      dev.palco.sfu.room.SendSideStats s = subscribers.get(i).stats().sendSide();
      for (dev.palco.sfu.room.SendSideStats.LayerSelection l : s.layers()) {
        if (l.targetLayer() < i % LAYERS.size()) {
          belowCap++;
        }
        switches += l.upswitches() + l.downswitches();
      }
      pacerDrops += s.pacerExpired() + s.pacerRefused();
      if (s.feedbackSeen()) {
        withFeedback++;
        estimateSum += s.estimateBps();
      }
      if (s.transportCc() && s.feedbackMessages() > 0) {
        withTransportCc++;
      }
      rembs += s.rembsApplied();
      feedbackMessages += s.feedbackMessages();
      acked += s.packetsAcked();
      reportedLost += s.packetsReportedLost();
      probes += s.probesStarted();
      paddingPackets += s.paddingPackets();
    }
    System.out.printf("   bandwidth feedback from %d of %d subscribers (%d REMBs applied so far); transport-cc "
            + "estimation for %d: %d feedback messages consumed (clients sent %d), %d packets acked, %d reported "
            + "lost, %d probes, %d padding packets; mean estimate %.2f Mbit/s; %d subscribers allocated below "
            + "their layer cap; %d packets dropped by pacers (expired or refused); %d layer switches; %d keyframe "
            + "requests sent to the publisher%n", withFeedback,
        subscribers.size(), rembs, withTransportCc, feedbackMessages, fleet.snapshot().feedbacksSent(), acked,
        reportedLost, probes, paddingPackets, withFeedback == 0 ? 0 : estimateSum / 1e6 / withFeedback, belowCap,
        pacerDrops, switches, pub.stats().keyframeRequestsSent());
  }

  private static long sentPackets(List<TrackSubscription> subscriptions) {
    long total = 0;
    for (TrackSubscription s : subscriptions) {
      total += s.stats().packets();
    }
    return total;
  }

  /** Packets the SFU dropped for want of capacity: full queues and failed sends. */
  private static long sfuDrops(Participant pub, List<Participant> subscribers) {
    long total = pub.stats().dropped(DropReason.QUEUE_FULL);
    for (Participant p : subscribers) {
      var stats = p.stats();
      total += stats.dropped(DropReason.QUEUE_FULL) + stats.dropped(DropReason.SEND_FAILED);
    }
    return total;
  }

  private static String row(Step s) {
    return String.format("| %d | %d/%d/%d | %.0f | %d of %d (%.3f %%) | %d | %.2f cores | %.2f cores | %.2f cores "
            + "| %.0f | %.0f | %.3f / %.3f ms | %s → %s |",
        s.subscribers(), s.layerCounts()[0], s.layerCounts()[1], s.layerCounts()[2], s.deliveredPerSecond(),
        s.lost(), s.shouldSend(), 100 * s.lossRatio(), s.sfuDrops(), s.sfuCores(), s.sfuProcessCores(),
        s.clientCores(), s.streamsPerCore(), s.streamsPerProcessCore(), s.p50Nanos() / 1e6, s.p99Nanos() / 1e6,
        s.loadStart(), s.loadEnd());
  }
}
