package dev.stagecraft.contracts;

import java.time.Instant;
import java.util.List;

/**
 * On {@link Topics#HOST_STATUS}, keyed by {@code hostId}, with every heartbeat: every fleet router the host runs,
 * each with the table read back from it. A controller that restarts takes the routers over from these.
 */
public record HostRouters(String hostId, String hostAddress, List<RouterStatus> routers, Instant at) {
    public HostRouters {
        routers = routers == null ? List.of() : List.copyOf(routers);
    }
}
