package dev.palco.sfu.room;

import dev.palco.sfu.pipeline.PacketInfoPool;
import dev.palco.sfu.sdp.SfuCapabilities;
import dev.palco.sfu.stats.LatencyHistogram;
import dev.palco.sfu.util.BufferPool;
import dev.palco.sfu.util.Clock;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * The media plane: rooms, and the fixed set of threads and pools every room shares
 * (docs/architecture.md). It owns the media worker pool, the one scheduler thread that ticks every
 * participant's timers, the pool of {@code PacketInfo}s, the pool of packet-cache buffers and the
 * clock. It does not own sockets: a participant is given its {@code MediaTransport} by the caller
 * (signaling creates the WebRTC transport; tests pass an in-memory one).
 *
 * <pre>{@code
 * Sfu sfu = new Sfu(SfuConfig.defaults());
 * Room room = sfu.getOrCreateRoom("stage");
 * Participant alice = room.join("alice", aliceTransport);
 * TrackPublication cam = alice.publish(cameraParameters);
 * TrackSubscription toBob = bob.subscribe(cam);
 * ...
 * sfu.close();
 * }</pre>
 */
public final class Sfu implements AutoCloseable {
  private final SfuConfig config;
  private final SfuCapabilities capabilities;
  private final SendSideConfig sendSide;
  private final Clock clock;
  private final RandomGenerator random;
  private final MediaWorkerPool workers;
  private final ScheduledExecutorService scheduler;
  private final PacketInfoPool packetPool;
  private final BufferPool cacheBufferPool;
  private final LatencyHistogram forwardingLatency = new LatencyHistogram();
  private final Map<String, Room> rooms = new LinkedHashMap<>();
  private volatile Participant[] participants = new Participant[0];
  /** Guards {@link #woken}: the scheduler thread ticks, and tests may tick by hand. */
  private final Object tickLock = new Object();
  /** Queues a tick woke, handed to the workers together. */
  private Runnable[] woken = new Runnable[16];
  private final AtomicLong publicationSequence = new AtomicLong();
  private boolean closed;

  /** An SFU on the system clock. */
  public Sfu(SfuConfig config) {
    this(config, Clock.SYSTEM, new SecureRandom());
  }

  /**
   * @param clock the time every timing decision reads (a manual clock in tests)
   * @param random source of SSRCs, initial sequence numbers and timestamps, and ids; used under
   *     a lock
   */
  public Sfu(SfuConfig config, Clock clock, RandomGenerator random) {
    this(config, clock, random, SfuCapabilities.defaults());
  }

  /**
   * @param capabilities what the participants' SDP methods accept and offer
   */
  public Sfu(SfuConfig config, Clock clock, RandomGenerator random, SfuCapabilities capabilities) {
    this(config, clock, random, capabilities, SendSideConfig.DEFAULT);
  }

