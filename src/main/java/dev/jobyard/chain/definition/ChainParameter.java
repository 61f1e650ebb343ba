package dev.jobyard.chain.definition;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One execution's parameters of a task (pg_timetable's {@code timetable.parameter}); {@code value} is JSON text. */
@Entity
@Table(name = "chain_parameter", schema = "jobyard")
@IdClass(ChainParameter.Key.class)
public class ChainParameter extends PanacheEntityBase {

    @Id
    @Column(name = "task_id")
    public Long taskId;
    @Id
    @Column(name = "order_id")
    public Integer orderId;
    @ColumnTransformer(read = "value::text", write = "?::text::jsonb")
    public String value;

    public static class Key implements Serializable {
        public Long taskId;
        public Integer orderId;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(taskId, k.taskId) && Objects.equals(orderId, k.orderId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(taskId, orderId);
        }
    }
}
