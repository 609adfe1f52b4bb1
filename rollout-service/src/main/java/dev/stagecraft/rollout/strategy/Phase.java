package dev.stagecraft.rollout.strategy;

/** What the saga is waiting for. */
public enum Phase {
    /** inventory-service to list the fleet. */
    RESOLVING,
    /** new instances of an empty fleet to start. */
    PROVISIONING,
    /** a batch to be drained and moved to another release. */
    UPDATING,
    /** health-monitor's verdict on the batch. */
    VERIFYING,
    /** the batch to be put back in service, or (canary, blue/green) the new pool to become the stable one. */
    ENABLING,
    /** the router to confirm the pools' new shares of traffic. */
    WEIGHTING,
    /** health-monitor's metric analysis of a window. */
    ANALYSING,
    /** the time before blue is removed to pass. */
    WAITING,
    /** a person: held until resumed, promoted, rolled back or aborted. No deadline. */
    PAUSED,
    /** instances to be removed: what a failed deployment started, or the old pool once replaced. */
    DECOMMISSIONING,
    /** nothing: the saga has ended. */
    DONE
}
