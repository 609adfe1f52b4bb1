package dev.stagecraft.router;

import java.util.function.LongSupplier;

/**
 * What a router process serves at {@code GET /metrics} (Prometheus text): its requests by backend and outcome, their
 * durations, the weights it routes by now with the table's generation, requests in flight per backend, and its
 * resident memory.
 */
final class RouterExposition {
    private final FleetProxy proxy;
    private final CountingOutcomes outcomes;
    private final LongSupplier generation;

    RouterExposition(FleetProxy proxy, CountingOutcomes outcomes, LongSupplier generation) {
        this.proxy = proxy;
        this.outcomes = outcomes;
        this.generation = generation;
    }

    String render() {
        PrometheusText text = new PrometheusText();
        outcomes.writeTo(text);
        String service = proxy.key().service();
        String environment = proxy.key().environment();
        text.family("stagecraft_router_backend_weight", "gauge",
                "The weight (0-100) each backend instance is routed by now, as in GET /routes");
        proxy.backends().forEach((id, backend) -> text.sample("stagecraft_router_backend_weight", backend.weight(),
                "service", service, "environment", environment, "instance", id, "address", backend.address()));
        text.family("stagecraft_router_backend_in_flight", "gauge", "Requests in flight to each backend instance");
        proxy.inFlight().forEach((id, n) -> text.sample("stagecraft_router_backend_in_flight", n,
                "service", service, "environment", environment, "instance", id));
        text.family("stagecraft_router_table_generation", "gauge", "The generation of the route table routed now");
        text.sample("stagecraft_router_table_generation", generation.getAsLong(), "service", service,
                "environment", environment);
        return text.residentMemory().toString();
    }
}
