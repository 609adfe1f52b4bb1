package dev.stagecraft.inventory.domain;

import java.time.Instant;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.FleetChanged;
import dev.stagecraft.contracts.Topics;
import dev.stagecraft.inventory.persistence.FleetEntity;
import dev.stagecraft.inventory.persistence.InstanceEntity;
import dev.stagecraft.platform.outbox.Outbox;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Announces a fleet's replicas and number of instances ({@link FleetChanged}) after a change to either, so
 * that other services can keep their own view of fleets instead of asking this one. Must be called inside
 * the transaction of the change, after its rows are written: the count is taken in that same session.
 */
@ApplicationScoped
public class FleetEvents {
    private final Outbox outbox;

    public FleetEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * The fleet as it is now in this transaction. A service and environment without a fleet row publish
     * nothing: there is no fleet to describe, and the saga refuses a deployment to it anyway. Nor does a step
     * request that names no fleet, which the step itself may still carry out by instance ids.
     */
    public Uni<Void> publish(String service, String environment) {
        if (service == null || environment == null) {
            return Uni.createFrom().voidItem();
        }
        return FleetEntity.find(service, environment)
                .chain(fleet -> fleet == null ? Uni.createFrom().voidItem() : publish(fleet));
    }

    private Uni<Void> publish(FleetEntity fleet) {
        // Flushed so that the count sees the rows this transaction has just written or deleted.
        return Panache.flush()
                .chain(() -> InstanceEntity.count("service = ?1 and environment = ?2", fleet.service, fleet.environment))
                .chain(instances -> outbox.add(Topics.INSTANCES, FleetChanged.key(fleet.service, fleet.environment),
                        EventTypes.FLEET_CHANGED, new FleetChanged(fleet.service, fleet.environment, fleet.replicas,
                                Math.toIntExact(instances), Instant.now())));
    }
}
