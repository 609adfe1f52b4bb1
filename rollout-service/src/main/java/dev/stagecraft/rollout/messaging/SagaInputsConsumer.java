package dev.stagecraft.rollout.messaging;

import dev.stagecraft.contracts.DeploymentRequested;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.OperatorRequest;
import dev.stagecraft.contracts.TargetsResolved;
import dev.stagecraft.contracts.VerdictReached;
import dev.stagecraft.platform.messaging.CatchUp;
import dev.stagecraft.platform.messaging.CloudEventHeaders;
import dev.stagecraft.platform.messaging.ConcurrentByKey;
import dev.stagecraft.platform.messaging.EventHandlers;
import dev.stagecraft.platform.messaging.IdempotentConsumer;
import dev.stagecraft.platform.messaging.InboundEvent;
import dev.stagecraft.rollout.domain.SagaOrchestrator;
import dev.stagecraft.rollout.strategy.StepAnswer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Every fact a saga reacts to: requests, inventory's answers, verdicts and operators' stop requests. Every record on
 * these topics is keyed by its deployment's id, so sagas of different deployments move side by side while one
 * deployment's records are applied one after the other, in the order they arrived ({@link ConcurrentByKey}). A saga
 * row also carries a version: a deadline the reconciler judges at the same moment cannot be lost under an answer.
 */
@ApplicationScoped
public class SagaInputsConsumer {
    private static final Logger LOG = Logger.getLogger(SagaInputsConsumer.class);
    private static final long SLOW_MS = 100;
    private final IdempotentConsumer consumer;
    private final CatchUp catchUp;
    private final ConcurrentByKey lanes;
    private final EventHandlers handlers = new EventHandlers();

    public SagaInputsConsumer(IdempotentConsumer consumer, CatchUp catchUp, SagaOrchestrator sagas,
            @ConfigProperty(name = "stagecraft.consumer.max-unfinished", defaultValue = "256") int maxUnfinished) {
        this.consumer = consumer;
        this.catchUp = catchUp;
        this.lanes = new ConcurrentByKey(maxUnfinished);
        handlers.on(EventTypes.SAGA_START_REQUESTED, e -> sagas.start(e.as(DeploymentRequested.class)));
        handlers.on(EventTypes.DEPLOYMENT_REQUESTED, e -> startFromPublicRecord(sagas, e.as(DeploymentRequested.class)));
        handlers.on(EventTypes.TARGETS_RESOLVED, e -> {
            TargetsResolved targets = e.as(TargetsResolved.class);
            return sagas.apply(targets.deploymentId(), "targets resolved: " + targets.instances().size()
                    + " instances", saga -> saga.onTargetsResolved(targets));
        });
        for (String type : new String[] { EventTypes.INSTANCES_PROVISIONED, EventTypes.INSTANCES_UPDATED,
                EventTypes.INSTANCES_ENABLED, EventTypes.INSTANCES_DECOMMISSIONED, EventTypes.INSTANCES_WEIGHTED }) {
            handlers.on(type, e -> instancesChanged(sagas, type, e));
        }
        handlers.on(EventTypes.VERDICT_REACHED, e -> {
            VerdictReached verdict = e.as(VerdictReached.class);
            return sagas.answer(verdict.deploymentId(), "verdict " + verdict.result() + " for step " + verdict.step()
                    + ": " + verdict.reason(), StepAnswer.of(verdict));
        });
        handlers.on(EventTypes.ROLLBACK_REQUESTED, e -> {
            OperatorRequest request = e.as(OperatorRequest.class);
            return sagas.apply(request.deploymentId(), "rollback requested by " + request.requestedBy(),
                    saga -> saga.onRollbackRequested(request.reason()));
        });
        handlers.on(EventTypes.ABORT_REQUESTED, e -> {
            OperatorRequest request = e.as(OperatorRequest.class);
            return sagas.apply(request.deploymentId(), "abort requested by " + request.requestedBy(),
                    saga -> saga.onAbortRequested(request.reason()));
        });
        handlers.on(EventTypes.PAUSE_REQUESTED, e -> {
            OperatorRequest request = e.as(OperatorRequest.class);
            return sagas.apply(request.deploymentId(), "pause requested by " + request.requestedBy(),
                    saga -> saga.onPauseRequested(request.requestedBy()));
        });
        handlers.on(EventTypes.RESUME_REQUESTED, e -> {
            OperatorRequest request = e.as(OperatorRequest.class);
            return sagas.apply(request.deploymentId(), "resume requested by " + request.requestedBy(),
                    saga -> saga.onResumeRequested(request.requestedBy()));
        });
        handlers.on(EventTypes.PROMOTE_REQUESTED, e -> {
            OperatorRequest request = e.as(OperatorRequest.class);
            return sagas.apply(request.deploymentId(), "promote" + (request.full() ? " all the way" : "")
                    + " requested by " + request.requestedBy(),
                    saga -> saga.onPromoteRequested(request.requestedBy(), request.full()));
        });
    }

    /**
     * The public {@code deployment.requested} starts a saga only if it is complete: written by a release-service from
     * before {@code stagecraft.saga-starts} (sealed values in it), or of a release without secrets (then it equals its
     * twin, and whichever comes first starts the saga; the other finds it started). A masked one must never start a
     * saga: its instances would get {@code ***} instead of their secrets. Its twin on the saga-starts topic does.
     */
    private static Uni<Void> startFromPublicRecord(SagaOrchestrator sagas, DeploymentRequested request) {
        if (!request.canStartSaga()) {
            LOG.debugf("deployment.requested for %s has masked secrets: its saga starts from stagecraft.saga-starts",
                    request.deploymentId());
            return Uni.createFrom().voidItem();
        }
        return sagas.start(request);
    }

    private static Uni<Void> instancesChanged(SagaOrchestrator sagas, String type, InboundEvent e) {
        InstancesChanged changed = e.as(InstancesChanged.class);
        String fact = type.substring(type.lastIndexOf('.') + 1) + " for step " + changed.step()
                + (changed.allOk() ? "" : " with failures");
        return sagas.answer(changed.deploymentId(), fact, StepAnswer.of(type, changed));
    }

    private static String typeOf(ConsumerRecord<String, String> record) {
        String type = CloudEventHeaders.value(record, CloudEventHeaders.TYPE);
        return type == null ? "a record" : type;
    }

    @Incoming("saga-inputs")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> onEvent(Message<String> message) {
        // Unread for the deadline reconciler from now until handled, also when dead-lettered: it judges nothing until
        // the consumer is past what it found at assignment.
        catchUp.admitted(ConcurrentByKey.recordOf(message));
        return lanes.dispatch(message, record -> {
            long started = System.nanoTime();
            return consumer.consume("rollout-service", record, handlers)
                    .onTermination().invoke(() -> {
                        catchUp.handled(record);
                        // how long the saga takes per fact, for the scale figures (docs/performance.md): the slow
                        // ones at INFO, the others (most, a few ms each) at DEBUG
                        long took = (System.nanoTime() - started) / 1_000_000;
                        LOG.logf(took >= SLOW_MS ? Logger.Level.INFO : Logger.Level.DEBUG,
                                "%s of deployment %s handled in %d ms", typeOf(record), record.key(), took);
                    });
        });
    }
}
