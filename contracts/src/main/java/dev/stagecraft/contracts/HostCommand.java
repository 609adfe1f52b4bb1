package dev.stagecraft.contracts;

import java.time.Instant;

/**
 * A command to one host agent on {@link Topics#HOST_COMMANDS}, keyed by {@code hostId}. Every command is
 * idempotent: a repeated {@code commandId} only re-reports, and each command sets a desired state (this spec
 * runs; this instance is gone) that applying twice does not change. {@code spec} is set for
 * {@link #START_INSTANCE}; {@link #STOP_INSTANCE} needs only {@code instanceId}.
 */
public record HostCommand(String commandId, String hostId, String type, String instanceId, InstanceSpec spec,
        Instant at) {
    public static final String START_INSTANCE = "START_INSTANCE";
    public static final String STOP_INSTANCE = "STOP_INSTANCE";

    public static HostCommand start(String commandId, String hostId, InstanceSpec spec) {
        return new HostCommand(commandId, hostId, START_INSTANCE, spec.instanceId(), spec, Instant.now());
    }

    public static HostCommand stop(String commandId, String hostId, String instanceId) {
        return new HostCommand(commandId, hostId, STOP_INSTANCE, instanceId, null, Instant.now());
    }

    /** The CloudEvents type this command travels under. */
    public String eventType() {
        return STOP_INSTANCE.equals(type) ? EventTypes.HOST_STOP_INSTANCE : EventTypes.HOST_START_INSTANCE;
    }
}
