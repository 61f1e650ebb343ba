/** Which replica leads: a lease row in PostgreSQL with an expiry and a fencing token. */
package dev.jobyard.leadership;
