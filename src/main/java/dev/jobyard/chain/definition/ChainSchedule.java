package dev.jobyard.chain.definition;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * The {@code schedule} row a chain owns, written in the chain's own transaction so that a chain and its
 * timing never exist one without the other. Its job template runs the chain: kind {@code chain}, payload
 * {@code {"chainId": id}}. The firer reads it like any schedule ({@code schedule.ScheduleStore}); this
 * mapping only writes what a chain decides, and is locked first so that it never overwrites a firing.
 */
@Entity
@Table(name = "schedule", schema = "jobyard")
public class ChainSchedule extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String name;
    public String description;
    public String expression;
    public String kind;
    public String timezone;
    @Column(name = "job_kind")
    public String jobKind;
    @Column(name = "job_payload")
    @ColumnTransformer(read = "job_payload::text", write = "?::text::jsonb")
    public String jobPayload;
    @Column(name = "job_queue")
    public String queue;
    @Column(name = "job_priority")
    public Short priority;
    @Column(name = "job_max_attempts")
    public Integer maxAttempts;
    @Column(name = "job_timeout_seconds")
    public Integer timeoutSeconds;
    public String status;
    @Column(name = "max_instances")
    public Integer maxInstances;
    @Column(name = "self_destruct")
    public boolean selfDestruct;
    public boolean exclusive;
    @Column(name = "misfire_policy")
    public String misfirePolicy;
    @Column(name = "anchor_at")
    public OffsetDateTime anchorAt;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
    @Column(name = "last_run_at")
    public OffsetDateTime lastRunAt;
    @Column(name = "next_run_at")
    public OffsetDateTime nextRunAt;
    public String error;
}
