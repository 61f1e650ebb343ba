package dev.jobyard.bench;

import java.util.Arrays;
import java.util.List;

/** Nearest-rank percentiles and medians, the same definitions as the peers' Bench.pct / stats.mjs. */
public final class Percentiles {

    private Percentiles() {
    }

    /** Nearest-rank percentile {@code p} (0–100] of the values; NaN when there are none. */
    public static double of(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = Math.max(1, (int) Math.ceil(p / 100.0 * sorted.length));
        return sorted[rank - 1];
    }

    public static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    public static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** The median of repetitions (the middle one of three), as the peers report. */
    public static double median(List<Double> values) {
        double[] finite = values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (finite.length == 0) {
            return Double.NaN;
        }
        int mid = finite.length / 2;
        return finite.length % 2 == 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
    }
}
