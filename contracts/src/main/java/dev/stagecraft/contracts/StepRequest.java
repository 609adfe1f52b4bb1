package dev.stagecraft.contracts;

import java.util.List;

/**
 * What rollout-service asks inventory-service to do in one saga step. The event type says which
 * action: provision ({@code count} new instances of {@code release}), update ({@code assignments}),
 * enable or decommission ({@code instanceIds}). {@code step} numbers the saga's steps so that a late
 * answer to an earlier step is recognised and ignored.
 */
public record StepRequest(String deploymentId, int step, String service, String environment, int count,
        ReleaseSpec release, List<InstanceAssignment> assignments, List<String> instanceIds) {
    public StepRequest {
        assignments = assignments == null ? List.of() : List.copyOf(assignments);
        instanceIds = instanceIds == null ? List.of() : List.copyOf(instanceIds);
    }

    public static StepRequest provision(String deploymentId, int step, String service, String environment,
            int count, ReleaseSpec release) {
        return new StepRequest(deploymentId, step, service, environment, count, release, List.of(), List.of());
    }

    public static StepRequest update(String deploymentId, int step, String service, String environment,
            List<InstanceAssignment> assignments) {
        return new StepRequest(deploymentId, step, service, environment, 0, null, assignments, List.of());
    }

    public static StepRequest forInstances(String deploymentId, int step, String service, String environment,
            List<String> instanceIds) {
        return new StepRequest(deploymentId, step, service, environment, 0, null, List.of(), instanceIds);
    }
}
