package dev.jobyard.job;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** Cycle detection over the items of one batch, where item i depends on the items in {@code edges.get(i)}. */
public final class DependencyGraph {

    private DependencyGraph() {
    }

    /** A cycle as item indexes in dependency order, if there is one. */
    public static Optional<List<Integer>> findCycle(List<List<Integer>> edges) {
        int n = edges.size();
        int[] state = new int[n]; // 0 new, 1 on the current path, 2 done
        int[] parent = new int[n];
        for (int start = 0; start < n; start++) {
            if (state[start] != 0) {
                continue;
            }
            Deque<int[]> stack = new ArrayDeque<>();
            stack.push(new int[] { start, 0 });
            state[start] = 1;
            parent[start] = -1;
            while (!stack.isEmpty()) {
                int[] frame = stack.peek();
                int node = frame[0];
                List<Integer> next = edges.get(node);
                if (frame[1] < next.size()) {
                    int to = next.get(frame[1]++);
                    if (state[to] == 1) {
                        List<Integer> cycle = new ArrayList<>();
                        for (int at = node; at != to; at = parent[at]) {
                            cycle.add(0, at);
                        }
                        cycle.add(0, to);
                        return Optional.of(cycle);
                    }
                    if (state[to] == 0) {
                        state[to] = 1;
                        parent[to] = node;
                        stack.push(new int[] { to, 0 });
                    }
                } else {
                    state[node] = 2;
                    stack.pop();
                }
            }
        }
        return Optional.empty();
    }
}
