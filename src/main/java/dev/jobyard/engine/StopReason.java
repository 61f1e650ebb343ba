package dev.jobyard.engine;

/** Why an attempt was asked to stop before its handler returned. */
record StopReason(Kind kind, String detail) {

    enum Kind {
        /** Ran longer than timeoutSeconds: a failed attempt. */
        TIMEOUT,
        /** Cancelled by a user: the job ends CANCELLED. */
        CANCEL,
        /** This replica is shutting down: the job is handed back. */
        SHUTDOWN,
        /** The lease could not be renewed in time, or was lost: someone else may own the job now; write nothing. */
        LEASE_LOST
    }
}
