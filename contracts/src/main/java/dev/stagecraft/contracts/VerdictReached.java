package dev.stagecraft.contracts;

import java.time.Instant;
import java.util.List;

/**
 * health-monitor's judgement of one step: {@code result} is PASS, FAIL or INCONCLUSIVE. A step that changed
 * instances is judged by probes ({@code measurements}); an analysis by metrics ({@code analysis}).
 */
public record VerdictReached(String verdictId, String deploymentId, int step, String result, String reason,
        List<ProbeMeasurement> measurements, List<AnalysisMeasurement> analysis, Instant at) {
    public static final String PASS = "PASS";
    public static final String FAIL = "FAIL";
    public static final String INCONCLUSIVE = "INCONCLUSIVE";

    public VerdictReached {
        measurements = measurements == null ? List.of() : List.copyOf(measurements);
        analysis = analysis == null ? List.of() : List.copyOf(analysis);
    }

    /** A probe verdict. */
    public VerdictReached(String verdictId, String deploymentId, int step, String result, String reason,
            List<ProbeMeasurement> measurements, Instant at) {
        this(verdictId, deploymentId, step, result, reason, measurements, List.of(), at);
    }
}
