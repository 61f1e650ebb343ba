/** The {@link dev.jobyard.handler.JobHandler} SPI, the registry of kinds, and the built-in handlers. */
package dev.jobyard.handler;
