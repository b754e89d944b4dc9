package dev.palco.signaling.ws;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connection's tasks one at a time, in order, on a shared pool, so a connection's
 * messages are handled in the order sent without a thread of its own. The queue is bounded:
 * {@link #offer} refuses past the cap.
 */
final class SerialExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

  private final Executor pool;
  private final int maxQueued;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean running;

  SerialExecutor(Executor pool, int maxQueued) {
    this.pool = pool;
    this.maxQueued = maxQueued;
  }

  /** Queues a task; false if the queue is full. */
  boolean offer(Runnable task) {
    synchronized (queue) {
      if (queue.size() >= maxQueued) {
        return false;
      }
      queue.add(task);
      if (running) {
        return true;
      }
      running = true;
    }
    pool.execute(this::drain);
    return true;
  }

  private void drain() {
    while (true) {
      Runnable task;
      synchronized (queue) {
        task = queue.poll();
        if (task == null) {
          running = false;
          return;
        }
      }
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("signaling task failed", e);
      }
    }
  }
}
