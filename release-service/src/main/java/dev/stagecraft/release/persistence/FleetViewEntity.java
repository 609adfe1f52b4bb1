package dev.stagecraft.release.persistence;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

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
@IdClass(FleetViewEntity.Key.class)
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
        return findById(new Key(service, environment));
    }

    public static class Key implements Serializable {
        public String service;
        public String environment;

        public Key() {
        }

        public Key(String service, String environment) {
            this.service = service;
            this.environment = environment;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(service, k.service) && Objects.equals(environment, k.environment);
        }

        @Override
        public int hashCode() {
            return Objects.hash(service, environment);
        }
    }
}
