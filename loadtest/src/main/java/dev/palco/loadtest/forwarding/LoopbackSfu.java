package dev.palco.loadtest.forwarding;

import dev.palco.rtp.dtls.DtlsCertificate;
import dev.palco.rtp.dtls.DtlsSettings;
import dev.palco.rtp.srtp.SrtpSupport;
import dev.palco.sfu.client.IceClientOptions;
import dev.palco.sfu.client.WebRtcClient;
import dev.palco.sfu.client.WebRtcClientOptions;
import dev.palco.sfu.room.Room;
import dev.palco.sfu.room.Sfu;
import dev.palco.sfu.room.SfuConfig;
import dev.palco.sfu.transport.CandidateDescription;
import dev.palco.sfu.transport.IceConfig;
import dev.palco.sfu.transport.IceCredentials;
import dev.palco.sfu.transport.IceServer;
import dev.palco.sfu.transport.WebRtcTransport;
import dev.palco.sfu.transport.WebRtcTransportListener;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The load runs' server: an {@link Sfu} and an {@link IceServer} on 127.0.0.1, and the signaling
 * a real server would do, in process: each client's ICE credentials, candidates and DTLS
 * fingerprint go to a new {@link WebRtcTransport} that joins the room, and the transport's go back
 * to the client, which may run in this process or in a {@link SubscriberFleet}.
 */
final class LoopbackSfu implements AutoCloseable {
  /** Name prefixes of the SFU's own threads: media workers, media timer, the UDP reader. */
  static final String[] SFU_THREADS = {"palco-media-", "org.ice4j.ice.harvest"};

  /** Held: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
  private static final Logger[] QUIET = {Logger.getLogger("org.ice4j"), Logger.getLogger("org.jitsi"),
      Logger.getLogger("dev.palco")};

  final Sfu sfu;
  private final IceServer ice;
  private final ExecutorService handshakes;
  private final DtlsCertificate serverCertificate = DtlsCertificate.generate(Instant.now());
  private final WebRtcClientOptions clientOptions;

  LoopbackSfu(SfuConfig config) throws Exception {
    quietLogs();
    SrtpSupport.warmUp();
    InetAddress loopback = InetAddress.getLoopbackAddress();
    ice = IceServer.start(IceConfig.defaults(List.of(loopback)).withPorts(0, false, 0));
    sfu = new Sfu(config);
    handshakes = new ThreadPoolExecutor(0, 32, 1, TimeUnit.SECONDS, new SynchronousQueue<>(),
        r -> {
          Thread t = new Thread(r, "load-dtls-handshake");
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    clientOptions = WebRtcClientOptions.of(IceClientOptions.Mode.UDP, loopback)
        .withCertificate(DtlsCertificate.generate(Instant.now()));
  }

  private WebRtcTransport join(Room room, String id) throws java.io.IOException {
    WebRtcTransport transport = WebRtcTransport.create(id, ice, serverCertificate, DtlsSettings.DEFAULTS,
        handshakes, new WebRtcTransportListener() { });
    room.join(id, transport);
    return transport;
  }

  /** Connects a client in this process as signaling would and joins it to the room. */
  WebRtcClient connect(Room room, String id) throws Exception {
    WebRtcTransport transport = join(room, id);
    WebRtcClient client = WebRtcClient.create(id, clientOptions);
    try {
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
      awaitSecured(id, transport);
      return client;
    } catch (Exception | Error e) {
      client.close();
      throw e;
    }
  }

  /** Joins a subscriber whose client runs in the fleet process, as signaling would. */
  void connectRemote(Room room, String id, RemoteSubscribers fleet, boolean countOnly) throws Exception {
    WebRtcTransport transport = join(room, id);
    RemoteSubscribers.Offer offer = fleet.create(id, countOnly);
    transport.setRemoteIceCredentials(offer.credentials().ufrag(), offer.credentials().pwd());
    transport.setRemoteFingerprint(offer.fingerprint());
    for (CandidateDescription c : offer.candidates()) {
      transport.addRemoteCandidate(c);
    }
    transport.endOfRemoteCandidates();
    fleet.connect(id, transport.localIceCredentials(), transport.localFingerprint(), transport.localCandidates());
    awaitSecured(id, transport);
  }

  private static void awaitSecured(String id, WebRtcTransport transport) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!transport.isSecured()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(id + " not secured at the server: " + transport.state());
      }
      LockSupport.parkNanos(1_000_000L);
    }
  }

  /** Lowers the ICE and SRTP libraries' logging to warnings, for this JVM's life. */
  static void quietLogs() {
    for (Logger l : QUIET) {
      l.setLevel(Level.WARNING);
    }
  }

  /** Parks the caller for {@code s} seconds. */
  static void parkSeconds(double s) {
    long end = System.nanoTime() + (long) (s * 1e9);
    long left;
    while ((left = end - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  @Override
  public void close() {
    sfu.close();
    ice.close();
    handshakes.shutdownNow();
  }
}
