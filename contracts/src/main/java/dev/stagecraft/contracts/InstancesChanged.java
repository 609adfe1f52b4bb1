package dev.stagecraft.contracts;

import java.util.List;

/** inventory-service's answer to one {@link StepRequest}. */
public record InstancesChanged(String deploymentId, int step, List<InstanceOutcome> outcomes) {
    public InstancesChanged {
        outcomes = outcomes == null ? List.of() : List.copyOf(outcomes);
    }

    public boolean allOk() {
        return outcomes.stream().allMatch(InstanceOutcome::ok);
    }
}
