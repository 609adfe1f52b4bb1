package dev.stagecraft.health.provider;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import dev.stagecraft.health.provider.PrometheusText.Sample;

/** The request counters and latency buckets one scrape of one instance showed, each series by its labels. */
record InstanceCounters(Map<Map<String, String>, Double> requests, Map<Map<String, String>, Double> buckets) {

    /** The traffic of one window so far: counts, and cumulative latency buckets (upper bound in seconds → count). */
    record Traffic(double requests, double errors, NavigableMap<Double, Double> buckets) {
        static final Traffic NONE = new Traffic(0, 0, new TreeMap<>());

        Traffic plus(Traffic other) {
            NavigableMap<Double, Double> sum = new TreeMap<>(buckets);
            other.buckets.forEach((le, count) -> sum.merge(le, count, Double::sum));
            return new Traffic(requests + other.requests, errors + other.errors, sum);
        }
    }

    static InstanceCounters parse(String scrape, MetricNames names) {
        var samples = PrometheusText.parse(scrape, n -> n.equals(names.requests()) || n.equals(names.buckets()));
        return new InstanceCounters(series(samples, names.requests()), series(samples, names.buckets()));
    }

    private static Map<Map<String, String>, Double> series(java.util.List<Sample> samples, String name) {
        return samples.stream().filter(s -> s.name().equals(name))
                .collect(Collectors.toMap(Sample::labels, Sample::value, Double::sum));
    }

    /**
     * What happened between {@code start} and this scrape. A series that went down belongs to an instance
     * that restarted and counts from zero; a series that was not there at the start counts from zero too.
     */
    Traffic since(InstanceCounters start, MetricNames names) {
        double[] counts = new double[2];
        deltas(requests, start.requests, (labels, delta) -> {
            counts[0] += delta;
            if (names.isError(labels)) {
                counts[1] += delta;
            }
        });
        NavigableMap<Double, Double> byBound = new TreeMap<>();
        deltas(buckets, start.buckets, (labels, delta) -> {
            String le = labels.get("le");
            if (le != null) {
                byBound.merge(PrometheusText.value(le), delta, Double::sum);
            }
        });
        return new Traffic(counts[0], counts[1], byBound);
    }

    private static void deltas(Map<Map<String, String>, Double> now, Map<Map<String, String>, Double> before,
            BiConsumer<Map<String, String>, Double> sink) {
        now.forEach((labels, value) -> {
            double previous = before.getOrDefault(labels, 0.0);
            sink.accept(labels, value >= previous ? value - previous : value);
        });
    }
}
