package dev.stagecraft.health.api;

import java.time.Instant;
import java.util.List;

import dev.stagecraft.contracts.AnalysisMeasurement;
import dev.stagecraft.contracts.ProbeMeasurement;
import dev.stagecraft.health.persistence.VerdictEntity;

/**
 * A verdict as the API shows it: probe {@code measurements} for the instances a step changed, {@code analysis}
 * for a metric analysis; the other list is empty.
 */
public record VerdictView(String id, String deploymentId, int step, String result, String reason,
        List<ProbeMeasurement> measurements, List<AnalysisMeasurement> analysis, Instant at) {

    public static VerdictView of(VerdictEntity e) {
        return new VerdictView(e.id, e.deploymentId, e.step, e.result, e.reason, e.measurementList(), e.analysisList(),
                e.createdAt);
    }
}
