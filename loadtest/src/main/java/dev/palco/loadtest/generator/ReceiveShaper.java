package dev.palco.loadtest.generator;

/**
 * A receive-side token bucket that stands in for a bottleneck link in front of a subscriber:
 * each packet takes its size in tokens, tokens come back at {@code limitBps}, and the bucket
 * holds at most {@code burstBytes} (a link's queue). A packet that finds too few tokens is
 * dropped, as the bottleneck's queue would drop it, before the subscriber counts it — so the
 * SFU sees the drop only as a real sender would: as a gap in the subscriber's transport-wide
 * feedback, receiver reports and NACKs.
 *
 * <p>It sees decrypted RTP packets, so it counts RTP bytes: the SRTP tag and the UDP/IP headers
 * (about 44 bytes a packet) are not charged against the rate.
 *
 * <p>Used by one thread (the client's ICE reader, under the subscriber's lock); no allocation.
 */
public final class ReceiveShaper {
  /** A bottleneck's queue: 100 ms at the limit, at least a few full-size packets. */
  private static final long QUEUE_NANOS = 100_000_000L;
  private static final long MIN_BURST_BYTES = 4 * 1_250;

  private final long limitBps;
  private final long burstBytes;
  /** Tokens in bytes × 8e9 (bits × 1e9), so that refill is exact integer arithmetic. */
  private long tokensBitNanos;
  private long lastNanos = Long.MIN_VALUE;
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
    this.burstBytes = Math.max(MIN_BURST_BYTES, limitBps * QUEUE_NANOS / 8 / 1_000_000_000L);
    this.tokensBitNanos = burstBytes * 8 * 1_000_000_000L;
  }

  /** The rate, in bit/s. */
  public long limitBps() {
    return limitBps;
  }

  /**
   * Whether a packet of {@code bytes} arriving at {@code nowNanos} passes the link.
   *
   * @return false if it is dropped (and counted)
   */
  public boolean admit(int bytes, long nowNanos) {
    long capacity = burstBytes * 8 * 1_000_000_000L;
    if (lastNanos != Long.MIN_VALUE) {
      long elapsed = Math.max(0, nowNanos - lastNanos);
      // Bounded before multiplying (no overflow): a longer idle gap only fills the bucket.
      long refill = Math.min(elapsed, capacity / limitBps + 1) * limitBps;
      tokensBitNanos = Math.min(capacity, tokensBitNanos + refill);
    }
    lastNanos = nowNanos;
    long cost = (long) bytes * 8 * 1_000_000_000L;
    if (tokensBitNanos < cost) {
      droppedPackets++;
      droppedBytes += bytes;
      return false;
    }
    tokensBitNanos -= cost;
    passedBytes += bytes;
    return true;
  }

  /** Bytes that passed. */
  public long passedBytes() {
    return passedBytes;
  }

  /** Packets dropped over the budget. */
  public long droppedPackets() {
    return droppedPackets;
  }

  /** Bytes dropped over the budget. */
  public long droppedBytes() {
    return droppedBytes;
  }
}
