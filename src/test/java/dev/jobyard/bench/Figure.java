package dev.jobyard.bench;

import java.util.Locale;

/**
 * One reported number: its value, its unit, the target it is held to (none for context figures), and a note
 * saying where it comes from. A figure that could not be measured has a NaN value and says why in its note.
 */
public record Figure(String key, String label, double value, String unit, Target target, String note) {

    public enum Status {
        PASS, FAIL, INFO, NOT_MEASURED
    }

    public static Figure info(String key, String label, double value, String unit, String note) {
        return new Figure(key, label, value, unit, null, note);
    }

    public static Figure targeted(String key, String label, double value, String unit, Target target, String note) {
        return new Figure(key, label, value, unit, target, note);
    }

    public static Figure notMeasured(String key, String label, String unit, Target target, String why) {
        return new Figure(key, label, Double.NaN, unit, target, why);
    }

    public Status status() {
        if (Double.isNaN(value)) {
            return Status.NOT_MEASURED;
        }
        if (target == null) {
            return Status.INFO;
        }
        return target.met(value) ? Status.PASS : Status.FAIL;
    }

    public String formattedValue() {
        return Double.isNaN(value) ? "–" : format(value, unit);
    }

    public String formattedTarget() {
        return target == null ? "–" : target.text(unit);
    }

    /** Rates and counts as whole numbers with thousands separators, milliseconds and ratios with 2 decimals. */
    public static String format(double value, String unit) {
        String number = Math.abs(value) >= 100 || unit.equals("jobs") || unit.equals("count")
                ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
        return unit.isEmpty() || unit.equals("×") ? number + unit : number + " " + unit;
    }
}
