package dev.stagecraft.contracts;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a fleet's router on a host should be: the fleet, the port its entry point listens on (0: the agent chooses a
 * free one, once, and keeps it), and its whole table of backends by instance id. A table is applied as one change,
 * never backend by backend. {@code generation} grows with every change the controller makes; an agent ignores a
 * spec older than the one it holds, so a late or replayed command never undoes a newer one. Backends whose weight
 * is 0 are waited for, at most {@code drainTimeoutMillis}, until no request through the router is in flight to them.
 */
public record RouterSpec(String routerId, String service, String environment, int port, long generation,
        Map<String, RouteBackend> backends, long drainTimeoutMillis) {

    public RouterSpec {
        backends = backends == null ? Map.of() : new TreeMap<>(backends);
    }

    /** A fleet's router id: service and environment names never hold a '.', so the id names one fleet only. */
    public static String idOf(String service, String environment) {
        return service + "." + environment;
    }
}
