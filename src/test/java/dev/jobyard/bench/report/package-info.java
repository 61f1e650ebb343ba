/** Turns the results into target/bench/report.json, report.md and plot.svg, next to the peers' published figures. */
package dev.jobyard.bench.report;
