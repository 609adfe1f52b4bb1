package dev.stagecraft.health.analysis;

import static dev.stagecraft.health.analysis.Words.ms;
import static dev.stagecraft.health.analysis.Words.percent;
import static dev.stagecraft.health.analysis.Words.ratio;
import static dev.stagecraft.health.analysis.Words.requests;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.stagecraft.contracts.AnalysisMeasurement;
import dev.stagecraft.contracts.AnalysisSpec;
import dev.stagecraft.contracts.VerdictReached;
import dev.stagecraft.health.provider.PoolStats;

/**
 * The checks of one look at a pool, each with its measurement. Absolute checks hold the pool to the
 * thresholds; relative ones to the baseline, and are SKIPPED when there is no baseline with enough
 * requests to compare with. A pool with fewer than {@code minRequests} requests is INCONCLUSIVE on every
 * check it takes part in, and so is a value that could not be measured: neither is ever a pass.
 */
final class AnalysisChecks {
    static final String ERROR_RATE = "error-rate";
    static final String P99 = "p99-latency-ms";
    static final String ERROR_RATE_VS_BASELINE = "error-rate-vs-stable";
    static final String P99_VS_BASELINE = "p99-latency-vs-stable";
    static final String UNREACHABLE = "unreachable-instances";

    private final AnalysisSpec spec;
    private final String pool;
    private final PoolStats measured;
    private final PoolStats baseline;
    private final int minRequests;
    private final String lowSamples;

    /** {@code spec} with its defaults filled in; {@code baseline} null when there is no baseline pool. */
    AnalysisChecks(AnalysisSpec spec, String pool, PoolStats measured, PoolStats baseline, String elapsed) {
        this.spec = spec;
        this.pool = pool;
        this.measured = measured;
        this.baseline = baseline;
        // At least one: a rate over no requests is NaN, which must read as "cannot judge", not as a breach.
        this.minRequests = Math.max(1, spec.minRequests());
        this.lowSamples = measured.requests() == 0
                ? "no requests to the " + pool + " in " + elapsed + "; " + minRequests
                        + " are needed to judge it (minRequests)"
                : "only " + requests(measured.requests()) + " to the " + pool + " in " + elapsed + ", fewer than the "
                        + minRequests + " needed to judge it (minRequests)";
    }

    List<Check> all() {
        List<Check> checks = new ArrayList<>(List.of(errorRate(), p99(), errorRateVsBaseline()));
        if (spec.maxP99Ratio() != null) {
            checks.add(p99VsBaseline());
        }
        return checks;
    }

    private boolean tooFew() {
        return measured.requests() < minRequests;
    }

    private Check errorRate() {
        double limit = spec.maxErrorRate();
        if (tooFew()) {
            return inconclusive(ERROR_RATE, finite(measured.errorRate()), null, limit, lowSamples);
        }
        double rate = measured.errorRate();
        return judged(ERROR_RATE, rate, null, limit, "maxErrorRate",
                broke("error rate " + percent(rate), percent(limit), "maxErrorRate"),
                "error rate " + percent(rate) + " (limit " + percent(limit) + ")");
    }

    private Check p99() {
        double limit = spec.maxP99Ms();
        double p99 = measured.p99Ms();
        if (tooFew() || Double.isNaN(p99)) {
            return inconclusive(P99, finite(p99), null, limit, tooFew() ? lowSamples : p99Unknown());
        }
        return judged(P99, p99, null, limit, "maxP99Ms", broke("p99 latency " + ms(p99), ms(limit), "maxP99Ms"),
                "p99 latency " + ms(p99) + " (limit " + ms(limit) + ")");
    }

    private Check errorRateVsBaseline() {
        String skip = baselineMissing();
        if (skip != null) {
            return skipped(ERROR_RATE_VS_BASELINE, skip);
        }
        double baseRate = baseline.errorRate();
        boolean floored = baseRate < spec.baselineErrorFloor();
        double limit = spec.maxErrorRatio() * Math.max(baseRate, spec.baselineErrorFloor());
        if (tooFew()) {
            return inconclusive(ERROR_RATE_VS_BASELINE, finite(measured.errorRate()), baseRate, limit, lowSamples);
        }
        double rate = measured.errorRate();
        String how = floored
                ? "maxErrorRatio " + ratio(spec.maxErrorRatio()) + " × baselineErrorFloor "
                        + percent(spec.baselineErrorFloor()) + "; the baseline's error rate was " + percent(baseRate)
                        + " over " + requests(baseline.requests())
                : "maxErrorRatio " + ratio(spec.maxErrorRatio()) + " × the baseline's " + percent(baseRate) + " over "
                        + requests(baseline.requests());
        return judged(ERROR_RATE_VS_BASELINE, rate, baseRate, limit, "maxErrorRatio",
                broke("error rate " + percent(rate), percent(limit), how),
                "error rate vs the baseline's " + percent(baseRate) + " (limit " + percent(limit) + ")");
    }

