package dev.stagecraft.inventory.messaging;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.StepRequest;
import dev.stagecraft.inventory.domain.PoolTraffic;
import dev.stagecraft.inventory.domain.StepExecutor;
import dev.stagecraft.platform.messaging.EventHandlers;
import dev.stagecraft.platform.messaging.IdempotentConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** What rollout-service asks of the fleet, applied once each, in the order asked per deployment. */
@ApplicationScoped
public class StepRequestsConsumer {
    private final IdempotentConsumer consumer;
    private final EventHandlers handlers = new EventHandlers();

    public StepRequestsConsumer(IdempotentConsumer consumer, StepExecutor steps, PoolTraffic pools) {
        this.consumer = consumer;
        handlers.on(EventTypes.RESOLVE_REQUESTED, e -> steps.resolve(e.as(StepRequest.class)))
                .on(EventTypes.PROVISION_REQUESTED, e -> steps.provision(e.as(StepRequest.class)))
                .on(EventTypes.UPDATE_REQUESTED, e -> steps.update(e.as(StepRequest.class)))
                .on(EventTypes.ENABLE_REQUESTED, e -> steps.enable(e.as(StepRequest.class)))
                .on(EventTypes.DECOMMISSION_REQUESTED, e -> steps.decommission(e.as(StepRequest.class)))
                .on(EventTypes.WEIGHTS_REQUESTED, e -> pools.weigh(e.as(StepRequest.class)));
    }

    @Incoming("step-requests")
    public Uni<Void> onEvent(ConsumerRecord<String, String> record) {
        return consumer.consume("inventory-service", record, handlers);
    }
}
