package dev.stagecraft.health.messaging;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.InstancesChanged;
import dev.stagecraft.contracts.VerdictReached;
import dev.stagecraft.health.domain.HealthMetrics;
import dev.stagecraft.health.domain.StepVerifier;
import dev.stagecraft.health.domain.Verdicts;
import dev.stagecraft.platform.messaging.CloudEventReader;
import dev.stagecraft.platform.messaging.ConcurrentByKey;
import dev.stagecraft.platform.messaging.EventHandlers;
import dev.stagecraft.platform.messaging.IdempotentConsumer;
import dev.stagecraft.platform.messaging.InboundEvent;
import dev.stagecraft.platform.messaging.PoisonRecordException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Verifies each step inventory-service carried out. Probing takes seconds, so it happens before the
 * inbox transaction opens, and the transaction only stores and announces the verdict already reached.
 * A redelivered event may be probed again, but its verdict is applied once. A step that already has a verdict
 * (inventory-service answering a step asked again) is not probed again: its verdict is announced once more.
 */
@ApplicationScoped
public class InstanceEventsConsumer {
    static final String CONSUMER = "health-monitor";
    private static final Logger LOG = Logger.getLogger(InstanceEventsConsumer.class);
    private static final Set<String> VERIFIED = Set.of(EventTypes.INSTANCES_PROVISIONED, EventTypes.INSTANCES_UPDATED);

    private final IdempotentConsumer consumer;
    private final CloudEventReader reader;
    private final StepVerifier verifier;
    private final Verdicts verdicts;
    private final HealthMetrics metrics;
    private final ConcurrentByKey lanes;

    public InstanceEventsConsumer(IdempotentConsumer consumer, CloudEventReader reader, StepVerifier verifier,
            Verdicts verdicts, HealthMetrics metrics,
            @ConfigProperty(name = "stagecraft.consumer.max-unfinished", defaultValue = "256") int maxUnfinished) {
        this.lanes = new ConcurrentByKey(maxUnfinished);
        this.consumer = consumer;
        this.reader = reader;
        this.verifier = verifier;
        this.verdicts = verdicts;
        this.metrics = metrics;
    }

    /**
     * Steps of different deployments are probed side by side, each deployment's in order ({@link ConcurrentByKey}):
     * a step's probes never wait for another deployment's.
     */
    @Incoming("instance-events")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> onEvent(Message<String> message) {
        return lanes.dispatch(message, this::handle);
    }

    Uni<Void> handle(ConsumerRecord<String, String> record) {
        Optional<InboundEvent> event;
        try {
            event = EventFilter.ofTypes(CONSUMER, reader, record, VERIFIED);
        } catch (PoisonRecordException e) {
            return Uni.createFrom().failure(e);
        }
        if (event.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        InstancesChanged step;
        try {
            step = payloadOf(event.get());
        } catch (PoisonRecordException e) {
            LOG.warnf("%s: dead-lettering %s %s: %s", CONSUMER, event.get().type(), event.get().id(), e.getMessage());
            return Uni.createFrom().failure(e);
        }
        Context context = Vertx.currentContext();
        return verdicts.reachedOn(step.deploymentId(), step.step()).chain(reached -> reached.isPresent()
                ? again(record, event.get().type(), reached.get())
                : timed(verifier.verify(step), step)
                        // The probes answer on HTTP-client and timer threads; the reactive session lives on this context.
                        .emitOn(backTo(context))
                        .chain(verdict -> apply(record, event.get().type(), verdict)));
    }

    /** Logs how long a step's probes and verdict took: the scale figures' verification (docs/performance.md). */
    private static Uni<VerdictReached> timed(Uni<VerdictReached> verdict, InstancesChanged step) {
        long started = System.nanoTime();
        return verdict.invoke(v -> LOG.infof("deployment %s step %d: %d instances probed and judged in %d ms",
                step.deploymentId(), step.step(), step.outcomes().size(), (System.nanoTime() - started) / 1_000_000));
    }

    /** The step was judged already and is asked again (inventory-service answered it again): the same verdict. */
    private Uni<Void> again(ConsumerRecord<String, String> record, String type, VerdictReached verdict) {
        LOG.infof("deployment %s step %d judged already: announcing its verdict %s again", verdict.deploymentId(),
                verdict.step(), verdict.result());
        return consumer.consume(CONSUMER, record, new EventHandlers().on(type, ignored -> verdicts.announceAgain(verdict)));
    }

    private Uni<Void> apply(ConsumerRecord<String, String> record, String type, VerdictReached verdict) {
        AtomicBoolean recorded = new AtomicBoolean();
        EventHandlers storeVerdict = new EventHandlers()
                .on(type, ignored -> verdicts.record(verdict).invoke(() -> recorded.set(true)));
        return consumer.consume(CONSUMER, record, storeVerdict)
                // Counted once committed: a retried transaction or a duplicate event must not count twice.
                .invoke(() -> {
                    if (recorded.get()) {
                        LOG.infof("verdict %s for deployment %s step %d: %s", verdict.result(), verdict.deploymentId(),
                                verdict.step(), verdict.reason());
                        metrics.verdictReached(verdict.result(), HealthMetrics.PROBE);
                    }
                });
    }

    private static InstancesChanged payloadOf(InboundEvent event) {
        InstancesChanged step = event.as(InstancesChanged.class);
        if (step.deploymentId() == null || step.deploymentId().isBlank()) {
            throw new PoisonRecordException(event.type() + " " + event.id() + " names no deploymentId");
        }
        return step;
    }

    private static Executor backTo(Context context) {
        return context == null ? Runnable::run : command -> context.runOnContext(ignored -> command.run());
    }
}
