package dev.jobyard.access;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The permission a GraphQL query, mutation or subscription field needs, on its resolver method. A root field
 * without one is refused to every caller while access control is on, and fails {@code EveryFieldHasAPermissionTest}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Permission {
    Perm value();

    /**
     * The argument that names a queue ({@code name} of {@code pauseQueue}), checked against the caller's queue
     * grants. Inputs carrying a {@code kind} are checked by their {@code queue} without being named here.
     */
    String queueArgument() default "";

    /**
     * Whether inputs carrying a {@code kind} are jobs of their own {@code queue} (default {@code default}), which the
     * guard checks against the caller's grants. False where they are not: a chain's tasks and a flow's steps run in
     * their chain's or flow's queue, which the field's resolver checks instead (docs/security.md, "Queue grants").
     */
    boolean kindsAreJobs() default true;
}
