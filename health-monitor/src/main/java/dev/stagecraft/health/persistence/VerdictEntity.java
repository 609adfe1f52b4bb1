package dev.stagecraft.health.persistence;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.stagecraft.contracts.AnalysisMeasurement;
import dev.stagecraft.contracts.ProbeMeasurement;
import dev.stagecraft.contracts.VerdictReached;
import dev.stagecraft.platform.persistence.JsonText;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A verdict as it was published; never changed afterwards. */
@Entity
@Table(name = "verdict")
public class VerdictEntity extends PanacheEntityBase {
    private static final TypeReference<List<ProbeMeasurement>> MEASUREMENTS = new TypeReference<>() {
    };
    private static final TypeReference<List<AnalysisMeasurement>> ANALYSIS = new TypeReference<>() {
    };

    @Id
    public String id;
    @Column(name = "deployment_id")
    public String deploymentId;
    public int step;
    public String result;
    public String reason;
    /** Read and written whole, never queried into: JSON text. */
    public String measurements;
    /** A metric analysis' checks, JSON text like {@link #measurements}; empty for a probe verdict. */
    public String analysis;
    @Column(name = "created_at")
    public Instant createdAt;

    public static VerdictEntity of(VerdictReached verdict) {
        VerdictEntity row = new VerdictEntity();
        row.id = verdict.verdictId();
        row.deploymentId = verdict.deploymentId();
        row.step = verdict.step();
        row.result = verdict.result();
        row.reason = verdict.reason();
        row.measurements = JsonText.write(verdict.measurements());
        row.analysis = JsonText.write(verdict.analysis());
        row.createdAt = verdict.at();
        return row;
    }

    /** The verdict as it was published. */
    public VerdictReached toVerdict() {
        return new VerdictReached(id, deploymentId, step, result, reason, measurementList(), analysisList(), createdAt);
    }

    public static Uni<List<VerdictEntity>> ofDeployment(String deploymentId) {
        return list("deploymentId = ?1 order by createdAt, id", deploymentId);
    }

    public List<ProbeMeasurement> measurementList() {
        return JsonText.read(measurements, MEASUREMENTS);
    }

    public List<AnalysisMeasurement> analysisList() {
        return analysis == null ? List.of() : JsonText.read(analysis, ANALYSIS);
    }
}
