package dev.jobyard.flow;

import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The {@code flow_step} table: one step of a flow. JSON columns travel as text, cast by the database. */
@Entity
@Table(name = "flow_step", schema = "jobyard")
public class FlowStepRow extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @ManyToOne(optional = false)
    @JoinColumn(name = "flow_id")
    public FlowRow flow;
    @Column(name = "slug", nullable = false)
    public String slug;
    @Column(name = "step_index", nullable = false)
    public int stepIndex;
    @Enumerated(EnumType.STRING)
    @Column(name = "type", nullable = false)
    public StepType type;
    @Column(name = "kind", nullable = false)
    public String kind;
    @Column(name = "payload", nullable = false)
    @ColumnTransformer(read = "payload::text", write = "?::text::jsonb")
    public String payload;
    @Column(name = "depends_on", nullable = false)
    @ColumnTransformer(read = "depends_on::text", write = "?::text::jsonb")
    public String dependsOn;
    @Column(name = "max_attempts")
    public Integer maxAttempts;
    @Column(name = "base_delay_seconds")
    public Integer baseDelaySeconds;
    @Column(name = "timeout_seconds")
    public Integer timeoutSeconds;
    @Column(name = "start_delay_seconds")
    public Integer startDelaySeconds;

    static FlowStepRow of(FlowRow flow, StepDefinition d) {
        FlowStepRow row = new FlowStepRow();
        row.flow = flow;
        row.slug = d.slug();
        row.stepIndex = d.index();
        row.type = d.type();
        row.kind = d.kind();
        row.payload = d.payload().encode();
        row.dependsOn = new JsonArray(new ArrayList<>(d.dependsOn())).encode();
        row.maxAttempts = d.maxAttempts();
        row.baseDelaySeconds = d.baseDelaySeconds();
        row.timeoutSeconds = d.timeoutSeconds();
        row.startDelaySeconds = d.startDelaySeconds();
        return row;
    }

    StepDefinition toDefinition() {
        List<String> deps = new ArrayList<>();
        new JsonArray(dependsOn).forEach(dep -> deps.add((String) dep));
        return new StepDefinition(slug, stepIndex, type, kind, new JsonObject(payload), List.copyOf(deps), maxAttempts,
                baseDelaySeconds, timeoutSeconds, startDelaySeconds);
    }
}
