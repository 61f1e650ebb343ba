package dev.jobyard.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class DependencyGraphTest {

    @Test
    void aDiamondHasNoCycle() {
        assertTrue(DependencyGraph.findCycle(List.of(List.of(), List.of(0), List.of(0), List.of(1, 2))).isEmpty());
    }

    @Test
    void findsASelfLoop() {
        assertEquals(List.of(0), DependencyGraph.findCycle(List.of(List.of(0))).orElseThrow());
    }

    @Test
    void findsALongCycleInDependencyOrder() {
        var cycle = DependencyGraph.findCycle(List.of(List.of(), List.of(3), List.of(1), List.of(2))).orElseThrow();
        assertEquals(3, cycle.size());
        assertTrue(cycle.containsAll(List.of(1, 2, 3)));
    }
}
