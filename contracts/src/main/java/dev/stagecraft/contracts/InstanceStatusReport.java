package dev.stagecraft.contracts;

import java.time.Instant;

/**
 * On {@link Topics#HOST_STATUS}, keyed by {@code hostId}: one instance changed state, or a command about it was
 * applied (then {@code commandId} names the command, also when it changed nothing).
 */
public record InstanceStatusReport(String hostId, String hostAddress, InstanceStatus instance, String commandId,
        Instant at) {
}
