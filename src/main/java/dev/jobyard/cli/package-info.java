/**
 * The command line of the packaged application: {@code java -jar quarkus-run.jar} with no arguments runs the
 * service; a command name as first argument runs that command against the service's database and exits
 * ({@code import-chains}). Each command lives with its capability; this package only dispatches.
 */
package dev.jobyard.cli;
