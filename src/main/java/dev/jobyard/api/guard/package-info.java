/**
 * What may reach the resolvers, and what one request or socket may cost: JSON content types only,
 * WebSocket origins, JSON nesting, query depth, aliases, complexity and response size, text in
 * arguments, subscriptions and sockets, and an {@code extensions.code} on every error. Each limit is a
 * {@code jobyard.api.*} setting (docs/graphql.md, "Limits").
 */
package dev.jobyard.api.guard;
