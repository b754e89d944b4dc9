package dev.palco.loadtest.generator;

/**
 * A bottleneck link in front of a subscriber, on the receive side. Two kinds, because a sender's
 * estimator sees them differently:
 *
 * <ul>
 *   <li>{@link Kind#QUEUE}: a FIFO queue drained at {@code limitBps}, as a router's interface or
 *       {@code tc tbf} would. Overload shows first as queueing delay, then as loss.
 *   <li>{@link Kind#POLICER}: a token bucket of {@link #POLICER_BURST_BYTES} refilled at {@code
 *       limitBps} that drops what finds too few tokens and never delays anything, as an ISP's or
 *       a cellular network's traffic policer does. Overload shows only as loss, and a short burst
 *       (a probe) passes on the bucket's allowance.
 * </ul>
 *
 * <p>The queue, in detail: A packet leaves the link once the
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
  /** How the link treats traffic above its rate. */
  public enum Kind {
    /** Queue it (up to 100 ms), then drop the tail. */
    QUEUE,
    /** Drop it at once. */
    POLICER
  }

  /** The policer's bucket: four full-size packets. */
  public static final long POLICER_BURST_BYTES = 4 * 1_250;

  /** What {@link #pass} returns for a packet the full queue dropped. */
  public static final long DROPPED = Long.MIN_VALUE;
  /** The longest a packet waits in the queue; a longer wait means the queue is full. */
  private static final long QUEUE_NANOS = 100_000_000L;

  private final long limitBps;
  private final Kind kind;
  /** The policer's tokens, in bits × 1e9 so that the refill is exact integer arithmetic. */
  private long tokensBitNanos = POLICER_BURST_BYTES * 8 * 1_000_000_000L;
  private long lastNanos = Long.MIN_VALUE;
  /** When the link has sent everything queued so far. */
  private long busyUntilNanos = Long.MIN_VALUE;
  private long passedBytes;
  private long droppedPackets;
  private long droppedBytes;

  /**
   * A queue.
   *
   * @param limitBps the link's rate in bit/s; must be positive
   */
  public ReceiveShaper(long limitBps) {
    this(limitBps, Kind.QUEUE);
  }

  /**
   * @param limitBps the link's rate in bit/s; must be positive
   * @param kind a queue or a policer
   */
  public ReceiveShaper(long limitBps, Kind kind) {
    if (limitBps <= 0) {
      throw new IllegalArgumentException("limit " + limitBps);
    }
    this.limitBps = limitBps;
    this.kind = kind;
  }

  /** Whether the link queues or polices. */
  public Kind kind() {
    return kind;
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
    if (kind == Kind.POLICER) {
      return police(bytes, nowNanos);
    }
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

  private long police(int bytes, long nowNanos) {
    long capacity = POLICER_BURST_BYTES * 8 * 1_000_000_000L;
    if (lastNanos != Long.MIN_VALUE) {
      long elapsed = Math.max(0, nowNanos - lastNanos);
      // Bounded before multiplying (no overflow): a longer idle gap only fills the bucket.
      long refill = Math.min(elapsed, capacity / limitBps + 1) * limitBps;
      tokensBitNanos = Math.min(capacity, tokensBitNanos + refill);
    }
    lastNanos = nowNanos;
    long cost = bytes * 8L * 1_000_000_000L;
    if (tokensBitNanos < cost) {
      droppedPackets++;
      droppedBytes += bytes;
      return DROPPED;
    }
    tokensBitNanos -= cost;
    passedBytes += bytes;
    return nowNanos;
  }

  /** Bytes that passed. */
  public long passedBytes() {
    return passedBytes;
  }

  /** Packets dropped by the full queue or the empty bucket. */
  public long droppedPackets() {
    return droppedPackets;
  }

  /** Bytes dropped by the full queue or the empty bucket. */
  public long droppedBytes() {
    return droppedBytes;
  }
}
