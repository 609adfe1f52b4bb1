package dev.stagecraft.release.insights;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four DORA figures of one service in one environment, from its ended deployments. Pure: no clock, no I/O.
 *
 * <ul>
 * <li><b>deployment frequency</b>: SUCCEEDED deployments that finished in the range, and per day;</li>
 * <li><b>lead time for changes</b>: for each of them, from its release's creation to its SUCCEEDED (bake
 * included where the environment bakes);</li>
 * <li><b>change failure rate</b>: ROLLED_BACK and FAILED over all three outcomes finished in the range;</li>
 * <li><b>time to restore</b>: from the moment the first failed or rolled-back deployment after a success (or the
 * start of the history) was known bad ({@link EndedDeployment#failureStart()}: when its rollback deployment started,
 * for one rolled back after its rollout, else its end) to the next SUCCEEDED one. Failures in a row are one
 * incident; one still open is not counted. A failure and a success at the same instant (an alert's rollback ends
 * both) count the failure first.</li>
 * </ul>
 */
public final class DoraCalculator {
    /** Median and mean in seconds, over {@code count} values; both null without values. */
    public record Spread(int count, Double medianSeconds, Double meanSeconds, double sumSeconds) {
        static Spread of(List<Duration> values) {
            if (values.isEmpty()) {
                return new Spread(0, null, null, 0);
            }
            List<Double> seconds = values.stream().map(d -> d.toMillis() / 1000.0).sorted().toList();
            int n = seconds.size();
            double median = n % 2 == 1 ? seconds.get(n / 2) : (seconds.get(n / 2 - 1) + seconds.get(n / 2)) / 2;
            double sum = seconds.stream().mapToDouble(Double::doubleValue).sum();
            return new Spread(n, median, sum / n, sum);
        }
    }

    /** The figures of one service and environment; {@code changeFailureRate} is null when nothing ended. */
    public record Figures(String service, String environment, int succeeded, int rolledBack, int failed,
            double deploymentsPerDay, Double changeFailureRate, Spread leadTime, Spread timeToRestore) {
    }

    /**
     * Figures per service and environment for what finished in [{@code from}, {@code to}]. {@code history} may hold
     * earlier deployments too: an incident that started before {@code from} and ended inside counts whole.
     */
    public static List<Figures> figures(List<EndedDeployment> history, Instant from, Instant to) {
        Map<String, List<EndedDeployment>> byKey = new LinkedHashMap<>();
        history.stream().sorted(ORDER).forEach(d -> byKey.computeIfAbsent(d.key(), k -> new ArrayList<>()).add(d));
        double days = Math.max(Duration.between(from, to).toMillis() / 86_400_000.0, 1.0 / 24);
        List<Figures> all = new ArrayList<>();
        byKey.values().forEach(list -> all.add(figuresOf(list, from, to, days)));
        all.sort(Comparator.comparing(Figures::service).thenComparing(Figures::environment));
        return all;
    }

    /** Oldest first; at one instant a failure before a success, so that it opens the incident the success ends. */
    static final Comparator<EndedDeployment> ORDER = Comparator.comparing(EndedDeployment::finishedAt)
            .thenComparing(EndedDeployment::succeeded);

    private static Figures figuresOf(List<EndedDeployment> oldestFirst, Instant from, Instant to, double days) {
        int succeeded = 0;
        int rolledBack = 0;
        int failed = 0;
        List<Duration> leadTimes = new ArrayList<>();
        List<Duration> restores = new ArrayList<>();
        Instant incidentStart = null;
        for (EndedDeployment d : oldestFirst) {
            boolean inRange = !d.finishedAt().isBefore(from) && !d.finishedAt().isAfter(to);
            if (d.succeeded()) {
                if (incidentStart != null && inRange) {
                    restores.add(Duration.between(incidentStart, d.finishedAt()));
                }
                incidentStart = null;
                if (inRange) {
                    succeeded++;
                    leadTimes.add(Duration.between(d.releaseCreatedAt(), d.finishedAt()));
                }
            } else {
                if (incidentStart == null) {
                    incidentStart = d.failureStart();
                }
                if (inRange) {
                    if ("ROLLED_BACK".equals(d.outcome())) {
                        rolledBack++;
                    } else {
                        failed++;
                    }
                }
            }
        }
        int changes = succeeded + rolledBack + failed;
        EndedDeployment first = oldestFirst.get(0);
        return new Figures(first.service(), first.environment(), succeeded, rolledBack, failed, succeeded / days,
                changes == 0 ? null : (double) (rolledBack + failed) / changes, Spread.of(leadTimes),
                Spread.of(restores));
    }

    private DoraCalculator() {
    }
}
