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
    /** the batch to be put back in service. */
    ENABLING,
    /** instances that a failed first deployment provisioned to be removed. */
    DECOMMISSIONING,
    /** nothing: the saga has ended. */
    DONE
}
