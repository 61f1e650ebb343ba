/**
 * pg_timetable's YAML chain files: {@link dev.jobyard.chain.yaml.ChainYamlReader} turns one into chain requests
 * (pg_timetable's names and units mapped to Jobyard's, errors with the YAML line), and
 * {@link dev.jobyard.chain.yaml.ChainYamlWriter} writes stored chains back in the same form, so that an export
 * imports to the same definitions.
 */
package dev.jobyard.chain.yaml;
