package dev.stagecraft.health.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The expected values are what Prometheus' histogram_quantile answers for the same buckets. */
class HistogramQuantileTest {
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double NAN = Double.NaN;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("interpolates inside the first bucket from zero", 0.99,
                        buckets(0.005, 100, 0.01, 100, INF, 100), 0.00495),
                Arguments.of("interpolates inside a middle bucket", 0.5,
                        buckets(0.1, 20, 0.5, 60, 1, 100, INF, 100), 0.1 + 0.4 * (30.0 / 40)),
                Arguments.of("rank on a bucket's upper edge", 0.5, buckets(1, 50, 2, 100, INF, 100), 1.0),
                Arguments.of("in the +Inf bucket: the highest finite bound", 0.99,
                        buckets(0.1, 10, 0.5, 50, INF, 100), 0.5),
                Arguments.of("no observations", 0.99, buckets(0.1, 0, INF, 0), NAN),
                Arguments.of("no +Inf bucket", 0.99, buckets(0.1, 5, 0.5, 10), NAN),
                Arguments.of("only a +Inf bucket", 0.99, buckets(INF, 10), NAN),
                Arguments.of("no buckets", 0.99, buckets(), NAN),
                Arguments.of("non-monotonic counts are evened out", 0.5,
                        buckets(0.1, 60, 0.5, 40, 1, 100, INF, 100), 0.1 * (50.0 / 60)),
                Arguments.of("q above 1", 1.5, buckets(0.1, 1, INF, 1), INF),
                Arguments.of("q below 0", -0.1, buckets(0.1, 1, INF, 1), Double.NEGATIVE_INFINITY),
                Arguments.of("first bound at or below zero", 0.1, buckets(0, 50, 1, 100, INF, 100), 0.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPrometheus(String description, double q, TreeMap<Double, Double> buckets, double expected) {
        assertEquals(expected, HistogramQuantile.of(q, buckets), 1e-9, description);
    }

    /** Upper bound, cumulative count, upper bound, count, ... */
    private static TreeMap<Double, Double> buckets(double... pairs) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            buckets.put(pairs[i], pairs[i + 1]);
        }
        return buckets;
    }
}
