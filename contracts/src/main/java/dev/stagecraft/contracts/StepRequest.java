package dev.stagecraft.contracts;

import java.util.List;
import java.util.Map;

/**
 * What rollout-service asks inventory-service to do in one saga step. The event type says which
 * action: provision ({@code count} new instances of {@code release} in {@code pool}), update
 * ({@code assignments}), enable (put {@code instanceIds} in service at full weight, moving them to
 * {@code pool} when it is set), decommission ({@code instanceIds}), or weigh ({@code weights}: each
 * pool's share of the fleet's traffic in percent, spread evenly over the pool's instances). {@code step}
 * numbers the saga's steps so that a late answer to an earlier step is recognised and ignored.
 */
public record StepRequest(String deploymentId, int step, String service, String environment, int count,
        ReleaseSpec release, List<InstanceAssignment> assignments, List<String> instanceIds, String pool,
        Map<String, Integer> weights) {
    /** The pool every instance belongs to unless a blue/green or canary deployment puts it in another. */
    public static final String STABLE = "stable";

    public StepRequest {
        assignments = assignments == null ? List.of() : List.copyOf(assignments);
        instanceIds = instanceIds == null ? List.of() : List.copyOf(instanceIds);
        weights = weights == null ? Map.of() : Map.copyOf(weights);
    }

    /** The same request under another step number, for a re-send. */
    public StepRequest renumbered(int newStep) {
        return new StepRequest(deploymentId, newStep, service, environment, count, release, assignments, instanceIds,
                pool, weights);
    }

    public static StepRequest provision(String deploymentId, int step, String service, String environment,
            int count, ReleaseSpec release, String pool) {
        return new StepRequest(deploymentId, step, service, environment, count, release, List.of(), List.of(), pool,
                Map.of());
    }

    public static StepRequest enable(String deploymentId, int step, String service, String environment,
            List<String> instanceIds, String pool) {
        return new StepRequest(deploymentId, step, service, environment, 0, null, List.of(), instanceIds, pool,
                Map.of());
    }

    public static StepRequest weigh(String deploymentId, int step, String service, String environment,
            Map<String, Integer> weights) {
        return new StepRequest(deploymentId, step, service, environment, 0, null, List.of(), List.of(), null, weights);
    }

    public static StepRequest provision(String deploymentId, int step, String service, String environment,
            int count, ReleaseSpec release) {
        return provision(deploymentId, step, service, environment, count, release, STABLE);
    }

    public static StepRequest update(String deploymentId, int step, String service, String environment,
            List<InstanceAssignment> assignments) {
        return new StepRequest(deploymentId, step, service, environment, 0, null, assignments, List.of(), null,
                Map.of());
    }

    public static StepRequest forInstances(String deploymentId, int step, String service, String environment,
            List<String> instanceIds) {
        return new StepRequest(deploymentId, step, service, environment, 0, null, List.of(), instanceIds, null,
                Map.of());
    }
}
