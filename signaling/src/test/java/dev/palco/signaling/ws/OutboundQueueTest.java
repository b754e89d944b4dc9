package dev.palco.signaling.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.signaling.EncodedFrame;
import dev.palco.signaling.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Backpressure without sockets: a writer the test completes by hand, or never. */
class OutboundQueueTest {

  /** A socket whose writes finish only when the test says so. */
  static final class ManualWriter implements FrameWriter {
    final List<EncodedFrame> written = new ArrayList<>();
    final List<Done> pending = new ArrayList<>();
    int closeCode = -1;
    boolean aborted;

    @Override
    public void write(EncodedFrame frame, Done done) {
      written.add(frame);
      pending.add(done);
    }

    @Override
    public void close(int code, String reason) {
      closeCode = code;
    }

    @Override
    public void abort() {
      aborted = true;
    }

    void completeOne() {
      pending.remove(0).written();
    }
  }

  static EncodedFrame frame(int n) {
    return EncodedFrame.of(Json.object().put("type", "audience.update").put("n", n));
  }

  @Test
  void aSlowReaderIsCutOffNotBufferedForever() {
    ManualWriter socket = new ManualWriter();
    AtomicInteger overflows = new AtomicInteger();
    OutboundQueue queue = new OutboundQueue(socket, 8, overflows::incrementAndGet);
    EncodedFrame shared = frame(0);
    assertTrue(queue.offer(shared, false));
    assertSame(shared, socket.written.get(0), "the shared frame itself is written, not a copy");
    // The socket never takes the first frame: eight more wait, the ninth overflows.
    for (int i = 1; i <= 8; i++) {
      assertTrue(queue.offer(frame(i), false), "frame " + i);
    }
    assertFalse(queue.offer(frame(9), false));
    assertEquals(1, overflows.get());
    assertTrue(socket.aborted, "the connection is cut");
    assertFalse(queue.offer(frame(10), false), "nothing is queued after the cut");
    assertEquals(0, queue.queued());
  }

  @Test
  void aReaderThatKeepsUpGetsEverythingInOrderThenTheClose() {
    ManualWriter socket = new ManualWriter();
    OutboundQueue queue = new OutboundQueue(socket, 4, () -> { throw new AssertionError("no overflow"); });
    for (int round = 0; round < 100; round++) {
      queue.offer(frame(2 * round), false);
      queue.offer(frame(2 * round + 1), false);
      socket.completeOne();
      socket.completeOne();
    }
    assertEquals(200, socket.written.size());
    for (int i = 0; i < 200; i++) {
      assertTrue(socket.written.get(i).text().contains("\"n\":" + i + "}"), socket.written.get(i).text());
    }
    queue.offer(frame(200), false);
    queue.closeAfterDrain(4003, "banned");
    assertEquals(-1, socket.closeCode, "the close waits for the queued frame");
    socket.completeOne();
    assertEquals(4003, socket.closeCode);
  }

  @Test
  void optionalRepliesGiveWayBeforeTheQueueFills() {
    ManualWriter socket = new ManualWriter();
    OutboundQueue queue = new OutboundQueue(socket, 8, () -> { });
    queue.offer(frame(0), false);
    for (int i = 1; i <= 4; i++) {
      queue.offer(frame(i), false);
    }
    assertFalse(queue.offer(frame(99), true), "a rate-limited reply is dropped at half full");
    assertTrue(queue.offer(frame(5), false));
  }
}
