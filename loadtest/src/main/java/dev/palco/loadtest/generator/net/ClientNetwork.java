package dev.palco.loadtest.generator.net;

import dev.palco.rtp.srtp.SrtpSupport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The I/O shared by every {@link LeanWebRtcClient} of a run: one thread (or a small fixed pool)
 * that waits on an NIO {@link Selector} for all their sockets and hands each datagram to its
 * client, and one timer
 * thread for their STUN retransmissions, consent checks and post-handshake DTLS records. So a
 * thousand simulated clients cost a few threads, not a thousand readers and their agents' timers.
 *
 * <p><b>One socket per client.</b> Each client still has its own UDP {@link DatagramChannel} bound
 * to its own port: the server tells sessions apart by the 5-tuple (its single media port sees one
 * remote address per ICE session, RFC 8445 §7.3), so clients cannot share a socket.
 *
 * <p><b>Receive path.</b> Channels are connected to the server's candidate, so {@link
 * DatagramChannel#read} (no source address object) fills one array owned by each selector thread;
 * the client demultiplexes, decrypts in place and delivers before the next read. A client's socket
 * is always read by the same selector thread. Nothing is
 * allocated per datagram. A handler must not keep the array.
 */
public final class ClientNetwork implements AutoCloseable {
  /** Larger than any datagram the server sends (it keeps to an Ethernet MTU). */
  public static final int RECEIVE_BUFFER_BYTES = 2048;
  /**
   * Each socket's kernel receive buffer: one thread reads many sockets, so when the machine is
   * busy and it is not scheduled for a while (tens of ms under load) the kernel must hold what
   * arrives meanwhile. 512 KiB is 1.6 s of a 2.5 Mbit/s stream; Linux caps it at net.core.rmem_max.
   */
  public static final int SOCKET_RECEIVE_BUFFER_BYTES = 512 * 1024;
  /** Datagrams read from one socket before the others get their turn. */
  private static final int READS_PER_WAKEUP = 32;

  /** Receives the datagrams of one socket, on the selector thread. */
  @FunctionalInterface
  public interface DatagramHandler {
    /**
     * @param buf the selector thread's array; not to be kept after the call
     * @param off where the datagram starts
     * @param len its length
     * @param arrivalNanos when it was read, in {@link System#nanoTime()} units
     */
    void onDatagram(byte[] buf, int off, int len, long arrivalNanos);
  }

  private record Registration(DatagramChannel channel, DatagramHandler handler) {}

  private final SelectorLoop[] loops;
  private final AtomicInteger nextLoop = new AtomicInteger();
  private final ScheduledThreadPoolExecutor timers;
  private final LongAdder readErrors = new LongAdder();
  private volatile boolean running = true;

  /**
   * Opens one selector and starts its thread and the timer thread.
   *
   * @param name prefix of the threads' names
   */
  public ClientNetwork(String name) throws IOException {
    this(name, 1);
  }

  /**
   * Opens {@code selectorThreads} selectors, each with its thread (sockets are spread over them
   * in turn), and starts the timer thread. First it warms up SRTP ({@link SrtpSupport#warmUp()}).
   * More than one selector thread only helps on a machine shared with other busy processes, where
   * a single reader thread gets a single thread's share of the CPU.
   *
   * @param name prefix of the threads' names
   * @param selectorThreads 1 or more
   */
  public ClientNetwork(String name, int selectorThreads) throws IOException {
    if (selectorThreads < 1) {
      throw new IllegalArgumentException("selectorThreads must be at least 1");
    }
    // The SRTP crypto (OpenSSL's native library) loads and JIT-warms here, before any selector
    // thread runs, so that the first clients' packets do not pay for it while others wait.
    SrtpSupport.warmUp();
    timers = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, name + "-timers");
      t.setDaemon(true);
      return t;
    });
    timers.setRemoveOnCancelPolicy(true);
    loops = new SelectorLoop[selectorThreads];
    for (int i = 0; i < selectorThreads; i++) {
      loops[i] = new SelectorLoop(name + "-selector-" + (i + 1));
    }
  }

  /** @return the one timer thread every client schedules on */
  public ScheduledExecutorService timers() {
    return timers;
  }

  /** @return socket read errors (e.g. ICMP port unreachable surfacing on a connected channel) */
  public long readErrors() {
    return readErrors.sum();
  }

  /**
   * Opens a non-blocking UDP channel bound to an ephemeral port of {@code bindAddress}.
   */
  public DatagramChannel open(InetAddress bindAddress) throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    try {
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_RECEIVE_BUFFER_BYTES);
      channel.bind(new InetSocketAddress(bindAddress, 0));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return channel;
  }

  /**
   * Starts reading {@code channel} (already connected to its peer) on the selector thread.
   * Closing the channel ends it.
   */
  public void register(DatagramChannel channel, DatagramHandler handler) {
    SelectorLoop loop = loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
    loop.pending.add(new Registration(channel, handler));
    loop.selector.wakeup();
  }

  /** One selector, its thread and its receive array. */
  private final class SelectorLoop {
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Registration> pending = new ConcurrentLinkedQueue<>();
    private final byte[] receiveArray = new byte[RECEIVE_BUFFER_BYTES];
    private final ByteBuffer receiveBuffer = ByteBuffer.wrap(receiveArray);
    private final Consumer<SelectionKey> onReady = this::drain;

    SelectorLoop(String threadName) throws IOException {
      selector = Selector.open();
      thread = new Thread(this::run, threadName);
      thread.setDaemon(true);
      thread.start();
    }

    private void run() {
      while (running) {
        try {
          selector.select(onReady);
        } catch (IOException | RuntimeException e) {
          readErrors.increment();
        }
        Registration r;
        while ((r = pending.poll()) != null) {
          try {
            r.channel().register(selector, SelectionKey.OP_READ, r.handler());
          } catch (IOException | RuntimeException e) {
            // Closed before it was registered: nothing to read.
          }
        }
      }
    }

    private void drain(SelectionKey key) {
      DatagramChannel channel = (DatagramChannel) key.channel();
      DatagramHandler handler = (DatagramHandler) key.attachment();
      for (int i = 0; i < READS_PER_WAKEUP; i++) {
        receiveBuffer.clear();
        int n;
        try {
          n = channel.read(receiveBuffer);
        } catch (IOException e) {
          readErrors.increment();
          return;
        }
        if (n <= 0) {
          return;
        }
        try {
          handler.onDatagram(receiveArray, 0, n, System.nanoTime());
        } catch (RuntimeException e) {
          readErrors.increment();
        }
      }
    }

    private void close() throws InterruptedException {
      selector.wakeup();
      thread.join(2_000);
      try {
        selector.close();
      } catch (IOException e) {
        // Nothing left to release.
      }
    }
  }

  /** Stops the selector and timer threads; the clients close their own channels. */
  @Override
  public void close() {
    running = false;
    timers.shutdownNow();
    try {
      for (SelectorLoop loop : loops) {
        loop.close();
      }
      timers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
