package dev.stagecraft.health.analysis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.stagecraft.contracts.AnalysisMeasurement;
import dev.stagecraft.contracts.AnalysisSpec;
import dev.stagecraft.contracts.VerdictReached;
import dev.stagecraft.health.provider.PoolStats;

/**
 * Turns looks at a pool into a verdict. During the window only a breach can end the analysis (a FAIL
 * check is always backed by at least {@code minRequests} requests); PASS and INCONCLUSIVE wait for the
 * window's end, where any FAIL wins over any INCONCLUSIVE, and only every check passing or skipped is a PASS.
 */
public final class AnalysisJudge {
    /** The verdict of an analysis: result, the reason a person reads, and every check's measurement. */
    public record Outcome(String result, String reason, List<AnalysisMeasurement> measurements) {
    }

    /**
     * What one analysis is judged by: thresholds with their defaults, the judged pool's name, the window,
     * and a note on the traffic for the reason (null when it was the users').
     */
    public record Terms(AnalysisSpec spec, String pool, Duration window, String trafficNote) {
        public Terms {
            spec = AnalysisSpec.orDefaults(spec);
        }
    }

    /** A look during the window: FAIL at once on a breach, otherwise nothing yet. */
    public static Optional<Outcome> early(Terms terms, PoolStats pool, PoolStats baseline, Duration elapsed) {
        List<Check> checks = new AnalysisChecks(terms.spec(), terms.pool(), pool, baseline, Words.seconds(elapsed))
                .all();
        if (checks.stream().noneMatch(c -> c.is(VerdictReached.FAIL))) {
            return Optional.empty();
        }
        String when = " after " + Words.seconds(elapsed) + " of a " + Words.window(terms.window()) + " window";
        return Optional.of(outcome(VerdictReached.FAIL, words(checks, VerdictReached.FAIL, "; ") + when, terms,
                checks));
    }

    /** The look at the window's end; an instance of the judged pool that no longer answers fails it. */
    public static Outcome atEnd(Terms terms, PoolStats pool, PoolStats baseline) {
        AnalysisChecks analysis = new AnalysisChecks(terms.spec(), terms.pool(), pool, baseline,
                Words.window(terms.window()));
        List<Check> checks = new ArrayList<>(analysis.all());
        checks.add(analysis.reachability());
        if (checks.stream().anyMatch(c -> c.is(VerdictReached.FAIL))) {
            return outcome(VerdictReached.FAIL, words(checks, VerdictReached.FAIL, "; "), terms, checks);
        }
        if (checks.stream().anyMatch(c -> c.is(VerdictReached.INCONCLUSIVE))) {
            return outcome(VerdictReached.INCONCLUSIVE, words(checks, VerdictReached.INCONCLUSIVE, "; "), terms,
                    checks);
        }
        String passed = "the " + terms.pool() + " passed every check over " + Words.requests(pool.requests()) + " in "
                + Words.window(terms.window()) + ": " + words(checks, VerdictReached.PASS, ", ");
        String skipped = words(checks, AnalysisMeasurement.SKIPPED, "; ");
        return outcome(VerdictReached.PASS, passed + (skipped.isEmpty() ? "" : "; skipped: " + skipped), terms, checks);
    }

    /**
     * An analysis that could not measure at the end (e.g. Prometheus did not answer): not the pool's fault,
     * and no pass either.
     */
    public static Outcome unmeasured(Terms terms, String why) {
        return outcome(VerdictReached.INCONCLUSIVE, "the " + terms.pool() + " could not be measured: " + why, terms,
                List.of());
    }

    private static String words(List<Check> checks, String result, String separator) {
        return checks.stream().filter(c -> c.is(result) && c.words() != null).map(Check::words).distinct()
                .collect(Collectors.joining(separator));
    }

    private static Outcome outcome(String result, String reason, Terms terms, List<Check> checks) {
        String traffic = terms.trafficNote() == null ? "" : "; " + terms.trafficNote();
        return new Outcome(result, reason + traffic, checks.stream().map(Check::measurement).toList());
    }

    private AnalysisJudge() {
    }
}
