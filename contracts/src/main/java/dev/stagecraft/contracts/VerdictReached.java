package dev.stagecraft.contracts;

import java.time.Instant;
import java.util.List;

/** health-monitor's judgement of one step: {@code result} is PASS, FAIL or INCONCLUSIVE. */
public record VerdictReached(String verdictId, String deploymentId, int step, String result, String reason,
        List<ProbeMeasurement> measurements, Instant at) {
    public static final String PASS = "PASS";
    public static final String FAIL = "FAIL";
    public static final String INCONCLUSIVE = "INCONCLUSIVE";

    public VerdictReached {
        measurements = measurements == null ? List.of() : List.copyOf(measurements);
    }
}
