package dev.stagecraft.inventory.messaging;

import dev.stagecraft.contracts.DeploymentRequested;
import dev.stagecraft.contracts.DeploymentStatusChanged;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.inventory.domain.FleetDeployments;
import dev.stagecraft.platform.messaging.EventHandlers;
import dev.stagecraft.platform.messaging.IdempotentConsumer;
import dev.stagecraft.platform.messaging.InboundEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Follows the deployments' lifecycle on {@code stagecraft.deployments}: which fleets have a deployment running. */
@ApplicationScoped
public class DeploymentLifecycleConsumer {
    static final String CONSUMER = "inventory-service-deployments";

    private final IdempotentConsumer consumer;
    private final EventHandlers handlers = new EventHandlers();

    public DeploymentLifecycleConsumer(IdempotentConsumer consumer, FleetDeployments deployments) {
        this.consumer = consumer;
        handlers.on(EventTypes.DEPLOYMENT_REQUESTED, e -> {
            DeploymentRequested r = e.as(DeploymentRequested.class);
            return deployments.apply(e.type(), r.deploymentId(), r.service(), r.environment());
        });
        for (String type : new String[] { EventTypes.DEPLOYMENT_STARTED, EventTypes.DEPLOYMENT_SUCCEEDED,
                EventTypes.DEPLOYMENT_ROLLED_BACK, EventTypes.DEPLOYMENT_FAILED, EventTypes.DEPLOYMENT_ABORTED,
                EventTypes.DEPLOYMENT_REJECTED, EventTypes.DEPLOYMENT_WITHDRAWN }) {
            handlers.on(type, e -> statusChanged(deployments, e));
        }
    }

    private static Uni<Void> statusChanged(FleetDeployments deployments, InboundEvent e) {
        DeploymentStatusChanged c = e.as(DeploymentStatusChanged.class);
        return deployments.apply(e.type(), c.deploymentId(), c.service(), c.environment());
    }

    @Incoming("deployments")
    public Uni<Void> onEvent(ConsumerRecord<String, String> record) {
        return consumer.consume(CONSUMER, record, handlers);
    }
}
