/** The typed view of every {@code jobyard.*} configuration key. */
package dev.jobyard.config;
