package dev.palco.signaling.audience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palco.signaling.EncodedFrame;
import dev.palco.signaling.Json;
import dev.palco.signaling.room.ParticipantLink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Links that keep what they are sent, for tests of the audience layer without sockets. */
final class RecordingLinks {

  private RecordingLinks() {}

  /** One message or frame as the receiver got it. */
  record Received(ObjectNode message, EncodedFrame frame) {
    JsonNode json() {
      if (message != null) {
        return message;
      }
      try {
        return Json.MAPPER.readTree(frame.text());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String type() {
      return json().path("type").asText();
    }
  }

  /** A viewer's link. */
  static class Viewer implements ViewerLink {
    final List<Received> received = new ArrayList<>();
    int closeCode;
    String closeReason;

    @Override
    public synchronized void send(ObjectNode message) {
      received.add(new Received(message.deepCopy(), null));
    }

    @Override
    public synchronized void sendFrame(EncodedFrame frame) {
      received.add(new Received(null, frame));
    }

    @Override
    public synchronized void close(int statusCode, String reason) {
      closeCode = statusCode;
      closeReason = reason;
    }

    synchronized List<JsonNode> ofType(String type) {
      List<JsonNode> out = new ArrayList<>();
      for (Received r : received) {
        if (r.type().equals(type)) {
          out.add(r.json());
        }
      }
      return out;
    }

    synchronized JsonNode last(String type) {
      List<JsonNode> all = ofType(type);
      if (all.isEmpty()) {
        throw new AssertionError("no " + type + " in " + received);
      }
      return all.get(all.size() - 1);
    }

    synchronized List<EncodedFrame> frames(String type) {
      List<EncodedFrame> out = new ArrayList<>();
      for (Received r : received) {
        if (r.frame() != null && r.type().equals(type)) {
          out.add(r.frame());
        }
      }
      return out;
    }

    synchronized void clear() {
      received.clear();
    }
  }

  /** A stage participant's link. */
  static final class Stage implements ParticipantLink {
    final Viewer inner = new Viewer();

    @Override
    public void send(ObjectNode message) {
      inner.send(message);
    }

    @Override
    public void sendFrame(EncodedFrame frame) {
      inner.sendFrame(frame);
    }

    @Override
    public void close(int statusCode, String reason) {
      inner.close(statusCode, reason);
    }

    @Override
    public void mediaFailed(String reason) {}
  }
}
