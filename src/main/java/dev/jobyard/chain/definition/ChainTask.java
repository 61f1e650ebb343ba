package dev.jobyard.chain.definition;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * One step of a chain. {@code payload} is JSON text: bound as text and cast in SQL, so that the reactive
 * client does not read a string as a JSON string value.
 */
@Entity
@Table(name = "chain_task", schema = "jobyard")
public class ChainTask extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "chain_id")
    public Long chainId;
    @Column(name = "task_order")
    public Double order;
    public String name;
    public String kind;
    public String command;
    @ColumnTransformer(read = "payload::text", write = "?::text::jsonb")
    public String payload;
    @Column(name = "ignore_error")
    public boolean ignoreError;
    public boolean autonomous;
    @Column(name = "timeout_seconds")
    public Integer timeoutSeconds;
}
