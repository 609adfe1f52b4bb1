package dev.stagecraft.inventory.persistence;

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
import jakarta.persistence.Version;

/** The desired size of one service's fleet in one environment. */
@Entity
@Table(name = "fleet")
@IdClass(FleetEntity.Key.class)
public class FleetEntity extends PanacheEntityBase {
    @Id
    public String service;
    @Id
    public String environment;
    public int replicas;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Version
    @Column(name = "row_version")
    public long rowVersion;

    public static Uni<FleetEntity> find(String service, String environment) {
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
