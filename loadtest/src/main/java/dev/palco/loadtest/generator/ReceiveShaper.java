package dev.palco.loadtest.generator;

/**
 * A bottleneck link in front of a subscriber, on the receive side: a FIFO queue drained at {@code
 * limitBps}, as a router's interface or {@code tc tbf} would. A packet leaves the link once the
 * ones before it have and its own bits are through; one that would wait more than 100 ms finds the
 * queue full and is dropped (drop-tail) before the subscriber counts it. The subscriber takes the
 * packet as arriving when it leaves the link, so the SFU sees the bottleneck as a real sender
 * would: queueing delay in the subscriber's transport-wide feedback as the queue builds (the signal
 * a delay-based estimator, RFC 8698's and GCC's alike, works from), then gaps in that feedback, its
 * receiver reports and its NACKs when it overflows.
 *
 * <p>It sees decrypted RTP packets, so it counts RTP bytes: the SRTP tag and the UDP/IP headers
 * (about 44 bytes a packet) are not charged against the rate.
 *
 * <p>Used by one thread (the client's reader, under the subscriber's lock); no allocation.
 */
public final class ReceiveShaper {
  /** What {@link #pass} returns for a packet the full queue dropped. */
  public static final long DROPPED = Long.MIN_VALUE;
  /** The longest a packet waits in the queue; a longer wait means the queue is full. */
  private static final long QUEUE_NANOS = 100_000_000L;

  private final long limitBps;
  /** When the link has sent everything queued so far. */
  private long busyUntilNanos = Long.MIN_VALUE;
  private long passedBytes;
  private long droppedPackets;
  private long droppedBytes;

  /**
   * @param limitBps the link's rate in bit/s; must be positive
   */
  public ReceiveShaper(long limitBps) {
    if (limitBps <= 0) {
      throw new IllegalArgumentException("limit " + limitBps);
    }
    this.limitBps = limitBps;
  }

  /** The rate, in bit/s. */
  public long limitBps() {
    return limitBps;
  }

  /**
   * A packet of {@code bytes} reaching the link at {@code nowNanos}.
   *
   * @return when it leaves the link (no earlier than {@code nowNanos}), or {@link #DROPPED}
   */
  public long pass(int bytes, long nowNanos) {
    long startNanos = Math.max(nowNanos, busyUntilNanos);
    if (startNanos - nowNanos > QUEUE_NANOS) {
      droppedPackets++;
      droppedBytes += bytes;
      return DROPPED;
    }
    busyUntilNanos = startNanos + bytes * 8L * 1_000_000_000L / limitBps;
    passedBytes += bytes;
    return busyUntilNanos;
  }

  /** Bytes that passed. */
  public long passedBytes() {
    return passedBytes;
  }

  /** Packets dropped by the full queue. */
  public long droppedPackets() {
    return droppedPackets;
  }

  /** Bytes dropped by the full queue. */
  public long droppedBytes() {
    return droppedBytes;
  }
}
