package dev.stagecraft.router;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A router process's own request counts and durations, served on its admin API's {@code GET /metrics}
 * ({@link RouterExposition}). A router process serves one fleet, so the histogram is one per outcome.
 */
final class CountingOutcomes implements RequestOutcomes {
    private record Key(String service, String environment, String instance, String outcome) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            return (service + '\0' + environment + '\0' + instance + '\0' + outcome)
                    .compareTo(o.service + '\0' + o.environment + '\0' + o.instance + '\0' + o.outcome);
        }
    }

    private record FleetOutcome(String service, String environment, String outcome) implements Comparable<FleetOutcome> {
        @Override
        public int compareTo(FleetOutcome o) {
            return (service + '\0' + environment + '\0' + outcome).compareTo(o.service + '\0' + o.environment + '\0'
                    + o.outcome);
        }
    }

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<FleetOutcome, LatencyHistogram> durations = new ConcurrentHashMap<>();

    @Override
    public void count(FleetKey fleet, String instanceId, Outcome outcome) {
        counts.computeIfAbsent(new Key(fleet.service(), fleet.environment(), instanceId, outcome.label()),
                k -> new LongAdder()).increment();
    }

    @Override
    public void count(FleetKey fleet, String instanceId, Outcome outcome, long elapsedNanos) {
        count(fleet, instanceId, outcome);
        durations.computeIfAbsent(new FleetOutcome(fleet.service(), fleet.environment(), outcome.label()),
                k -> new LatencyHistogram()).observe(elapsedNanos);
    }

    void writeTo(PrometheusText text) {
        text.family("stagecraft_router_requests_total", "counter",
                "Requests proxied by this router, by backend instance and outcome");
        new TreeMap<>(counts).forEach((k, count) -> text.sample("stagecraft_router_requests_total", count.sum(),
                "service", k.service(), "environment", k.environment(), "instance", k.instance(),
                "outcome", k.outcome()));
        text.family("stagecraft_router_request_duration_seconds", "histogram",
                "Time from a request's arrival to the end of its answer (or its failure), by outcome");
        new TreeMap<>(durations).forEach((k, histogram) -> histogram.writeTo(text,
                "stagecraft_router_request_duration_seconds", "service", k.service(), "environment",
                k.environment(), "outcome", k.outcome()));
    }
}
