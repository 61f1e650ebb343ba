package dev.jobyard.bench;

/** A correctness fact a measurement must satisfy (every job ran exactly once, no slot missed...), with what was seen. */
public record Check(String label, boolean ok, String detail) {
}
