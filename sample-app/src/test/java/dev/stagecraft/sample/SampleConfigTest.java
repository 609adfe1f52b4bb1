package dev.stagecraft.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SampleConfigTest {

    @Test
    void emptyEnvironmentGivesDefaults() throws Exception {
        assertEquals(SampleConfig.defaults(), SampleConfig.fromEnv(Map.of()));
    }

    static Stream<Arguments> validValues() {
        SampleConfig d = SampleConfig.defaults();
        return Stream.of(
                Arguments.of("PORT", "18099", d.withPort(18099)),
                Arguments.of("PORT", "0", d.withPort(0)),
                Arguments.of("PORT", "65535", d.withPort(65535)),
                Arguments.of("PORT", "", d),
                Arguments.of("STAGECRAFT_VERSION", "1.2.3", new SampleConfig(8080, "1.2.3", Optional.empty(), false, 0, 0, false, 0)),
                Arguments.of("STAGECRAFT_VERSION", "  ", d),
                Arguments.of("INSTANCE_ID", "i-7", new SampleConfig(8080, "0.0.0", Optional.of("i-7"), false, 0, 0, false, 0)),
                Arguments.of("SAMPLE_READY_FAIL", "true", d.withReadyFail(true)),
                Arguments.of("SAMPLE_READY_FAIL", "TRUE", d.withReadyFail(true)),
                Arguments.of("SAMPLE_READY_FAIL", "false", d),
                Arguments.of("SAMPLE_ERROR_RATE", "0.0", d),
                Arguments.of("SAMPLE_ERROR_RATE", "0.25", d.withErrorRate(0.25)),
                Arguments.of("SAMPLE_ERROR_RATE", "1", d.withErrorRate(1.0)),
                Arguments.of("SAMPLE_LATENCY_MS", "250", new SampleConfig(8080, "0.0.0", Optional.empty(), false, 0, 250, false, 0)),
                Arguments.of("SAMPLE_CRASH_ON_START", "true", new SampleConfig(8080, "0.0.0", Optional.empty(), false, 0, 0, true, 0)),
                Arguments.of("SAMPLE_STARTUP_DELAY_MS", "1500", d.withStartupDelayMs(1500)),
                Arguments.of("BIND_ADDRESS", "127.0.0.2", d.withBindAddress("127.0.0.2")),
                Arguments.of("BIND_ADDRESS", " ", d));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("validValues")
    void parsesValidValue(String name, String value, SampleConfig expected) throws Exception {
        assertEquals(expected, SampleConfig.fromEnv(Map.of(name, value)));
    }

    static Stream<Arguments> invalidValues() {
        return Stream.of(
                Arguments.of("PORT", "http"),
                Arguments.of("PORT", "-1"),
                Arguments.of("PORT", "65536"),
                Arguments.of("SAMPLE_READY_FAIL", "yes"),
                Arguments.of("SAMPLE_READY_FAIL", "1"),
                Arguments.of("SAMPLE_ERROR_RATE", "1.5"),
                Arguments.of("SAMPLE_ERROR_RATE", "-0.1"),
                Arguments.of("SAMPLE_ERROR_RATE", "NaN"),
                Arguments.of("SAMPLE_ERROR_RATE", "half"),
                Arguments.of("SAMPLE_LATENCY_MS", "-5"),
                Arguments.of("SAMPLE_LATENCY_MS", "1.5"),
                Arguments.of("SAMPLE_CRASH_ON_START", "maybe"),
                Arguments.of("SAMPLE_STARTUP_DELAY_MS", "soon"),
                Arguments.of("BIND_ADDRESS", "localhost"),
                Arguments.of("BIND_ADDRESS", "127.0.0.256"),
                Arguments.of("BIND_ADDRESS", "127.0.0"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("invalidValues")
    void rejectsInvalidValueAndNamesTheVariable(String name, String value) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> SampleConfig.fromEnv(Map.of(name, value)));
        assertEquals(1, e.problems().size());
        assertTrue(e.problems().get(0).startsWith(name + "=" + value), e.problems().get(0));
    }

    @Test
    void reportsEveryInvalidVariableAtOnce() {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "x");
        env.put("SAMPLE_ERROR_RATE", "2");
        env.put("SAMPLE_LATENCY_MS", "-1");
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> SampleConfig.fromEnv(env));
        assertEquals(3, e.problems().size(), e.problems().toString());
    }
}
