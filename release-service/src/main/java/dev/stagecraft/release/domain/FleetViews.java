package dev.stagecraft.release.domain;

import dev.stagecraft.contracts.FleetChanged;
import dev.stagecraft.contracts.cdevents.CdEvents;
import dev.stagecraft.release.cdevents.CdEventOutbox;
import dev.stagecraft.release.persistence.FleetViewEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * release-service's own view of inventory-service's fleets, kept from their {@link FleetChanged} events,
 * because no service asks another synchronously while a deployment moves. It may lag behind inventory:
 * whatever is decided from it, the saga checks again against the fleet itself.
 */
@ApplicationScoped
public class FleetViews {
    /**
     * One statement, so that two events of one fleet applied side by side cannot both read "no row" and
     * collide, and a late event older than the row never overwrites it (equal times: the later arrival wins,
     * as Kafka ordered it).
     */
    private static final String KEEP_NEWEST = """
            INSERT INTO fleet_view (service, environment, replicas, instances, updated_at)
            VALUES (:service, :environment, :replicas, :instances, :at)
            ON CONFLICT (service, environment) DO UPDATE
                SET replicas = EXCLUDED.replicas, instances = EXCLUDED.instances, updated_at = EXCLUDED.updated_at
                WHERE fleet_view.updated_at <= EXCLUDED.updated_at""";

    private final CdEventOutbox cdEvents;

    public FleetViews(CdEventOutbox cdEvents) {
        this.cdEvents = cdEvents;
    }

    /**
     * Records the fleet as announced, unless a newer announcement is stored; in the caller's transaction. A fleet
     * whose last instance is gone tells CDEvents consumers {@code service.removed} (one fleet's events come in
     * order: they share a key).
     */
    public Uni<Void> apply(FleetChanged fleet) {
        return FleetViewEntity.find(fleet.service(), fleet.environment()).chain(before -> keepNewest(fleet)
                .chain(() -> emptied(before, fleet)
                        ? cdEvents.publish(CdEvents.serviceRemoved(fleet.service(), fleet.environment()))
                        : Uni.createFrom().voidItem()));
    }

    /** The fleet had instances and, by a newer announcement, has none now. */
    static boolean emptied(FleetViewEntity before, FleetChanged now) {
        return before != null && before.instances > 0 && now.instances() == 0 && !now.at().isBefore(before.updatedAt);
    }

    private static Uni<Void> keepNewest(FleetChanged fleet) {
        return Panache.getSession().chain(session -> session.createNativeQuery(KEEP_NEWEST)
                .setParameter("service", fleet.service())
                .setParameter("environment", fleet.environment())
                .setParameter("replicas", fleet.replicas())
                .setParameter("instances", fleet.instances())
                .setParameter("at", fleet.at())
                .executeUpdate())
                .replaceWithVoid();
    }

    /** The fleet as last announced, or null if it never was (or does not exist). */
    @WithSession
    public Uni<FleetViewEntity> find(String service, String environment) {
        return FleetViewEntity.find(service, environment);
    }
}
