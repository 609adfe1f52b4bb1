package dev.stagecraft.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A fleet's router as its host agent sees it. {@code state} is one of {@link InstanceStatus}'s (STARTING, RUNNING,
 * CRASH_LOOP_BACKOFF, FAILED, GONE). {@code backends} is the table the router process answered when the agent last
 * read it back (not what it was told), at {@code generation}; {@code busy} names the backends at weight 0 that still
 * had requests in flight when the drain timeout of the last change ran out. {@code metricsPort} is where the router
 * serves {@code GET /metrics} (Prometheus text) on 127.0.0.1 of its host, with its admin API; 0 when unknown (an
 * agent from before it was reported).
 */
public record RouterStatus(String routerId, String service, String environment, String state, Long pid,
        String address, int port, long generation, Map<String, RouteBackend> backends, List<String> busy,
        int restarts, String lastExit, Instant since, String detail, int metricsPort) {

    public RouterStatus(String routerId, String service, String environment, String state, Long pid, String address,
            int port, long generation, Map<String, RouteBackend> backends, List<String> busy, int restarts,
            String lastExit, Instant since, String detail) {
        this(routerId, service, environment, state, pid, address, port, generation, backends, busy, restarts, lastExit,
                since, detail, 0);
    }

    public RouterStatus {
        backends = backends == null ? Map.of() : new TreeMap<>(backends);
        busy = busy == null ? List.of() : List.copyOf(busy);
    }

    /** The entry point's URL. */
    public String url() {
        return "http://" + address + ":" + port;
    }
}
