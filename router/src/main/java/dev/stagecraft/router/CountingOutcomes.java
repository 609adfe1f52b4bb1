package dev.stagecraft.router;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A router process's own request counts, served as {@code stagecraft_router_requests_total} on its admin API. */
final class CountingOutcomes implements RequestOutcomes {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void count(FleetKey fleet, String instanceId, Outcome outcome) {
        counts.computeIfAbsent(fleet.service() + "\u0000" + fleet.environment() + "\u0000" + instanceId + "\u0000"
                + outcome.label(), k -> new LongAdder()).increment();
    }

    /** Prometheus' text format. */
    String prometheus() {
        StringBuilder out = new StringBuilder("# TYPE stagecraft_router_requests_total counter\n");
        new TreeMap<>(counts).forEach((key, count) -> {
            String[] l = key.split("\u0000");
            out.append("stagecraft_router_requests_total{service=\"").append(l[0]).append("\",environment=\"")
                    .append(l[1]).append("\",instance=\"").append(l[2]).append("\",outcome=\"").append(l[3])
                    .append("\"} ").append(count.sum()).append('\n');
        });
        return out.toString();
    }
}
