package dev.stagecraft.health.api;

import java.time.Instant;
import java.util.List;

import dev.stagecraft.contracts.ProbeMeasurement;
import dev.stagecraft.health.persistence.VerdictEntity;

public record VerdictView(String id, String deploymentId, int step, String result, String reason,
        List<ProbeMeasurement> measurements, Instant at) {

    public static VerdictView of(VerdictEntity e) {
        return new VerdictView(e.id, e.deploymentId, e.step, e.result, e.reason, e.measurementList(), e.createdAt);
    }
}
