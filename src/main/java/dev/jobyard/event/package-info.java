/**
 * Events: NOTIFY out in the same transaction as the change, LISTEN in on a dedicated connection, and
 * the fan-out to GraphQL subscriptions and worker wake-ups on this replica.
 */
package dev.jobyard.event;
