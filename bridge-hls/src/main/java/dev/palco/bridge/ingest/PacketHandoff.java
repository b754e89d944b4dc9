package dev.palco.bridge.ingest;

import dev.palco.rtp.srtp.SrtpSession;
import dev.palco.sfu.room.LocalMediaTransport;
import dev.palco.sfu.room.TrackPublication;
import dev.palco.sfu.room.TrackSubscription;
import dev.palco.sfu.transport.SendResult;
import dev.palco.sfu.util.Clock;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingest's transport in the room: the SFU's media workers hand it forwarded packets, which it
 * copies into preallocated slots and queues for the ingest thread. It never blocks a worker: when
 * no slot is free the packet is dropped and counted. Nothing is allocated per packet (the two
 * {@link ArrayBlockingQueue}s hold the slots; taking and giving back a slot allocates nothing).
 *
 * <p>RTCP the SFU sends toward the ingest (its sender reports about the forwarded streams) is
 * ignored: capture times come from the publishers' reports ({@link TrackPublication#lastSenderReport}).
 */
final class PacketHandoff implements LocalMediaTransport {
  /** One queued packet. */
  static final class Slot {
    final byte[] data = new byte[JitterBuffer.SLOT_BYTES];
    int length;
    TrackPublication publication;
    long sourceSsrc;
    long sourceTimestamp;
    long arrivalUs;
  }

  private final String id;
  private final Clock clock;
  private final long wallAnchorUs;
  private final long monoAnchorUs;
  private final ArrayBlockingQueue<Slot> free;
  private final ArrayBlockingQueue<Slot> ready;
  private final AtomicLong queueDrops = new AtomicLong();
  private final AtomicLong oversized = new AtomicLong();
  private volatile boolean closed;

  PacketHandoff(String id, int capacity, Clock clock) {
    this.id = id;
    this.clock = clock;
    this.monoAnchorUs = clock.nowMicros();
    this.wallAnchorUs = clock.wallClockMillis() * 1000L;
    this.free = new ArrayBlockingQueue<>(capacity);
    this.ready = new ArrayBlockingQueue<>(capacity);
    for (int i = 0; i < capacity; i++) {
      free.add(new Slot());
    }
  }

  /**
   * Wall-clock now in µs: the wall clock read once at start, advanced by the monotonic clock, so
   * capture times neither jump with the host's clock nor lose the monotonic clock's resolution.
   */
  long wallNowUs() {
    return wallAnchorUs + (clock.nowMicros() - monoAnchorUs);
  }

  @Override
  public void receiveForwarded(TrackSubscription subscription, byte[] buf, int off, int len, long sourceSsrc,
      long sourceTimestamp) {
    if (closed) {
      return;
    }
    if (len > JitterBuffer.SLOT_BYTES || len < 0) {
      oversized.incrementAndGet();
      return;
    }
    Slot s = free.poll();
    if (s == null) {
      queueDrops.incrementAndGet();
      return;
    }
    System.arraycopy(buf, off, s.data, 0, len);
    s.length = len;
    s.publication = subscription.publication();
    s.sourceSsrc = sourceSsrc;
    s.sourceTimestamp = sourceTimestamp;
    s.arrivalUs = wallNowUs();
    ready.offer(s);
  }

  /** The next queued packet, waiting up to {@code timeoutMs}; null if none. The ingest thread. */
  Slot poll(long timeoutMs) throws InterruptedException {
    return ready.poll(timeoutMs, TimeUnit.MILLISECONDS);
  }

  /** The next queued packet, or null. */
  Slot pollNow() {
    return ready.poll();
  }

  /** Gives a slot back. The ingest thread. */
  void recycle(Slot s) {
    s.publication = null;
    free.offer(s);
  }

  long queueDrops() {
    return queueDrops.get() + oversized.get();
  }

  int depth() {
    return ready.size();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public void setMediaReceiver(MediaReceiver receiver) {
    // The ingest sends nothing into the room.
  }

  @Override
  public SrtpSession srtp() {
    return null;
  }

  @Override
  public SendResult send(byte[] buf, int off, int len) {
    return closed ? SendResult.CLOSED : SendResult.SENT;
  }

  @Override
  public boolean isSecured() {
    return !closed;
  }

  @Override
  public void close() {
    closed = true;
  }
}
