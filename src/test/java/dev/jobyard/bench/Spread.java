package dev.jobyard.bench;

import java.util.List;
import java.util.Locale;

/**
 * The runs behind one figure: their minimum, median and maximum. A figure is reported as its median with the
 * spread beside it, because on a shared two-core machine one run's value says little and the spread is what a
 * user will get.
 */
public record Spread(double min, double median, double max, int runs) {

    public static Spread of(List<Double> values) {
        double[] finite = values.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (finite.length == 0) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        return new Spread(finite[0], Percentiles.median(values), finite[finite.length - 1], finite.length);
    }

    /** "min / median / max of n runs: a / b / c" in the figure's unit. */
    public String text(String unit) {
        if (runs == 0) {
            return "no run";
        }
        return String.format(Locale.ROOT, "min / median / max of %d run%s: %s / %s / %s", runs, runs == 1 ? "" : "s",
                Figure.format(min, unit), Figure.format(median, unit), Figure.format(max, unit));
    }
}
