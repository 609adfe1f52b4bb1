package dev.stagecraft.inventory.messaging;

import java.util.function.Function;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.inventory.domain.FleetLocks;
import dev.stagecraft.inventory.domain.PoolTraffic;
import dev.stagecraft.inventory.domain.StepAnswers;
import dev.stagecraft.inventory.domain.StepExecutor;
import dev.stagecraft.inventory.domain.StepRecords;
import dev.stagecraft.inventory.domain.StepResult;
import dev.stagecraft.platform.messaging.CloudEventReader;
import dev.stagecraft.platform.messaging.ConcurrentByKey;
import dev.stagecraft.platform.messaging.EventHandlers;
import dev.stagecraft.platform.messaging.IdempotentConsumer;
import dev.stagecraft.platform.messaging.InboundEvent;
import dev.stagecraft.platform.messaging.StagedHandler;
import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * What rollout-service asks of the fleet, applied once each, in the order asked per deployment; the steps of
 * different deployments run side by side ({@link ConcurrentByKey}). A step that starts processes or moves traffic
 * does so before the inbox transaction opens, and the transaction only records what it did ({@link StagedHandler}).
 * Each step holds its fleet from start to record ({@link FleetLocks}), so that no other replica's step, scale or
 * reconciler pass changes the fleet's instances or router table meanwhile.
 */
@ApplicationScoped
public class StepRequestsConsumer {
    private static final Logger LOG = Logger.getLogger(StepRequestsConsumer.class);
    private final IdempotentConsumer consumer;
    private final StepAnswers answers;
    private final StepRecords records;
    private final ConcurrentByKey lanes;
    private final FleetLocks fleets;
    private final CloudEventReader reader;
    private final EventHandlers handlers = new EventHandlers();

    public StepRequestsConsumer(IdempotentConsumer consumer, StepExecutor steps, PoolTraffic pools,
            StepAnswers answers, StepRecords records, FleetLocks fleets, CloudEventReader reader,
            @ConfigProperty(name = "stagecraft.consumer.max-unfinished", defaultValue = "256") int maxUnfinished) {
        this.consumer = consumer;
        this.answers = answers;
        this.records = records;
        this.fleets = fleets;
        this.reader = reader;
        this.lanes = new ConcurrentByKey(maxUnfinished);
        // Once per step: a step asked again (a new event, the same deployment and step) is answered again, not redone.
        handlers.on(EventTypes.RESOLVE_REQUESTED, e -> {
            StepRequest request = e.as(StepRequest.class);
            return answers.onceOrAgain(request, () -> steps.resolve(request));
        })
                .staged(EventTypes.PROVISION_REQUESTED, once(steps::provision))
                .staged(EventTypes.UPDATE_REQUESTED, once(steps::update))
                .staged(EventTypes.ENABLE_REQUESTED, once(steps::enable))
                .staged(EventTypes.DECOMMISSION_REQUESTED, once(steps::decommission))
                .staged(EventTypes.WEIGHTS_REQUESTED, once(pools::weigh));
    }

    /** A step carried out before (its answer stored) is answered again without being prepared: nothing is redone. */
    private record Prepared(StepRequest request, StepResult result) {
    }

    private StagedHandler<Prepared> once(Function<StepRequest, Uni<StepResult>> step) {
        return new StagedHandler<>() {
            @Override
            public Uni<Prepared> prepare(InboundEvent event) {
                StepRequest request = event.as(StepRequest.class);
                long started = System.nanoTime();
                return answers.given(request).chain(given -> given != null
                        ? Uni.createFrom().item(new Prepared(request, null))
                        : step.apply(request).map(result -> new Prepared(request, result))
                                // how long a step's work takes, for the scale figures (docs/performance.md)
                                .invoke(() -> LOG.infof("step %d (%s) of %s carried out in %d ms", request.step(),
                                        event.type().substring(event.type().lastIndexOf('.') + 1),
                                        request.deploymentId(), (System.nanoTime() - started) / 1_000_000)));
            }

            @Override
            public Uni<Boolean> apply(InboundEvent event, Prepared prepared) {
                return prepared.result() == null
                        ? answers.onceOrAgain(prepared.request(), () -> Uni.createFrom().voidItem()).replaceWith(true)
                        : answers.recordOnce(prepared.request(), prepared.result(),
                                result -> records.record(prepared.request(), result));
            }

            @Override
            public Uni<Void> discard(Prepared prepared) {
                return prepared.result() == null ? Uni.createFrom().voidItem() : prepared.result().undo().get();
            }
        };
    }

    @Incoming("step-requests")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> onEvent(Message<String> message) {
        return lanes.dispatch(message, record -> {
            StepRequest step = stepOf(record);
            Uni<Void> consumed = Uni.createFrom().deferred(() -> consumer.consume("inventory-service", record, handlers));
            return step == null ? consumed
                    : fleets.holding(step.service(), step.environment(), () -> consumed);
        });
    }

    /** The step a record asks for; null for one that cannot be read (the consumer dead-letters it, holding nothing). */
    private StepRequest stepOf(ConsumerRecord<String, String> record) {
        try {
            StepRequest step = reader.read(record).as(StepRequest.class);
            return step == null || step.service() == null || step.environment() == null ? null : step;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
