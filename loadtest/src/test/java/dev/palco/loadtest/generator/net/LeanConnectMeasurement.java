package dev.palco.loadtest.generator.net;

import dev.palco.rtp.dtls.DtlsCertificate;
import dev.palco.rtp.dtls.DtlsSettings;
import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.sfu.transport.CandidateDescription;
import dev.palco.sfu.transport.IceConfig;
import dev.palco.sfu.transport.IceCredentials;
import dev.palco.sfu.transport.IceServer;
import dev.palco.sfu.transport.TransportDropReason;
import dev.palco.sfu.transport.WebRtcTransport;
import dev.palco.sfu.transport.WebRtcTransportListener;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Connect times (signaling to the server's transport secured: ICE + DTLS) of many
 * {@link LeanWebRtcClient}s joining one in-process server's {@link WebRtcTransport}s on loopback,
 * and the datagrams the server dropped as {@link TransportDropReason#UNAUTHORIZED_SOURCE}. The lean
 * client nominates on its first check and sends its ClientHello the moment that check is answered,
 * as browsers do, so it shows whether the server authorizes the client's address before answering.
 * A measurement, not a test: run it by hand with the test class path,
 * {@code java -cp ... dev.palco.loadtest.generator.net.LeanConnectMeasurement 60 3 20} (clients per
 * round, rounds after a warm-up round of 5, milliseconds between two clients' starts).
 */
public final class LeanConnectMeasurement {
  /** Held so the level sticks (JUL keeps loggers weakly). */
  private static final Logger ICE4J_LOG = Logger.getLogger("org.ice4j");
  private static final Logger JITSI_LOG = Logger.getLogger("org.jitsi");
  private static final int WARM_UP_CLIENTS = 5;

  private LeanConnectMeasurement() {
  }

  /** Records when the server's transport is secured or failed. */
  private static final class Outcome implements WebRtcTransportListener {
    volatile boolean secured;
    volatile String failed;

    @Override
    public void onSecured(SrtpSession srtp) {
      secured = true;
    }

    @Override
    public void onFailed(String reason) {
      failed = reason;
    }

    @Override
    public void onClosed() {
      // Closed by this tool after the round.
    }
  }

  /**
   * @param args clients per round (default 60), rounds (default 3), milliseconds between starts
   *     (default 20)
   * @throws Exception on setup failure
   */
  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    long staggerMs = args.length > 2 ? Long.parseLong(args[2]) : 20;
    ICE4J_LOG.setLevel(Level.WARNING);
    JITSI_LOG.setLevel(Level.WARNING);
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    IceServer server = IceServer.start(IceConfig.defaults(List.of(loopback)).withPorts(0, false, 0)
        .withTimers(200, 1_500, 10_000, 200));
    ExecutorService handshakes = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "measure-dtls");
      t.setDaemon(true);
      return t;
    });
    DtlsCertificate serverCert = DtlsCertificate.generate(Instant.now());
    DtlsCertificate clientCert = DtlsCertificate.generate(Instant.now());
    ScheduledExecutorService starter = Executors.newScheduledThreadPool(clients);
    try (ClientNetwork network = new ClientNetwork("measure")) {
      for (int round = 0; round <= rounds; round++) {
        int n = round == 0 ? WARM_UP_CLIENTS : clients;
        String line = runRound(round, n, staggerMs, server, handshakes, serverCert, clientCert, network, starter,
            loopback);
        if (round > 0) {
          System.out.println(line);
        }
      }
    } finally {
      starter.shutdownNow();
      handshakes.shutdownNow();
      server.close();
    }
  }

  private static String runRound(int round, int n, long staggerMs, IceServer server, ExecutorService handshakes,
      DtlsCertificate serverCert, DtlsCertificate clientCert, ClientNetwork network, ScheduledExecutorService starter,
      InetAddress loopback) throws Exception {
    List<WebRtcTransport> transports = new ArrayList<>(n);
    List<LeanWebRtcClient> leanClients = new ArrayList<>(n);
    List<Outcome> outcomes = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Outcome o = new Outcome();
      outcomes.add(o);
      transports.add(WebRtcTransport.create("r" + round + "-" + i, server, serverCert, DtlsSettings.DEFAULTS,
          handshakes, o));
      leanClients.add(LeanWebRtcClient.create("c" + i, network, loopback, clientCert, DtlsSettings.DEFAULTS));
    }
    long[] ms = new long[n];
    List<Future<?>> done = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int k = i;
      done.add(starter.schedule(() -> {
        ms[k] = connect(transports.get(k), leanClients.get(k), outcomes.get(k));
        return null;
      }, i * staggerMs, TimeUnit.MILLISECONDS));
    }
    int failed = 0;
    for (Future<?> f : done) {
      try {
        f.get();
      } catch (ExecutionException e) {
        failed++;
      }
    }
    long drops = 0;
    int transportsWithDrops = 0;
    for (int i = 0; i < n; i++) {
      long d = transports.get(i).iceCounters().dropped(TransportDropReason.UNAUTHORIZED_SOURCE);
      drops += d;
      if (d > 0) {
        transportsWithDrops++;
      }
      leanClients.get(i).close();
      transports.get(i).close();
    }
    Arrays.sort(ms);
    return String.format("round %d: %d clients, %d failed; connect ms p50 %d, p90 %d, max %d; "
        + "UNAUTHORIZED_SOURCE drops %d on %d transports", round, n, failed, ms[n / 2], ms[n * 9 / 10], ms[n - 1],
        drops, transportsWithDrops);
  }

  /** Signals as the room would, connects, and waits for the server's side: milliseconds, or MAX_VALUE. */
  private static long connect(WebRtcTransport transport, LeanWebRtcClient client, Outcome outcome) throws Exception {
    long t0 = System.nanoTime();
    IceCredentials offer = client.localCredentials();
    transport.setRemoteIceCredentials(offer.ufrag(), offer.pwd());
    transport.setRemoteFingerprint(client.localFingerprint());
    for (CandidateDescription c : client.localCandidates()) {
      transport.addRemoteCandidate(c);
    }
    transport.endOfRemoteCandidates();
    IceCredentials answer = transport.localIceCredentials();
    client.connect(answer.ufrag(), answer.pwd(), transport.localFingerprint(), transport.localCandidates(),
        Duration.ofSeconds(10));
    long deadline = t0 + TimeUnit.SECONDS.toNanos(15);
    while (!outcome.secured && outcome.failed == null && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    return outcome.secured ? (System.nanoTime() - t0) / 1_000_000 : Long.MAX_VALUE;
  }
}
