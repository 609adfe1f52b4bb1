package dev.stagecraft.health.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.stagecraft.contracts.AnalysisRequest;
import dev.stagecraft.contracts.VerdictReached;
import dev.stagecraft.health.analysis.AnalysisJudge.Outcome;
import dev.stagecraft.health.domain.HealthMetrics;
import dev.stagecraft.health.domain.Verdicts;
import dev.stagecraft.health.persistence.AnalysisRunEntity;
import dev.stagecraft.health.provider.MetricProvider;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * The life of metric analyses. A run is stored with its request in the inbox transaction, its window runs
 * in the background afterwards (the Kafka consumer is not held for it), and its verdict is stored in a
 * transaction of its own that also marks the run DONE: a run answers with exactly one verdict, however
 * often its window ran. Runs still RUNNING at start-up lost their window in a crash and begin a new one.
 */
@ApplicationScoped
public class AnalysisRuns {
    private static final Logger LOG = Logger.getLogger(AnalysisRuns.class);

    private final Vertx vertx;
    private final MetricProvider provider;
    private final SyntheticTraffic synthetic;
    private final AnalysisConfig config;
    private final Verdicts verdicts;
    private final HealthMetrics metrics;

    public AnalysisRuns(Vertx vertx, MetricProvider provider, SyntheticTraffic synthetic, AnalysisConfig config,
            Verdicts verdicts, HealthMetrics metrics) {
        this.vertx = vertx;
        this.provider = provider;
        this.synthetic = synthetic;
        this.config = config;
        this.verdicts = verdicts;
        this.metrics = metrics;
    }

    /** Stores a new run; call inside the inbox transaction, and {@link #start} it once that has committed. */
    public Uni<AnalysisRunEntity> open(AnalysisRequest request) {
        AnalysisRunEntity run = AnalysisRunEntity.running(request);
        return run.persist().replaceWith(run);
    }

    /** Runs the window in the background and records its verdict; returns at once. */
    public void start(String runId, AnalysisRequest request) {
        LOG.infof("analysis of deployment %s step %d: %d ms window over %d instances (baseline %d), run %s",
                request.deploymentId(), request.step(), request.windowMs(), request.pool().size(),
                request.baseline().size(), runId);
        Duration interval = AnalysisRequests.interval(request, config.minInterval());
        new AnalysisWindow(request, interval, provider, synthetic, vertx).run()
                .onFailure().recoverWithItem(failure -> AnalysisJudge.unmeasured(
                        new AnalysisJudge.Terms(request.thresholds(), AnalysisRequests.poolName(request),
                                Duration.ofMillis(request.windowMs()), null), "the analysis broke: " + failure))
                .chain(outcome -> complete(runId, request, outcome))
                .subscribe().with(ignored -> {
                }, failure -> LOG.errorf(failure, "analysis run %s lost its verdict; it restarts at the next start-up",
                        runId));
    }

    void onStart(@Observes StartupEvent event) {
        resumeUnfinished().subscribe().with(n -> {
            if (n > 0) {
                LOG.infof("restarted %d analysis runs a previous process left unfinished", n);
            }
        }, failure -> LOG.errorf(failure, "could not restart unfinished analysis runs"));
    }

    /** Begins a new window for every run still RUNNING: their windows died with the process that ran them. */
    public Uni<Integer> resumeUnfinished() {
        return FreshContext.run(vertx, () -> Panache.withTransaction(() -> AnalysisRunEntity.unfinished()
                .invoke(runs -> runs.forEach(AnalysisRunEntity::restarted))))
                .invoke(runs -> runs.forEach(this::restart))
                .map(List::size);
    }

    private void restart(AnalysisRunEntity run) {
        try {
            start(run.id, run.analysisRequest());
        } catch (RuntimeException e) {
            LOG.errorf(e, "analysis run %s cannot be restarted: its stored request cannot be read", run.id);
        }
    }

    /** Stores the verdict and closes the run, unless it was closed already (a restarted twin answered first). */
    private Uni<Void> complete(String runId, AnalysisRequest request, Outcome outcome) {
        VerdictReached verdict = new VerdictReached(UUID.randomUUID().toString(), request.deploymentId(),
                request.step(), outcome.result(), outcome.reason(), List.of(), outcome.measurements(), Instant.now());
        return FreshContext.run(vertx, () -> Panache.withTransaction(() -> AnalysisRunEntity
                .<AnalysisRunEntity>findById(runId)
                .chain(run -> {
                    if (run == null || !run.isRunning()) {
                        return Uni.createFrom().item(false);
                    }
                    return verdicts.record(verdict).invoke(() -> run.answeredBy(verdict.verdictId())).replaceWith(true);
                })))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(10)
                .invoke(recorded -> {
                    if (recorded) {
                        LOG.infof("analysis verdict %s for deployment %s step %d: %s", verdict.result(),
                                verdict.deploymentId(), verdict.step(), verdict.reason());
                        metrics.verdictReached(verdict.result(), HealthMetrics.ANALYSIS);
                        metrics.analysed(request.service(), request.environment(), verdict.analysis());
                    } else {
                        LOG.infof("analysis run %s was already answered; its %s is dropped", runId, verdict.result());
                    }
                })
                .replaceWithVoid();
    }
}
