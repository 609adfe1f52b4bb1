package dev.stagecraft.e2e;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The saga's hops, from the records' own timestamps (set when each was produced): for every record a service
 * produced for a deployment, the record of that deployment it reacted to, which is the newest record before it that
 * the service consumes and another service produced. A hop is the time between the two, named "trigger → output";
 * only a service's first output after a trigger counts (the rest of its transaction follows at once). Pure: the
 * benchmark feeds it records, a table test feeds it rows.
 */
final class SagaHops {
    static final String DEPLOYMENTS = "stagecraft.deployments";
    static final String STEPS = "stagecraft.rollout-steps";
    static final String INSTANCES = "stagecraft.instances";
    static final String HEALTH = "stagecraft.health";
    static final String ROLLBACKS = "stagecraft.rollbacks";

    /** One record of a deployment: where, what, who produced it, when. */
    record Event(String deploymentId, String topic, String type, String producer, long timestamp) {
        String shortType() {
            return type.replace("dev.stagecraft.", "");
        }
    }

    record Hop(String name, String consumer, long millis) {
    }

    /** Which service reacts to a record: by its topic, and on rollout-steps by its type. */
    static Set<String> consumersOf(Event e) {
        return switch (e.topic()) {
            case DEPLOYMENTS -> e.type().endsWith("deployment.requested") ? Set.of("rollout-service") : Set.of();
            case ROLLBACKS, HEALTH -> Set.of("rollout-service");
            case STEPS -> e.type().endsWith("analysis.requested") ? Set.of("health-monitor")
                    : Set.of("inventory-service");
            case INSTANCES -> e.type().endsWith("instances.provisioned") || e.type().endsWith("instances.updated")
                    ? Set.of("rollout-service", "health-monitor") : Set.of("rollout-service");
            default -> Set.of();
        };
    }

    static List<Hop> hops(List<Event> events) {
        Map<String, List<Event>> byDeployment = new HashMap<>();
        events.forEach(e -> byDeployment.computeIfAbsent(e.deploymentId(), k -> new ArrayList<>()).add(e));
        List<Hop> hops = new ArrayList<>();
        for (List<Event> mine : byDeployment.values()) {
            List<Event> sorted = mine.stream().sorted(Comparator.comparingLong(Event::timestamp)).toList();
            Map<String, Event> pendingTrigger = new HashMap<>(); // per consuming service, its newest unanswered trigger
            for (Event e : sorted) {
                Event trigger = pendingTrigger.remove(e.producer());
                if (trigger != null) {
                    hops.add(new Hop(trigger.shortType() + " → " + e.shortType(), e.producer(),
                            e.timestamp() - trigger.timestamp()));
                }
                for (String consumer : consumersOf(e)) {
                    if (!consumer.equals(e.producer())) {
                        pendingTrigger.put(consumer, e);
                    }
                }
            }
        }
        return hops;
    }

    /** The p-th percentile (0 < p ≤ 100) by the nearest-rank method; the list need not be sorted. */
    static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** "name: n, p50, p99, max" rows, by name. */
    static Map<String, List<Long>> byName(List<Hop> hops) {
        Map<String, List<Long>> rows = new TreeMap<>();
        hops.forEach(h -> rows.computeIfAbsent(h.consumer() + " | " + h.name(), k -> new ArrayList<>()).add(h.millis()));
        return rows;
    }

    private SagaHops() {
    }
}
