package dev.stagecraft.contracts;

import java.time.Instant;
import java.util.List;

/**
 * On {@link Topics#HOST_STATUS}, keyed by {@code hostId}, every few seconds: the agent lives, and this is
 * everything it runs. A controller can rebuild its whole view of a host from the last heartbeat alone.
 * {@code metricsPort}: where the agent serves {@code GET /metrics} (Prometheus text) on {@code hostAddress}; 0 when it
 * serves none.
 */
public record HostHeartbeat(String hostId, String hostAddress, List<InstanceStatus> instances, Instant at,
        int metricsPort) {
    public HostHeartbeat {
        instances = instances == null ? List.of() : List.copyOf(instances);
    }

    public HostHeartbeat(String hostId, String hostAddress, List<InstanceStatus> instances, Instant at) {
        this(hostId, hostAddress, instances, at, 0);
    }
}
