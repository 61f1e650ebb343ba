package dev.jobyard.chain.definition;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A chain's own fields; its timing and run options are in its {@link ChainSchedule}, its steps in {@link ChainTask}. */
@Entity
@Table(name = "chain", schema = "jobyard")
public class Chain extends PanacheEntityBase {

    /** The id of the chain's schedule row. */
    @Id
    public Long id;
    public String name;
    public String description;
    @Column(name = "client_name")
    public String clientName;
    @Column(name = "on_error")
    public String onError;
    @Column(name = "timeout_seconds")
    public Integer timeoutSeconds;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
