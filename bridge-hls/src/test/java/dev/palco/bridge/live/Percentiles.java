package dev.palco.bridge.live;

import java.util.List;
import java.util.Locale;

/** p50/p95 summaries of measured delays. */
record Percentiles(int count, double p50, double p95, double min, double max) {

    /** Nearest-rank percentiles of {@code values}; all NaN when there are none. */
    static Percentiles of(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Percentiles(v.length, rank(v, 0.50), rank(v, 0.95), v[0], v[v.length - 1]);
    }

    private static double rank(double[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "n=%d p50=%.0f p95=%.0f min=%.0f max=%.0f", count, p50, p95, min, max);
    }
}
