/**
 * The built-in durable kind {@code durable_script}: a list of operations, one per primitive, so that every
 * primitive can be used and tested without writing Java (payload format in docs/durable.md).
 */
package dev.jobyard.durable.script;
