/** The GraphQL surface: thin resolvers that validate, call a service and map its errors; health checks. */
package dev.jobyard.api;
