package dev.stagecraft.inventory.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.inventory.persistence.FleetDeploymentEntity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Which fleets have a deployment running, from the lifecycle on {@code stagecraft.deployments}: a deployment runs
 * from {@code deployment.requested} (or its saga's {@code started}) until an end ({@code succeeded},
 * {@code rolled-back}, {@code failed}, {@code aborted}, or {@code rejected}/{@code withdrawn} before its saga). While
 * one runs, its saga owns the fleet: no live scale, and the reconciler leaves its instances alone.
 */
@ApplicationScoped
public class FleetDeployments {
    static final Set<String> ENDS = Set.of(EventTypes.DEPLOYMENT_SUCCEEDED, EventTypes.DEPLOYMENT_ROLLED_BACK,
            EventTypes.DEPLOYMENT_FAILED, EventTypes.DEPLOYMENT_ABORTED, EventTypes.DEPLOYMENT_REJECTED,
            EventTypes.DEPLOYMENT_WITHDRAWN);

    /** Applies one lifecycle fact; an end, once read, is never undone by a start read after it. */
    public Uni<Void> apply(String type, String deploymentId, String service, String environment) {
        boolean end = ENDS.contains(type);
        String status = type.substring(type.lastIndexOf('.') + 1);
        return FleetDeploymentEntity.<FleetDeploymentEntity>findById(deploymentId).chain(held -> {
            if (held == null) {
                FleetDeploymentEntity row = new FleetDeploymentEntity();
                row.deploymentId = deploymentId;
                row.service = service;
                row.environment = environment;
                row.running = !end;
                row.status = status;
                row.updatedAt = Instant.now();
                return row.persist().replaceWithVoid();
            }
            if (held.running) {
                held.running = !end;
                held.status = status;
                held.updatedAt = Instant.now();
            }
            return Uni.createFrom().voidItem();
        });
    }

    /** The id of the deployment that runs on this fleet now, if one does. */
    public Uni<Optional<String>> running(String service, String environment) {
        return FleetDeploymentEntity.runningOn(service, environment)
                .map(row -> Optional.ofNullable(row).map(r -> r.deploymentId));
    }
}
