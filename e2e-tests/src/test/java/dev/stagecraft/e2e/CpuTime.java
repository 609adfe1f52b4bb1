package dev.stagecraft.e2e;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How much CPU each part of a platform spent during a measure: what a benchmark needs to say where the time of a burst
 * went on two cores (which service, broker or database was busy), beside how long it took. User and system time as the
 * kernel counts it, per process, summed by part. The processes are looked up again at the end, so a PostgreSQL backend
 * that started during the measure counts all of its time and one that ended counts none: the database's figure is a
 * floor.
 */
final class CpuTime {
    private final Platform platform;
    private final Map<Long, Duration> before = new LinkedHashMap<>();

    private CpuTime(Platform platform) {
        this.platform = platform;
        platform.processesByPart().values().forEach(processes -> processes
                .forEach(process -> before.put(process.pid(), cpuOf(process))));
    }

    /** Starts counting from now. */
    static CpuTime start(Platform platform) {
        return new CpuTime(platform);
    }

    /** CPU seconds spent since {@link #start}, by part, busiest first. */
    Map<String, Double> spentSeconds() {
        Map<String, Double> spent = new LinkedHashMap<>();
        platform.processesByPart().forEach((part, processes) -> {
            Duration total = Duration.ZERO;
            for (ProcessHandle process : processes) {
                total = total.plus(cpuOf(process).minus(before.getOrDefault(process.pid(), Duration.ZERO)));
            }
            spent.put(part, total.toMillis() / 1e3);
        });
        return spent.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** As a table cell: {@code rollout-service 41.2, kafka 12.0, …} and the total. */
    static String describe(Map<String, Double> spentSeconds) {
        double total = spentSeconds.values().stream().mapToDouble(Double::doubleValue).sum();
        return spentSeconds.entrySet().stream().map(e -> String.format("%s %.1f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", ")) + String.format("; in all %.1f CPU s", total);
    }

    private static Duration cpuOf(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }
}
