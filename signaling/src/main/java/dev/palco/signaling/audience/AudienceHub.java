package dev.palco.signaling.audience;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palco.signaling.SignalingException;
import dev.palco.signaling.room.Room;
import dev.palco.signaling.room.RoomRegistry;
import dev.palco.signaling.token.JoinTokens;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audience layer of every room: creates each room's {@link AudienceRoom} with the room, ends
 * it with the room, journals it when a data directory is configured, and restores rooms from
 * their journals at start-up.
 *
 * <p>One scheduler thread sends every room's coalesced updates; the server's sweeper calls
 * {@link #sweep()} every second.
 */
public final class AudienceHub implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AudienceHub.class);

  private final AudienceSettings settings;
  private final RoomRegistry rooms;
  private final Clock clock;
  private final ContentFilter filter;
  private final StageGrants grants;
  private final AudienceJournal journal;
  private final ScheduledExecutorService scheduler;
  private final Map<String, AudienceRoom> byRoom = new ConcurrentHashMap<>();
  private volatile boolean shuttingDown;
  private volatile java.util.function.LongConsumer fanoutObserver = ns -> { };

  /**
   * @param settings bounds and rules
   * @param rooms the rooms (the hub follows their creation and end)
   * @param tokens the join tokens, whose secret the stage grant key is derived from
   * @param clock wall-clock time (rate limits, invitations)
   * @param filter the content filter for questions, chat and names
   * @throws IOException if the data directory cannot be made
   */
  public AudienceHub(
      AudienceSettings settings, RoomRegistry rooms, JoinTokens tokens, Clock clock, ContentFilter filter)
      throws IOException {
    this.settings = settings;
    this.rooms = rooms;
    this.clock = clock;
    this.filter = filter;
    this.grants = new StageGrants(tokens.deriveKey(StageGrants.KEY_LABEL), clock);
    this.journal = settings.dataDir() == null ? null : new AudienceJournal(settings.dataDir());
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "palco-audience");
              t.setDaemon(true);
              return t;
            });
    rooms.onRoomCreated(this::created);
    rooms.onRoomEnded(this::ended);
    rooms.onGuestLeft(
        (room, viewerId, reason) -> {
          AudienceRoom audience = byRoom.get(room.id());
          if (audience != null) {
            audience.leftStage(viewerId, reason);
          }
        });
  }

  /** The content filter of {@code palco.audience.blocklist}, or none. */
  public static ContentFilter filterFor(AudienceSettings settings) {
    return settings.blocklist().isEmpty() ? ContentFilter.NONE : new WordListFilter(settings.blocklist());
  }

  /** Sets who is told how long each room's fan-out took (nanoseconds). */
  public void observeFanout(java.util.function.LongConsumer observer) {
    fanoutObserver = observer;
  }

  /** The settings. */
  public AudienceSettings settings() {
    return settings;
  }

  /** The grant signer. */
  public StageGrants grants() {
    return grants;
  }

  /** The journal, or {@code null} without a data directory. */
  public AudienceJournal journal() {
    return journal;
  }

  /** The audience of a live room (made on first use, should the room predate the hub). */
  public AudienceRoom of(Room room) {
    return byRoom.computeIfAbsent(room.id(), id -> newRoom(room, true));
  }

  /** The audience of a room by id, or {@code null}. */
  public AudienceRoom get(String roomId) {
    return roomId == null ? null : byRoom.get(roomId);
  }

  /** Audience connections over all rooms. */
  public int viewerCount() {
    int n = 0;
    for (AudienceRoom r : byRoom.values()) {
      n += r.viewerCount();
    }
    return n;
  }

  private void created(Room room) {
    of(room);
  }

  private AudienceRoom newRoom(Room room, boolean fresh) {
    AudienceJournal.RoomJournal rj = journal == null ? null : journal.room(room.id());
    if (rj != null && fresh) {
      rj.append(AudienceRoom.roomEvent(room.id(), room.name(), room.createdAt()));
    }
    AudienceRoom audience = new AudienceRoom(room.id(), room.name(), settings, clock, grants, filter, rj, scheduler);
    audience.createdAt(room.createdAt());
    audience.observeFanout(ns -> fanoutObserver.accept(ns));
    return audience;
  }

  private void ended(Room room) {
    AudienceRoom audience = byRoom.remove(room.id());
    if (audience == null) {
      return;
    }
    if (shuttingDown) {
      // The journal stays: the next start restores the room.
      audience.end("the server is restarting", 1001, false);
    } else {
      audience.end("the room has ended", 4000, true);
    }
  }

  /**
   * Recreates the rooms of every journal in the data directory, with their audience state. A
   * journal whose room cannot be recreated (a damaged first line, the room cap) is left alone.
   *
   * @return how many rooms came back
   */
  public int restore() {
    if (journal == null) {
      return 0;
    }
    int restored = 0;
    try {
      for (String id : journal.roomIds()) {
        List<JsonNode> events = journal.read(id);
        JsonNode first = events.isEmpty() ? null : events.get(0);
        if (first == null || !"room".equals(first.path("t").asText()) || !id.equals(first.path("id").asText())) {
          LOG.warn("journal of room {} has no room line; left alone", id);
          continue;
        }
        Instant createdAt = clock.instant();
        try {
          if (first.path("createdAt").isTextual()) {
            createdAt = Instant.parse(first.path("createdAt").asText());
          }
        } catch (DateTimeParseException e) {
          // Keep the restore time.
        }
        Room room;
        try {
          room = rooms.restore(id, first.path("name").asText("Untitled room"), createdAt);
        } catch (SignalingException e) {
          LOG.warn("room {} not restored: {}", id, e.getMessage());
          continue;
        }
        AudienceRoom audience = byRoom.computeIfAbsent(id, x -> newRoom(room, false));
        audience.restore(events);
        audience.compact();
        restored++;
      }
    } catch (IOException e) {
      LOG.error("reading the audience journals failed", e);
    }
    if (restored > 0) {
      LOG.info("restored {} room(s) from {}", restored, journal.directory());
    }
    return restored;
  }

  /** Expires invitations, publishes viewer counts, keeps rooms with an audience alive. */
  public void sweep() {
    for (AudienceRoom audience : byRoom.values()) {
      audience.sweep();
      if (audience.viewerCount() > 0) {
        Room room = rooms.get(audience.roomId());
        if (room != null) {
          room.keepAlive();
        }
      }
    }
  }

  /** From now on, rooms that end keep their journals (the server is stopping, not the rooms). */
  public void beginShutdown() {
    shuttingDown = true;
  }

  /** Stops the update thread and closes the journal. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    if (journal != null) {
      journal.close();
    }
  }
}
