package dev.stagecraft.inventory.router;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code stagecraft_router_requests_total{service,environment,instance,outcome}}: what became of each proxied request. */
public final class RouterMetrics {
    public static final String REQUESTS = "stagecraft.router.requests";
    /** The instance label of a request that found no instance in service. */
    public static final String NO_INSTANCE = "none";

    public enum Outcome {
        /** The instance answered (with whatever status it chose) and the answer reached the client. */
        ANSWERED,
        /** The instance did not accept the connection; nothing was sent, so another instance was tried. */
        UNREACHABLE,
        /** The request was sent but no complete answer came back (502, or 504 on timeout); never retried. */
        FAILED,
        /** No instance of the fleet was in service: 503. */
        UNAVAILABLE;

        String label() {
            return name().toLowerCase();
        }
    }

    private final MeterRegistry registry;
    // Looked up on every request: cached so that the hot path does not rebuild meter ids.
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

    public RouterMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(FleetKey fleet, String instanceId, Outcome outcome) {
        List<String> key = List.of(fleet.service(), fleet.environment(), instanceId, outcome.label());
        counters.computeIfAbsent(key, k -> Counter.builder(REQUESTS)
                .description("Requests proxied by the embedded router, by fleet, instance and outcome")
                .tag("service", k.get(0)).tag("environment", k.get(1)).tag("instance", k.get(2))
                .tag("outcome", k.get(3)).register(registry)).increment();
    }
}
