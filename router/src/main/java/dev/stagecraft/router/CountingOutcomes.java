package dev.stagecraft.router;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A router process's own request counts and durations, served on its admin API's {@code GET /metrics}
 * ({@link RouterExposition}). On every request, so nothing is built per request: one lookup of the fleet and one of
 * the instance (keys whose hashes the strings cache), then an adder picked by the outcome's ordinal.
 */
final class CountingOutcomes implements RequestOutcomes {
    private static final Outcome[] OUTCOMES = Outcome.values();

    /** One fleet's counters: per instance, an adder per outcome; per outcome, a histogram of durations. */
    private static final class FleetCounts {
        final Map<String, LongAdder[]> byInstance = new ConcurrentHashMap<>();
        final LatencyHistogram[] durations = new LatencyHistogram[OUTCOMES.length];

        FleetCounts() {
            for (int i = 0; i < durations.length; i++) {
                durations[i] = new LatencyHistogram();
            }
        }

        LongAdder[] of(String instanceId) {
            LongAdder[] adders = byInstance.get(instanceId);
            return adders != null ? adders : byInstance.computeIfAbsent(instanceId, id -> {
                LongAdder[] fresh = new LongAdder[OUTCOMES.length];
                for (int i = 0; i < fresh.length; i++) {
                    fresh[i] = new LongAdder();
                }
                return fresh;
            });
        }
    }

    private final Map<FleetKey, FleetCounts> fleets = new ConcurrentHashMap<>();

    private FleetCounts of(FleetKey fleet) {
        FleetCounts counts = fleets.get(fleet);
        return counts != null ? counts : fleets.computeIfAbsent(fleet, f -> new FleetCounts());
    }

    @Override
    public void count(FleetKey fleet, String instanceId, Outcome outcome) {
        of(fleet).of(instanceId)[outcome.ordinal()].increment();
    }

    @Override
    public void count(FleetKey fleet, String instanceId, Outcome outcome, long elapsedNanos) {
        FleetCounts counts = of(fleet);
        counts.of(instanceId)[outcome.ordinal()].increment();
        counts.durations[outcome.ordinal()].observe(elapsedNanos);
    }

    void writeTo(PrometheusText text) {
        Map<String, FleetCounts> byName = new TreeMap<>();
        fleets.forEach((key, counts) -> byName.put(key.service() + "\u0000" + key.environment(), counts));
        text.family("stagecraft_router_requests_total", "counter",
                "Requests proxied by this router, by backend instance and outcome");
        byName.forEach((name, counts) -> {
            String[] fleet = name.split("\u0000", 2);
            new TreeMap<>(counts.byInstance).forEach((instance, adders) -> {
                for (Outcome outcome : OUTCOMES) {
                    long n = adders[outcome.ordinal()].sum();
                    if (n > 0) {
                        text.sample("stagecraft_router_requests_total", n, "service", fleet[0], "environment",
                                fleet[1], "instance", instance, "outcome", outcome.label());
                    }
                }
            });
        });
        text.family("stagecraft_router_request_duration_seconds", "histogram",
                "Time from a request's arrival to the end of its answer (or its failure), by outcome");
        byName.forEach((name, counts) -> {
            String[] fleet = name.split("\u0000", 2);
            for (Outcome outcome : OUTCOMES) {
                LatencyHistogram histogram = counts.durations[outcome.ordinal()];
                if (histogram.count() > 0) {
                    histogram.writeTo(text, "stagecraft_router_request_duration_seconds", "service", fleet[0],
                            "environment", fleet[1], "outcome", outcome.label());
                }
            }
        });
    }
}
