package dev.palco.signaling.room;

import dev.palco.signaling.ErrorCode;
import dev.palco.signaling.SignalingException;
import dev.palco.signaling.media.MediaPlane;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every live room, by id. Creates rooms with short random ids, enforces the room cap, ends rooms
 * (on request, when empty too long, at shutdown), and frees seats whose resume window passed.
 *
 * <p>Thread-safe. {@link #sweep()} is called periodically by the server, and directly by tests
 * with a controlled clock.
 */
public final class RoomRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(RoomRegistry.class);

  /** Room ids: lowercase letters and digits, URL-safe and easy to read aloud. */
  private static final char[] ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
  private static final int ID_LENGTH = 6;
  /** Resume secrets carry 144 random bits. */
  private static final int SECRET_BYTES = 18;

  private final RoomSettings settings;
  private final MediaPlane mediaPlane;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Room> rooms = new ConcurrentHashMap<>();
  private final List<Consumer<Room>> endListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<Room>> createListeners = new CopyOnWriteArrayList<>();
  private final Object createLock = new Object();
  private volatile boolean accepting = true;

  /**
   * @param settings caps and timings
   * @param mediaPlane where participants' media sessions open
   * @param clock the time source for expiry and resume windows
   */
  public RoomRegistry(RoomSettings settings, MediaPlane mediaPlane, Clock clock) {
    this.settings = settings;
    this.mediaPlane = mediaPlane;
    this.clock = clock;
  }

  /**
   * Creates a room.
   *
   * @throws SignalingException {@code server-full} at the room cap or while shutting down
   */
  public Room create(String name) throws SignalingException {
    synchronized (createLock) {
      if (!accepting) {
        throw new SignalingException(ErrorCode.SERVER_FULL, "the server is shutting down");
      }
      if (rooms.size() >= settings.maxRooms()) {
        throw new SignalingException(ErrorCode.SERVER_FULL, "this server has reached its room cap");
      }
      String id;
      do {
        id = newRoomId();
      } while (rooms.containsKey(id));
      Room room = new Room(id, name, clock.instant(), this);
      rooms.put(id, room);
      LOG.info("room {} created", id);
      for (Consumer<Room> listener : createListeners) {
        listener.accept(room);
      }
      return room;
    }
  }

  /**
   * Brings back a room from before a restart, with its id, name and creation time (its links
   * work again if the token secret is the same). Creation listeners are not called: the caller
   * restores what they would have set up. It counts as just emptied, so it ends after the empty
   * time to live unless someone comes back.
   *
   * @throws SignalingException {@code server-full} at the room cap or while shutting down
   */
  public Room restore(String id, String name, java.time.Instant createdAt) throws SignalingException {
    synchronized (createLock) {
      if (!accepting) {
        throw new SignalingException(ErrorCode.SERVER_FULL, "the server is shutting down");
      }
      Room existing = rooms.get(id);
      if (existing != null) {
        return existing;
      }
      if (rooms.size() >= settings.maxRooms()) {
        throw new SignalingException(ErrorCode.SERVER_FULL, "this server has reached its room cap");
      }
      Room room = new Room(id, name, createdAt, this);
      room.keepAlive();
      rooms.put(id, room);
      LOG.info("room {} restored", id);
      return room;
    }
  }

  /** Told when a guest from the audience leaves the stage. */
  @FunctionalInterface
  public interface GuestListener {
    /** The guest of viewer session {@code viewerId} left room {@code room} ({@code reason} as in participant.left). */
    void guestLeft(Room room, String viewerId, String reason);
  }

  private final List<GuestListener> guestListeners = new CopyOnWriteArrayList<>();

  /** Calls {@code listener} whenever a guest from the audience leaves a stage. */
  public void onGuestLeft(GuestListener listener) {
    guestListeners.add(listener);
  }

  void guestLeft(Room room, String viewerId, String reason) {
    for (GuestListener l : guestListeners) {
      l.guestLeft(room, viewerId, reason);
    }
  }

  /** Calls {@code listener} after each room is created (not restored). */
  public void onRoomCreated(Consumer<Room> listener) {
    createListeners.add(listener);
  }

  /** The live room with this id, or {@code null}. */
  public Room get(String roomId) {
    return roomId == null ? null : rooms.get(roomId);
  }

  /**
   * The live room with this id.
   *
   * @throws SignalingException {@code room-not-found}
   */
  public Room require(String roomId) throws SignalingException {
    Room room = get(roomId);
    if (room == null) {
      throw new SignalingException(ErrorCode.ROOM_NOT_FOUND, "no such room, or it has ended");
    }
    return room;
  }

  /**
   * Ends a room: everyone gets {@code room.ended} and is closed with {@code statusCode} (4000 for
   * an ended room, 1001 at shutdown).
   */
  public void end(Room room, String reason, int statusCode) {
    if (rooms.remove(room.id(), room) | room.end(reason, statusCode)) {
      for (Consumer<Room> listener : endListeners) {
        listener.accept(room);
      }
      mediaPlane.broadcaster().stop(room.id());
      mediaPlane.closeRoom(room.id());
      LOG.info("room {} ended: {}", room.id(), reason);
    }
  }

  /** Calls {@code listener} after each room ends (WHIP/WHEP sessions close with it). */
  public void onRoomEnded(Consumer<Room> listener) {
    endListeners.add(listener);
  }

  /** Frees seats past the resume window and ends rooms empty past their time to live. */
  public void sweep() {
    long now = clock.millis();
    for (Room room : new ArrayList<>(rooms.values())) {
      room.reapDisconnected(now, settings.resumeWindow().toMillis());
      if (room.emptyForMillis(now) >= settings.emptyRoomTtl().toMillis()) {
        end(room, "the room was empty", 4000);
      }
    }
  }

  /** Refuses new rooms from now on and ends every room (shutdown). */
  public void endAll(String reason, int statusCode) {
    synchronized (createLock) {
      accepting = false;
    }
    for (Room room : new ArrayList<>(rooms.values())) {
      end(room, reason, statusCode);
    }
  }

  /** Live rooms. */
  public int roomCount() {
    return rooms.size();
  }

  /** Seats over all rooms. */
  public int participantCount() {
    int n = 0;
    for (Room room : rooms.values()) {
      n += room.participantCount();
    }
    return n;
  }

  /** The caps and timings. */
  public RoomSettings settings() {
    return settings;
  }

  /** The media plane sessions open on. */
  public MediaPlane mediaPlane() {
    return mediaPlane;
  }

  /** The clock. */
  public Clock clock() {
    return clock;
  }

  String newSecret() {
    byte[] bytes = new byte[SECRET_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private String newRoomId() {
    char[] id = new char[ID_LENGTH];
    for (int i = 0; i < ID_LENGTH; i++) {
      id[i] = ID_ALPHABET[random.nextInt(ID_ALPHABET.length)];
    }
    return new String(id);
  }
}
