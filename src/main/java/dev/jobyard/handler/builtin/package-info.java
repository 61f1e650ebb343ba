/**
 * The job kinds every replica serves without configuration: {@code noop}, {@code echo}, {@code log} and
 * {@code sleep}. The commands that touch the outside world (SQL, programs, HTTP, mail, files) live in
 * {@code dev.jobyard.command}, off until an operator allows them.
 */
package dev.jobyard.handler.builtin;
