package dev.jobyard.api.guard;

import java.util.List;
import java.util.Map;

import graphql.language.ArrayValue;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.VariableReference;

/**
 * What an operation asks for, counted before it runs: its depth, its fields (its complexity) and its
 * aliases, with fragments expanded where they are used, and the jobs its createJob and createJobs fields
 * create together. Counting stops as soon as a limit is passed, so fragments that multiply each other
 * cost no more than the limits.
 */
final class OperationCost {

    record Limits(int maxDepth, int maxFields, int maxAliases) {
    }

    private final Map<String, FragmentDefinition> fragments;
    private final Limits limits;
    private int fields;
    private int aliases;
    private String exceeded;

    private OperationCost(Map<String, FragmentDefinition> fragments, Limits limits) {
        this.fragments = fragments;
        this.limits = limits;
    }

    /** What the operation goes over, naming the setting; null if it stays within every limit. */
    static String exceeded(OperationDefinition operation, Map<String, FragmentDefinition> fragments, Limits limits) {
        OperationCost cost = new OperationCost(fragments, limits);
        cost.walk(operation.getSelectionSet(), 1);
        return cost.exceeded;
    }

    private void walk(SelectionSet set, int depth) {
        if (set == null || exceeded != null) {
            return;
        }
        for (Selection<?> selection : set.getSelections()) {
            if (exceeded != null) {
                return;
            }
            if (selection instanceof Field field) {
                if (depth > limits.maxDepth()) {
                    exceeded = "the query nests fields deeper than " + limits.maxDepth() + " (jobyard.api.max-query-depth)";
                    return;
                }
                if (++fields > limits.maxFields()) {
                    exceeded = "the query selects more than " + limits.maxFields() + " fields (jobyard.api.max-query-complexity)";
                    return;
                }
                if (field.getAlias() != null && ++aliases > limits.maxAliases()) {
                    exceeded = "the query has more than " + limits.maxAliases() + " aliases (jobyard.api.max-aliases)";
                    return;
                }
                walk(field.getSelectionSet(), depth + 1);
            } else if (selection instanceof InlineFragment inline) {
                walk(inline.getSelectionSet(), depth);
            } else if (selection instanceof FragmentSpread spread) {
                FragmentDefinition fragment = fragments.get(spread.getName());
                walk(fragment == null ? null : fragment.getSelectionSet(), depth);
            }
        }
    }

    /** Jobs that the createJob and createJobs fields at the root of a mutation create together. */
    static int jobsCreated(OperationDefinition operation, Map<String, FragmentDefinition> fragments,
            Map<String, Object> variables) {
        return jobsCreated(operation.getSelectionSet(), fragments, variables, 0);
    }

    private static int jobsCreated(SelectionSet set, Map<String, FragmentDefinition> fragments,
            Map<String, Object> variables, int nesting) {
        if (set == null || nesting > 10) {
            return 0;
        }
        int jobs = 0;
        for (Selection<?> selection : set.getSelections()) {
            if (selection instanceof Field field) {
                if (field.getName().equals("createJob")) {
                    jobs++;
                } else if (field.getName().equals("createJobs")) {
                    for (var argument : field.getArguments()) {
                        if (argument.getName().equals("inputs") && argument.getValue() instanceof ArrayValue array) {
                            jobs += array.getValues().size();
                        } else if (argument.getName().equals("inputs") && argument.getValue() instanceof VariableReference ref
                                && variables.get(ref.getName()) instanceof List<?> list) {
                            jobs += list.size();
                        }
                    }
                }
            } else if (selection instanceof InlineFragment inline) {
                jobs += jobsCreated(inline.getSelectionSet(), fragments, variables, nesting + 1);
            } else if (selection instanceof FragmentSpread spread && fragments.get(spread.getName()) != null) {
                jobs += jobsCreated(fragments.get(spread.getName()).getSelectionSet(), fragments, variables, nesting + 1);
            }
        }
        return jobs;
    }
}
