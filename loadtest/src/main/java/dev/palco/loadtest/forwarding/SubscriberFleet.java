package dev.palco.loadtest.forwarding;

import dev.palco.loadtest.generator.net.ClientNetwork;
import dev.palco.loadtest.generator.net.Ice4jMediaClient;
import dev.palco.loadtest.generator.net.LeanWebRtcClient;
import dev.palco.loadtest.generator.net.MediaClient;
import dev.palco.rtp.dtls.DtlsCertificate;
import dev.palco.rtp.dtls.DtlsSettings;
import dev.palco.rtp.demux.PacketKind;
import dev.palco.rtp.dtls.DtlsFingerprint;
import dev.palco.rtp.srtp.SrtpSupport;
import dev.palco.sfu.client.IceClientOptions;
import dev.palco.sfu.client.WebRtcClient;
import dev.palco.sfu.client.WebRtcClientOptions;
import dev.palco.sfu.room.WebRtcNegotiation;
import dev.palco.sfu.sdp.IceCandidate;
import dev.palco.sfu.stats.LatencyHistogram;
import dev.palco.sfu.transport.CandidateDescription;
import dev.palco.sfu.transport.IceCredentials;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load runs' subscriber clients in a process of their own, so that their receive work (the
 * kernel's delivery to their sockets, their reader threads, SRTP decryption) is not charged to the
 * SFU's process. The parent ({@link RemoteSubscribers}) drives it over stdin and stdout, one
 * request and one reply line at a time, fields separated by tabs:
 *
 * <pre>
 * (arguments: ICE4J or SHARED, then the REMB bitrate each decrypting client announces, 0 for none,
 *  then the transport-wide sequence number's extension id, 0 for no transport-cc feedback)
 * NEW id [count-only]             → OFFER id ufrag pwd fingerprint candidate...
 * ANSWER id ufrag pwd fingerprint candidate...   → CONNECTED id | FAILED id reason
 * RESET                           → OK                 (clears the end-to-end histogram)
 * SNAPSHOT                        → SNAPSHOT delivered count p50Nanos p99Nanos maxNanos cpuNanos feedbacks
 * RECEIVED id                     → RECEIVED id packets
 * QUIT                            → BYE                (closes every client, then exits)
 * </pre>
 *
 * A {@code count-only} client counts the SRTP packets that reach its socket and drops them
 * before decryption (a {@link WebRtcClient.ReceiveFilter}): no end-to-end delay, but a fraction of
 * the receive cost, so that a capacity run on one host measures the SFU rather than its clients.
 * ICE consent, DTLS and RTCP still go through.
 *
 * <p>Candidates are in their SDP attribute form (RFC 8839 §5.1), fingerprints as in
 * {@code a=fingerprint}. The end-to-end delay is the publisher's {@code System.nanoTime} stamp
 * to this process's arrival time: both read CLOCK_MONOTONIC, which one host shares between
 * processes.
 */
public final class SubscriberFleet {
  /** The fleet's client stack. */
  public enum Clients {
    /**
     * One full {@link WebRtcClient} per subscriber: an ice4j agent and a reader thread each, so
     * every packet the SFU sends wakes a thread of its own.
     */
    ICE4J,
    /**
     * {@link LeanWebRtcClient}s on {@value #SELECTOR_THREADS} shared selector threads: a burst
     * sent to many subscribers wakes a selector once rather than a thread per subscriber, so the
     * SFU's workers are preempted less by the fleet they feed. No {@code count-only} mode.
     */
    SHARED
  }

  private static final int SELECTOR_THREADS = 2;

  private final Map<String, LoadSubscriber> subscribers = new LinkedHashMap<>();
  private final LatencyHistogram endToEnd = new LatencyHistogram();
  private final LongAdder delivered = new LongAdder();
  private final WebRtcClientOptions options;
  private final WebRtcClient.ReceiveFilter countOnly = (buf, off, len, kind) -> {
    if (kind == PacketKind.RTP) {
      delivered.increment();
      return false;
    }
    return true;
  };

  private final DtlsCertificate certificate = DtlsCertificate.generate(Instant.now());
  private final ClientNetwork network;
  /** What each subscriber announces in a REMB once a second (decrypting clients only), 0 for none. */
  private long rembBps;
  /**
   * The id the SFU stamps its transport-wide sequence number under, 0 for none: each decrypting
   * client then sends transport-cc feedback every {@value #TRANSPORT_FEEDBACK_INTERVAL_MS} ms.
   */
  private int transportCcId;
  /** Chrome's cadence at stage bitrates is 50 to 100 ms. */
  private static final long TRANSPORT_FEEDBACK_INTERVAL_MS = 50;

  private SubscriberFleet(Clients clients) throws java.io.IOException {
    options = WebRtcClientOptions.of(IceClientOptions.Mode.UDP, InetAddress.getLoopbackAddress())
        .withCertificate(certificate);
    network = clients == Clients.SHARED ? new ClientNetwork("fleet", SELECTOR_THREADS) : null;
  }

  /** Runs the fleet until QUIT or the end of stdin. */
  public static void main(String[] args) throws Exception {
    System.setProperty("ice4j.harvest.mapping.aws.enabled", "false");
    LoopbackSfu.quietLogs();
    // Replies go to the real stdout; anything a library prints goes to stderr instead.
    PrintStream replies = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
        StandardCharsets.UTF_8);
    System.setOut(System.err);
    SrtpSupport.warmUp();
    SubscriberFleet fleet = new SubscriberFleet(args.length > 0 ? Clients.valueOf(args[0]) : Clients.ICE4J);
    fleet.rembBps = args.length > 1 ? Long.parseLong(args[1]) : 0;
    fleet.transportCcId = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String reply;
      try {
        reply = fleet.handle(line.split("\t"));
      } catch (Exception e) {
        reply = "FAILED\t" + (line.split("\t").length > 1 ? line.split("\t")[1] : "") + "\t"
            + String.valueOf(e).replace('\t', ' ').replace('\n', ' ');
      }
      replies.println(reply);
      if (reply.equals("BYE")) {
        break;
      }
    }
    fleet.closeAll();
    System.exit(0);
  }

  private String handle(String[] f) throws Exception {
    switch (f[0]) {
      case "NEW": {
        boolean countOnlyClient = f.length > 2 && f[2].equals("count-only");
        MediaClient client;
        if (network == null) {
          WebRtcClient full = WebRtcClient.create(f[1], options);
          if (countOnlyClient) {
            full.setReceiveFilter(countOnly);
          }
          client = new Ice4jMediaClient(full);
        } else if (countOnlyClient) {
          throw new IllegalArgumentException("count-only needs the ice4j fleet");
        } else {
          client = LeanWebRtcClient.create(f[1], network, InetAddress.getLoopbackAddress(), certificate,
              DtlsSettings.DEFAULTS);
        }
        LoadSubscriber subscriber = new LoadSubscriber(client, endToEnd, delivered);
        subscriber.sendRemb(rembBps);
        if (transportCcId > 0 && !countOnlyClient) {
          subscriber.sendTransportFeedback(transportCcId, TRANSPORT_FEEDBACK_INTERVAL_MS);
        }
        subscribers.put(f[1], subscriber);
        IceCredentials c = client.localCredentials();
        StringBuilder out = new StringBuilder("OFFER\t").append(f[1]).append('\t').append(c.ufrag())
            .append('\t').append(c.pwd()).append('\t').append(client.localFingerprint().toSdp());
        for (CandidateDescription d : client.localCandidates()) {
          out.append('\t').append(WebRtcNegotiation.toSdp(d).toValue());
        }
        return out.toString();
      }
      case "ANSWER": {
        LoadSubscriber s = subscribers.get(f[1]);
        List<CandidateDescription> candidates = new ArrayList<>();
        for (int i = 5; i < f.length; i++) {
          CandidateDescription d = WebRtcNegotiation.fromSdp(IceCandidate.parse(f[i]));
          if (d != null) {
            candidates.add(d);
          }
        }
        s.client().connect(f[2], f[3], DtlsFingerprint.parse(f[4]), candidates, Duration.ofSeconds(30));
        return "CONNECTED\t" + f[1];
      }
      case "RESET":
        endToEnd.reset();
        return "OK";
      case "SNAPSHOT":
        return "SNAPSHOT\t" + delivered.sum() + "\t" + endToEnd.count() + "\t" + endToEnd.percentileNanos(50)
            + "\t" + endToEnd.percentileNanos(99) + "\t" + endToEnd.maxNanos() + "\t"
            + ProcessCpu.processCpuNanos() + "\t" + feedbacksSent();
      case "RECEIVED":
        return "RECEIVED\t" + f[1] + "\t" + subscribers.get(f[1]).received();
      case "QUIT":
        return "BYE";
      default:
        throw new IllegalArgumentException("unknown request " + f[0]);
    }
  }

  private long feedbacksSent() {
    long total = 0;
    for (LoadSubscriber s : subscribers.values()) {
      total += s.feedbacksSent();
    }
    return total;
  }

  private void closeAll() {
    for (LoadSubscriber s : subscribers.values()) {
      s.close();
    }
  }
}
