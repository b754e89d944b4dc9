package dev.palco.signaling.media;

import dev.palco.bridge.broadcast.Broadcast;
import dev.palco.bridge.broadcast.BroadcastConfig;
import dev.palco.bridge.broadcast.BroadcastStats;
import dev.palco.bridge.encode.EncoderOpenException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.bridge.ingest.IngestConfig;
import dev.palco.bridge.ingest.IngestStats;
import dev.palco.bridge.ingest.StageIngest;
import dev.palco.bridge.origin.LiveOrigin;
import dev.palco.bridge.origin.OriginConfig;
import dev.palco.bridge.origin.OriginExchange;
import dev.palco.bridge.origin.OriginRequest;
import dev.palco.bridge.playlist.PlaylistTiming;
import dev.palco.bridge.stage.StageTrack;
import dev.palco.sfu.room.Room;
import dev.palco.sfu.room.TrackPublication;
import dev.palco.signaling.broadcast.BroadcastUnavailableException;
import dev.palco.signaling.Json;
import dev.palco.signaling.broadcast.Broadcaster;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge behind signaling's {@link Broadcaster}: for each room on air, an in-process subscriber
 * to the SFU's room ({@link StageIngest}) feeding a {@link Broadcast} (composite, mix, encoder
 * ladder) onto a {@link LiveOrigin} that {@code /hls/{roomId}/} serves.
 *
 * <p>Stopping ends the origin's playlists ({@code EXT-X-ENDLIST}) and keeps serving them, so
 * players see the end; starting again opens a new presentation on a new origin. Display names are
 * kept per room whether or not it is on air, so the labels are right from the first frame.
 *
 * <p>Start and stop for one room are serialized on that room's entry; {@link #handle} only reads.
 */
