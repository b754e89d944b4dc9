package dev.palco.sfu.e2e;

import dev.palco.rtp.dtls.DtlsCertificate;
import dev.palco.rtp.dtls.DtlsSettings;
import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.rtp.srtp.SrtpSupport;
import dev.palco.sfu.client.ClientConnectException;
import dev.palco.sfu.client.IceClientOptions;
import dev.palco.sfu.client.WebRtcClient;
import dev.palco.sfu.client.WebRtcClientOptions;
import dev.palco.sfu.room.Participant;
import dev.palco.sfu.room.Room;
import dev.palco.sfu.room.Sfu;
import dev.palco.sfu.room.SfuConfig;
import dev.palco.sfu.transport.CandidateDescription;
import dev.palco.sfu.transport.IceConfig;
import dev.palco.sfu.transport.IceCredentials;
import dev.palco.sfu.transport.IceServer;
import dev.palco.sfu.transport.IceTestSupport;
import dev.palco.sfu.transport.WebRtcTestSupport;
import dev.palco.sfu.transport.WebRtcTransport;
import dev.palco.sfu.transport.WebRtcTransportListener;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * A real SFU on loopback: one {@link Sfu} (system clock, real media workers and timer thread),
 * one {@link IceServer} on a free UDP port of 127.0.0.1, a DTLS handshake pool and the server
 * certificate. {@link #join} wires a participant the way signaling will: it creates the
 * participant's {@link WebRtcTransport}, joins the room with it, hands ICE credentials, candidates
 * and fingerprints across directly (no SDP), and connects a {@link WebRtcClient}.
 *
 * <p>As signaling does, it makes a participant leave when its transport fails (ICE failure, consent
 * expiry) or is closed by the peer; the leave runs on a "signaling" thread of its own, never on
 * the ICE thread that reported the failure.
 */
final class LoopbackSfu implements AutoCloseable {
  final Sfu sfu;
  final IceServer ice;
  final ThreadPoolExecutor handshakes;
  final DtlsCertificate serverCertificate;
  final ExecutorService signaling;
  /** One client certificate for every client, as a load generator does. */
  final DtlsCertificate clientCertificate;

  private LoopbackSfu(Sfu sfu, IceServer ice) {
    this.sfu = sfu;
    this.ice = ice;
    this.handshakes = WebRtcTestSupport.handshakeExecutor(500);
    this.serverCertificate = DtlsCertificate.generate(Instant.now());
    this.clientCertificate = DtlsCertificate.generate(Instant.now());
    this.signaling = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "e2e-signaling");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts the SFU and the ICE server.
   *
   * @param iceConfig loopback ICE configuration (its consent timers decide how fast a vanished
   *     client is noticed)
   */
  static LoopbackSfu start(IceConfig iceConfig) throws IOException {
    IceTestSupport.quietIce4j();
    // The first SRTP context runs jitsi-srtp's provider benchmark (~0.5 s): not in a measurement.
    SrtpSupport.warmUp();
    IceServer ice = IceServer.start(iceConfig);
    Sfu sfu = new Sfu(SfuConfig.defaults());
    return new LoopbackSfu(sfu, ice);
  }

  /** Client options: UDP on 127.0.0.1, the shared client certificate. */
  WebRtcClientOptions clientOptions() {
    return WebRtcClientOptions.of(IceClientOptions.Mode.UDP, IceTestSupport.loopback())
        .withCertificate(clientCertificate);
  }

  /** Joins a participant with a connected client, with default client options. */
  Peer join(Room room, String id) throws IOException, ClientConnectException {
    return join(room, id, clientOptions());
  }

  /**
   * Creates the transport, joins the room with it, signals both ways, connects the client and
   * waits until the server side is secured too.
   */
  Peer join(Room room, String id, WebRtcClientOptions options)
      throws IOException, ClientConnectException {
    long t0 = System.nanoTime();
    Peer peer = new Peer(id);
    peer.transport = WebRtcTransport.create(id, ice, serverCertificate, DtlsSettings.DEFAULTS,
        handshakes, peer.new Events());
    peer.participant = room.join(id, peer.transport);
    try {
      peer.client = WebRtcClient.create(id + "-client", options);
      IceCredentials offer = peer.client.localCredentials();
      peer.transport.setRemoteIceCredentials(offer.ufrag(), offer.pwd());
      peer.transport.setRemoteFingerprint(peer.client.localFingerprint());
      for (CandidateDescription c : peer.client.localCandidates()) {
        peer.transport.addRemoteCandidate(c);
      }
      peer.transport.endOfRemoteCandidates();
      IceCredentials answer = peer.transport.localIceCredentials();
      peer.client.connect(answer.ufrag(), answer.pwd(), peer.transport.localFingerprint(),
          peer.transport.localCandidates(), Duration.ofSeconds(10));
      Await.until(id + " secured at the server", 5_000,
          () -> peer.transport.isSecured() || peer.participant.isClosed());
      if (!peer.transport.isSecured()) {
        throw new AssertionError(id + ": transport " + peer.transport.state() + ", "
            + peer.transport.terminationReason());
      }
    } catch (IOException | ClientConnectException | RuntimeException | Error e) {
      peer.close();
      throw e;
    }
    peer.msToSecured = (System.nanoTime() - t0) / 1_000_000;
    return peer;
  }

  @Override
  public void close() {
    sfu.close();
    ice.close();
    handshakes.shutdownNow();
    signaling.shutdownNow();
  }

  /** One participant: its server-side transport and participant, and its client. */
  final class Peer implements AutoCloseable {
    final String id;
    WebRtcTransport transport;
    Participant participant;
    WebRtcClient client;
    long msToSecured = -1;
    volatile String failure;

    private Peer(String id) {
      this.id = id;
    }

    /** Leaves explicitly (as on a signaling "leave"), then closes the client. */
    @Override
    public void close() {
      if (participant != null) {
        participant.leave();
      } else if (transport != null) {
        transport.close();
      }
      if (client != null) {
        client.close();
      }
    }

    /** Transport events, handled the way signaling handles them. */
    private final class Events implements WebRtcTransportListener {
      @Override
      public void onSecured(SrtpSession srtp) {
        // Media already flows: the participant's pipelines read the session from the transport.
      }

      @Override
      public void onFailed(String reason) {
        failure = reason;
        leaveLater("transport failed: " + reason);
      }

      @Override
      public void onClosed() {
        leaveLater("transport closed");
      }

      private void leaveLater(String reason) {
        Participant p = participant;
        if (p != null && !p.isClosed()) {
          signaling.execute(() -> p.leave(reason));
        }
      }
    }
  }
}
