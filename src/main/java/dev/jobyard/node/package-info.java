/** This replica's identity and its entry in the shared registry of live replicas ({@code workers}). */
package dev.jobyard.node;
