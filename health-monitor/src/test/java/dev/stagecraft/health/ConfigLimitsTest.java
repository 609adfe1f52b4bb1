package dev.stagecraft.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.stagecraft.health.probe.ProbeConfig;
import dev.stagecraft.health.testing.TestAnalysisConfig;
import org.junit.jupiter.api.Test;

class ConfigLimitsTest {

    record Probes(String livenessPath, String readinessPath, Duration timeout, Duration interval, Duration deadline,
            int maxInFlight, int consecutiveSuccesses) implements ProbeConfig {
    }

    private static Probes probes(int maxInFlight, int consecutiveSuccesses) {
        return new Probes("/health/live", "/health/ready", Duration.ofSeconds(2), Duration.ofMillis(250),
                Duration.ofSeconds(20), maxInFlight, consecutiveSuccesses);
    }

    @Test
    void theDefaultsPass() {
        assertEquals(List.of(), ConfigLimits.problems(probes(256, 1), TestAnalysisConfig.defaults()));
    }

    @Test
    void noRequestsAtAllIsAllowed() {
        assertEquals(List.of(), ConfigLimits.problems(probes(1, 1),
                TestAnalysisConfig.with(Map.of("stagecraft.analysis.synthetic.max-requests", "0"))));
    }

    @Test
    void namesEveryCountOutOfRange() {
        assertEquals(List.of("stagecraft.probes.max-in-flight must be at least 1, not 0",
                "stagecraft.probes.consecutive-successes must be at least 1, not 0",
                "stagecraft.analysis.synthetic.max-requests must be at least 0, not -1",
                "stagecraft.analysis.synthetic.max-in-flight must be at least 1, not 0"),
                ConfigLimits.problems(probes(0, 0), TestAnalysisConfig.with(Map.of(
                        "stagecraft.analysis.synthetic.max-requests", "-1",
                        "stagecraft.analysis.synthetic.max-in-flight", "0"))));
    }
}
