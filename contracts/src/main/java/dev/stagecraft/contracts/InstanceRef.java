package dev.stagecraft.contracts;

/** One instance as inventory-service sees it, with the release it runs now. */
public record InstanceRef(String instanceId, String address, String state, ReleaseSpec running) {
}
