package dev.palco.signaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;

/**
 * One server message serialised once: its UTF-8 bytes and its type, ready to go out as a
 * WebSocket text frame to any number of connections. A fan-out builds one frame and hands the
 * same instance to every connection; each send wraps the shared bytes in a fresh {@link
 * ByteBuffer} view (a few dozen bytes), so nothing is re-encoded or copied per receiver.
 *
 * <p>Immutable and thread-safe; callers must not change the array.
 */
public final class EncodedFrame {

  /** Every frame ever encoded in this JVM, so tests can prove that a fan-out encodes once. */
  private static final LongAdder ENCODED = new LongAdder();

  private final String type;
  private final byte[] utf8;

  private EncodedFrame(String type, byte[] utf8) {
    this.type = type;
    this.utf8 = utf8;
  }

  /** Serialises a message (its {@code type} field names the frame for the meters). */
  public static EncodedFrame of(ObjectNode message) {
    byte[] bytes;
    try {
      bytes = Json.MAPPER.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain JSON nodes always serialises", e);
    }
    ENCODED.increment();
    return new EncodedFrame(message.path("type").asText(""), bytes);
  }

  /** Frames encoded so far in this JVM. */
  public static long encodedCount() {
    return ENCODED.sum();
  }

  /** The message's {@code type}. */
  public String type() {
    return type;
  }

  /** The payload size in bytes. */
  public int sizeBytes() {
    return utf8.length;
  }

  /** A new read-only view of the shared bytes, positioned at the start. */
  public ByteBuffer view() {
    return ByteBuffer.wrap(utf8).asReadOnlyBuffer();
  }

  /** The message as text (tests and logs; decodes the bytes). */
  public String text() {
    return new String(utf8, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return text();
  }
}
