package dev.stagecraft.release.domain;

import dev.stagecraft.platform.api.ApiProblem;
import dev.stagecraft.release.persistence.DeploymentEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Loads a deployment for a change that may move the slot of its service and environment. */
final class DeploymentLocks {

    /**
     * The deployment, first loaded after its environment is locked ({@link DeploymentSlots#lock}), so
     * that a change committed meanwhile (it left the queue, another approval) is seen, not overwritten.
     */
    static Uni<DeploymentEntity> find(String id) {
        return Panache.getSession().chain(session -> session
                .createSelectionQuery("select environment from DeploymentEntity where id = :id", String.class)
                .setParameter("id", id).getSingleResultOrNull())
                .onItem().ifNull().failWith(() -> ApiProblem.notFound("deployment " + id + " does not exist"))
                .call(DeploymentSlots::lock)
                .chain(() -> DeploymentEntity.<DeploymentEntity>findById(id));
    }

    private DeploymentLocks() {
    }
}
