package dev.palco.sfu.room;

import java.util.concurrent.TimeUnit;

/**
 * The fixed pool of media worker threads (docs/architecture.md): it runs {@link SerialQueue}s, each
 * of which drains one participant's datagrams and timer ticks in order. A queue is in the run list
 * at most once at a time, so a participant is served by at most one worker at a time.
 *
 * <p>Allocation-free in steady state: the run list is a growable array ring guarded by the pool's
 * monitor, and idle workers wait on that monitor ({@code Object.wait} allocates no Java objects,
 * unlike {@code Condition.await} or a linked blocking queue's node per offer).
 *
 * <p>With zero threads the pool is <em>inline</em>: {@link #execute} runs the queue on the calling
 * thread. Tests use that to drive the pipelines deterministically.
 */
final class MediaWorkerPool {
  private final Object lock = new Object();
  private final Thread[] threads;
  private Runnable[] ring = new Runnable[64];
  private int head;
  private int size;
  /** Workers waiting on the lock for work; a notify is a futex wake only worth paying for them. */
  private int waiting;
  private boolean closed;

  /** @param threadCount workers to start, or 0 for inline execution */
  MediaWorkerPool(int threadCount, String namePrefix) {
    threads = new Thread[threadCount];
    for (int i = 0; i < threadCount; i++) {
      Thread t = new Thread(this::workLoop, namePrefix + i);
      t.setDaemon(true);
      threads[i] = t;
      t.start();
    }
  }

  /** Whether {@link #execute} runs tasks on the caller's thread. */
  boolean inline() {
    return threads.length == 0;
  }

  /** Whether the current thread is one of this pool's workers. */
  boolean isWorkerThread() {
    Thread current = Thread.currentThread();
    for (Thread t : threads) {
      if (t == current) {
        return true;
      }
    }
    return false;
  }

  /** Runs {@code task} on a worker soon (or now, inline). Dropped silently once closed. */
  void execute(Runnable task) {
    if (inline()) {
      task.run();
      return;
    }
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (size == ring.length) {
        grow();
      }
      ring[(head + size) % ring.length] = task;
      size++;
      if (waiting > 0) {
        lock.notify();
      }
    }
  }

  /**
   * Runs {@code tasks[0..count)} on workers soon (or now, inline, in order), taking the pool's
   * lock once and waking at most as many idle workers as there are tasks. Dropped silently once
   * closed. The caller may reuse the array when this returns.
   */
  void executeAll(Runnable[] tasks, int count) {
    if (inline()) {
      for (int i = 0; i < count; i++) {
        tasks[i].run();
      }
      return;
    }
    synchronized (lock) {
      if (closed) {
        return;
      }
      for (int i = 0; i < count; i++) {
        if (size == ring.length) {
          grow();
        }
        ring[(head + size) % ring.length] = tasks[i];
        size++;
      }
      for (int i = Math.min(count, waiting); i > 0; i--) {
        lock.notify();
      }
    }
  }

  private void grow() {
    Runnable[] bigger = new Runnable[ring.length * 2];
    for (int i = 0; i < size; i++) {
      bigger[i] = ring[(head + i) % ring.length];
    }
    ring = bigger;
    head = 0;
  }

  private void workLoop() {
    while (true) {
      Runnable task;
      synchronized (lock) {
        while (size == 0 && !closed) {
          waiting++;
          try {
            lock.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          } finally {
            waiting--;
          }
        }
        if (size == 0) {
          return;
        }
        task = ring[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        size--;
      }
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        // A bug in one participant's processing must not kill a worker that serves many.
        // SerialQueue catches per item; reaching here means the queue itself failed.
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
      }
    }
  }

  /** Stops the workers after the tasks already queued, waiting up to {@code timeoutMs}. */
  void close(long timeoutMs) {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    for (Thread t : threads) {
      long left = deadline - System.nanoTime();
      if (left > 0 && t != Thread.currentThread()) {
        try {
          t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Worker threads still alive (0 after a completed close). */
  int aliveThreads() {
    int n = 0;
    for (Thread t : threads) {
      if (t.isAlive()) {
        n++;
      }
    }
    return n;
  }
}