    private Check p99VsBaseline() {
        String skip = baselineMissing();
        if (skip == null && Double.isNaN(baseline.p99Ms())) {
            skip = "the baseline's p99 latency could not be measured";
        }
        if (skip != null) {
            return skipped(P99_VS_BASELINE, skip);
        }
        double baseP99 = baseline.p99Ms();
        double limit = spec.maxP99Ratio() * baseP99;
        double p99 = measured.p99Ms();
        if (tooFew() || Double.isNaN(p99)) {
            return inconclusive(P99_VS_BASELINE, finite(p99), baseP99, limit, tooFew() ? lowSamples : p99Unknown());
        }
        return judged(P99_VS_BASELINE, p99, baseP99, limit, "maxP99Ratio", broke("p99 latency " + ms(p99), ms(limit),
                "maxP99Ratio " + ratio(spec.maxP99Ratio()) + " × the baseline's " + ms(baseP99)),
                "p99 latency vs the baseline's " + ms(baseP99) + " (limit " + ms(limit) + ")");
    }

    /** Whether instances of the judged pool could not be read: at the end of a window, that fails it. */
    Check reachability() {
        List<PoolStats.Unreachable> lost = measured.unreachable();
        if (lost.isEmpty()) {
            return new Check(measurement(UNREACHABLE, 0.0, null, 0.0, VerdictReached.PASS,
                    measured.instances() == 1 ? "the instance answered" : "all " + measured.instances()
                            + " instances answered"), null);
        }
        String who = lost.size() == 1 ? pool + " instance " + lost.get(0).name()
                : lost.size() + " " + pool + " instances";
        String why = lost.size() == 1 ? lost.get(0).error()
                : lost.stream().map(u -> u.name() + ": " + u.error()).collect(Collectors.joining("; "));
        String words = "the metrics of " + who + " could not be read at the end of the window: " + why;
        return new Check(measurement(UNREACHABLE, (double) lost.size(), null, 0.0, VerdictReached.FAIL, words), words);
    }

    /** The words for a broken limit: the measured value, its sample, the limit and the rule that set it. */
    private String broke(String value, String limit, String rule) {
        return value + " over " + requests(measured.requests()) + " to the " + pool + " broke the limit of " + limit
                + " (" + rule + ")";
    }

    private String baselineMissing() {
        if (baseline == null) {
            return "no baseline pool to compare with";
        }
        if (baseline.requests() < minRequests) {
            String lost = baseline.unreachable().isEmpty() ? ""
                    : " (" + baseline.unreachable().size() + " of its " + baseline.instances()
                            + " instances could not be read)";
            return "the baseline had " + requests(baseline.requests()) + ", fewer than minRequests " + minRequests
                    + lost;
        }
        return null;
    }

    private String p99Unknown() {
        return "the p99 latency of the " + pool + " could not be measured over " + requests(measured.requests())
                + " (no latency data)";
    }

    private Check judged(String metric, double value, Double base, double limit, String threshold, String broke,
            String passed) {
        boolean ok = value <= limit; // false for NaN: an unmeasured value never passes
        return new Check(measurement(metric, value, base, limit, ok ? VerdictReached.PASS : VerdictReached.FAIL,
                (ok ? "within " : "above ") + threshold), ok ? passed : broke);
    }

    private Check inconclusive(String metric, Double value, Double base, double limit, String why) {
        return new Check(measurement(metric, value, base, limit, VerdictReached.INCONCLUSIVE, why), why);
    }

    private Check skipped(String metric, String why) {
        return new Check(measurement(metric, null, null, null, AnalysisMeasurement.SKIPPED, why), why);
    }

    private AnalysisMeasurement measurement(String metric, Double value, Double base, Double limit, String result,
            String note) {
        return new AnalysisMeasurement(metric, pool, value, base == null ? null : finite(base), limit,
                measured.requests(), baseline == null ? 0 : baseline.requests(), result, note);
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
