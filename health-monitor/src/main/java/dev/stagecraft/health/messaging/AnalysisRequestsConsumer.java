package dev.stagecraft.health.messaging;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.stagecraft.contracts.AnalysisRequest;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.VerdictReached;
import dev.stagecraft.health.analysis.AnalysisRequests;
import dev.stagecraft.health.analysis.AnalysisRuns;
import dev.stagecraft.health.domain.HealthMetrics;
import dev.stagecraft.health.domain.Verdicts;
import dev.stagecraft.health.persistence.AnalysisRunEntity;
import dev.stagecraft.platform.messaging.CloudEventReader;
import dev.stagecraft.platform.messaging.EventHandlers;
import dev.stagecraft.platform.messaging.IdempotentConsumer;
import dev.stagecraft.platform.messaging.InboundEvent;
import dev.stagecraft.platform.messaging.PoisonRecordException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Takes the analysis requests off {@code stagecraft.rollout-steps} (the instance step requests there are
 * inventory-service's and are skipped). The inbox transaction only stores the run: its window takes
 * seconds to minutes and runs afterwards, so the consumer moves on at once and a redelivered request
 * starts nothing. A request that cannot be analysed is answered with a FAIL verdict in the same transaction.
 */
@ApplicationScoped
public class AnalysisRequestsConsumer {
    /** Its own inbox name: the instance-events channel's inbox is another consumer's. */
    static final String CONSUMER = "health-monitor-analysis";
    private static final Logger LOG = Logger.getLogger(AnalysisRequestsConsumer.class);

    private final IdempotentConsumer consumer;
    private final CloudEventReader reader;
    private final AnalysisRuns runs;
    private final Verdicts verdicts;
    private final HealthMetrics metrics;

    public AnalysisRequestsConsumer(IdempotentConsumer consumer, CloudEventReader reader, AnalysisRuns runs,
            Verdicts verdicts, HealthMetrics metrics) {
        this.consumer = consumer;
        this.reader = reader;
        this.runs = runs;
        this.verdicts = verdicts;
        this.metrics = metrics;
    }

    @Incoming("analysis-requests")
    public Uni<Void> onEvent(ConsumerRecord<String, String> record) {
        Optional<InboundEvent> event;
        try {
            event = EventFilter.ofTypes(CONSUMER, reader, record, Set.of(EventTypes.ANALYSIS_REQUESTED));
        } catch (PoisonRecordException e) {
            return Uni.createFrom().failure(e);
        }
        if (event.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        AnalysisRequest request;
        try {
            request = payloadOf(event.get());
        } catch (PoisonRecordException e) {
            LOG.warnf("%s: dead-lettering %s %s: %s", CONSUMER, event.get().type(), event.get().id(), e.getMessage());
            return Uni.createFrom().failure(e);
        }
        List<String> problems = AnalysisRequests.problems(request);
        return problems.isEmpty() ? open(record, request) : refuse(record, request, problems);
    }

    /**
     * Opens a run for a step asked for the first time. A step asked again (rollout-service re-asks once when a
     * verdict is late) is not analysed twice: a finished run's verdict is announced again, a running one answers
     * when its window ends.
     */
    private Uni<Void> open(ConsumerRecord<String, String> record, AnalysisRequest request) {
        AtomicReference<AnalysisRunEntity> opened = new AtomicReference<>();
        EventHandlers storeRun = new EventHandlers()
                .on(EventTypes.ANALYSIS_REQUESTED, ignored -> AnalysisRunEntity
                        .ofStep(request.deploymentId(), request.step())
                        .chain(existing -> existing == null
                                ? runs.open(request).invoke(opened::set).replaceWithVoid()
                                : askedAgain(existing)));
        return consumer.consume(CONSUMER, record, storeRun)
                // Started once committed: a rolled-back or duplicate request must not run a window.
                .invoke(() -> {
                    if (opened.get() != null) {
                        runs.start(opened.get().id, request);
                    }
                });
    }

    private Uni<Void> askedAgain(AnalysisRunEntity run) {
        if (run.isRunning()) {
            LOG.infof("analysis of deployment %s step %d asked again: run %s is still in its window", run.deploymentId,
                    run.step, run.id);
            return Uni.createFrom().voidItem();
        }
        return verdicts.reachedOn(run.deploymentId, run.step).chain(reached -> {
            if (reached.isEmpty()) { // cannot happen: a run is closed with its verdict, in one transaction
                return Uni.createFrom().failure(
                        new IllegalStateException("analysis run " + run.id + " is done without a verdict"));
            }
            LOG.infof("analysis of deployment %s step %d asked again: announcing its verdict %s again",
                    run.deploymentId, run.step, reached.get().result());
            return verdicts.announceAgain(reached.get());
        });
    }

    private Uni<Void> refuse(ConsumerRecord<String, String> record, AnalysisRequest request, List<String> problems) {
        VerdictReached verdict = new VerdictReached(UUID.randomUUID().toString(), request.deploymentId(),
                request.step(), VerdictReached.FAIL, "cannot analyse: " + String.join("; ", problems), List.of(),
                List.of(), Instant.now());
        AtomicBoolean recorded = new AtomicBoolean();
        EventHandlers storeVerdict = new EventHandlers()
                .on(EventTypes.ANALYSIS_REQUESTED,
                        ignored -> verdicts.record(verdict).invoke(() -> recorded.set(true)));
        return consumer.consume(CONSUMER, record, storeVerdict).invoke(() -> {
            if (recorded.get()) {
                LOG.warnf("analysis of deployment %s step %d refused: %s", verdict.deploymentId(), verdict.step(),
                        verdict.reason());
                metrics.verdictReached(verdict.result(), HealthMetrics.ANALYSIS);
            }
        });
    }

    private static AnalysisRequest payloadOf(InboundEvent event) {
        AnalysisRequest request = event.as(AnalysisRequest.class);
        if (request.deploymentId() == null || request.deploymentId().isBlank()) {
            throw new PoisonRecordException(event.type() + " " + event.id() + " names no deploymentId");
        }
        return request;
    }
}
