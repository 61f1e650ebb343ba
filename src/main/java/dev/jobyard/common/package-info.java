/** Small pieces every capability shares: the error types the API maps to GraphQL error codes. */
package dev.jobyard.common;
