package dev.palco.bridge.ingest;

import dev.palco.bridge.stage.StageListener;
import dev.palco.bridge.stage.StageTrack;
import dev.palco.sfu.room.Participant;
import dev.palco.sfu.room.Room;
import dev.palco.sfu.room.RoomListener;
import dev.palco.sfu.room.TrackKind;
import dev.palco.sfu.room.TrackPublication;
import dev.palco.sfu.room.TrackSubscription;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * The ingest half of the bridge: an in-process subscriber to a {@link Room} that decodes every
 * stage track and hands pictures and PCM, with their capture times, to a {@link StageListener}.
 *
 * <pre>{@code
 * StageIngest ingest = StageIngest.attach(room, IngestConfig.defaults(),
 *     pub -> sourceOf(pub),          // signaling's map: CAMERA, SCREEN, MICROPHONE, or null to skip
 *     compose);                      // the StageListener
 * ingest.start();
 * ...
 * ingest.close();                    // leaves the room, ends every track, frees the decoders
 * }</pre>
 *
 * <p><b>Subscribing.</b> It joins the room as a participant on a {@link PacketHandoff} (a
 * {@link dev.palco.sfu.room.LocalMediaTransport}: no ICE, DTLS or SRTP; the SFU's send pipeline
 * hands it plain packets) and subscribes to every audio and video track published in the room,
 * now and later, for which the resolver names a source; for simulcast it asks for
 * {@link IngestConfig#targetLayer()}. A track ends when it is unpublished, its subscription
 * closes, or its publisher leaves.
 *
 * <p><b>Threads.</b> The SFU's media workers only copy each packet into a free slot of a bounded
 * queue (or count a drop when none is free). One ingest thread, {@code palco-ingest-<room>}, does
 * everything else: jitter buffers, depacketizing, decoding, capture times, and every listener call
 * (so all calls for a track come from one thread, in order). Room events (a track published or
 * gone, a new dominant speaker) are posted to it as well.
 */
public final class StageIngest implements AutoCloseable {
  /** How long the ingest thread sleeps on an empty queue before running the jitter buffers' timers. */
  private static final long TICK_MS = 5;

  private final Room room;
  private final IngestConfig config;
  private final Function<TrackPublication, StageTrack.Source> resolver;
  private final StageListener listener;
  private final PacketHandoff handoff;
  private final Participant self;
  private final RoomEvents events = new RoomEvents();
  private final ConcurrentLinkedQueue<Runnable> control = new ConcurrentLinkedQueue<>();
  private final Thread thread;

  // Owned by the ingest thread.
  private final Map<TrackPublication, IngestTrack> tracks = new IdentityHashMap<>();
  private final Map<String, CaptureClock> clocks = new java.util.HashMap<>();
  /** Published for stats(): replaced on every change. */
  private volatile IngestTrack[] trackArray = new IngestTrack[0];
  private volatile long listenerFailures;

  private volatile boolean running;
  private volatile boolean closed;
  private boolean started;

  private StageIngest(Room room, IngestConfig config, Function<TrackPublication, StageTrack.Source> resolver,
      StageListener listener) {
    this.room = room;
    this.config = config;
    this.resolver = resolver;
    this.listener = listener;
    this.handoff = new PacketHandoff(config.participantId(), config.queueCapacityPackets(), config.clock());
    this.self = room.join(config.participantId(), handoff);
    this.thread = new Thread(this::run, threadName(room));
    this.thread.setDaemon(true);
  }

  /** The name of the ingest thread for a room. */
  public static String threadName(Room room) {
    return "palco-ingest-" + room.id();
  }

  /**
   * Joins the room as {@link IngestConfig#participantId()}. Nothing is subscribed until
   * {@link #start()}.
   *
   * @param resolver what a publication shows on the stage (signaling knows), or null to leave it out;
   *     called on the thread that publishes
   * @param listener the compose half; called on the ingest thread only
   * @throws IllegalStateException if the room is closed or the participant id is taken
   */
  public static StageIngest attach(Room room, IngestConfig config,
      Function<TrackPublication, StageTrack.Source> resolver, StageListener listener) {
    return new StageIngest(Objects.requireNonNull(room, "room"), Objects.requireNonNull(config, "config"),
        Objects.requireNonNull(resolver, "resolver"), Objects.requireNonNull(listener, "listener"));
  }

  /** Starts the ingest thread and subscribes to the room's tracks, now and as they come. */
  public synchronized void start() {
    if (started || closed) {
      throw new IllegalStateException(closed ? "closed" : "already started");
    }
    started = true;
    running = true;
    thread.start();
    room.addListener(events);
    for (TrackPublication pub : room.publications()) {
      follow(pub);
    }
  }

  /** The ingest's participant in the room. */
  public Participant participant() {
    return self;
  }

  /** A snapshot of the counters. */
  public IngestStats stats() {
    List<IngestStats.Track> out = new ArrayList<>();
    for (IngestTrack t : trackArray) {
      out.add(t.stats());
    }
    return new IngestStats(handoff.queueDrops(), handoff.depth(), out, listenerFailures);
  }

  /**
   * Leaves the room, ends every track ({@link StageListener#onTrackEnded}), frees every decoder and
   * stops the ingest thread, waiting for it (from a listener call, on the ingest thread itself,
   * the thread ends after the call returns). Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    room.removeListener(events);
    self.leave("bridge stopped");
    running = false;
    if (Thread.currentThread() == thread) {
      return; // the loop ends after this listener call, and cleans up on its way out
    }
    if (thread.isAlive()) {
      thread.interrupt();
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      shutdown();
    }
  }

  // ------------------------------------------------------------------ room events (any thread)

  private void follow(TrackPublication pub) {
    if (closed || pub.publisher() == self || pub.isClosed()) {
      return;
    }
    StageTrack.Source source = resolver.apply(pub);
    if (source == null || source.isVideo() != (pub.kind() == TrackKind.VIDEO)) {
      return;
    }
    StageTrack stage = new StageTrack(pub.publisher().id(), pub.id(), source);
    // Posted before subscribing, so the ingest thread knows the track before its first packet.
    control.add(() -> addTrack(pub, stage));
    TrackSubscription sub;
    try {
      sub = self.subscribe(pub);
    } catch (IllegalStateException e) {
      // Unpublished meanwhile, or we left: the track never starts.
      control.add(() -> removeTrack(pub));
      return;
    }
    if (pub.kind() == TrackKind.VIDEO) {
      sub.setMaxLayer(config.targetLayer());
    }
  }

  private final class RoomEvents implements RoomListener {
    @Override
    public void onTrackPublished(TrackPublication publication) {
      follow(publication);
    }

    @Override
    public void onTrackUnpublished(TrackPublication publication) {
      control.add(() -> removeTrack(publication));
    }

    @Override
    public void onTrackUnsubscribed(TrackSubscription subscription) {
      if (subscription.subscriber() == self) {
        TrackPublication pub = subscription.publication();
        control.add(() -> removeTrack(pub));
      }
    }

    @Override
    public void onParticipantLeft(Participant participant, String reason) {
      if (participant != self) {
        control.add(() -> removeParticipant(participant.id()));
      }
    }

    @Override
    public void onDominantSpeakerChanged(Room r, String participantId, String previousId) {
      control.add(() -> {
        try {
          listener.onDominantSpeaker(participantId);
        } catch (RuntimeException e) {
          listenerFailures++;
        }
      });
    }
  }

  // ------------------------------------------------------------------ the ingest thread

  private void run() {
    try {
      while (running) {
        runControl();
        PacketHandoff.Slot s;
        try {
          s = handoff.poll(TICK_MS);
        } catch (InterruptedException e) {
          break;
        }
        long nowUs = handoff.wallNowUs();
        while (s != null) {
          onPacket(s, nowUs);
          handoff.recycle(s);
          s = handoff.pollNow();
          if (s != null) {
            nowUs = handoff.wallNowUs();
          }
        }
        nowUs = handoff.wallNowUs();
        for (IngestTrack t : trackArray) {
          t.drain(nowUs);
        }
      }
    } finally {
      shutdown();
    }
  }

  private void onPacket(PacketHandoff.Slot s, long nowUs) {
    IngestTrack t = tracks.get(s.publication);
    if (t == null) {
      // Its track may have been posted just before this packet was queued.
      runControl();
      t = tracks.get(s.publication);
      if (t == null) {
        return;
      }
    }
    t.onPacket(s.data, s.length, s.sourceSsrc, s.sourceTimestamp, s.arrivalUs, nowUs);
  }

  private void runControl() {
    Runnable r;
    while ((r = control.poll()) != null) {
      r.run();
    }
  }

  private void addTrack(TrackPublication pub, StageTrack stage) {
    if (tracks.containsKey(pub) || pub.isClosed()) {
      return;
    }
    CaptureClock clock = clocks.computeIfAbsent(stage.participantId(), id -> new CaptureClock());
    IngestTrack t = IngestTrack.create(this, stage, pub, listener, clock, config);
    if (t == null) {
      return;
    }
    tracks.put(pub, t);
    publishTracks();
  }

  private void removeTrack(TrackPublication pub) {
    IngestTrack t = tracks.remove(pub);
    if (t != null) {
      // Gone from the stats before anyone hears that it ended.
      publishTracks();
      t.end();
    }
  }

  private void removeParticipant(String participantId) {
    for (IngestTrack t : trackArray) {
      if (t.stage.participantId().equals(participantId)) {
        removeTrack(t.publication);
      }
    }
    clocks.remove(participantId);
  }

  private void publishTracks() {
    trackArray = tracks.values().toArray(new IngestTrack[0]);
  }

  /** Ends every track and frees the decoders; on the ingest thread as it exits (or in close()). */
  private void shutdown() {
    control.clear();
    for (IngestTrack t : trackArray) {
      t.end();
    }
    tracks.clear();
    publishTracks();
    PacketHandoff.Slot s;
    while ((s = handoff.pollNow()) != null) {
      handoff.recycle(s);
    }
  }

  // ------------------------------------------------------------------ listener calls

  void deliverStarted(StageListener l, StageTrack track) {
    try {
      l.onTrackStarted(track);
    } catch (RuntimeException e) {
      listenerFailures++;
    }
  }

  void deliverEnded(StageListener l, StageTrack track) {
    try {
      l.onTrackEnded(track);
    } catch (RuntimeException e) {
      listenerFailures++;
    }
  }

  void deliverVideo(StageListener l, StageTrack track, AVFrame picture, long captureUs) {
    try {
      l.onVideoFrame(track, picture, captureUs);
    } catch (RuntimeException e) {
      listenerFailures++;
    }
  }

  void deliverAudio(StageListener l, StageTrack track, short[] pcm, int sampleFrames, int channels, long captureUs) {
    try {
      l.onAudio(track, pcm, 0, sampleFrames, channels, captureUs);
    } catch (RuntimeException e) {
      listenerFailures++;
    }
  }
}
