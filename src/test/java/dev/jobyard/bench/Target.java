package dev.jobyard.bench;

/** A figure's goal from issue 5: at least or at most a threshold. */
public record Target(boolean atLeast, double threshold) {

    public static Target atLeast(double threshold) {
        return new Target(true, threshold);
    }

    public static Target atMost(double threshold) {
        return new Target(false, threshold);
    }

    public boolean met(double value) {
        return atLeast ? value >= threshold : value <= threshold;
    }

    public String text(String unit) {
        return (atLeast ? "≥ " : "≤ ") + Figure.format(threshold, unit);
    }
}
