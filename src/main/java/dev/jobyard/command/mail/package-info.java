/**
 * The {@code send_mail} command through Quarkus Mailer, with header fields checked for line breaks.
 */
package dev.jobyard.command.mail;
