package dev.stagecraft.health.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.stagecraft.contracts.AnalysisRequest;
import dev.stagecraft.contracts.AnalysisRequest.Target;
import dev.stagecraft.contracts.AnalysisSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AnalysisRequestsTest {
    private static final List<Target> ONE = List.of(new Target("i-1", "127.0.0.1:1001"));

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("a good request", request(ONE, List.of(), 30_000, null), List.of()),
                Arguments.of("no pool", request(List.of(), List.of(), 30_000, null),
                        List.of("the request names no instance to judge (pool is empty)")),
                Arguments.of("an instance without address", request(List.of(new Target("i-1", " ")),
                        List.of(new Target("i-9", null)), 30_000, null),
                        List.of("a pool instance has no address", "a baseline instance has no address")),
                Arguments.of("a window too short", request(ONE, List.of(), 999, null),
                        List.of("windowMs 999 is out of range: 1000 to 21600000")),
                Arguments.of("a window too long", request(ONE, List.of(), 21_600_001, null),
                        List.of("windowMs 21600001 is out of range: 1000 to 21600000")),
                Arguments.of("an interval that is no duration", request(ONE, List.of(), 30_000, "soon"),
                        List.of("thresholds.interval 'soon' is not a duration such as 5s")),
                Arguments.of("an interval of zero", request(ONE, List.of(), 30_000, "0s"),
                        List.of("thresholds.interval '0s' is not a duration such as 5s")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void findsWhatStopsAnAnalysis(String description, AnalysisRequest request, List<String> problems) {
        assertEquals(problems, AnalysisRequests.problems(request), description);
    }

    static Stream<Arguments> purposes() {
        return Stream.of(
                Arguments.of("canary", "canary"),
                Arguments.of("Pre-Promotion (green)", "pre-promotion-green"),
                Arguments.of("  ", "pool"),
                Arguments.of(null, "pool"),
                Arguments.of("a very long purpose that somebody wrote as a sentence", "a-very-long-purpose-that-somebod"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("purposes")
    void namesThePoolAfterItsPurpose(String purpose, String name) {
        AnalysisRequest request = new AnalysisRequest("d-1", 1, "svc", "prod", purpose, ONE, List.of(), 30_000, null, 0);
        assertEquals(name, AnalysisRequests.poolName(request));
    }

    @Test
    void looksAsOftenAsAskedButNotMoreOftenThanTheMinimum() {
        assertEquals(Duration.ofSeconds(5), AnalysisRequests.interval(request(ONE, List.of(), 30_000, null),
                Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(2), AnalysisRequests.interval(request(ONE, List.of(), 30_000, "2s"),
                Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(1), AnalysisRequests.interval(request(ONE, List.of(), 30_000, "100ms"),
                Duration.ofSeconds(1)));
    }

    private static AnalysisRequest request(List<Target> pool, List<Target> baseline, long windowMs, String interval) {
        AnalysisSpec spec = interval == null ? null : new AnalysisSpec(null, null, null, null, null, null, null, interval);
        return new AnalysisRequest("d-1", 1, "svc", "prod", "canary", pool, baseline, windowMs, spec, 0);
    }
}
