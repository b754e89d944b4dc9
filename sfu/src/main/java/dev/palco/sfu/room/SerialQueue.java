package dev.palco.sfu.room;

import dev.palco.sfu.pipeline.PacketInfo;
import dev.palco.sfu.pipeline.PacketInfoPool;

import java.util.ArrayDeque;

/**
 * One participant's actor (docs/architecture.md): its incoming datagrams, its timer ticks and its
 * control tasks go into this queue, and a {@link MediaWorkerPool} worker drains them in order. At
 * most one worker drains a queue at a time, so the participant's receive state needs no locks.
 *
 * <p>Packets wait in a fixed ring of pooled {@link PacketInfo}s (a full ring drops, counted by the
 * caller as {@code QUEUE_FULL}); timer ticks are a flag, so a slow participant never accumulates
 * them; control tasks (publish, subscribe, close) are rare and go to a small deque, and each is
 * run before the next packet, so a packet offered after a task was posted sees its effect.
 *
 * <p>Packets another participant forwards to this one wait in a second ring of the same
 * capacity ({@link #offerForward}): each slot holds one share of the publisher's packet
 * ({@link PacketInfo#share}) and the subscription to send it on. A separate ring, so a burst
 * from a publisher cannot crowd out the subscriber's own RTCP (which carries the feedback that
 * paces it), nor the reverse. Datagrams and forwarded packets are served alternately when both
 * wait; tasks come first, then a pending tick.
 *
 * <p>{@link #shutdown} posts a last task and refuses packets from then on; after that task ran,
 * packets still queued are returned to the pool, and forwarded shares given back.
 */
final class SerialQueue implements Runnable {

  /** What the queue delivers to, always on the draining thread. */
  interface Handler {
    /** A datagram: ownership passes to the handler. */
    void onPacket(PacketInfo packet);

    /**
     * A packet forwarded to this participant on {@code subscription}: the handler reads it and
     * gives its share back ({@link PacketInfoPool#releaseShared}), even when it fails.
     */
    void onForward(TrackSubscription subscription, PacketInfo shared);

    /** The timer fired at least once since the last call. */
    void onTimer();

    /** A task threw: the handler counts it; the queue goes on. */
    void onFailure(Throwable failure);
  }

  private final Object lock = new Object();
  private final Handler handler;
  private final MediaWorkerPool pool;
  private final PacketInfoPool packetPool;
  private final PacketInfo[] ring;
  private final int maxBatch;
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private final PacketInfo[] forwardRing;
  private final TrackSubscription[] forwardSubscriptions;
  private int head;
  private int count;
  private int forwardHead;
  private int forwardCount;
  /** Which kind of packet the next turn prefers when both wait (fairness). */
  private boolean forwardTurn;
  private boolean timerPending;
  private boolean scheduled;
  private boolean refusingPackets;
  private boolean terminated;

