package dev.stagecraft.health.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.stagecraft.contracts.AnalysisRequest;
import dev.stagecraft.platform.persistence.JsonText;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** One metric analysis: RUNNING from its request until its verdict is stored, then DONE for good. */
@Entity
@Table(name = "analysis_run")
public class AnalysisRunEntity extends PanacheEntityBase {
    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";

    @Id
    public String id;
    @Column(name = "deployment_id")
    public String deploymentId;
    public int step;
    /** The request as it arrived, JSON text: a restarted run needs nothing else. */
    public String request;
    public String status;
    @Column(name = "created_at")
    public Instant createdAt;
    /** When the current window began: a restart after a crash begins a new one. */
    @Column(name = "started_at")
    public Instant startedAt;
    /** How many windows were begun: more than one means restarts. */
    public int starts;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "verdict_id")
    public String verdictId;
    @Version
    public long version;

    public static AnalysisRunEntity running(AnalysisRequest request) {
        AnalysisRunEntity run = new AnalysisRunEntity();
        run.id = UUID.randomUUID().toString();
        run.deploymentId = request.deploymentId();
        run.step = request.step();
        run.request = JsonText.write(request);
        run.status = RUNNING;
        run.createdAt = Instant.now();
        run.startedAt = run.createdAt;
        run.starts = 1;
        return run;
    }

    public static Uni<List<AnalysisRunEntity>> unfinished() {
        return list("status = ?1 order by createdAt", RUNNING);
    }

    /** The run of one analysis request, known by its deployment and step (a request asked again has the same). */
    public static Uni<AnalysisRunEntity> ofStep(String deploymentId, int step) {
        return find("deploymentId = ?1 and step = ?2 order by createdAt", deploymentId, step).firstResult();
    }

    public AnalysisRequest analysisRequest() {
        return JsonText.read(request, AnalysisRequest.class);
    }

    public boolean isRunning() {
        return RUNNING.equals(status);
    }

    public void restarted() {
        startedAt = Instant.now();
        starts++;
    }

    /** The one way out of RUNNING; callers check {@link #isRunning()} first. */
    public void answeredBy(String verdict) {
        if (!isRunning()) {
            throw new IllegalStateException("analysis run " + id + " is " + status + ", not " + RUNNING);
        }
        status = DONE;
        verdictId = verdict;
        finishedAt = Instant.now();
    }
}
