package dev.stagecraft.contracts;

/** What happened to one instance in a step. {@code error} is set when {@code ok} is false. */
public record InstanceOutcome(String instanceId, String address, String version, boolean ok, String error) {
}
