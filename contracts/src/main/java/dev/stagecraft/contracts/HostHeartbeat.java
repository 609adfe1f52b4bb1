package dev.stagecraft.contracts;

import java.time.Instant;
import java.util.List;

/**
 * On {@link Topics#HOST_STATUS}, keyed by {@code hostId}, every few seconds: the agent lives, and this is
 * everything it runs. A controller can rebuild its whole view of a host from the last heartbeat alone.
 */
public record HostHeartbeat(String hostId, String hostAddress, List<InstanceStatus> instances, Instant at) {
    public HostHeartbeat {
        instances = instances == null ? List.of() : List.copyOf(instances);
    }
}
