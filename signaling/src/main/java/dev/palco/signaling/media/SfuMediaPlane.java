package dev.palco.signaling.media;

import dev.palco.bridge.broadcast.BroadcastConfig;
import dev.palco.bridge.broadcast.BroadcastStats;
import dev.palco.bridge.stage.StageTrack;
import dev.palco.rtp.dtls.DtlsCertificate;
import dev.palco.rtp.dtls.DtlsSettings;
import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.rtp.srtp.SrtpSupport;
import dev.palco.sfu.alloc.PauseReason;
import dev.palco.sfu.room.Participant;
import dev.palco.sfu.room.Room;
import dev.palco.sfu.room.RoomListener;
import dev.palco.sfu.room.SendSideConfig;
import dev.palco.sfu.room.Sfu;
import dev.palco.sfu.room.SfuConfig;
import dev.palco.sfu.room.TrackKind;
import dev.palco.sfu.room.TrackPublication;
import dev.palco.sfu.room.TrackSubscription;
import dev.palco.sfu.room.WebRtcNegotiation;
import dev.palco.sfu.sdp.MediaDescription;
import dev.palco.sfu.sdp.Msid;
import dev.palco.sfu.sdp.SdpException;
import dev.palco.sfu.sdp.SessionDescription;
import dev.palco.sfu.sdp.SfuCapabilities;
import dev.palco.sfu.transport.CandidateDescription;
import dev.palco.sfu.transport.IceConfig;
import dev.palco.sfu.transport.IceCredentials;
import dev.palco.sfu.transport.IceServer;
import dev.palco.sfu.transport.WebRtcTransport;
import dev.palco.sfu.transport.WebRtcTransportListener;
import dev.palco.signaling.broadcast.Broadcaster;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media plane of a running server: signaling's sessions onto the SFU's rooms, with one
 * {@link WebRtcTransport} (ICE on the shared port, DTLS-SRTP) per session.
 *
 * <p>Every participant subscribes to every other participant's tracks. When the set changes, the
 * session makes a subscriber offer; while one is unanswered, further changes are folded into the
 * next offer, so the browser never sees two offers in flight (docs/protocol.md, "Glare").
 *
 * <p>A WHEP player ({@link SessionMode#PLAYBACK}) is a participant of the SFU's room but not of the
 * stage: it publishes nothing, gets no subscribe offer, and is not counted as a participant. Its
 * one offer binds its sections to the room's tracks ({@link Participant#answerPlaybackOffer}); a
 * section whose track goes falls silent and takes up the next track of its kind that is
 * published ({@link Participant#bindIdlePlaybackSections}).
 */
public final class SfuMediaPlane implements MediaPlane {
  private static final Logger log = LoggerFactory.getLogger(SfuMediaPlane.class);

  private final Sfu sfu;
  private final IceServer ice;
  private final DtlsCertificate certificate;
  private final DtlsSettings dtlsSettings;
  private final ExecutorService handshakes;
  /**
   * Runs the work that room events cause in other sessions (subscribing, offering). The SFU calls
   * its listeners while the publisher's negotiation holds that participant's lock; doing the
   * subscriber's negotiation there would take a second participant's lock, and two participants
   * publishing at once would deadlock. One thread also keeps the offers of a room in event order.
   */
  private final ExecutorService control = Executors.newSingleThreadExecutor(runnable -> {
    Thread t = new Thread(runnable, "palco-media-control");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, RoomBinding> rooms = new ConcurrentHashMap<>();
  /** Sources the publishers declared, by publisher id and mid. */
  private final Map<String, TrackSource> sourceByPublisherMid = new ConcurrentHashMap<>();
  private final AtomicInteger transportSequence = new AtomicInteger();
  private final BridgeBroadcaster bridge;

  private SfuMediaPlane(Sfu sfu, IceServer ice, DtlsCertificate certificate, DtlsSettings dtlsSettings,
      ExecutorService handshakes, BroadcastConfig broadcastConfig) {
    this.sfu = sfu;
    this.ice = ice;
    this.certificate = certificate;
    this.dtlsSettings = dtlsSettings;
    this.handshakes = handshakes;
    this.bridge = new BridgeBroadcaster(id -> binding(id).room, this::stageSourceOf, broadcastConfig);
  }

  private RoomBinding binding(String roomId) {
    return rooms.computeIfAbsent(roomId, id -> new RoomBinding(sfu.getOrCreateRoom(id)));
  }

  /** Where the bridge puts a track: what its publisher declared. Screen audio is mixed like a microphone. */
  private StageTrack.Source stageSourceOf(TrackPublication pub) {
    if (pub.publisher().isPlayer()) {
      return null;
    }
    return switch (sourceOf(pub)) {
      case CAMERA -> StageTrack.Source.CAMERA;
      case SCREEN -> StageTrack.Source.SCREEN;
      case MICROPHONE, SCREEN_AUDIO -> StageTrack.Source.MICROPHONE;
    };
  }

  @Override
  public Broadcaster broadcaster() {
    return bridge;
  }

  /**
   * Starts the SFU and its shared ICE port. Also moves the one-off SRTP provider check to now,
   * rather than the first participant's first packet.
   */
  public static SfuMediaPlane start(IceConfig iceConfig, SfuConfig sfuConfig) throws IOException {
    return start(iceConfig, sfuConfig, BroadcastConfig.defaults());
  }

  /**
   * As {@link #start(IceConfig, SfuConfig)}, with the bridge's canvas, ladder and presentation
   * delay for the rooms that go on air.
   */
  public static SfuMediaPlane start(IceConfig iceConfig, SfuConfig sfuConfig, BroadcastConfig broadcastConfig)
      throws IOException {
    return start(iceConfig, sfuConfig, broadcastConfig, SendSideConfig.DEFAULT);
  }

  /**
   * As {@link #start(IceConfig, SfuConfig, BroadcastConfig)}, with what is sent to each
   * subscriber tuned: bandwidth estimation, layer allocation and its Last-N ({@code
   * palco.media.last-n}), pacing. Publishers' simulcast ({@code a=simulcast:send}, RFC 8853) is
   * accepted, so a subscriber gets the layer that fits its tile and its bandwidth.
   */
  public static SfuMediaPlane start(IceConfig iceConfig, SfuConfig sfuConfig, BroadcastConfig broadcastConfig,
      SendSideConfig sendSide) throws IOException {
    return start(iceConfig, sfuConfig, broadcastConfig, sendSide, true);
  }

  /**
   * As {@link #start(IceConfig, SfuConfig, BroadcastConfig, SendSideConfig)}; with {@code opusRed}
   * false the SFU refuses Opus in RED (RFC 2198, {@code palco.media.opus-red}) and pages send
   * plain Opus.
   */
  public static SfuMediaPlane start(IceConfig iceConfig, SfuConfig sfuConfig, BroadcastConfig broadcastConfig,
      SendSideConfig sendSide, boolean opusRed) throws IOException {
    SrtpSupport.warmUp();
    if (!SrtpSupport.usesOpenSsl()) {
      // Still correct, but AES-GCM then allocates per packet and costs more CPU.
      log.warn("SRTP AES-GCM runs on the JDK's provider: {}", SrtpSupport.openSslUnavailableReason());
    }
    IceServer ice = IceServer.start(iceConfig);
    ExecutorService handshakes = Executors.newCachedThreadPool(runnable -> {
      Thread t = new Thread(runnable, "palco-dtls-handshake");
      t.setDaemon(true);
      return t;
    });
    SfuCapabilities capabilities = SfuCapabilities.defaults().withSimulcast(true);
    Sfu sfu = new Sfu(sfuConfig, dev.palco.sfu.util.Clock.SYSTEM, new SecureRandom(),
        opusRed ? capabilities : capabilities.withoutOpusRed(), sendSide);
    return new SfuMediaPlane(sfu, ice, DtlsCertificate.generate(Instant.now()),
        DtlsSettings.DEFAULTS, handshakes, broadcastConfig);
  }

  /** The SFU, for statistics. */
  public Sfu sfu() {
    return sfu;
  }

  /** The shared ICE listener, for its addresses. */
  public IceServer iceServer() {
    return ice;
  }

  @Override
  public MediaSession openSession(String roomId, String participantId, SessionMode mode,
      MediaEvents events) throws MediaUnavailableException {
    String transportId = roomId + "/" + participantId + "#" + transportSequence.incrementAndGet();
    Session[] holder = new Session[1];
    WebRtcTransport transport;
    try {
      transport = WebRtcTransport.create(transportId, ice, certificate, dtlsSettings, handshakes,
          new WebRtcTransportListener() {
            @Override
            public void onSecured(SrtpSession srtp) {
              Session s = holder[0];
              if (s != null) {
                s.participant.onTransportSecured();
              }
            }

            @Override
            public void onFailed(String reason) {
              Session s = holder[0];
              if (s != null) {
                s.events.mediaFailed(reason);
              }
            }
          });
    } catch (IOException e) {
      throw new MediaUnavailableException("no media transport could be opened: " + e.getMessage());
    }
    RoomBinding binding = binding(roomId);
    Participant participant;
    try {
      participant = binding.room.join(participantId, transport, new WebRtcNegotiation(transport));
    } catch (IllegalStateException e) {
      transport.close();
      throw new MediaUnavailableException(e.getMessage());
    }
    Session session = new Session(binding, participant, transport, mode, events);
    holder[0] = session;
    binding.sessions.put(participantId, session);
    if (mode == SessionMode.PARTICIPANT) {
      boolean subscribed = false;
      for (TrackPublication pub : binding.room.publications()) {
        if (pub.publisher() != participant) {
          participant.subscribe(pub);
          subscribed = true;
        }
      }
      if (subscribed) {
        session.subscriptionsChanged();
      }
    }
    return session;
  }

  @Override
  public void closeRoom(String roomId) {
    bridge.forget(roomId);
    RoomBinding binding = rooms.remove(roomId);
    if (binding != null) {
      binding.room.close();
    }
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("palco_sfu_rooms", sfu, s -> s.rooms().size())
        .description("Rooms open in the SFU").register(registry);
    Gauge.builder("palco_sfu_participants", sfu, s -> countParticipants(s, false))
        .description("Participants with a media transport, players left out").register(registry);
    Gauge.builder("palco_sfu_players", sfu, s -> countParticipants(s, true))
        .description("WHEP players with a media transport").register(registry);
    Gauge.builder("palco_sfu_packets_outstanding", sfu, s -> s.packetPool().outstanding())
        .description("Pooled packets in flight (a number that only grows is a leak)")
        .register(registry);
    Gauge.builder("palco_sfu_media_transports", ice, IceServer::openTransports)
        .description("ICE transports open on the shared port").register(registry);
    FunctionCounter.builder("palco_sfu_ice_address_handovers", ice, IceServer::addressHandovers)
        .description("Client addresses moved from a session whose peer went silent to a new session that "
            + "authenticated a check from them (a reused port or NAT mapping)")
        .register(registry);
    FunctionCounter.builder("palco_sfu_ice_foreign_checks_dropped", ice, IceServer::foreignChecksDropped)
        .description("Binding requests naming another session than the one their address belongs to, dropped "
            + "(owner still live, unknown session, or failed MESSAGE-INTEGRITY)")
        .register(registry);
    Gauge.builder("palco_broadcasts_live", bridge, b -> b.stats().size())
        .description("Rooms on air").register(registry);
    Gauge.builder("palco_broadcast_encoder_fps", bridge, b -> sum(b, BroadcastStats::encoderFps))
        .description("Pictures encoded per second, over the rooms on air").register(registry);
    Gauge.builder("palco_broadcast_encode_time_seconds_max", bridge,
            b -> max(b, st -> st.encodeTimeUsMax() / 1e6))
        .description("Longest encode of one picture (all rungs), over the rooms on air").register(registry);
    Gauge.builder("palco_broadcast_encode_time_seconds_avg", bridge,
            b -> max(b, st -> st.encodeTimeUsAvg() / 1e6))
        .description("Mean encode time per picture of the slowest room on air").register(registry);
    Gauge.builder("palco_broadcast_compose_queue_depth", bridge, b -> sum(b, st -> st.handOffDepth()))
        .description("Composited pictures waiting for the encoder").register(registry);
    Gauge.builder("palco_broadcast_dropped_frames", bridge, b -> sum(b, st -> st.handOffDropped()))
        .description("Composited pictures dropped because the encoder fell behind (rooms on air)")
        .register(registry);
    Gauge.builder("palco_broadcast_repeated_frames", bridge, b -> sum(b, st -> st.repeatedFrames()))
        .description("Output frames repeated because no new composite was ready (rooms on air)")
        .register(registry);
    Gauge.builder("palco_broadcast_output_bits_per_second", bridge, b -> sum(b, st -> st.outputBitrateBps()))
        .description("Bitrate published on the origins, all renditions").register(registry);
    Gauge.builder("palco_bridge_ingest_queue_drops", bridge, BridgeBroadcaster::ingestQueueDrops)
        .description("Packets the bridges' subscribers dropped because their queue was full")
        .register(registry);
  }

  @Override
  public void close() {
    bridge.close();
    control.shutdownNow();
    sfu.close();
    ice.close();
    handshakes.shutdownNow();
  }

  private static int countParticipants(Sfu sfu, boolean players) {
    int n = 0;
    for (Room room : sfu.rooms()) {
      for (Participant p : room.participants()) {
        if (p.isPlayer() == players) {
          n++;
        }
      }
    }
    return n;
  }

  private TrackSource sourceOf(TrackPublication pub) {
    TrackSource source = sourceByPublisherMid.get(pub.publisher().id() + "\n" + pub.mid());
    if (source != null) {
      return source;
    }
    return TrackSource.defaultFor(kindOf(pub));
  }

  private static double sum(BridgeBroadcaster bridge, java.util.function.ToDoubleFunction<BroadcastStats> f) {
    double total = 0;
    for (BroadcastStats st : bridge.stats()) {
      total += f.applyAsDouble(st);
    }
    return total;
  }

  private static double max(BridgeBroadcaster bridge, java.util.function.ToDoubleFunction<BroadcastStats> f) {
    double most = 0;
    for (BroadcastStats st : bridge.stats()) {
      most = Math.max(most, f.applyAsDouble(st));
    }
    return most;
  }

  /** The SFU's pause reason as signaling names it. */
  static ReceivePause receivePause(PauseReason reason) {
    return switch (reason) {
      case NONE -> ReceivePause.NONE;
      case HIDDEN -> ReceivePause.HIDDEN;
      case LAST_N -> ReceivePause.LAST_N;
      case BANDWIDTH -> ReceivePause.BANDWIDTH;
      case NO_LIVE_LAYER -> ReceivePause.NO_LIVE_LAYER;
    };
  }

  private static MediaKind kindOf(TrackPublication pub) {
    return pub.kind() == TrackKind.AUDIO ? MediaKind.AUDIO : MediaKind.VIDEO;
  }

  /** A room's sessions, and the listener that subscribes them to each other's tracks. */
  private final class RoomBinding implements RoomListener {
    final Room room;
    final Map<String, Session> sessions = new ConcurrentHashMap<>();

    RoomBinding(Room room) {
      this.room = room;
      room.addListener(this);
    }

    @Override
    public void onTrackPublished(TrackPublication publication) {
      control.execute(() -> {
        for (Session session : sessions.values()) {
          if (session.mode == SessionMode.PLAYBACK) {
            // A player's silent section takes up the new track, on the stream it already knows.
            session.participant.bindIdlePlaybackSections();
          } else if (session.mode == SessionMode.PARTICIPANT
              && session.participant != publication.publisher()
              && !session.participant.isClosed() && !publication.publisher().isClosed()) {
            try {
              session.participant.subscribe(publication);
              session.subscriptionsChanged();
            } catch (IllegalStateException e) {
              // The subscriber or the publisher left while this waited its turn.
              log.debug("not subscribing {} to {}: {}", session.participant.id(), publication.id(),
                  e.getMessage());
            }
          }
        }
      });
    }

    @Override
    public void onTrackUnsubscribed(TrackSubscription subscription) {
      control.execute(() -> {
        Session session = sessions.get(subscription.subscriber().id());
        if (session == null || session.participant != subscription.subscriber()
            || session.participant.isClosed()) {
          return;
        }
        if (session.mode == SessionMode.PLAYBACK) {
          // The section fell silent: another track of its kind may already be there to take.
          session.participant.bindIdlePlaybackSections();
        } else {
          session.subscriptionsChanged();
        }
      });
    }

    @Override
    public void onDominantSpeakerChanged(Room r, String participantId, String previousId) {
      // On the media timer: hand the news to the control thread, in order with the rest.
      control.execute(() -> {
        List<String> order = room.speakingOrder();
        for (Session session : sessions.values()) {
          if (session.mode != SessionMode.PLAYBACK) {
            session.events.dominantSpeakerChanged(participantId, order);
          }
        }
      });
    }

    @Override
    public void onSubscriptionPauseChanged(TrackSubscription subscription, PauseReason reason) {
      // On the subscriber's media worker: hand the news to the control thread, in order with the
      // subscribe offers that brought the track.
      ReceivePause pause = receivePause(reason);
      String publisherId = subscription.publication().publisher().id();
      String trackId = subscription.trackId();
      control.execute(() -> {
        Session session = sessions.get(subscription.subscriber().id());
        if (session != null && session.participant == subscription.subscriber()
            && session.mode == SessionMode.PARTICIPANT && !subscription.isClosed()) {
          session.events.subscriptionPaused(publisherId, trackId, pause);
        }
      });
    }

    @Override
    public void onParticipantLeft(Participant participant, String reason) {
      sessions.remove(participant.id(), sessionOf(participant));
      sourceByPublisherMid.keySet().removeIf(key -> key.startsWith(participant.id() + "\n"));
    }

    private Session sessionOf(Participant participant) {
      Session s = sessions.get(participant.id());
      return s != null && s.participant == participant ? s : null;
    }
  }

  /** One signaling session's media. */
  private final class Session implements MediaSession {
    final RoomBinding binding;
    final Participant participant;
    final WebRtcTransport transport;
    final SessionMode mode;
    final MediaEvents events;
    private long revision;
    private boolean offerPending;
    private boolean changedSinceOffer;

    Session(RoomBinding binding, Participant participant, WebRtcTransport transport, SessionMode mode,
        MediaEvents events) {
      this.binding = binding;
      this.participant = participant;
      this.transport = transport;
      this.mode = mode;
      this.events = events;
    }

    @Override
    public String answerPublishOffer(String offerSdp, List<TrackSourceHint> sources)
        throws SdpRejectedException {
      if (mode == SessionMode.PLAYBACK) {
        throw new SdpRejectedException("a WHEP player publishes nothing");
      }
      for (TrackSourceHint hint : sources) {
        sourceByPublisherMid.put(participant.id() + "\n" + hint.mid(), hint.source());
      }
      Set<TrackPublication> before = new HashSet<>(participant.publications());
      String answer;
      try {
        answer = participant.answerPublishOffer(offerSdp);
      } catch (SdpException | IllegalArgumentException | IllegalStateException e) {
        throw new SdpRejectedException(e.getMessage());
      }
      List<TrackPublication> after = participant.publications();
      for (TrackPublication pub : after) {
        // A screen share is allocated bandwidth before cameras (the SFU's layer allocation).
        pub.setScreenShare(sourceOf(pub) == TrackSource.SCREEN);
        if (!before.remove(pub)) {
          events.trackPublished(new PublishedTrack(pub.id(), pub.mid(), kindOf(pub), sourceOf(pub)));
        }
      }
      for (TrackPublication gone : before) {
        events.trackUnpublished(gone.id());
      }
      return answer;
    }

    @Override
    public String answerPlaybackOffer(String offerSdp) throws SdpRejectedException {
      if (mode != SessionMode.PLAYBACK) {
        throw new SdpRejectedException("this session publishes; playback is a WHEP session");
      }
      try {
        return participant.answerPlaybackOffer(offerSdp);
      } catch (SdpException | IllegalArgumentException | IllegalStateException e) {
        throw new SdpRejectedException(e.getMessage());
      }
    }

    @Override
    public void applySubscribeAnswer(String answerSdp, long answeredRevision)
        throws SdpRejectedException {
      boolean next;
      synchronized (this) {
        if (!offerPending || answeredRevision != revision) {
          throw new SdpRejectedException("no subscribe offer with revision " + answeredRevision
              + " is waiting for an answer");
        }
        try {
          participant.applySubscriberAnswer(answerSdp);
        } catch (SdpException | IllegalArgumentException | IllegalStateException e) {
          throw new SdpRejectedException(e.getMessage());
        }
        offerPending = false;
        next = changedSinceOffer;
        changedSinceOffer = false;
      }
      if (next) {
        subscriptionsChanged();
      }
    }

    /** Offers the current subscriptions, or folds the change into the next offer. */
    void subscriptionsChanged() {
      SubscribeOffer offer;
      synchronized (this) {
        if (participant.isClosed() || mode != SessionMode.PARTICIPANT) {
          return;
        }
        if (offerPending) {
          changedSinceOffer = true;
          return;
        }
        String sdp = participant.createSubscriberOffer();
        offerPending = true;
        revision++;
        offer = new SubscribeOffer(sdp, revision, describe(sdp));
      }
      events.subscribeOfferReady(offer);
    }

    /** Which publisher and track each sendonly section of the offer carries. */
    private List<SubscribedTrack> describe(String sdp) {
      Map<String, TrackSubscription> byTrackId = new HashMap<>();
      for (TrackSubscription sub : participant.subscriptions()) {
        byTrackId.put(sub.trackId(), sub);
      }
      List<SubscribedTrack> tracks = new ArrayList<>();
      for (MediaDescription media : SessionDescription.parse(sdp).media()) {
        for (Msid msid : media.msids()) {
          TrackSubscription sub = byTrackId.get(msid.trackId());
          if (sub != null && media.mid() != null && media.mediaLine().port() != 0) {
            TrackPublication pub = sub.publication();
            tracks.add(new SubscribedTrack(media.mid(), pub.publisher().id(), pub.id(),
                kindOf(pub), sourceOf(pub)));
          }
        }
      }
      return tracks;
    }

    @Override
    public void addRemoteCandidate(IceCandidate candidate) {
      try {
        CandidateDescription description = WebRtcNegotiation.fromSdp(
            dev.palco.sfu.sdp.IceCandidate.parse(candidate.candidate()));
        if (description != null) {
          transport.addRemoteCandidate(description);
        }
      } catch (SdpException | IllegalArgumentException e) {
        log.debug("{}: ignoring an unusable candidate: {}", transport.id(), e.getMessage());
      }
    }

    @Override
    public void endOfRemoteCandidates() {
      try {
        transport.endOfRemoteCandidates();
      } catch (IllegalStateException e) {
        // Before the first offer there is nothing to start; checks start with the answer.
        log.debug("{}: end of candidates before negotiation", transport.id());
      }
    }

    @Override
    public IceParameters restartIce(IceParameters remote) throws SdpRejectedException {
      try {
        IceCredentials local = transport.restartIce();
        transport.setRemoteIceCredentials(remote.ufrag(), remote.pwd());
        transport.startConnectivityChecks();
        return new IceParameters(local.ufrag(), local.pwd());
      } catch (IOException | IllegalStateException e) {
        throw new SdpRejectedException("ICE restart failed: " + e.getMessage());
      }
    }

    @Override
    public void setTrackMuted(String trackId, boolean muted) {
      for (TrackPublication pub : participant.publications()) {
        if (pub.id().equals(trackId)) {
          pub.setMuted(muted);
        }
      }
    }

    @Override
    public List<String> applyTrackLayouts(List<TrackLayout> layouts) {
      Map<String, TrackSubscription> video = new HashMap<>();
      for (TrackSubscription sub : participant.subscriptions()) {
        if (sub.kind() == TrackKind.VIDEO && !sub.isClosed()) {
          video.put(sub.trackId(), sub);
        }
      }
      List<String> unknown = new ArrayList<>();
      for (TrackLayout layout : layouts) {
        TrackSubscription sub = video.get(layout.trackId());
        if (sub == null) {
          unknown.add(layout.trackId());
          continue;
        }
        sub.setMaxResolution(layout.widthPx(), layout.heightPx());
        sub.setVisible(layout.visible());
      }
      return unknown;
    }

    @Override
    public void close() {
      participant.leave("left");
    }
  }
}
