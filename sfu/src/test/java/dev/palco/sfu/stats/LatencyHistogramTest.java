package dev.palco.sfu.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void percentilesAreWithinOneSixteenthOfTheExactValue() {
    LatencyHistogram histogram = new LatencyHistogram();
    SplittableRandom random = new SplittableRandom(11);
    long[] values = new long[100_000];
    for (int i = 0; i < values.length; i++) {
      // Log-uniform from 1 µs to 100 ms, as latencies spread.
      values[i] = (long) Math.exp(random.nextDouble(Math.log(1_000), Math.log(100_000_000)));
      histogram.record(values[i]);
    }
    Arrays.sort(values);
    for (double p : new double[] {50, 90, 99, 99.9}) {
      long exact = values[(int) Math.ceil(values.length * p / 100.0) - 1];
      long estimate = histogram.percentileNanos(p);
      assertTrue(estimate >= exact, p + ": " + estimate + " < " + exact);
      assertTrue(estimate <= exact + exact / 16 + 1, p + ": " + estimate + " vs " + exact);
    }
    assertEquals(values[values.length - 1], histogram.maxNanos());
    assertEquals(values.length, histogram.count());
    assertEquals(histogram.maxNanos(), histogram.percentileNanos(100));
  }

  @Test
  void bucketsAreContiguousAndEdgesLandInTheRightPlace() {
    for (int b = 1; b < 200; b++) {
      assertEquals(LatencyHistogram.upperBoundOf(b - 1) + 1, lowerBound(b), "bucket " + b);
    }
    assertEquals(0, LatencyHistogram.bucketOf(-5));
    assertEquals(0, LatencyHistogram.bucketOf(1023));
    assertEquals(1, LatencyHistogram.bucketOf(1024));
    LatencyHistogram histogram = new LatencyHistogram();
    assertEquals(0, histogram.percentileNanos(99));
    histogram.record(Long.MAX_VALUE);
    assertEquals(Long.MAX_VALUE, histogram.percentileNanos(50));
    histogram.reset();
    assertEquals(0, histogram.count());
  }

  private static long lowerBound(int bucket) {
    for (long v = LatencyHistogram.upperBoundOf(bucket - 1) + 1; ; v++) {
      if (LatencyHistogram.bucketOf(v) == bucket) {
        return v;
      }
    }
  }
}
