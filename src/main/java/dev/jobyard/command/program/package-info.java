/**
 * The {@code program} command and the running of programs for the COPY commands: allow-listed
 * executables without a shell, a cleared environment without loader variables, an unprivileged user
 * when the service is root and a non-dumpable service when it is not, capped output, process-tree kill.
 */
package dev.jobyard.command.program;
