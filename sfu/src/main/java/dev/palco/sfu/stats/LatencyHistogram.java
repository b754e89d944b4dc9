package dev.palco.sfu.stats;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-size histogram of durations in nanoseconds, cheap enough to record on the packet path:
 * recording is one array increment, with no allocation and no lock.
 *
 * <p>Buckets are log-linear, as HdrHistogram's are: each power of two from 1 µs up is split into
 * {@value #SUB_BUCKETS} equal buckets, so every recorded value is known to within 1/16 (6.25 %)
 * of itself. Values under 1 µs share the first bucket; values over ~17 s share the last.
 *
 * <p>Any number of threads may record at once (atomic increments). A percentile read while
 * others record sees a consistent-enough snapshot for reporting.
 */
public final class LatencyHistogram {
  private static final int SUB_BUCKET_BITS = 4;
  /** Linear buckets per power of two. */
  public static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
  /** The smallest resolved value: 2^10 ns, about one microsecond. */
  private static final int MIN_EXPONENT = 10;
  /** Powers of two covered above the minimum: up to 2^34 ns, about 17 s. */
  private static final int OCTAVES = 24;
  private static final int BUCKETS = OCTAVES * SUB_BUCKETS + 1;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final AtomicLongArray maxNanos = new AtomicLongArray(1);

  /** Records one duration. Negative durations (clock misuse) count as zero. */
  public void record(long nanos) {
    counts.incrementAndGet(bucketOf(nanos));
    long max;
    while (nanos > (max = maxNanos.get(0))) {
      if (maxNanos.compareAndSet(0, max, nanos)) {
        break;
      }
    }
  }

  /** How many durations were recorded. */
  public long count() {
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += counts.get(i);
    }
    return total;
  }

  /** The largest duration recorded, exactly. */
  public long maxNanos() {
    return maxNanos.get(0);
  }

  /**
   * The duration below which {@code percentile} percent of recordings fall, as the upper bound of
   * its bucket (so never an under-estimate), or 0 when nothing was recorded.
   */
  public long percentileNanos(double percentile) {
    if (percentile < 0 || percentile > 100) {
      throw new IllegalArgumentException("percentile " + percentile);
    }
    long total = count();
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(total * percentile / 100.0));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return Math.min(upperBoundOf(i), maxNanos());
      }
    }
    return maxNanos();
  }

  /** Forgets everything recorded. Not atomic with respect to concurrent recording. */
  public void reset() {
    for (int i = 0; i < BUCKETS; i++) {
      counts.set(i, 0);
    }
    maxNanos.set(0, 0);
  }

  static int bucketOf(long nanos) {
    if (nanos < (1L << MIN_EXPONENT)) {
      return 0;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(nanos);
    int octave = exponent - MIN_EXPONENT;
    if (octave >= OCTAVES) {
      return BUCKETS - 1;
    }
    int sub = (int) ((nanos >>> (exponent - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1));
    return 1 + octave * SUB_BUCKETS + sub;
  }

  static long upperBoundOf(int bucket) {
    if (bucket == 0) {
      return (1L << MIN_EXPONENT) - 1;
    }
    if (bucket == BUCKETS - 1) {
      return Long.MAX_VALUE;
    }
    int octave = (bucket - 1) / SUB_BUCKETS;
    int sub = (bucket - 1) % SUB_BUCKETS;
    int exponent = octave + MIN_EXPONENT;
    long step = 1L << (exponent - SUB_BUCKET_BITS);
    return (1L << exponent) + (sub + 1) * step - 1;
  }
}
