package dev.stagecraft.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WeightedPickerTest {

    static Stream<Arguments> picks() {
        return Stream.of(
                // weights, random number, backend it falls on (backends are laid out in id order)
                Arguments.of(Map.of("a", 50, "b", 50), 0.0, "a"),
                Arguments.of(Map.of("a", 50, "b", 50), 0.4999, "a"),
                Arguments.of(Map.of("a", 50, "b", 50), 0.5, "b"),
                Arguments.of(Map.of("a", 50, "b", 50), 0.9999, "b"),
                Arguments.of(Map.of("a", 75, "b", 25), 0.7499, "a"),
                Arguments.of(Map.of("a", 75, "b", 25), 0.75, "b"),
                // 1/99: the small one owns exactly the first 1% of the line
                Arguments.of(Map.of("a", 1, "b", 99), 0.0, "a"),
                Arguments.of(Map.of("a", 1, "b", 99), 0.0099, "a"),
                Arguments.of(Map.of("a", 1, "b", 99), 0.0101, "b"),
                Arguments.of(Map.of("a", 1, "b", 99), 0.9999, "b"),
                Arguments.of(Map.of("a", 99, "b", 1), 0.9899, "a"),
                Arguments.of(Map.of("a", 99, "b", 1), 0.99, "b"),
                // one at zero: it owns no part of the line, wherever the number falls
                Arguments.of(Map.of("a", 0, "b", 100), 0.0, "b"),
                Arguments.of(Map.of("a", 0, "b", 100), 0.9999, "b"),
                Arguments.of(Map.of("a", 100, "b", 0), 0.9999, "a"),
                Arguments.of(Map.of("a", 0, "b", 100, "c", 0), 0.5, "b"),
                // the insertion order of the map does not matter, the ids' order does
                Arguments.of(ordered("c", 10, "a", 10, "b", 10), 0.34, "b"),
                Arguments.of(ordered("c", 10, "a", 10, "b", 10), 0.67, "c"),
                // numbers outside [0, 1) still name a backend
                Arguments.of(Map.of("a", 50, "b", 50), 1.0, "b"),
                Arguments.of(Map.of("a", 50, "b", 50), -0.5, "a"),
                // all zero, or none: nobody
                Arguments.of(Map.of("a", 0, "b", 0), 0.5, null),
                Arguments.of(Map.of(), 0.5, null));
    }

    @ParameterizedTest(name = "{0} at {1} -> {2}")
    @MethodSource("picks")
    void picksTheBackendTheNumberFallsOn(Map<String, Integer> weights, double random, String expected) {
        assertEquals(Optional.ofNullable(expected), new WeightedPicker(weights).pick(random));
    }

    static Stream<Arguments> shares() {
        return Stream.of(
                Arguments.of(Map.of("a", 75, "b", 25)),
                Arguments.of(Map.of("a", 95, "b", 5)),
                Arguments.of(Map.of("a", 50, "b", 50)),
                Arguments.of(Map.of("a", 1, "b", 99)),
                Arguments.of(Map.of("a", 100, "b", 100, "c", 100)),
                Arguments.of(Map.of("a", 0, "b", 30, "c", 70)));
    }

    /** Evenly spread numbers give every backend exactly its share: the arithmetic has no bias. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shares")
    void evenlySpreadNumbersGiveEachBackendExactlyItsShare(Map<String, Integer> weights) {
        WeightedPicker picker = new WeightedPicker(weights);
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        int steps = total * 100;
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < steps; i++) {
            // Mid-points of equal slices, so that no number sits on a boundary where rounding could tip it.
            counts.merge(picker.pick((i + 0.5) / steps).orElseThrow(), 1, Integer::sum);
        }
        Map<String, Integer> expected = new TreeMap<>();
        weights.forEach((id, w) -> {
            if (w > 0) {
                expected.put(id, w * 100);
            }
        });
        assertEquals(expected, counts);
        assertEquals(total, picker.total());
    }

    @Test
    void weightsOfZeroAddNothingToTheTotal() {
        assertEquals(0, new WeightedPicker(Map.of("a", 0, "b", 0)).total());
        assertEquals(100, new WeightedPicker(Map.of("a", 0, "b", 100)).total());
    }

    private static Map<String, Integer> ordered(Object... idsAndWeights) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < idsAndWeights.length; i += 2) {
            map.put((String) idsAndWeights[i], (Integer) idsAndWeights[i + 1]);
        }
        return map;
    }
}