final class BridgeBroadcaster implements Broadcaster {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeBroadcaster.class);

  /** How often parked playlist requests are checked for their deadline and old segments dropped. */
  private static final long TICK_MS = 100;

  private final Function<String, Room> roomFor;
  private final Function<TrackPublication, StageTrack.Source> resolver;
  private final BroadcastConfig config;
  private final Clock clock;
  private final Map<String, RoomEntry> rooms = new ConcurrentHashMap<>();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "palco-origin-tick");
    t.setDaemon(true);
    return t;
  });

  /**
   * What the broadcaster keeps of a room, on air or not: the names on its labels and its caption
   * (so they are right from a broadcast's first frame), and its broadcast, if it ever went on
   * air. Start, restart, stop and forget synchronize on the entry.
   */
  private static final class RoomEntry {
    final Map<String, String> names = new ConcurrentHashMap<>();
    volatile Caption caption;
    volatile OnAir onAir;

    /** The broadcast if it is live, else null. */
    OnAir live() {
      OnAir a = onAir;
      return a != null && a.live() ? a : null;
    }
  }

  /** The lower third: a kicker line over the question being answered. */
  private record Caption(String kicker, String text) {}

  /** One room's broadcast: what serves it, what makes it, what feeds it, who waits to play it. */
  private static final class OnAir {
    final LiveOrigin origin;
    final Broadcast broadcast;
    StageIngest ingest;
    /** Run once the origin is playable, then cleared (by the tick, under the room's lock). */
    volatile Runnable onPlayable;

    OnAir(LiveOrigin origin, Broadcast broadcast, Runnable onPlayable) {
      this.origin = origin;
      this.broadcast = broadcast;
      this.onPlayable = onPlayable;
    }

    boolean live() {
      return broadcast.state() == Broadcast.State.LIVE;
    }
  }

  /**
   * @param roomFor the SFU's room for a signaling room id (made if need be)
   * @param resolver what each publication shows on the stage (signaling's record of the publisher's
   *     declared sources), or null for a track that stays off the composite
   * @param config the canvas, ladder and presentation delay
   */
  BridgeBroadcaster(Function<String, Room> roomFor, Function<TrackPublication, StageTrack.Source> resolver,
      BroadcastConfig config) {
    this.roomFor = roomFor;
    this.resolver = resolver;
    this.config = config;
    this.clock = Clock.systemUTC();
    ticker.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void start(String roomId, Runnable onPlayable) throws BroadcastUnavailableException {
    RoomEntry entry = entry(roomId);
    synchronized (entry) {
      if (entry.live() != null) {
        return;
      }
      Room room = roomFor.apply(roomId);
      LiveOrigin origin = new LiveOrigin(OriginConfig.of(PlaylistTiming.BROADCAST), clock);
      Broadcast broadcast = new Broadcast(config, origin);
      entry.names.forEach(broadcast::setDisplayName);
      Caption caption = entry.caption;
      if (caption != null) {
        broadcast.setLowerThird(caption.kicker(), caption.text());
      }
      OnAir next = new OnAir(origin, broadcast, onPlayable);
      try {
        broadcast.start();
        next.ingest = StageIngest.attach(room, IngestConfig.defaults(), resolver, broadcast);
        next.ingest.start();
      } catch (EncoderOpenException e) {
        broadcast.close();
        throw new BroadcastUnavailableException("the encoders could not be opened: " + e.getMessage(), e);
      } catch (IllegalStateException e) {
        // The SFU room closed meanwhile, or a bridge of ours is still leaving it.
        broadcast.close();
        if (next.ingest != null) {
          next.ingest.close();
        }
        throw new BroadcastUnavailableException("the stage could not be joined: " + e.getMessage(), e);
      }
      entry.onAir = next;
      LOG.info("room {} on air ({} rungs)", roomId, config.ladder().video().size());
    }
  }

  @Override
  public void restart(String roomId) throws BroadcastUnavailableException {
    RoomEntry entry = entry(roomId);
    synchronized (entry) {
      OnAir current = entry.live();
      if (current == null) {
        throw new BroadcastUnavailableException("the room is not on air");
      }
      try {
        current.broadcast.restart();
      } catch (RuntimeException e) {
        // The broadcast ended its presentation; the ingest has nothing left to feed.
        current.ingest.close();
        throw new BroadcastUnavailableException("the encoders could not be reopened: " + e.getMessage(), e);
      }
      LOG.info("room {}: broadcast restarted", roomId);
    }
  }

  @Override
  public void stop(String roomId) {
    RoomEntry entry = rooms.get(roomId);
    if (entry == null) {
      return;
    }
    synchronized (entry) {
      OnAir current = entry.live();
      if (current == null) {
        return;
      }
      // The ingest first: no listener call may reach a stopped broadcast's encoder.
      current.ingest.close();
      current.broadcast.stop();
      LOG.info("room {} off air", roomId);
    }
  }

  @Override
  public boolean isLive(String roomId) {
    RoomEntry entry = rooms.get(roomId);
    return entry != null && entry.live() != null;
  }

  @Override
  public void setDisplayName(String roomId, String participantId, String name) {
    RoomEntry entry = entry(roomId);
    entry.names.put(participantId, name);
    OnAir current = entry.onAir;
    if (current != null) {
      current.broadcast.setDisplayName(participantId, name);
    }
  }

  @Override
  public void setLowerThird(String roomId, String kicker, String text) {
    RoomEntry entry = entry(roomId);
    entry.caption = text == null ? null : new Caption(kicker, text);
    OnAir current = entry.onAir;
    if (current != null) {
      current.broadcast.setLowerThird(kicker, text);
    }
  }

  @Override
  public boolean handle(String roomId, OriginRequest request, OriginExchange exchange) {
    RoomEntry entry = rooms.get(roomId);
    OnAir current = entry == null ? null : entry.onAir;
    if (current == null) {
      return false;
    }
    current.origin.handle(request, exchange);
    return true;
  }

  @Override
  public ObjectNode status(String roomId) {
    ObjectNode n = Json.object();
    RoomEntry entry = rooms.get(roomId);
    OnAir current = entry == null ? null : entry.live();
    n.put("live", current != null);
    if (current == null) {
      return n;
    }
    Caption caption = entry.caption;
    if (caption != null) {
      n.putObject("lowerThird").put("kicker", caption.kicker()).put("text", caption.text());
    }
    BroadcastStats b = current.broadcast.stats();
    ObjectNode encoder = n.putObject("encoder");
    encoder.put("fps", Math.round(b.encoderFps() * 10) / 10.0);
    encoder.put("encodeTimeUsAvg", b.encodeTimeUsAvg());
    encoder.put("encodeTimeUsMax", b.encodeTimeUsMax());
    encoder.put("droppedFrames", b.handOffDropped());
    encoder.put("repeatedFrames", b.repeatedFrames());
    encoder.put("outputBitrateBps", b.outputBitrateBps());
    encoder.put("restarts", b.restarts());
    IngestStats in = current.ingest.stats();
    n.put("ingestQueueDrops", in.queueDrops());
    ArrayNode tracks = n.putArray("tracks");
    for (IngestStats.Track t : in.tracks()) {
      ObjectNode tn = tracks.addObject();
      tn.put("participantId", t.track().participantId());
      tn.put("trackId", t.track().trackId());
      tn.put("source", t.track().source().name().toLowerCase(java.util.Locale.ROOT));
      tn.put("packets", t.received());
      tn.put("framesDecoded", t.framesDecoded());
      tn.put("outputs", t.outputs());
      tn.put("keyframeRequests", t.keyframeRequests());
      ObjectNode drops = tn.putObject("drops");
      t.drops().forEach((reason, count) -> drops.put(reason.name().toLowerCase(java.util.Locale.ROOT), count));
    }
    return n;
  }

  /** Forgets a room that ended: it is stopped, its origin, names and caption go. */
  void forget(String roomId) {
    RoomEntry entry = rooms.get(roomId);
    if (entry == null) {
      return;
    }
    synchronized (entry) {
      stop(roomId);
      rooms.remove(roomId, entry);
    }
  }

  /** The broadcasts' numbers, for the metrics registry. */
  List<BroadcastStats> stats() {
    List<BroadcastStats> out = new ArrayList<>();
    for (RoomEntry r : rooms.values()) {
      OnAir a = r.live();
      if (a != null) {
        out.add(a.broadcast.stats());
      }
    }
    return out;
  }

  /** Packets the ingests dropped because their queue was full, over the rooms on air. */
  long ingestQueueDrops() {
    long n = 0;
    for (RoomEntry r : rooms.values()) {
      OnAir a = r.live();
      if (a != null && a.ingest != null) {
        n += a.ingest.stats().queueDrops();
      }
    }
    return n;
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    for (String roomId : List.copyOf(rooms.keySet())) {
      stop(roomId);
    }
  }

  private void tick() {
    for (RoomEntry r : rooms.values()) {
      OnAir a = r.onAir;
      if (a == null) {
        continue;
      }
      try {
        a.origin.tick();
        if (a.onPlayable != null && a.origin.playable()) {
          announcePlayable(r, a);
        }
      } catch (RuntimeException e) {
        LOG.warn("origin tick failed", e);
      }
    }
  }

  /**
   * Runs the broadcast's playable callback under the room's lock, so that it cannot interleave
   * with a stop: after {@link #stop} returns, a stopped broadcast's callback never runs.
   */
  private static void announcePlayable(RoomEntry r, OnAir a) {
    synchronized (r) {
      Runnable callback = a.onPlayable;
      a.onPlayable = null;
      if (callback == null || r.onAir != a || !a.live()) {
        return;
      }
      callback.run();
    }
  }

  private RoomEntry entry(String roomId) {
    return rooms.computeIfAbsent(roomId, id -> new RoomEntry());
  }
}
