package dev.stagecraft.contracts;

import java.util.List;

/**
 * The fleet a deployment acts on. {@code fleetExists} is false when no fleet was defined for the
 * service and environment; {@code desiredReplicas} is what an empty fleet must be provisioned to.
 */
public record TargetsResolved(String deploymentId, boolean fleetExists, int desiredReplicas,
        List<InstanceRef> instances) {
    public TargetsResolved {
        instances = instances == null ? List.of() : List.copyOf(instances);
    }
}
