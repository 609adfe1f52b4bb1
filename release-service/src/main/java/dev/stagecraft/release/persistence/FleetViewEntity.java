package dev.stagecraft.release.persistence;

import java.time.Instant;

import dev.stagecraft.platform.persistence.FleetId;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * One fleet as inventory-service last announced it (table {@code fleet_view}). Written only by
 * {@code FleetViews}, with an upsert that keeps the newest announcement; read to judge requests.
 */
@Entity
@Table(name = "fleet_view")
@IdClass(FleetId.class)
public class FleetViewEntity extends PanacheEntityBase {
    @Id
    public String service;
    @Id
    public String environment;
    /** The fleet's desired size: what an empty fleet is provisioned to. */
    public int replicas;
    /** How many instances the fleet has, whatever their state. */
    public int instances;
    /** When inventory-service made the change announced, not when this row was written. */
    @Column(name = "updated_at")
    public Instant updatedAt;

    public static Uni<FleetViewEntity> find(String service, String environment) {
        return findById(new FleetId(service, environment));
    }
}
