package dev.palco.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Matches frame logs of two pages by burnt-in frame number and summarises the delays. */
final class GlassToGlass {
  /**
   * The clip repeats its numbers every {@value CounterClip#SECONDS} s; a match must be well within
   * that.
   */
  private static final double MAX_MATCH_DISTANCE_MS = CounterClip.SECONDS * 1000 / 2.0;

  private GlassToGlass() {}

  /**
   * For each frame the subscriber showed, the delay since the publisher's preview showed the same
   * frame number (the showing nearest in time, as the clip loops).
   *
   * @param sent {number, display time ms} from the publisher's page
   * @param received {number, display time ms} from the subscriber's page
   * @return the delays in ms, sorted
   */
  static double[] delaysMs(List<double[]> sent, List<double[]> received) {
    Map<Integer, List<Double>> shownAt = new HashMap<>();
    for (double[] f : sent) {
      shownAt.computeIfAbsent((int) f[0], k -> new ArrayList<>()).add(f[1]);
    }
    double[] out = new double[received.size()];
    int n = 0;
    for (double[] f : received) {
      List<Double> times = shownAt.get((int) f[0]);
      if (times == null) {
        continue;
      }
      double best = Double.NaN;
      for (double t : times) {
        double d = f[1] - t;
        if (Math.abs(d) < MAX_MATCH_DISTANCE_MS && (Double.isNaN(best) || Math.abs(d) < Math.abs(best))) {
          best = d;
        }
      }
      if (!Double.isNaN(best)) {
        out[n++] = best;
      }
    }
    double[] delays = Arrays.copyOf(out, n);
    Arrays.sort(delays);
    return delays;
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static String summary(double[] sorted) {
    if (sorted.length == 0) {
      return "no frames matched";
    }
    return String.format("n=%d p50=%.0f ms p95=%.0f ms min=%.0f ms max=%.0f ms", sorted.length,
        percentile(sorted, 50), percentile(sorted, 95), sorted[0], sorted[sorted.length - 1]);
  }

  /**
   * The delays in time order, grouped by second of the subscriber's log: "max/median ms" per second,
   * to tell a steady delay from bursts.
   */
  static String bySecond(List<double[]> sent, List<double[]> received) {
    if (received.isEmpty()) {
      return "[]";
    }
    double start = received.get(0)[1];
    StringBuilder out = new StringBuilder("[");
    List<Double> second = new ArrayList<>();
    int current = 0;
    for (int i = 0; i <= received.size(); i++) {
      int at = i < received.size() ? (int) ((received.get(i)[1] - start) / 1000) : Integer.MAX_VALUE;
      if (at != current || i == received.size()) {
        double[] d = delaysMs(sent, second.isEmpty() ? List.of() : received.subList(i - second.size(), i));
        if (d.length > 0) {
          out.append(out.length() > 1 ? ", " : "").append(String.format("%.0f/%.0f", d[d.length - 1],
              percentile(d, 50)));
        }
        second.clear();
        current = at;
      }
      if (i < received.size()) {
        second.add(received.get(i)[1]);
      }
    }
    return out.append(']').toString();
  }
}
