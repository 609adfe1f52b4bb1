package dev.stagecraft.contracts;

/**
 * What happened to one instance in a step. {@code error} is set when {@code ok} is false. {@code pool} and
 * {@code weight} (the router weight it holds now, confirmed by reading it back) are set where the step
 * concerns traffic; null otherwise.
 */
public record InstanceOutcome(String instanceId, String address, String version, boolean ok, String error,
        String pool, Integer weight) {
    public InstanceOutcome(String instanceId, String address, String version, boolean ok, String error) {
        this(instanceId, address, version, ok, error, null, null);
    }
}
