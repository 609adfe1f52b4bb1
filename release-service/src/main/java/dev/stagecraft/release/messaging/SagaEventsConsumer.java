package dev.stagecraft.release.messaging;

import dev.stagecraft.contracts.DeploymentStatusChanged;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.platform.messaging.EventHandlers;
import dev.stagecraft.platform.messaging.IdempotentConsumer;
import dev.stagecraft.release.domain.Deployments;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Follows the saga's lifecycle facts to keep each deployment's status and timeline current. */
@ApplicationScoped
public class SagaEventsConsumer {
    private final IdempotentConsumer consumer;
    private final EventHandlers handlers = new EventHandlers();

    public SagaEventsConsumer(IdempotentConsumer consumer, Deployments deployments) {
        this.consumer = consumer;
        for (String type : new String[] { EventTypes.DEPLOYMENT_STARTED, EventTypes.DEPLOYMENT_PROGRESSED,
                EventTypes.DEPLOYMENT_SUCCEEDED, EventTypes.DEPLOYMENT_ROLLING_BACK, EventTypes.DEPLOYMENT_ROLLED_BACK,
                EventTypes.DEPLOYMENT_FAILED, EventTypes.DEPLOYMENT_ABORTED }) {
            handlers.on(type, event -> deployments.apply(type, event.as(DeploymentStatusChanged.class)));
        }
    }

    @Incoming("saga-events")
    public Uni<Void> onEvent(ConsumerRecord<String, String> record) {
        return consumer.consume("release-service", record, handlers);
    }
}
