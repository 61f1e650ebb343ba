/**
 * The readiness checks Kubernetes probes (SmallRye Health): ready while the database answers, the worker pool
 * runs and results are written within a lease. Each check says why it is DOWN; liveness stays the extension's own,
 * so a replica whose database is away is taken out of the Service, not restarted.
 */
package dev.jobyard.api.health;
