package dev.stagecraft.contracts;

/** Put {@code release} on instance {@code instanceId}. */
public record InstanceAssignment(String instanceId, ReleaseSpec release) {
}
