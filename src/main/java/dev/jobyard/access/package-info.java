/**
 * Who calls the API and what they may do: callers (API keys, bearer JWTs, the bootstrap key), roles and the
 * permission each GraphQL field declares with {@link dev.jobyard.access.Permission}, per-queue grants, the
 * audit log of mutations and per-role rate limits. The GraphQL guard enforces it in one place
 * ({@code api.guard.AccessGuard}); docs/security.md describes it.
 */
package dev.jobyard.access;
