package dev.stagecraft.rollout.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.stagecraft.contracts.MaxUnavailable;

class RollingPlannerTest {

    static Stream<Arguments> plans() {
        return Stream.of(
                Arguments.of("d,c,b,a", "1", "[[a], [b], [c], [d]]"),
                Arguments.of("a,b,c,d", "2", "[[a, b], [c, d]]"),
                Arguments.of("a,b,c,d,e", "2", "[[a, b], [c, d], [e]]"),
                Arguments.of("a,b,c,d", "50%", "[[a, b], [c, d]]"),
                Arguments.of("a,b,c,d", "25%", "[[a], [b], [c], [d]]"),
                Arguments.of("a,b,c,d", "10%", "[[a], [b], [c], [d]]"),
                Arguments.of("a,b,c,d", "100%", "[[a, b, c, d]]"),
                Arguments.of("a,b,c", "7", "[[a, b, c]]"),
                Arguments.of("a", "1", "[[a]]"),
                Arguments.of("", "1", "[]"));
    }

    @ParameterizedTest(name = "{0} with maxUnavailable {1} → {2}")
    @MethodSource("plans")
    void batches(String ids, String maxUnavailable, String expected) {
        List<String> instances = ids.isEmpty() ? List.of() : Arrays.asList(ids.split(","));
        var plan = RollingPlanner.batches(instances, MaxUnavailable.parse(maxUnavailable).orElseThrow());
        assertEquals(expected, plan.toString());
    }
}
