package dev.stagecraft.health.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import dev.stagecraft.contracts.AnalysisMeasurement;
import dev.stagecraft.contracts.AnalysisSpec;
import dev.stagecraft.health.analysis.AnalysisJudge.Outcome;
import dev.stagecraft.health.analysis.AnalysisJudge.Terms;
import dev.stagecraft.health.provider.PoolStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnalysisJudgeTest {
    private static final double NAN = Double.NaN;
    private static final Duration WINDOW = Duration.ofSeconds(30);
    /** maxErrorRate 1%, maxP99Ms 500, maxErrorRatio 1.5, no maxP99Ratio, floor 0.1%, minRequests 50. */
    private static final AnalysisSpec SPEC = AnalysisSpec.DEFAULTS;
    private static final AnalysisSpec WITH_P99_RATIO = new AnalysisSpec(null, null, null, 2.0, null, null, null, null);

    static Stream<Arguments> atTheEnd() {
        return Stream.of(
                Arguments.of("healthy without a baseline", SPEC, pool(412, 1, 12), null,
                        "PASS", "the canary passed every check over 412 requests in 30s: error rate 0.24% (limit 1.0%),"
                                + " p99 latency 12ms (limit 500ms); skipped: no baseline pool to compare with"),
                Arguments.of("healthy, and as good as the baseline", WITH_P99_RATIO, pool(412, 1, 12),
                        pool(1000, 2, 10),
                        "PASS", "the canary passed every check over 412 requests in 30s: error rate 0.24% (limit 1.0%),"
                                + " p99 latency 12ms (limit 500ms), error rate vs the baseline's 0.20% (limit 0.30%),"
                                + " p99 latency vs the baseline's 10ms (limit 20ms)"),
                Arguments.of("too many errors", SPEC, pool(412, 122, 12), null,
                        "FAIL", "error rate 29.6% over 412 requests to the canary broke the limit of 1.0% (maxErrorRate)"),
                Arguments.of("too many errors, also against the baseline", SPEC, pool(412, 122, 12), pool(1000, 5, 10),
                        "FAIL", "error rate 29.6% over 412 requests to the canary broke the limit of 1.0% (maxErrorRate);"
                                + " error rate 29.6% over 412 requests to the canary broke the limit of 0.75%"
                                + " (maxErrorRatio 1.5 × the baseline's 0.50% over 1000 requests)"),
                Arguments.of("too slow", SPEC, pool(412, 0, 812.4), null,
                        "FAIL", "p99 latency 812ms over 412 requests to the canary broke the limit of 500ms (maxP99Ms)"),
                Arguments.of("worse than an error-free baseline, which is floored", SPEC, pool(412, 3, 12),
                        pool(1000, 0, 10),
                        "FAIL", "error rate 0.73% over 412 requests to the canary broke the limit of 0.15% (maxErrorRatio"
                                + " 1.5 × baselineErrorFloor 0.10%; the baseline's error rate was 0.0% over 1000 requests)"),
                Arguments.of("slower than the baseline allows", WITH_P99_RATIO, pool(412, 0, 250), pool(1000, 0, 100),
                        "FAIL", "p99 latency 250ms over 412 requests to the canary broke the limit of 200ms (maxP99Ratio"
                                + " 2.0 × the baseline's 100ms)"),
                Arguments.of("too few requests", SPEC, pool(12, 0, 3), null,
                        "INCONCLUSIVE", "only 12 requests to the canary in 30s, fewer than the 50 needed to judge it"
                                + " (minRequests)"),
                Arguments.of("too few requests, even if all failed", SPEC, pool(10, 10, 3), pool(1000, 0, 10),
                        "INCONCLUSIVE", "only 10 requests to the canary in 30s, fewer than the 50 needed to judge it"
                                + " (minRequests)"),
                Arguments.of("no requests at all", SPEC, pool(0, 0, NAN), null,
                        "INCONCLUSIVE", "no requests to the canary in 30s; 50 are needed to judge it (minRequests)"),
                Arguments.of("a p99 that cannot be measured is no pass", SPEC, pool(412, 0, NAN), null,
                        "INCONCLUSIVE", "the p99 latency of the canary could not be measured over 412 requests"
                                + " (no latency data)"),
                Arguments.of("a breach wins over what cannot be judged", SPEC, pool(412, 122, NAN), null,
                        "FAIL", "error rate 29.6% over 412 requests to the canary broke the limit of 1.0% (maxErrorRate)"),
                Arguments.of("a baseline with too few requests is not compared", WITH_P99_RATIO, pool(412, 1, 12),
                        pool(10, 5, 900),
                        "PASS", "the canary passed every check over 412 requests in 30s: error rate 0.24% (limit 1.0%),"
                                + " p99 latency 12ms (limit 500ms); skipped: the baseline had 10 requests, fewer than"
                                + " minRequests 50"),
                Arguments.of("a baseline without latency data is not compared on latency", WITH_P99_RATIO,
                        pool(412, 1, 12), pool(1000, 2, NAN),
                        "PASS", "the canary passed every check over 412 requests in 30s: error rate 0.24% (limit 1.0%),"
                                + " p99 latency 12ms (limit 500ms), error rate vs the baseline's 0.20% (limit 0.30%);"
                                + " skipped: the baseline's p99 latency could not be measured"),
                Arguments.of("an instance that stops answering fails it", SPEC,
                        new PoolStats(2, 412, 1, 12, List.of(new PoolStats.Unreachable("i-2", "127.0.0.1:1002",
                                "could not connect"))), null,
                        "FAIL", "the metrics of canary instance i-2 (127.0.0.1:1002) could not be read at the end of the"
                                + " window: could not connect"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("atTheEnd")
    void judgesAtTheEnd(String description, AnalysisSpec spec, PoolStats pool, PoolStats baseline, String result,
            String reason) {
        Outcome outcome = AnalysisJudge.atEnd(terms(spec, null), pool, baseline);
        assertEquals(result, outcome.result(), description);
        assertEquals(reason, outcome.reason(), description);
    }

    static Stream<Arguments> duringTheWindow() {
        return Stream.of(
                Arguments.of("a breach backed by enough requests fails at once", pool(200, 60, 5),
                        Optional.of("error rate 30.0% over 200 requests to the canary broke the limit of 1.0%"
                                + " (maxErrorRate) after 5.0s of a 30s window")),
                Arguments.of("a breach on too few requests waits", pool(20, 20, 5), Optional.empty()),
                Arguments.of("good numbers wait for the end", pool(200, 0, 5), Optional.empty()),
                Arguments.of("no requests yet waits", pool(0, 0, NAN), Optional.empty()),
                Arguments.of("an unreachable instance is only judged at the end",
                        new PoolStats(1, 0, 0, NAN, List.of(new PoolStats.Unreachable("i-1", "127.0.0.1:1", "down"))),
                        Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("duringTheWindow")
    void failsEarlyOnlyOnABackedBreach(String description, PoolStats pool, Optional<String> reason) {
        Optional<Outcome> outcome = AnalysisJudge.early(terms(SPEC, null), pool, null, Duration.ofSeconds(5));
        assertEquals(reason, outcome.map(Outcome::reason), description);
        outcome.ifPresent(o -> assertEquals("FAIL", o.result()));
    }

    @Test
    void everyCheckHasItsMeasurement() {
        Outcome outcome = AnalysisJudge.atEnd(terms(WITH_P99_RATIO, null), pool(412, 3, 12), pool(1000, 0, 10));

        assertEquals(List.of(
                new AnalysisMeasurement("error-rate", "canary", 3 / 412.0, null, 0.01, 412, 1000, "PASS",
                        "within maxErrorRate"),
                new AnalysisMeasurement("p99-latency-ms", "canary", 12.0, null, 500.0, 412, 1000, "PASS",
                        "within maxP99Ms"),
                new AnalysisMeasurement("error-rate-vs-stable", "canary", 3 / 412.0, 0.0, 1.5 * 0.001, 412, 1000,
                        "FAIL", "above maxErrorRatio"),
                new AnalysisMeasurement("p99-latency-vs-stable", "canary", 12.0, 10.0, 20.0, 412, 1000, "PASS",
                        "within maxP99Ratio"),
                new AnalysisMeasurement("unreachable-instances", "canary", 0.0, null, 0.0, 412, 1000, "PASS",
                        "the instance answered")),
                outcome.measurements());
    }

    @Test
    void unmeasuredValuesAreNullNotNaN() {
        Outcome outcome = AnalysisJudge.atEnd(terms(SPEC, null), pool(0, 0, NAN), null);

        AnalysisMeasurement p99 = outcome.measurements().get(1);
        assertEquals("p99-latency-ms", p99.metric());
        assertEquals(null, p99.value());
        assertEquals("INCONCLUSIVE", p99.result());
        assertEquals(AnalysisMeasurement.SKIPPED, outcome.measurements().get(2).result());
        assertEquals("no baseline pool to compare with", outcome.measurements().get(2).note());
    }

    @Test
    void syntheticTrafficIsNamedInTheReason() {
        Outcome outcome = AnalysisJudge.atEnd(terms(SPEC, "the traffic was synthetic: health-monitor sent 200"
                + " requests (GET /)"), pool(200, 0, 4), null);

        assertEquals("PASS", outcome.result());
        assertTrue(outcome.reason().endsWith("; the traffic was synthetic: health-monitor sent 200 requests (GET /)"),
                outcome.reason());
    }

    @Test
    void anAnalysisThatCouldNotMeasureIsInconclusive() {
        Outcome outcome = AnalysisJudge.unmeasured(terms(SPEC, null), "Prometheus at http://p:9090 did not answer");

        assertEquals("INCONCLUSIVE", outcome.result());
        assertEquals("the canary could not be measured: Prometheus at http://p:9090 did not answer", outcome.reason());
    }

    private static Terms terms(AnalysisSpec spec, String trafficNote) {
        return new Terms(spec, "canary", WINDOW, trafficNote);
    }

    private static PoolStats pool(long requests, long errors, double p99Ms) {
        return new PoolStats(1, requests, errors, p99Ms, List.of());
    }
}