  SerialQueue(Handler handler, MediaWorkerPool pool, PacketInfoPool packetPool, int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity " + capacity);
    }
    this.handler = handler;
    this.pool = pool;
    this.packetPool = packetPool;
    this.ring = new PacketInfo[capacity];
    this.forwardRing = new PacketInfo[capacity];
    this.forwardSubscriptions = new TrackSubscription[capacity];
    // Inline, a batch limit would re-enter run() recursively; with workers it keeps one busy
    // participant from holding a worker while others wait.
    this.maxBatch = pool.inline() ? Integer.MAX_VALUE : 64;
  }

  /**
   * Queues a datagram.
   *
   * @return false (the caller keeps ownership) when the queue is full or shut down
   */
  boolean offer(PacketInfo packet) {
    boolean start;
    synchronized (lock) {
      if (refusingPackets || count == ring.length) {
        return false;
      }
      ring[(head + count) % ring.length] = packet;
      count++;
      start = markScheduled();
    }
    if (start) {
      pool.execute(this);
    }
    return true;
  }

  /** {@link #queueForward}: refused, the caller keeps the share. */
  static final int REFUSED = 0;
  /** {@link #queueForward}: queued; the queue is already scheduled. */
  static final int QUEUED = 1;
  /** {@link #queueForward}: queued; the caller must hand the queue to the worker pool. */
  static final int QUEUED_START = 2;

  /**
   * Queues one share of a packet to forward on {@code subscription} (of this queue's
   * participant) and schedules the queue if it was idle. Any thread; allocation-free.
   *
   * @return false (the caller keeps the share) when the ring is full or the queue shut down
   */
  boolean offerForward(TrackSubscription subscription, PacketInfo shared) {
    int result = queueForward(subscription, shared);
    if (result == QUEUED_START) {
      pool.execute(this);
    }
    return result != REFUSED;
  }

  /**
   * Queues one share of a packet to forward on {@code subscription}, leaving the scheduling to the
   * caller: the fan-out collects the queues it woke and hands them to the pool in one call
   * ({@link MediaWorkerPool#executeAll}) rather than taking the pool's lock once per subscriber.
   *
   * @return {@link #REFUSED} (the caller keeps the share), {@link #QUEUED}, or {@link
   *     #QUEUED_START} (the caller must pass this queue to {@link MediaWorkerPool#execute} or
   *     {@link MediaWorkerPool#executeAll})
   */
  int queueForward(TrackSubscription subscription, PacketInfo shared) {
    synchronized (lock) {
      if (refusingPackets || forwardCount == forwardRing.length) {
        return REFUSED;
      }
      int slot = (forwardHead + forwardCount) % forwardRing.length;
      forwardRing[slot] = shared;
      forwardSubscriptions[slot] = subscription;
      forwardCount++;
      return markScheduled() ? QUEUED_START : QUEUED;
    }
  }

  /** Asks for a timer tick; ticks requested while one is pending merge into it. */
  void signalTimer() {
    if (markTimer()) {
      pool.execute(this);
    }
  }

  /**
   * Asks for a timer tick, leaving the scheduling to the caller (who ticks many queues and hands
   * the woken ones to the pool at once).
   *
   * @return true when the caller must pass this queue to the worker pool
   */
  boolean markTimer() {
    synchronized (lock) {
      if (terminated || refusingPackets) {
        return false;
      }
      timerPending = true;
      return markScheduled();
    }
  }

  /** Runs {@code task} on the queue, in order with packets. Ignored after the queue terminated. */
  void post(Runnable task) {
    boolean start;
    synchronized (lock) {
      if (terminated) {
        return;
      }
      tasks.addLast(task);
      start = markScheduled();
    }
    if (start) {
      pool.execute(this);
    }
  }

  /** Refuses packets and ticks from now on, and runs {@code lastTask} after what is queued. */
  void shutdown(Runnable lastTask) {
    boolean start;
    synchronized (lock) {
      if (refusingPackets) {
        return;
      }
      refusingPackets = true;
      timerPending = false;
      tasks.addLast(lastTask);
      tasks.addLast(this::terminate);
      start = markScheduled();
    }
    if (start) {
      pool.execute(this);
    }
  }

  private void terminate() {
    synchronized (lock) {
      terminated = true;
      tasks.clear();
      while (count > 0) {
        PacketInfo p = ring[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        count--;
        packetPool.release(p);
      }
      while (forwardCount > 0) {
        PacketInfo p = forwardRing[forwardHead];
        forwardRing[forwardHead] = null;
        forwardSubscriptions[forwardHead] = null;
        forwardHead = (forwardHead + 1) % forwardRing.length;
        forwardCount--;
        packetPool.releaseShared(p);
      }
    }
  }

  /** Packets waiting now. */
  int queuedPackets() {
    synchronized (lock) {
      return count;
    }
  }

  /** Forwarded packets waiting now. */
  int queuedForwards() {
    synchronized (lock) {
      return forwardCount;
    }
  }

  private boolean markScheduled() {
    if (scheduled) {
      return false;
    }
    scheduled = true;
    return true;
  }

  @Override
  public void run() {
    for (int n = 0; n < maxBatch; n++) {
      Runnable task = null;
      PacketInfo packet = null;
      TrackSubscription forwardOn = null;
      boolean forwarded = false;
      boolean tick = false;
      synchronized (lock) {
        boolean packets = count > 0 && !terminated;
        boolean forwards = forwardCount > 0 && !terminated;
        if (!tasks.isEmpty()) {
          task = tasks.pollFirst();
        } else if (timerPending) {
          timerPending = false;
          tick = true;
        } else if (forwards && (forwardTurn || !packets)) {
          forwardTurn = false;
          forwarded = true;
          packet = forwardRing[forwardHead];
          forwardOn = forwardSubscriptions[forwardHead];
          forwardRing[forwardHead] = null;
          forwardSubscriptions[forwardHead] = null;
          forwardHead = (forwardHead + 1) % forwardRing.length;
          forwardCount--;
        } else if (packets) {
          forwardTurn = true;
          packet = ring[head];
          ring[head] = null;
          head = (head + 1) % ring.length;
          count--;
        } else {
          scheduled = false;
          return;
        }
      }
      try {
        if (task != null) {
          task.run();
        } else if (tick) {
          handler.onTimer();
        } else if (forwarded) {
          handler.onForward(forwardOn, packet);
        } else {
          handler.onPacket(packet);
        }
      } catch (RuntimeException | Error e) {
        handler.onFailure(e);
      }
    }
    // Batch used up with work left: yield the worker to other participants.
    pool.execute(this);
  }
}