  /**
   * @param sendSide bandwidth estimation, layer allocation (Last-N) and pacing toward subscribers
   */
  public Sfu(SfuConfig config, Clock clock, RandomGenerator random, SfuCapabilities capabilities,
      SendSideConfig sendSide) {
    this.config = config;
    this.sendSide = sendSide;
    this.capabilities = capabilities;
    this.clock = clock;
    this.random = random;
    this.packetPool = new PacketInfoPool(config.packetPoolCapacity(), Math.min(256, config.packetPoolCapacity()));
    this.cacheBufferPool = new BufferPool(BufferPool.DEFAULT_BUFFER_SIZE_BYTES, config.cacheBufferPoolCapacity(), 0);
    this.workers = new MediaWorkerPool(config.workerThreads(), "palco-media-");
    if (config.timerPeriodMs() > 0) {
      scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "palco-media-timer");
        t.setDaemon(true);
        return t;
      });
      scheduler.scheduleAtFixedRate(this::tickTimers, config.timerPeriodMs(), config.timerPeriodMs(),
          TimeUnit.MILLISECONDS);
    } else {
      scheduler = null;
    }
  }

  /**
   * Creates a room.
   *
   * @throws IllegalStateException if one with this id exists or the SFU is closed
   */
  public synchronized Room createRoom(String id) {
    if (closed) {
      throw new IllegalStateException("SFU is closed");
    }
    if (rooms.containsKey(id)) {
      throw new IllegalStateException("room " + id + " exists");
    }
    Room room = new Room(this, id);
    rooms.put(id, room);
    return room;
  }

  /** The room with this id, created if needed. */
  public synchronized Room getOrCreateRoom(String id) {
    Room room = rooms.get(id);
    return room != null ? room : createRoom(id);
  }

  /** The room with this id, or null. */
  public synchronized Room room(String id) {
    return rooms.get(id);
  }

  /** The rooms now. */
  public synchronized List<Room> rooms() {
    return List.copyOf(rooms.values());
  }

  /**
   * Queues a timer tick on every participant now. The scheduler thread calls this every
   * {@link SfuConfig#timerPeriodMs()}; tests with a manual clock call it after moving the clock.
   */
  public void tickTimers() {
    Participant[] current = participants;
    long nowMs = clock.nowMillis();
    // Half a period of slack: a participant reads the clock a little after this thread does, and
    // a deadline it would see as reached must not wait for the next period.
    long dueByMs = nowMs + config.timerPeriodMs() / 2;
    synchronized (tickLock) {
      if (woken.length < current.length) {
        woken = new Runnable[Integer.highestOneBit(current.length) << 1];
      }
      int n = 0;
      for (Participant p : current) {
        // Idle subscribers are skipped until their next allocation or report is due.
        if (p.timerDue(dueByMs) && p.markTimer()) {
          woken[n++] = p.queue();
        }
      }
      // One acquisition of the pool's lock for every participant ticked, not one each.
      workers.executeAll(woken, n);
      java.util.Arrays.fill(woken, 0, n, null);
    }
    for (Room room : rooms()) {
      room.tickSpeakers(nowMs);
    }
  }

  /** The pool of packets every pipeline uses; {@code outstanding()} is 0 when nothing is in flight. */
  public PacketInfoPool packetPool() {
    return packetPool;
  }

  /** The pool of packet-cache buffers. */
  public BufferPool cacheBufferPool() {
    return cacheBufferPool;
  }

  /**
   * The SFU's own added delay on the forwarding path, over every subscriber: for each forwarded
   * RTP packet, the time from its arrival (the publisher's transport handing the datagram over,
   * {@code PacketInfo.receivedNanos}) to the return of the socket send toward one subscriber.
   * Queueing on the publisher's queue, decryption, the fan-out, the wait in the subscriber's
   * queue, rewriting, pacing and encryption are all inside it; retransmissions and RTCP are not recorded.
   * Measured on {@link #clock()}. Reset it to start a measurement window.
   */
  public LatencyHistogram forwardingLatency() {
    return forwardingLatency;
  }

  /** The clock. */
  public Clock clock() {
    return clock;
  }

  /** What SDP negotiation accepts and offers. */
  public SfuCapabilities capabilities() {
    return capabilities;
  }

  /** Bandwidth estimation, layer allocation and pacing toward subscribers. */
  public SendSideConfig sendSideConfig() {
    return sendSide;
  }

  /** The settings of the media plane. */
  public SfuConfig config() {
    return config;
  }

  /** Media worker threads alive (0 after close). */
  public int workerThreadsAlive() {
    return workers.aliveThreads();
  }

  /** Closes every room, then stops the scheduler and the workers. Idempotent. */
  @Override
  public void close() {
    List<Room> toClose;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayList<>(rooms.values());
    }
    for (Room r : toClose) {
      r.close();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(config.leaveTimeoutMs(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    workers.close(config.leaveTimeoutMs());
  }

  synchronized void removeRoom(Room room) {
    rooms.remove(room.id(), room);
  }

  synchronized void register(Participant p) {
    Participant[] next = Arrays.copyOf(participants, participants.length + 1);
    next[next.length - 1] = p;
    participants = next;
  }

  synchronized void unregister(Participant p) {
    Participant[] current = participants;
    Participant[] next = new Participant[current.length];
    int n = 0;
    for (Participant q : current) {
      if (q != p) {
        next[n++] = q;
      }
    }
    participants = Arrays.copyOf(next, n);
  }

  MediaWorkerPool workers() {
    return workers;
  }

  /** The next number in the order of publication (see {@link TrackPublication#sequence()}). */
  long nextPublicationSequence() {
    return publicationSequence.incrementAndGet();
  }

  /** A random SSRC, never 0 (some stacks treat 0 as unset). */
  long nextSsrc() {
    while (true) {
      long ssrc = nextInt() & 0xFFFF_FFFFL;
      if (ssrc != 0) {
        return ssrc;
      }
    }
  }

  int nextInt() {
    synchronized (random) {
      return random.nextInt();
    }
  }

  /** A random token usable in msid and CNAME ({@code prefix} + 16 hex digits). */
  String newToken(String prefix) {
    long value;
    synchronized (random) {
      value = random.nextLong();
    }
    return prefix + String.format("%016x", value);
  }
}
