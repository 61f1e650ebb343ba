package dev.jobyard.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonObject;

/**
 * What one workload produced: its figures (with targets), the correctness checks of every run, the raw
 * measurements (one JSON object per run, as the peers' JSON lines), notes on method, longer texts such as a
 * query plan, and the error if it could not finish.
 */
public final class WorkloadResult {

    private final String id;
    private final String title;
    private final List<Figure> figures = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<JsonObject> measurements = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, String> texts = new LinkedHashMap<>();
    private String error;

    public WorkloadResult(String id, String title) {
        this.id = id;
        this.title = title;
    }

    public WorkloadResult figure(Figure figure) {
        figures.add(figure);
        return this;
    }

    public WorkloadResult check(Check check) {
        checks.add(check);
        return this;
    }

    public WorkloadResult measurement(JsonObject measurement) {
        measurements.add(measurement);
        return this;
    }

    public WorkloadResult note(String note) {
        notes.add(note);
        return this;
    }

    public WorkloadResult text(String title, String body) {
        texts.put(title, body);
        return this;
    }

    public WorkloadResult error(String error) {
        this.error = error;
        return this;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public List<Figure> figures() {
        return figures;
    }

    public List<Check> checks() {
        return checks;
    }

    public List<JsonObject> measurements() {
        return measurements;
    }

    public List<String> notes() {
        return notes;
    }

    public Map<String, String> texts() {
        return texts;
    }

    public String error() {
        return error;
    }

    /** The figure with this key, if the workload produced it. */
    public java.util.Optional<Figure> find(String key) {
        return figures.stream().filter(f -> f.key().equals(key)).findFirst();
    }

    /** True when every check held and nothing broke: speed never makes a workload fail, correctness does. */
    public boolean sound() {
        return error == null && checks.stream().allMatch(Check::ok);
    }
}
