package dev.stagecraft.release.bake;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.stagecraft.contracts.EventTypes;
import dev.stagecraft.contracts.StrategySpec;
import dev.stagecraft.platform.persistence.JsonText;
import dev.stagecraft.release.domain.AuditLog;
import dev.stagecraft.release.domain.ConcurrencyMode;
import dev.stagecraft.release.domain.DeploymentSlots;
import dev.stagecraft.release.domain.DeploymentStatus;
import dev.stagecraft.release.domain.FleetUndo;
import dev.stagecraft.release.domain.Gate;
import dev.stagecraft.release.domain.DeploymentMoves;
import dev.stagecraft.release.domain.SagaStarts;
import dev.stagecraft.release.persistence.DeploymentEntity;
import dev.stagecraft.release.persistence.TimelineEntry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Rolls back a BAKING deployment, for a firing alert or a person: a new deployment of the last stable release (the
 * newest SUCCEEDED one of another version there), rolling, half the fleet at a time, like an undo. It is a safety
 * action, so the request gates (window, approval, promotion) do not hold it up; it takes the baking deployment's slot
 * at once, and whatever waited for that slot now queues behind the rollback. The baking deployment is ROLLING_BACK
 * until the rollback ends ({@link Bakes#rollbackEnded}); with nothing to go back to it is FAILED at once. The caller
 * holds the environment's lock and has read {@code baking} under it, in its transaction.
 */
@ApplicationScoped
public class BakeRollbacks {
    /** What was done: the rollback deployment's id, or null when the baking deployment FAILED for want of one. */
    public record Started(String rollbackDeploymentId, String message) {
    }

    private final SagaStarts sagas;
    private final DeploymentSlots slots;
    private final DeploymentMoves moves;
    private final AuditLog audit;
    private final Clock clock;

    public BakeRollbacks(SagaStarts sagas, DeploymentSlots slots, DeploymentMoves moves, AuditLog audit, Clock clock) {
        this.moves = moves;
        this.sagas = sagas;
        this.slots = slots;
        this.audit = audit;
        this.clock = clock;
    }

    /** {@code why} says what happened, for the timeline and the reasons; {@code details} go to the audit entry. */
    public Uni<Started> rollBack(DeploymentEntity baking, String why, String actor, Map<String, Object> details) {
        return lastStable(baking).chain(stable -> {
            Instant now = clock.instant();
            if (stable == null) {
                String message = why + "; no earlier SUCCEEDED release to roll back to: needs a human";
                return moves.apply(DeploymentMoves.of(baking, DeploymentStatus.FAILED, EventTypes.DEPLOYMENT_BAKE_FAILED,
                        message).at(now).told())
                        .chain(() -> slots.release(baking))
                        .chain(() -> audit.record(actor, "deployment.bake-failed", AuditLog.DEPLOYMENT, baking.id,
                                withRollback(details, null)))
                        .replaceWith(new Started(null, message));
            }
            DeploymentEntity rollback = rollbackOf(baking, stable, actor, why, now);
            String message = why + "; rolling back to " + stable.version + " by deployment " + rollback.id;
            // The slot changes hands now: freed first, since the unique index allows one holder at every moment.
            baking.active = false;
            return Panache.flush()
                    .chain(rollback::persist)
                    .chain(() -> DeploymentEntity.update("waitingFor = ?1, waitingMode = ?2 where waitingFor = ?3",
                            rollback.id, ConcurrencyMode.QUEUE.wire(), baking.id))
                    .chain(() -> moves.apply(DeploymentMoves.of(baking, DeploymentStatus.ROLLING_BACK,
                            EventTypes.DEPLOYMENT_BAKE_FAILED, message).at(now)
                            .reasons(DeploymentMoves.Reasons.REPLACE).told()))
                    .chain(() -> TimelineEntry.of(rollback.id, now, rollback.status.name(),
                            EventTypes.DEPLOYMENT_REQUESTED, "rollback of deployment " + baking.id + " ("
                                    + baking.version + "), requested by " + actor + ": " + why).persist())
                    .chain(() -> audit.record(actor, "deployment.bake-failed", AuditLog.DEPLOYMENT, baking.id,
                            withRollback(details, rollback.id)))
                    .chain(() -> sagas.start(rollback))
                    .replaceWith(new Started(rollback.id, message));
        });
    }

    /** The newest SUCCEEDED deployment of another version: what served before the baking one. */
    private static Uni<DeploymentEntity> lastStable(DeploymentEntity baking) {
        return DeploymentEntity.<DeploymentEntity>find("service = ?1 and environment = ?2 and status = ?3"
                + " and version <> ?4 order by finishedAt desc", baking.service, baking.environment,
                DeploymentStatus.SUCCEEDED, baking.version).firstResult();
    }

    private static DeploymentEntity rollbackOf(DeploymentEntity baking, DeploymentEntity stable, String actor,
            String why, Instant now) {
        DeploymentEntity d = new DeploymentEntity();
        d.id = UUID.randomUUID().toString();
        d.service = baking.service;
        d.version = stable.version;
        d.environment = baking.environment;
        d.strategy = JsonText.write(StrategySpec.rolling(FleetUndo.UNDO_BATCH));
        d.status = DeploymentStatus.REQUESTED;
        d.active = true;
        d.rollbackOf = baking.id;
        d.gates = JsonText.write(List.of(Gate.pass("rollback", "rollback of deployment " + baking.id + " during its"
                + " bake (" + why + "): the request gates do not apply")));
        d.reasons = JsonText.write(List.of());
        d.requestedBy = actor;
        d.createdAt = now;
        d.updatedAt = now;
        return d;
    }

    private static Map<String, Object> withRollback(Map<String, Object> details, String rollbackId) {
        Map<String, Object> all = new LinkedHashMap<>(details);
        all.put("rollbackDeployment", rollbackId);
        return all;
    }
}
