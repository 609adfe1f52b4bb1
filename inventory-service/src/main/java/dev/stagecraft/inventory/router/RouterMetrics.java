package dev.stagecraft.inventory.router;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.stagecraft.router.FleetKey;
import dev.stagecraft.router.RequestOutcomes;

/** {@code stagecraft_router_requests_total{service,environment,instance,outcome}}: what became of each proxied request. */
public final class RouterMetrics implements RequestOutcomes {
    public static final String REQUESTS = "stagecraft.router.requests";

    private final MeterRegistry registry;
    // Looked up on every request: cached so that the hot path does not rebuild meter ids.
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

    public RouterMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void count(FleetKey fleet, String instanceId, Outcome outcome) {
        List<String> key = List.of(fleet.service(), fleet.environment(), instanceId, outcome.label());
        counters.computeIfAbsent(key, k -> Counter.builder(REQUESTS)
                .description("Requests proxied by the embedded router, by fleet, instance and outcome")
                .tag("service", k.get(0)).tag("environment", k.get(1)).tag("instance", k.get(2))
                .tag("outcome", k.get(3)).register(registry)).increment();
    }
}
