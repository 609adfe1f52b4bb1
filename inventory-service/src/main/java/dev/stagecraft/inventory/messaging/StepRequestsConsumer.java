package dev.stagecraft.inventory.messaging;

import java.util.function.Function;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.inventory.domain.PoolTraffic;
import dev.stagecraft.inventory.domain.StepAnswers;
import dev.stagecraft.inventory.domain.StepExecutor;
import dev.stagecraft.platform.messaging.EventHandlers;
import dev.stagecraft.platform.messaging.IdempotentConsumer;
import dev.stagecraft.platform.messaging.InboundEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** What rollout-service asks of the fleet, applied once each, in the order asked per deployment. */
@ApplicationScoped
public class StepRequestsConsumer {
    private final IdempotentConsumer consumer;
    private final EventHandlers handlers = new EventHandlers();

    public StepRequestsConsumer(IdempotentConsumer consumer, StepExecutor steps, PoolTraffic pools,
            StepAnswers answers) {
        this.consumer = consumer;
        // Once per step: a step asked again (a new event, the same deployment and step) is answered again, not redone.
        handlers.on(EventTypes.RESOLVE_REQUESTED, e -> once(answers, e, steps::resolve))
                .on(EventTypes.PROVISION_REQUESTED, e -> once(answers, e, steps::provision))
                .on(EventTypes.UPDATE_REQUESTED, e -> once(answers, e, steps::update))
                .on(EventTypes.ENABLE_REQUESTED, e -> once(answers, e, steps::enable))
                .on(EventTypes.DECOMMISSION_REQUESTED, e -> once(answers, e, steps::decommission))
                .on(EventTypes.WEIGHTS_REQUESTED, e -> once(answers, e, pools::weigh));
    }

    private static Uni<Void> once(StepAnswers answers, InboundEvent e, Function<StepRequest, Uni<Void>> step) {
        StepRequest request = e.as(StepRequest.class);
        return answers.onceOrAgain(request, () -> step.apply(request));
    }

    @Incoming("step-requests")
    public Uni<Void> onEvent(ConsumerRecord<String, String> record) {
        return consumer.consume("inventory-service", record, handlers);
    }
}
