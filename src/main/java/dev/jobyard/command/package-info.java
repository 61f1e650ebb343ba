/**
 * The built-in commands' shared policy: what configuration allows ({@code CommandsConfig}), paths
 * confined to directories, the program allow-list, the address and host rules of requests, secrets and
 * where they may be used, capped output, and stopping work that interruption does not reach (a
 * watchdog, cancelling then terminating a backend). docs/security.md is the threat model.
 */
package dev.jobyard.command;
