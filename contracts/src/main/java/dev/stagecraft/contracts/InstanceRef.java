package dev.stagecraft.contracts;

/** One instance as inventory-service sees it, with the release it runs now and the pool it belongs to. */
public record InstanceRef(String instanceId, String address, String state, ReleaseSpec running, String pool) {
    public InstanceRef(String instanceId, String address, String state, ReleaseSpec running) {
        this(instanceId, address, state, running, "stable");
    }
}
