package dev.stagecraft.health.analysis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.stagecraft.contracts.AnalysisRequest;
import dev.stagecraft.contracts.AnalysisSpec;
import dev.stagecraft.contracts.Durations;

/** What health-monitor needs of an analysis request before it starts a window, and the names it uses for it. */
public final class AnalysisRequests {
    static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    static final Duration MAX_WINDOW = Duration.ofHours(6);
    private static final int MAX_POOL_NAME = 32;

    /** Everything that stops the request from being analysed; empty when it can be. */
    public static List<String> problems(AnalysisRequest request) {
        List<String> problems = new ArrayList<>();
        if (request.pool().isEmpty()) {
            problems.add("the request names no instance to judge (pool is empty)");
        }
        request.pool().stream().filter(t -> t == null || t.address() == null || t.address().isBlank()).findFirst()
                .ifPresent(t -> problems.add("a pool instance has no address"));
        request.baseline().stream().filter(t -> t == null || t.address() == null || t.address().isBlank()).findFirst()
                .ifPresent(t -> problems.add("a baseline instance has no address"));
        if (request.windowMs() < MIN_WINDOW.toMillis() || request.windowMs() > MAX_WINDOW.toMillis()) {
            problems.add("windowMs " + request.windowMs() + " is out of range: " + MIN_WINDOW.toMillis() + " to "
                    + MAX_WINDOW.toMillis());
        }
        String interval = AnalysisSpec.orDefaults(request.thresholds()).interval();
        if (Durations.parse(interval).filter(d -> !d.isZero()).isEmpty()) {
            problems.add("thresholds.interval '" + interval + "' is not a duration such as 5s");
        }
        return problems;
    }

    /** How often the window is looked at: as asked, but never more often than {@code minInterval}. */
    public static Duration interval(AnalysisRequest request, Duration minInterval) {
        Duration asked = Durations.of(AnalysisSpec.orDefaults(request.thresholds()).interval());
        return asked.compareTo(minInterval) < 0 ? minInterval : asked;
    }

    /**
     * The judged pool's name in reasons and metric labels: the request's {@code poolName} ("canary", "green"),
     * reduced to a short label so that free text cannot blow up the metrics' cardinality.
     */
    public static String poolName(AnalysisRequest request) {
        String purpose = request.poolName() == null ? "" : request.poolName().toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (purpose.length() > MAX_POOL_NAME) {
            purpose = purpose.substring(0, MAX_POOL_NAME).replaceAll("-+$", "");
        }
        return purpose.isEmpty() ? "pool" : purpose;
    }

    private AnalysisRequests() {
    }
}
