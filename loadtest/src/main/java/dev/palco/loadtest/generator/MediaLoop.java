package dev.palco.loadtest.generator;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * The generator's one timing thread: it paces every publisher's packets and every subscriber's
 * periodic feedback, sleeping until the earliest of them is due, so that the generator does not
 * spend a thread per client on timers.
 */
public final class MediaLoop implements AutoCloseable {
  /** The loop never sleeps longer, so that newly added clients start promptly. */
  private static final long MAX_PARK_NANOS = 5_000_000L;

  private final CopyOnWriteArrayList<StreamPublisher> publishers = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<SimulcastPublisher> simulcastPublishers = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<StreamSubscriber> subscribers = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  /** Starts the loop thread. */
  public MediaLoop() {
    thread = new Thread(this::run, "load-media-loop");
    thread.setDaemon(true);
    thread.setPriority(Thread.MAX_PRIORITY);
    thread.start();
  }

  /** Paces this publisher from now on. */
  public void add(StreamPublisher publisher) {
    publishers.add(publisher);
  }

  /** Gives this subscriber its feedback timers from now on. */
  public void add(StreamSubscriber subscriber) {
    subscribers.add(subscriber);
  }

  /** Paces this simulcast publisher from now on. */
  public void add(SimulcastPublisher publisher) {
    simulcastPublishers.add(publisher);
  }

  /** Stops pacing the simulcast publisher. */
  public void remove(SimulcastPublisher publisher) {
    simulcastPublishers.remove(publisher);
  }

  /** Stops pacing the publisher. */
  public void remove(StreamPublisher publisher) {
    publishers.remove(publisher);
  }

  /** Stops the subscriber's timers. */
  public void remove(StreamSubscriber subscriber) {
    subscribers.remove(subscriber);
  }

  private void run() {
    while (running) {
      long now = System.nanoTime();
      long next = now + MAX_PARK_NANOS;
      for (StreamPublisher p : publishers) {
        long due = p.pump(now);
        if (due - next < 0) {
          next = due;
        }
      }
      for (SimulcastPublisher p : simulcastPublishers) {
        long due = p.pump(now);
        if (due - next < 0) {
          next = due;
        }
      }
      for (StreamSubscriber s : subscribers) {
        long due = s.tick(now);
        if (due - next < 0) {
          next = due;
        }
      }
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(2_000);
  }
}
