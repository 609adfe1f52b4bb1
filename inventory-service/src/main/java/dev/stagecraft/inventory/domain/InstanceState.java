package dev.stagecraft.inventory.domain;

/**
 * Where an instance stands. Only IN_SERVICE instances take traffic (weight above 0); the others
 * count against a rolling deployment's maxUnavailable.
 */
public enum InstanceState {
    /** Its process is up on the release it was given, and it waits to be verified and enabled. */
    STARTING,
    IN_SERVICE,
    /** Drained from traffic, about to change. */
    OUT_OF_SERVICE,
    /** Its process could not be started; see lastError. */
    FAILED
}
