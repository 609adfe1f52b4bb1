package dev.stagecraft.contracts;

import java.util.List;

/**
 * What happened to one instance in a step. {@code error} is set when {@code ok} is false. {@code pool} and
 * {@code weight} (the router weight it holds now, confirmed by reading it back) are set where the step
 * concerns traffic; null otherwise. {@code smokeChecks}: on an instance a provision or update step started, the
 * smoke checks of the release it runs now, for health-monitor to run before the instance takes traffic; empty
 * otherwise.
 */
public record InstanceOutcome(String instanceId, String address, String version, boolean ok, String error,
        String pool, Integer weight, List<SmokeCheck> smokeChecks) {
    public InstanceOutcome {
        smokeChecks = smokeChecks == null ? List.of() : List.copyOf(smokeChecks);
    }

    public InstanceOutcome(String instanceId, String address, String version, boolean ok, String error,
            String pool, Integer weight) {
        this(instanceId, address, version, ok, error, pool, weight, List.of());
    }

    public InstanceOutcome(String instanceId, String address, String version, boolean ok, String error) {
        this(instanceId, address, version, ok, error, null, null, List.of());
    }
}
