package dev.stagecraft.inventory.router;

import dev.stagecraft.router.Backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WeightCheckTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // expected, applied by the router, what is wrong
                Arguments.of(Map.of("a", 100), Map.of("a", 100), Map.of()),
                Arguments.of(Map.of("a", 100), Map.of("a", 0), Map.of("a", "router applied 0, expected 100")),
                Arguments.of(Map.of("a", 0), Map.of("a", 100), Map.of("a", "router applied 100, expected 0")),
                // not in the router at all: it gets no traffic, which is weight 0
                Arguments.of(Map.of("a", 0), Map.of(), Map.of()),
                Arguments.of(Map.of("a", 100), Map.of(), Map.of("a", "router applied 0, expected 100")),
                // only the instances asked about are checked
                Arguments.of(Map.of("a", 100), Map.of("a", 100, "b", 7), Map.of()),
                Arguments.of(Map.of("a", 100, "b", 0), Map.of("a", 25, "b", 0),
                        Map.of("a", "router applied 25, expected 100")));
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @MethodSource("cases")
    void namesEveryWeightTheRouterDidNotApply(Map<String, Integer> expected, Map<String, Integer> applied,
            Map<String, String> wrong) {
        assertEquals(wrong, WeightCheck.mismatches(expected, applied));
    }

    @Test
    void backendsRefuseWeightsOutsideZeroToHundredAndAddressesWithoutPort() {
        assertEquals(100, new Backend("127.0.0.1:8080", 100).weight());
        assertEquals(8080, new Backend("127.0.0.1:8080", 0).port());
        assertThrows(IllegalArgumentException.class, () -> new Backend("127.0.0.1:8080", 101));
        assertThrows(IllegalArgumentException.class, () -> new Backend("127.0.0.1:8080", -1));
        assertThrows(IllegalArgumentException.class, () -> new Backend("127.0.0.1", 50));
        assertThrows(IllegalArgumentException.class, () -> new Backend(null, 50));
    }
}
