package dev.palco.signaling.audience;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audience layer's journal: one append-only file of JSON lines per room under {@code
 * <data-dir>/rooms/<roomId>.journal}, so a server restart finds the rooms again with their
 * questions, votes, hands, chat, viewer sessions and bans.
 *
 * <p>The first line names the room ({@code {"t":"room",…}}); every later line is one change, in
 * the order the room applied them (rooms append under their own lock). Lines are encoded on the
 * caller's thread and written by one writer thread for all rooms, so a post never waits for the
 * disk. Writes reach the operating system at once (they survive the process being killed) but are
 * not forced to the device per line; a crash of the whole machine may lose the last moments.
 * Reading skips a line that does not parse (a write cut short by a crash) and carries on.
 *
 * <p>A journal grows with every vote, so a room rewrites its file as a snapshot of its current
 * state from time to time and after a restore ({@link RoomJournal#rewrite}); the rewrite goes to a
 * temporary file that atomically replaces the old one.
 */
public final class AudienceJournal implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AudienceJournal.class);
  private static final String SUFFIX = ".journal";
  /** Room ids the journal names files after; anything else is not ours. */
  private static final Pattern ROOM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final Path dir;
  private final ExecutorService writer;
  /** Open files by room id; touched only by the writer thread. */
  private final Map<String, FileChannel> open = new HashMap<>();

  /**
   * @param dataDir the data directory; the journal lives in its {@code rooms/} folder, made if
   *     missing
   */
  public AudienceJournal(Path dataDir) throws IOException {
    this.dir = dataDir.resolve("rooms");
    Files.createDirectories(dir);
    this.writer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "palco-journal");
              t.setDaemon(true);
              return t;
            });
  }

  /** The folder of the room files. */
  public Path directory() {
    return dir;
  }

  /** The journal of one room (the file is created by the first append). */
  public RoomJournal room(String roomId) {
    if (!ROOM_ID.matcher(roomId).matches()) {
      throw new IllegalArgumentException("not a room id: " + roomId);
    }
    return new RoomJournal(roomId);
  }

  /** The rooms that have a journal, by id. */
  public List<String> roomIds() throws IOException {
    List<String> ids = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        String id = name.substring(0, name.length() - SUFFIX.length());
        if (ROOM_ID.matcher(id).matches()) {
          ids.add(id);
        }
      }
    }
    ids.sort(null);
    return ids;
  }

  /** Reads a room's events in order, skipping lines that do not parse as JSON objects. */
  public List<JsonNode> read(String roomId) throws IOException {
    List<JsonNode> events = new ArrayList<>();
    int skipped = 0;
    try (BufferedReader in = Files.newBufferedReader(file(roomId), StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode event;
        try {
          event = Json.MAPPER.readTree(line);
        } catch (IOException e) {
          event = null;
        }
        if (event == null || !event.isObject() || !event.path("t").isTextual()) {
          skipped++;
          continue;
        }
        events.add(event);
      }
    }
    if (skipped > 0) {
      LOG.warn("journal of room {}: skipped {} damaged line(s)", roomId, skipped);
    }
    return events;
  }

  /** Waits until everything queued so far is written (tests, shutdown). */
  public void drain() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      writer.execute(() -> done.complete(null));
      done.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("journal did not drain: {}", e.toString());
    }
  }

  /** Writes what is queued and closes every file. */
  @Override
  public void close() {
    drain();
    writer.execute(
        () -> {
          for (FileChannel ch : open.values()) {
            closeQuietly(ch);
          }
          open.clear();
        });
    writer.shutdown();
    try {
      writer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Path file(String roomId) {
    return dir.resolve(roomId + SUFFIX);
  }

  private static byte[] line(ObjectNode event) {
    try {
      byte[] json = Json.MAPPER.writeValueAsBytes(event);
      byte[] out = new byte[json.length + 1];
      System.arraycopy(json, 0, out, 0, json.length);
      out[json.length] = '\n';
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain JSON nodes always serialises", e);
    }
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // Closing after the last write; nothing left to save.
    }
  }

  /** One room's file. Calls are queued to the writer thread in the order they are made. */
  public final class RoomJournal {
    private final String roomId;

    private RoomJournal(String roomId) {
      this.roomId = roomId;
    }

    /** Appends one event (encoded now, written soon). */
    public void append(ObjectNode event) {
      byte[] bytes = line(event);
      submit(() -> write(ByteBuffer.wrap(bytes)));
    }

    /** Replaces the file with these events (a snapshot of the room's state). */
    public void rewrite(List<ObjectNode> events) {
      List<byte[]> lines = new ArrayList<>(events.size());
      for (ObjectNode e : events) {
        lines.add(line(e));
      }
      submit(
          () -> {
            FileChannel old = open.remove(roomId);
            if (old != null) {
              closeQuietly(old);
            }
            Path tmp = dir.resolve(roomId + SUFFIX + ".tmp");
            try (FileChannel ch =
                FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
              for (byte[] l : lines) {
                ByteBuffer b = ByteBuffer.wrap(l);
                while (b.hasRemaining()) {
                  ch.write(b);
                }
              }
              ch.force(true);
            }
            Files.move(tmp, file(roomId), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          });
    }

    /** Deletes the file (the room ended). */
    public void delete() {
      submit(
          () -> {
            FileChannel old = open.remove(roomId);
            if (old != null) {
              closeQuietly(old);
            }
            Files.deleteIfExists(file(roomId));
          });
    }

    private void write(ByteBuffer bytes) throws IOException {
      FileChannel ch = open.get(roomId);
      if (ch == null) {
        ch =
            FileChannel.open(
                file(roomId), StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        open.put(roomId, ch);
      }
      while (bytes.hasRemaining()) {
        ch.write(bytes);
      }
    }

    private void submit(IoTask task) {
      try {
        writer.execute(
            () -> {
              try {
                task.run();
              } catch (IOException | RuntimeException e) {
                LOG.error("journal of room {}: write failed", roomId, e);
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        LOG.warn("journal of room {} is closed; a change was not written", roomId);
      }
    }
  }

  @FunctionalInterface
  private interface IoTask {
    void run() throws IOException;
  }
}
