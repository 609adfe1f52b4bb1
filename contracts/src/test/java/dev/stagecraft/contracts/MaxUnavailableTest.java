package dev.stagecraft.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MaxUnavailableTest {

    @ParameterizedTest(name = "maxUnavailable {0} on {1} instances → batches of {2}")
    @CsvSource({
            "1, 4, 1",
            "2, 4, 2",
            "5, 4, 4",
            "25%, 4, 1",
            "50%, 4, 2",
            "30%, 10, 3",
            "10%, 4, 1",
            "100%, 4, 4",
            "1, 1, 1",
            "33%, 3, 1",
            "1, 0, 0",
    })
    void batchSize(String spec, int fleet, int expected) {
        assertEquals(expected, MaxUnavailable.parse(spec).orElseThrow().batchSize(fleet));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "0", "-1", "0%", "101%", "abc", "1.5", "%", "25 %", "1e3", "9999999999"})
    void rejects(String spec) {
        assertTrue(MaxUnavailable.parse(spec).isEmpty(), spec);
    }

    @ParameterizedTest
    @CsvSource({"1.0.0, true", "1.1.0-rc.1+build.5, true", "01.0.0, false", "1.0, false", "v1.0.0, false",
            "1.0.0-, false", "10.20.30, true"})
    void semanticVersions(String version, boolean valid) {
        assertEquals(valid, SemanticVersion.isValid(version));
    }
}
