package dev.jobyard.flow;

/** SINGLE runs one task on its dependencies' outputs; MAP runs one task per element of one array. */
public enum StepType {
    SINGLE, MAP
}
