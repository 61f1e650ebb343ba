package dev.jobyard.access;

/**
 * The permissions GraphQL fields declare, each held by one role and those above it. New capabilities add
 * their own here (docs/security.md, "Declaring a field's permission").
 */
public enum Perm {
    /** Reading jobs, queues, schedules, replicas and statistics, and subscribing to their events. */
    READ("read", Role.VIEWER),
    /** Creating, cancelling and retrying jobs. */
    JOBS_WRITE("jobs.write", Role.OPERATOR),
    /** Pausing and resuming queues. */
    QUEUES_WRITE("queues.write", Role.OPERATOR),
    /** Creating, changing, pausing, resuming and running schedules. */
    SCHEDULES_WRITE("schedules.write", Role.OPERATOR),
    /** Creating, changing, pausing, resuming, running and stopping chains and their tasks. */
    CHAINS_WRITE("chains.write", Role.OPERATOR),
    /** Creating flows, and cancelling flow runs. */
    FLOWS_WRITE("flows.write", Role.OPERATOR),
    /** Deleting definitions: schedules, queues, chains, flows. */
    DEFINITIONS_DELETE("definitions.delete", Role.ADMIN),
    /** Removing history. */
    HISTORY_CLEANUP("history.cleanup", Role.ADMIN),
    /** Creating jobs of the kinds on {@code jobyard.auth.admin-kinds} (sql, program, copy_*, shutdown). */
    ADMIN_KINDS("kinds.admin", Role.ADMIN),
    /** Creating, listing and revoking API keys. */
    API_KEYS("apikeys.manage", Role.ADMIN),
    /** Reading the audit log. */
    AUDIT_READ("audit.read", Role.ADMIN);

    private final String label;
    private final Role role;

    Perm(String label, Role role) {
        this.label = label;
        this.role = role;
    }

    /** The name errors and docs use, e.g. {@code jobs.write}. */
    public String label() {
        return label;
    }

    /** The least role that holds this permission. */
    public Role role() {
        return role;
    }
}
