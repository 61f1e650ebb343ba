package dev.jobyard.flow;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The {@code flow} table (Hibernate Reactive Panache): a flow definition with its steps. */
@Entity
@Table(name = "flow", schema = "jobyard")
public class FlowRow extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "slug", nullable = false)
    public String slug;
    @Column(name = "description")
    public String description;
    @Column(name = "queue", nullable = false)
    public String queue;
    @Column(name = "max_attempts", nullable = false)
    public int maxAttempts;
    @Column(name = "base_delay_seconds")
    public Integer baseDelaySeconds;
    @Column(name = "timeout_seconds")
    public Integer timeoutSeconds;
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
    @OneToMany(mappedBy = "flow", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("stepIndex")
    public List<FlowStepRow> steps = new ArrayList<>();

    static FlowRow of(FlowDefinition d) {
        FlowRow row = new FlowRow();
        row.slug = d.slug();
        row.description = d.description();
        row.queue = d.queue();
        row.maxAttempts = d.maxAttempts();
        row.baseDelaySeconds = d.baseDelaySeconds();
        row.timeoutSeconds = d.timeoutSeconds();
        for (StepDefinition step : d.steps()) {
            row.steps.add(FlowStepRow.of(row, step));
        }
        return row;
    }

    FlowDefinition toDefinition() {
        List<StepDefinition> defs = new ArrayList<>(steps.size());
        steps.forEach(s -> defs.add(s.toDefinition()));
        return new FlowDefinition(id, slug, description, queue, maxAttempts, baseDelaySeconds, timeoutSeconds,
                List.copyOf(defs), createdAt);
    }
}
