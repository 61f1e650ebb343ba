package dev.jobyard.chain.definition;

import java.util.List;

/** A chain as stored: its row, its schedule row and its tasks in order, each with its parameter sets. */
public record ChainDefinition(Chain chain, ChainSchedule schedule, List<TaskDefinition> tasks) {

    /** {@code parameters}: the parsed JSON values in order_id order. */
    public record TaskDefinition(ChainTask task, List<Object> parameters) {
    }

    public boolean live() {
        return "ACTIVE".equals(schedule.status);
    }
}
