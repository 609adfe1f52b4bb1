package dev.stagecraft.inventory.persistence;

import java.time.Instant;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One deployment of a fleet, as far as inventory-service needs it: does it still run? */
@Entity
@Table(name = "fleet_deployment")
public class FleetDeploymentEntity extends PanacheEntityBase {
    @Id
    @Column(name = "deployment_id")
    public String deploymentId;
    public String service;
    public String environment;
    public boolean running;
    /** The last lifecycle fact read, e.g. started, paused, succeeded. */
    public String status;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /** The deployment that runs on the fleet now, if any (the oldest, should two overlap). */
    public static Uni<FleetDeploymentEntity> runningOn(String service, String environment) {
        return FleetDeploymentEntity.<FleetDeploymentEntity>find(
                "service = ?1 and environment = ?2 and running = true order by updatedAt", service, environment)
                .firstResult();
    }
}
