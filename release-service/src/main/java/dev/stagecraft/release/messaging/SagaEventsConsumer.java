package dev.stagecraft.release.messaging;

import java.util.List;

import dev.stagecraft.contracts.DeploymentStatusChanged;
import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.platform.messaging.EventHandlers;
import dev.stagecraft.platform.messaging.IdempotentConsumer;
import dev.stagecraft.release.domain.Deployments;
import dev.stagecraft.release.events.TimelineSignals;
import dev.stagecraft.release.flags.CanaryFlagOverrides;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows the saga's lifecycle facts to keep each deployment's status and timeline current. Only the
 * types rollout-service publishes are applied: what release-service publishes on the same topic
 * ({@code deployment.requested}, {@code LifecycleFacts.TYPES}, command outcomes) records changes
 * already made here, and applying them again would write every such line twice.
 */
@ApplicationScoped
public class SagaEventsConsumer {
    /** The types applied; every other type on the topic is acknowledged and skipped. */
    public static final List<String> APPLIED = List.of(EventTypes.DEPLOYMENT_STARTED,
            EventTypes.DEPLOYMENT_PROGRESSED, EventTypes.DEPLOYMENT_SUCCEEDED, EventTypes.DEPLOYMENT_ROLLING_BACK,
            EventTypes.DEPLOYMENT_ROLLED_BACK, EventTypes.DEPLOYMENT_FAILED, EventTypes.DEPLOYMENT_ABORTED,
            EventTypes.DEPLOYMENT_PAUSED, EventTypes.DEPLOYMENT_RESUMED);

    private final IdempotentConsumer consumer;
    private final TimelineSignals signals;
    private final CanaryFlagOverrides canaryOverrides;
    private final EventHandlers handlers = new EventHandlers();

    public SagaEventsConsumer(IdempotentConsumer consumer, Deployments deployments, TimelineSignals signals,
            CanaryFlagOverrides canaryOverrides) {
        this.consumer = consumer;
        this.signals = signals;
        this.canaryOverrides = canaryOverrides;
        for (String type : APPLIED) {
            handlers.on(type, event -> deployments.apply(type, event.as(DeploymentStatusChanged.class)));
        }
    }

    @Incoming("saga-events")
    public Uni<Void> onEvent(ConsumerRecord<String, String> record) {
        // every record of a deployment may have grown its timeline (here or, for the types skipped, on the
        // replica that published it): wake its open event streams once the record is committed
        // and a status that starts or ends a canary starts or ends its flag overrides on this replica at once
        return consumer.consume("release-service", record, handlers).invoke(() -> {
            signals.changed(record.key());
            canaryOverrides.refreshSoon();
        });
    }
}
