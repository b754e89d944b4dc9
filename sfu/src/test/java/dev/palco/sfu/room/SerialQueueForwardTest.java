package dev.palco.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palco.sfu.pipeline.PacketInfo;
import dev.palco.sfu.pipeline.PacketInfoPool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

/**
 * The forward ring of {@link SerialQueue}: shares of publishers' packets queued from many threads
 * reach each subscriber's handler in order per publisher, on one worker at a time, and every share
 * comes back exactly once, whether it was sent, refused or still queued at shutdown.
 */
class SerialQueueForwardTest {

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(200_000L);
    }
  }

  /** Records what a queue delivered; optionally holds the worker in its first call. */
  private static final class RecordingHandler implements SerialQueue.Handler {
    final PacketInfoPool pool;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger overlaps = new AtomicInteger();
    final AtomicInteger outOfOrder = new AtomicInteger();
    final AtomicLong forwards = new AtomicLong();
    final long[] lastSeqByPublisher = new long[16];
    final CountDownLatch entered = new CountDownLatch(1);
    volatile CountDownLatch gate;

    RecordingHandler(PacketInfoPool pool) {
      this.pool = pool;
      java.util.Arrays.fill(lastSeqByPublisher, -1);
    }

    private void enter() {
      if (running.incrementAndGet() != 1) {
        overlaps.incrementAndGet();
      }
      entered.countDown();
      CountDownLatch g = gate;
      if (g != null) {
        gate = null;
        try {
          assertTrue(g.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public void onPacket(PacketInfo packet) {
      enter();
      log.add("d" + packet.sequenceNumber);
      pool.release(packet);
      running.decrementAndGet();
    }

    @Override
    public void onForward(TrackSubscription subscription, PacketInfo shared) {
      enter();
      int publisher = (int) shared.ssrc;
      // Written by one worker at a time (checked by overlaps), read after the run.
      if (shared.sequenceNumber <= lastSeqByPublisher[publisher]) {
        outOfOrder.incrementAndGet();
      }
      lastSeqByPublisher[publisher] = shared.sequenceNumber;
      log.add("f" + shared.sequenceNumber);
      forwards.incrementAndGet();
      pool.releaseShared(shared);
      running.decrementAndGet();
    }

    @Override
    public void onTimer() {
      enter();
      log.add("tick");
      running.decrementAndGet();
    }

    @Override
    public void onFailure(Throwable failure) {
      log.add("failure " + failure);
    }
  }

  private static PacketInfo packet(PacketInfoPool pool, int publisher, int seq) {
    PacketInfo p = pool.acquire();
    p.ssrc = publisher;
    p.sequenceNumber = seq;
    return p;
  }

  @Test
  void forwardsFromManyPublisherThreadsArriveInOrderOnOneWorkerAtATime() throws Exception {
    int publishers = 4;
    int subscribers = 6;
    int packets = 5_000;
    PacketInfoPool pool = new PacketInfoPool(4096, 1024);
    MediaWorkerPool workers = new MediaWorkerPool(2, "forward-test-");
    RecordingHandler[] handlers = new RecordingHandler[subscribers];
    SerialQueue[] queues = new SerialQueue[subscribers];
    for (int s = 0; s < subscribers; s++) {
      handlers[s] = new RecordingHandler(pool);
      queues[s] = new SerialQueue(handlers[s], workers, pool, 64);
    }
    AtomicLong accepted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    CyclicBarrier start = new CyclicBarrier(publishers);
    Thread[] threads = new Thread[publishers];
    for (int t = 0; t < publishers; t++) {
      int publisher = t;
      threads[t] = new Thread(() -> {
        try {
          start.await();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        for (int i = 0; i < packets; i++) {
          // The fan-out's protocol: one share per subscriber plus the loop's own.
          PacketInfo p = packet(pool, publisher, i);
          p.share(subscribers + 1);
          for (SerialQueue q : queues) {
            if (q.offerForward(null, p)) {
              accepted.incrementAndGet();
            } else {
              refused.incrementAndGet();
              pool.releaseShared(p);
            }
          }
          pool.releaseShared(p);
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals((long) publishers * packets * subscribers, accepted.get() + refused.get());
    await(() -> {
      long done = 0;
      for (RecordingHandler h : handlers) {
        done += h.forwards.get();
      }
      return done == accepted.get();
    }, "every accepted forward to be handled");
    for (RecordingHandler h : handlers) {
      assertEquals(0, h.overlaps.get(), "two workers ran one queue at once");
      assertEquals(0, h.outOfOrder.get(), "a publisher's packets were reordered");
    }
    await(() -> pool.outstanding() == 0, "every share back in the pool");
    workers.close(5_000);
    assertEquals(0, workers.aliveThreads());
  }

  /**
   * With a worker held inside the first datagram, what is queued meanwhile is served as: tasks,
   * then the tick, then forwarded packets and datagrams alternately (the forward first, since a
   * datagram was served last), then the rest of whichever remains.
   */
  @Test
  void tasksAndTicksComeFirstThenForwardsAndDatagramsAlternate() throws Exception {
    PacketInfoPool pool = new PacketInfoPool(64, 0);
    MediaWorkerPool workers = new MediaWorkerPool(1, "forward-order-test-");
    RecordingHandler h = new RecordingHandler(pool);
    SerialQueue q = new SerialQueue(h, workers, pool, 16);
    CountDownLatch gate = new CountDownLatch(1);
    h.gate = gate;
    assertTrue(q.offer(packet(pool, 0, 0)));
    assertTrue(h.entered.await(10, TimeUnit.SECONDS));
    for (int i = 1; i <= 3; i++) {
      assertTrue(q.offer(packet(pool, 0, i)));
    }
    for (int i = 1; i <= 2; i++) {
      PacketInfo p = packet(pool, 1, i);
      p.share(1);
      assertTrue(q.offerForward(null, p));
    }
    q.signalTimer();
    q.post(() -> h.log.add("task"));
    assertEquals(2, q.queuedForwards());
    gate.countDown();
    await(() -> h.log.size() == 8, "everything queued to run");
    assertEquals(List.of("d0", "task", "tick", "f1", "d1", "f2", "d2", "d3"), h.log);
    await(() -> pool.outstanding() == 0, "every packet back in the pool");
    workers.close(5_000);
  }

  @Test
  void aFullForwardRingRefusesAndShutdownGivesBackWhatWaits() throws Exception {
    PacketInfoPool pool = new PacketInfoPool(64, 0);
    MediaWorkerPool workers = new MediaWorkerPool(1, "forward-shutdown-test-");
    RecordingHandler h = new RecordingHandler(pool);
    SerialQueue q = new SerialQueue(h, workers, pool, 4);
    CountDownLatch gate = new CountDownLatch(1);
    h.gate = gate;
    assertTrue(q.offer(packet(pool, 0, 0)));
    assertTrue(h.entered.await(10, TimeUnit.SECONDS));
    PacketInfo shared = packet(pool, 1, 1);
    shared.share(6);
    for (int i = 0; i < 4; i++) {
      assertTrue(q.offerForward(null, shared));
    }
    // The ring holds 4: the fifth share stays with the caller, as the fan-out expects.
    assertFalse(q.offerForward(null, shared));
    pool.releaseShared(shared);
    CountDownLatch lastTaskRan = new CountDownLatch(1);
    q.shutdown(lastTaskRan::countDown);
    assertFalse(q.offerForward(null, shared), "a queue shutting down refuses forwards");
    gate.countDown();
    assertTrue(lastTaskRan.await(10, TimeUnit.SECONDS));
    // The last task and the termination run before the queued forwards, which are given back.
    await(() -> q.queuedForwards() == 0, "the ring to be emptied");
    assertEquals(0, h.forwards.get());
    assertEquals(1, shared.sharedHolders(), "only the caller's own share is left");
    pool.releaseShared(shared);
    assertEquals(0, pool.outstanding());
    workers.close(5_000);
  }

  /**
   * The fan-out's batched scheduling: queues woken by {@link SerialQueue#queueForward} and handed
   * to the pool together each run once, and a queue already scheduled is not handed over again.
   */
  @Test
  void batchedSchedulingRunsEveryWokenQueueOnce() throws Exception {
    PacketInfoPool pool = new PacketInfoPool(256, 0);
    MediaWorkerPool workers = new MediaWorkerPool(2, "forward-batch-test-");
    int subscribers = 40;
    RecordingHandler[] handlers = new RecordingHandler[subscribers];
    SerialQueue[] queues = new SerialQueue[subscribers];
    for (int s = 0; s < subscribers; s++) {
      handlers[s] = new RecordingHandler(pool);
      queues[s] = new SerialQueue(handlers[s], workers, pool, 64);
    }
    Runnable[] woken = new Runnable[subscribers];
    int rounds = 500;
    long refused = 0;
    for (int r = 0; r < rounds; r++) {
      PacketInfo p = packet(pool, 0, r);
      p.share(subscribers + 1);
      int n = 0;
      for (SerialQueue q : queues) {
        int result = q.queueForward(null, p);
        if (result == SerialQueue.QUEUED_START) {
          woken[n++] = q;
        } else if (result == SerialQueue.REFUSED) {
          refused++;
          pool.releaseShared(p);
        }
      }
      workers.executeAll(woken, n);
      pool.releaseShared(p);
    }
    long expected = (long) rounds * subscribers - refused;
    await(() -> {
      long done = 0;
      for (RecordingHandler h : handlers) {
        done += h.forwards.get();
      }
      return done == expected;
    }, "every queued forward to run");
    for (RecordingHandler h : handlers) {
      assertEquals(0, h.overlaps.get(), "a queue handed over twice ran on two workers at once");
      assertEquals(0, h.outOfOrder.get());
    }
    await(() -> pool.outstanding() == 0, "every share back in the pool");
    workers.close(5_000);
    assertEquals(0, workers.aliveThreads());
  }

  @Test
  void inlineExecuteAllRunsTasksInOrderOnTheCaller() {
    MediaWorkerPool inline = new MediaWorkerPool(0, "unused-");
    List<Integer> ran = new ArrayList<>();
    Runnable[] tasks = {() -> ran.add(1), () -> ran.add(2), () -> ran.add(3)};
    inline.executeAll(tasks, 2);
    assertEquals(List.of(1, 2), ran);
  }
}
